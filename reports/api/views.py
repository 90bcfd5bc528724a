from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import ReportStatus
from ..selectors import report_job_for_download, report_job_get_for_user, report_jobs_visible_to
from .serializers import ReportJobCreateSerializer, ReportJobSerializer


class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your report jobs. POST asks for one (202: it is prepared in the background); poll the
    job until `status` is `done`, then GET `download/`. A failed job can be `retry`-ed."""

    serializer_class = ReportJobSerializer

    def get_queryset(self):
        return report_jobs_visible_to(self.request.user)

    def get_object(self):
        return report_job_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=ReportJobCreateSerializer, responses={202: ReportJobSerializer})
    def create(self, request):
        payload = ReportJobCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = services.report_job_request(
            actor=request.user,
            kind=payload.validated_data["kind"],
            data=payload.validated_data["parameters"],
            email_when_done=payload.validated_data["email_when_done"],
        )
        body = self.get_serializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ReportJobSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = services.report_job_retry(actor=request.user, job=self.get_object())
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 409: None})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ReportStatus.DONE:
            return Response(
                {"detail": _("The report is not ready."), "status": job.status},
                status=status.HTTP_409_CONFLICT,
            )
        job = report_job_for_download(request.user, pk)
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.filename,
            content_type=job.content_type,
        )
