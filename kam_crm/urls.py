from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts.api.urls import router as accounts_router
from activities.api.urls import router as activities_router
from commissions.api.urls import router as commissions_router
from core.health import healthz
from core.views import rates as rates_views
from dashboards import views as dashboard_views
from dashboards.api.urls import urlpatterns as dashboards_api_urls
from deals.api.urls import router as deals_router
from health.api.urls import router as health_router
from receivables.api.urls import router as receivables_router
from receivables.api.urls import urlpatterns as receivables_api_urls
from reports.api.urls import router as reports_router
from team import views as team_views

from . import views

api_router = DefaultRouter()
api_router.registry.extend(accounts_router.registry)
api_router.registry.extend(deals_router.registry)
api_router.registry.extend(activities_router.registry)
api_router.registry.extend(receivables_router.registry)
api_router.registry.extend(commissions_router.registry)
api_router.registry.extend(reports_router.registry)
api_router.registry.extend(health_router.registry)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("rates/", rates_views.rates, name="rates"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("team/pick/", team_views.pick_owners, name="pick_owners"),
    path("views/save/", team_views.saved_view_save, name="saved_view_save"),
    path("views/<int:pk>/delete/", team_views.saved_view_delete, name="saved_view_delete"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", team_views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/", team_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/", include("accounts.urls")),
    path("", include("deals.urls")),
    path("activities/", include("activities.urls")),
    path("receivables/", include("receivables.urls")),
    path("commissions/", include("commissions.urls")),
    path("reports/", include("reports.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(receivables_api_urls)),
    path("api/v1/", include(dashboards_api_urls)),
    path("api/v1/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]
