from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
# plans
router.register("plans", views.SalesPlanViewSet, basename="salesplan")
router.register("fulfilment", views.FulfilmentViewSet, basename="fulfilment")
router.register("tier-history", views.TierChangeViewSet, basename="tierchange")
# end plans

urlpatterns = router.urls
