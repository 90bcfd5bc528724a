from django.utils import timezone
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


class AccountRowSerializer(serializers.BaseSerializer):
    """An account of the list from a plain row (`ACCOUNT_ROW_COLUMNS`), written as
    `AccountSerializer` writes it: the same keys in the same order, the same values.

    DRF's field machinery costs ~30 calls per field and row (attribute lookup, None checks, a
    `ManyRelatedField` and a nested serializer per account), most of the list's time; here
    each field is one expression. Amounts go through DRF's own `DecimalField`. Reads only:
    the schema, the detail and every write keep `AccountSerializer`, and a test compares the
    list with the detail byte for byte. `context` holds each account's competitors' names
    and its years of financials (rows of `FINANCIALS_ROW_COLUMNS`), by account id.
    """

    def to_representation(self, instance):
        row = instance
        zone = timezone.get_current_timezone()
        pk = row["id"]
        return {
            "id": pk,
            "name": row["name"],
            "legal_name": row["legal_name"],
            "tax_id": row["tax_id"],
            "industry": row["industry"],
            "segment": row["segment"],
            "territory": row["territory"],
            "territory_name": row["territory__name"],
            "owner": row["owner"],
            # As User.get_full_name (AbstractUser's) writes it.
            "owner_name": f"{row['owner__first_name']} {row['owner__last_name']}".strip(),
            "status": row["status"],
            "tier": row["tier"],
            "website": row["website"],
            "address": row["address"],
            "postal_code": row["postal_code"],
            "city": row["city"],
            "country": row["country"],
            "potential_amount": _amount(_POTENTIAL, row["potential_amount"]),
            "currency": row["currency"],
            "share_of_wallet": _amount(_SHARE, row["share_of_wallet"]),
            "needs": row["needs"],
            "development_plans": row["development_plans"],
            "competitors": self.context["competitors"].get(pk, []),
            "financials": [
                {
                    "year": year,
                    "revenue": _amount(_FIGURE, revenue),
                    "profit": _amount(_FIGURE, profit),
                    "employees": employees,
                    "currency": currency,
                }
                for year, revenue, profit, employees, currency in self.context["financials"].get(
                    pk, ()
                )
            ],
            "version": row["version"],
            "created_at": _moment(row["created_at"], zone),
            "updated_at": _moment(row["updated_at"], zone),
        }


# AccountSerializer's fields read as columns, with the names beside the ids and without the
# lists, which are read apart.
ACCOUNT_ROW_COLUMNS = (
    *(
        name
        for name in AccountSerializer.Meta.fields
        if name not in {"territory_name", "owner_name", "competitors", "financials"}
    ),
    "territory__name",
    "owner__first_name",
    "owner__last_name",
)
FINANCIALS_ROW_COLUMNS = tuple(AccountFinancialsSerializer.Meta.fields)

# The model fields' digits, as ModelSerializer builds their DecimalFields.
_POTENTIAL = serializers.DecimalField(max_digits=14, decimal_places=2)
_SHARE = serializers.DecimalField(max_digits=5, decimal_places=2)
_FIGURE = serializers.DecimalField(max_digits=16, decimal_places=2)


def _amount(field, value):
    return None if value is None else field.to_representation(value)


def _moment(value, zone):
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as "Z"."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


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
