from rest_framework.routers import DefaultRouter

from . import ledger

router = DefaultRouter()

# ledger
router.register("commission-schemes", ledger.SchemeViewSet, basename="commission-scheme")
router.register("commission-periods", ledger.PeriodViewSet, basename="commission-period")
router.register("commission-statements", ledger.StatementViewSet, basename="commission-statement")
router.register("commission-entries", ledger.EntryViewSet, basename="commission-entry")
router.register("commission-disputes", ledger.DisputeViewSet, basename="commission-dispute")

urlpatterns = router.urls
