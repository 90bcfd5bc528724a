from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("credit-notes", views.CreditNoteViewSet, basename="creditnote")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("credit-limits", views.CreditProfileViewSet, basename="creditprofile")
router.register("collection-actions", views.CollectionActionViewSet, basename="collectionaction")

urlpatterns = [path("aging/", views.AgingView.as_view(), name="api-aging")]
