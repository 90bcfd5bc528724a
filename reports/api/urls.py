from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("report-jobs", views.ReportJobViewSet, basename="reportjob")
