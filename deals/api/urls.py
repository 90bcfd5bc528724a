from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("deals", views.DealViewSet, basename="deal")
router.register("offers", views.OfferViewSet, basename="offer")
router.register("offer-lines", views.OfferLineViewSet, basename="offerline")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("contract-obligations", views.ObligationViewSet, basename="contractobligation")
router.register("orders", views.OrderViewSet, basename="order")
router.register("returns", views.ReturnViewSet, basename="return")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
