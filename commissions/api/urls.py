from rest_framework.routers import DefaultRouter

from . import ledger, views

router = DefaultRouter()
# plans
router.register("plans", views.SalesPlanViewSet, basename="salesplan")
router.register("fulfilment", views.FulfilmentViewSet, basename="fulfilment")
router.register("tier-history", views.TierChangeViewSet, basename="tierchange")
# end plans

# ledger
router.register("commission-schemes", ledger.SchemeViewSet, basename="commission-scheme")
router.register("commission-periods", ledger.PeriodViewSet, basename="commission-period")
router.register("commission-statements", ledger.StatementViewSet, basename="commission-statement")
router.register("commission-entries", ledger.EntryViewSet, basename="commission-entry")
router.register("commission-disputes", ledger.DisputeViewSet, basename="commission-dispute")

urlpatterns = router.urls
