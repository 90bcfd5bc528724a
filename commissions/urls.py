from django.urls import path

from .views import ledger, plans

app_name = "commissions"

urlpatterns: list = [
    # plans
    path("plans/", plans.plan_grid, name="plan_grid"),
    path("plans/cell/", plans.plan_cell, name="plan_cell"),
    path("plans/year/", plans.plan_year, name="plan_year"),
    path("plans/mine/", plans.my_plan, name="my_plan"),
    path("plans/kam/<int:pk>/", plans.kam_plan, name="kam_plan"),
    path("fulfilment/", plans.fulfilment, name="fulfilment"),
    path("fulfilment/kam/<int:pk>/", plans.fulfilment_kam, name="fulfilment_kam"),
    path(
        "fulfilment/kam/<int:pk>/account/<int:account_pk>/",
        plans.fulfilment_account,
        name="fulfilment_account",
    ),
    path("abc/", plans.abc, name="abc"),
    path("abc/run/", plans.abc_run, name="abc_run"),
    path("abc/account/<int:pk>/tier/", plans.tier_override, name="tier_override"),
    # end plans
]

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
