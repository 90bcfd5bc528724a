from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("health-scores", views.HealthScoreViewSet, basename="healthscore")
