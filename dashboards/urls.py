from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("cockpit/", views.cockpit_page, name="cockpit"),
    path("kam/", views.kam_page, name="kam"),
    path("finance/", views.finance_page, name="finance"),
]
