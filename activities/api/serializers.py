from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Account, Contact
from core.api import ScopedPrimaryKeyField

from ..access import activity_owners_for
from ..forms import FOLLOW_UP_TYPES
from ..models import Activity, ActivityType, Notification


@extend_schema_field(OpenApiTypes.INT)
class ContactIdField(ScopedPrimaryKeyField):
    """A contact's id among the contacts the user may see (typed for the schema)."""

    def __init__(self, **kwargs):
        super().__init__(Contact.objects.visible_to, **kwargs)


# Set by the services (outcome, follow-ups, assignment), never written through this serializer.
RECORDED_FIELDS = [
    "assigned_by",
    "status",
    "outcome",
    "next_step",
    "next_step_due",
    "follow_up_of",
    "completed_at",
    "created_at",
    "updated_at",
]
KEEPS_ACCOUNT_AND_OWNER = "An activity keeps its account and owner; cancel it and plan another."


class ActivitySerializer(serializers.ModelSerializer):
    """An activity as the API shows it, and the fields a client may set when planning."""

    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = ScopedPrimaryKeyField(activity_owners_for, required=False)
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    contacts = ContactIdField(many=True, required=False)
    ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "type",
            "account",
            "account_name",
            "owner",
            "owner_name",
            "contacts",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "place",
            "purpose",
            *RECORDED_FIELDS,
        ]
        read_only_fields = RECORDED_FIELDS

    def validate(self, attrs):
        if self.instance is not None:
            for field in ("account", "owner"):
                if field in attrs and attrs[field].pk != getattr(self.instance, f"{field}_id"):
                    raise serializers.ValidationError({field: KEEPS_ACCOUNT_AND_OWNER})
        return attrs


class ActivityCompleteSerializer(serializers.Serializer):
    """What came of the activity; a next step with a due date becomes a follow-up."""

    outcome = serializers.CharField()
    next_step = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    next_step_due = serializers.DateField(required=False, allow_null=True, default=None)
    next_step_type = serializers.ChoiceField(
        choices=FOLLOW_UP_TYPES, required=False, default=ActivityType.TASK
    )
    contacts = ContactIdField(many=True, required=False)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "subject_type",
            "subject_id",
            "occasion",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(read_only=True)
