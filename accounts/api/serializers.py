from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ScopedPrimaryKeyField, VersionedSerializerMixin
from team import access

from ..models import Account, AccountFinancials, Competitor, Contact, ContactRelation, DossierNote
from ..services import CONTACT_FIELDS


class StaysOnItsAccount:
    """A record under an account is created there and never moves to another one."""

    def validate_account(self, account):
        if self.instance is not None and account.pk != self.instance.account_id:
            name = self.Meta.model._meta.verbose_name
            raise serializers.ValidationError(
                _("A %(name)s cannot move to another account.") % {"name": name}
            )
        return account


class FullNameField(serializers.CharField):
    """A person's full name, read-only, from the user `source` names. DRF's
    `source="owner.get_full_name"` inspects the method's signature for every row (a third of
    the account list's serialising)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return value.get_full_name()


class AccountFinancialsSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountFinancials
        fields = ["year", "revenue", "profit", "employees", "currency"]


class AccountSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    owner = ScopedPrimaryKeyField(access.owners_assignable_by, required=False)
    owner_name = FullNameField(source="owner")
    territory_name = serializers.CharField(source="territory.name", read_only=True)
    competitors = serializers.SlugRelatedField(
        slug_field="name", many=True, queryset=Competitor.objects.all(), required=False
    )
    financials = AccountFinancialsSerializer(many=True, read_only=True)
    tax_id = serializers.CharField(max_length=32, required=False, allow_null=True, allow_blank=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "legal_name",
            "tax_id",
            "industry",
            "segment",
            "territory",
            "territory_name",
            "owner",
            "owner_name",
            "status",
            "tier",
            "website",
            "address",
            "postal_code",
            "city",
            "country",
            "potential_amount",
            "currency",
            "share_of_wallet",
            "needs",
            "development_plans",
            "competitors",
            "financials",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"territory": {"required": False}}
        read_only_fields = ["created_at", "updated_at"]

    def validate_tax_id(self, value):
        return (value or "").strip() or None

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        data.pop("competitors", None)
        data.pop("version", None)
        return data


class DossierNoteSerializer(StaysOnItsAccount, serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    author = serializers.PrimaryKeyRelatedField(read_only=True)
    author_name = FullNameField(source="author")

    class Meta:
        model = DossierNote
        fields = [
            "id",
            "account",
            "noted_on",
            "source",
            "text",
            "author",
            "author_name",
            "created_at",
        ]


class ContactSerializer(StaysOnItsAccount, VersionedSerializerMixin, serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)

    class Meta:
        model = Contact
        fields = ["id", "account", *CONTACT_FIELDS, "version", "created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not access.is_sales(self.context["request"].user):
            data.pop("personal_notes", None)
        return data


class ContactRelationSerializer(serializers.ModelSerializer):
    from_contact = ScopedPrimaryKeyField(Contact.objects.visible_to)
    to_contact = ScopedPrimaryKeyField(Contact.objects.visible_to)
    account = serializers.IntegerField(source="from_contact.account_id", read_only=True)

    class Meta:
        model = ContactRelation
        fields = ["id", "account", "from_contact", "kind", "to_contact", "note", "created_at"]
        validators = []  # uniqueness and same-account rules are the service's job
