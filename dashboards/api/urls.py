from django.urls import path

from . import views

urlpatterns = [
    path(
        "dashboards/director/", views.DirectorDashboardView.as_view(), name="api-dashboard-director"
    ),
    path("dashboards/kam/", views.KamDashboardView.as_view(), name="api-dashboard-kam"),
    path("dashboards/finance/", views.FinanceDashboardView.as_view(), name="api-dashboard-finance"),
]
