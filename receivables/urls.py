from django.urls import path

from . import views

app_name = "receivables"

urlpatterns = [
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path(
        "invoices/<int:pk>/credit-notes/create/",
        views.credit_note_create,
        name="credit_note_create",
    ),
    path("invoices/<int:pk>/cancel/", views.invoice_cancel, name="invoice_cancel"),
    path("invoices/<int:pk>/collection/", views.collection_log, name="collection_log"),
    path("collection/<int:pk>/hold/<slug:decision>/", views.hold_decide, name="hold_decide"),
    path(
        "accounts/<int:account_pk>/collection/",
        views.account_collection_log,
        name="account_collection_log",
    ),
    path("imports/", views.import_page, name="import"),
    path("bank/", views.bank_page, name="bank"),
    path("bank/<int:pk>/assign/", views.bank_line_assign, name="bank_line_assign"),
    path("orders-to-invoice/", views.orders_to_invoice, name="orders_to_invoice"),
    path("orders/<int:order_pk>/invoice/", views.invoice_from_order, name="invoice_from_order"),
    path("payments/", views.payment_list, name="payment_list"),
    path("payments/create/", views.payment_create, name="payment_create"),
    path("payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/allocate/", views.payment_allocate, name="payment_allocate"),
    path("payments/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("aging/", views.aging_report, name="aging"),
    path("aging/export.<str:fmt>", views.aging_export, name="aging_export"),
    path("open-items/export.<str:fmt>", views.open_items_export, name="open_items_export"),
    path("to-chase/", views.chase_list, name="to_chase"),
    path(
        "accounts/<int:account_pk>/statement-answers/",
        views.statement_answer,
        name="statement_answer",
    ),
    path("credit/", views.credit_list, name="credit_list"),
    path("credit/<int:account_pk>/edit/", views.credit_edit, name="credit_edit"),
    path("credit/<int:account_pk>/propose/", views.credit_propose, name="credit_propose"),
    path(
        "credit/proposals/<int:pk>/<slug:decision>/",
        views.proposal_decide,
        name="proposal_decide",
    ),
    path(
        "credit/overrides/<slug:kind>/<int:pk>/request/",
        views.override_request,
        name="override_request",
    ),
    path(
        "credit/overrides/<int:pk>/<slug:decision>/",
        views.override_decide,
        name="override_decide",
    ),
]
