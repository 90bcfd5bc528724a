from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import registry
from ..models import ReportJob


class ReportJobCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=64, help_text=_("e.g. account_brief, commercial_offer"))
    parameters = serializers.DictField(
        help_text=_('What the kind needs, e.g. {"account": 12} or {"offer": 40}.')
    )
    email_when_done = serializers.BooleanField(default=False)


class ReportJobSerializer(serializers.ModelSerializer):
    kind_title = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "kind_title",
            "title",
            "parameters",
            "status",
            "progress",
            "failure_reason",
            "attempts",
            "filename",
            "content_type",
            "size",
            "content_hash",
            "as_of",
            "email_when_done",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_kind_title(self, job: ReportJob) -> str:
        return str(registry.kind_title(job.kind))

    def get_download_url(self, job: ReportJob) -> str | None:
        if job.status != ReportJob.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("reportjob-download", args=[job.pk])
        )
