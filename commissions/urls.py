from django.urls import path

from .views import ledger

app_name = "commissions"

urlpatterns: list = []

# ledger
urlpatterns += [
    path("schemes/", ledger.scheme_list, name="scheme_list"),
    path("periods/", ledger.period_list, name="period_list"),
    path("periods/calculate/", ledger.period_open, name="period_open"),
    path("periods/<int:pk>/<slug:action>/", ledger.period_action, name="period_action"),
    path(
        "periods/<int:pk>/export/<slug:what>.<slug:fmt>",
        ledger.period_export,
        name="period_export",
    ),
    path("statements/", ledger.statement_list, name="statement_list"),
    path("statements/<int:pk>/", ledger.statement_detail, name="statement_detail"),
    path("entries/<int:pk>/dispute/", ledger.entry_dispute, name="entry_dispute"),
    path("disputes/", ledger.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/resolve/", ledger.dispute_resolve, name="dispute_resolve"),
]
