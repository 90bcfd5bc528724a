from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Account, Competitor, Contact
from core.api import ScopedPrimaryKeyField, VersionedSerializerMixin
from core.money import MONEY
from team import access

from ..models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    Offer,
    OfferLine,
    Order,
    OrderLine,
    Product,
    Return,
)

MONEY_READ = {**MONEY, "read_only": True}


class ProductSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "category",
            "category_name",
            "unit",
            "list_price",
            "unit_cost",
            "currency",
            "is_active",
        ]


class DealSerializer(serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = ScopedPrimaryKeyField(access.owners_assignable_by, required=False)
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    competitor = serializers.SlugRelatedField(
        slug_field="name", queryset=Competitor.objects.all(), required=False, allow_null=True
    )
    probability = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_(
            "Send back the version you read when you change a deal: if someone saved it "
            "since, the change is refused with 409."
        ),
    )

    class Meta:
        model = Deal
        fields = [
            "id",
            "account",
            "account_name",
            "owner",
            "owner_name",
            "title",
            "stage",
            "amount",
            "currency",
            "expected_margin",
            "probability",
            "expected_close_date",
            "competitor",
            "next_step",
            "lost_reason",
            "closed_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["closed_on", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is None:
            return attrs
        errors = {}
        if "version" not in attrs:
            errors["version"] = "Send the version of the deal you read (409 if it changed since)."
        if "stage" in attrs and attrs["stage"] != self.instance.stage:
            errors["stage"] = "Move a deal through POST /api/v1/deals/{id}/move/."
        if "account" in attrs and attrs["account"].pk != self.instance.account_id:
            errors["account"] = "A deal cannot move to another account."
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        for key in ("account", "version"):
            data.pop(key, None)
        return data


class DealMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=DealStage.choices)
    lost_reason = serializers.CharField(required=False, allow_blank=True, default="")
    from_stage = serializers.ChoiceField(
        choices=DealStage.choices,
        required=False,
        help_text=_("The stage you saw the deal in; if it moved since, 409."),
    )


class OfferLineSerializer(serializers.ModelSerializer):
    offer = ScopedPrimaryKeyField(Offer.objects.visible_to)
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    discount = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, default=0
    )
    margin = serializers.DecimalField(**MONEY_READ)

    class Meta:
        model = OfferLine
        fields = [
            "id",
            "offer",
            "product",
            "quantity",
            "discount",
            "list_price",
            "unit_cost",
            "net_price",
            "line_total",
            "line_cost",
            "margin",
        ]
        read_only_fields = ["list_price", "unit_cost", "net_price", "line_total", "line_cost"]

    def validate_offer(self, offer):
        if self.instance is not None and offer.pk != self.instance.offer_id:
            raise serializers.ValidationError(_("A line cannot move to another offer."))
        return offer


class NestedOfferLineSerializer(OfferLineSerializer):
    class Meta(OfferLineSerializer.Meta):
        fields = [f for f in OfferLineSerializer.Meta.fields if f != "offer"]

    offer = None


class OfferSerializer(serializers.ModelSerializer):
    deal = ScopedPrimaryKeyField(Deal.objects.visible_to)
    lines = NestedOfferLineSerializer(
        many=True, required=False, help_text=_("On creation only; later through /offer-lines/.")
    )
    number = serializers.CharField(read_only=True)
    total = serializers.DecimalField(**MONEY_READ)
    cost = serializers.DecimalField(**MONEY_READ)
    margin = serializers.DecimalField(**MONEY_READ)
    valid_until = serializers.DateField(required=False)

    class Meta:
        model = Offer
        fields = [
            "id",
            "deal",
            "number",
            "version",
            "status",
            "currency",
            "valid_until",
            "terms",
            "lines",
            "total",
            "cost",
            "margin",
            "approval_reason",
            "submitted_at",
            "submitted_by",
            "decided_by",
            "decided_at",
            "decision_comment",
            "sent_at",
            "closed_at",
            "created_by",
            "created_at",
            "revision",
            "checked_tier",
            "checked_limits",
        ]
        read_only_fields = [
            "revision",
            "checked_tier",
            "checked_limits",
            "version",
            "status",
            "approval_reason",
            "submitted_at",
            "submitted_by",
            "decided_by",
            "decided_at",
            "decision_comment",
            "sent_at",
            "closed_at",
            "created_by",
            "created_at",
        ]
        validators = []  # the version number is the service's to give

    def validate(self, attrs):
        if self.instance is not None:
            errors = {}
            if "lines" in attrs:
                errors["lines"] = "Change lines through /api/v1/offer-lines/."
            if "deal" in attrs and attrs["deal"].pk != self.instance.deal_id:
                errors["deal"] = "An offer cannot move to another deal."
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(
        min_value=1,
        help_text=_(
            "The offer's `revision` the decision is about; 409 with `current_version` "
            "if the offer changed since."
        ),
    )


class StatusSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=20)


class ObligationSerializer(serializers.ModelSerializer):
    contract = ScopedPrimaryKeyField(Contract.objects.visible_to)

    class Meta:
        model = ContractObligation
        fields = ["id", "contract", "party", "kind", "description", "due_date", "done_on"]

    def validate_contract(self, contract):
        if self.instance is not None and contract.pk != self.instance.contract_id:
            raise serializers.ValidationError(_("An obligation cannot move to another contract."))
        return contract


class NestedObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractObligation
        fields = ["id", "party", "kind", "description", "due_date", "done_on"]


class StaysOnAccount:
    def validate_account(self, account):
        if self.instance is not None and account.pk != self.instance.account_id:
            name = self.Meta.model._meta.verbose_name
            raise serializers.ValidationError(
                _("A %(name)s cannot move to another account.") % {"name": name}
            )
        return account


class ContractSerializer(StaysOnAccount, VersionedSerializerMixin, serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    account_name = serializers.CharField(source="account.name", read_only=True)
    deal = ScopedPrimaryKeyField(Deal.objects.visible_to, required=False, allow_null=True)
    obligations = NestedObligationSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "account",
            "account_name",
            "deal",
            "number",
            "signed_on",
            "start_date",
            "end_date",
            "value",
            "currency",
            "payment_terms_days",
            "renewal",
            "status",
            "notes",
            "obligations",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]
        validators = []  # the end-after-start rule is the model's, checked by the service


class OrderLineSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    unit_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Leave out for the list price."),
    )

    class Meta:
        model = OrderLine
        fields = ["id", "product", "quantity", "unit_price", "line_total"]
        read_only_fields = ["line_total"]


class OrderSerializer(StaysOnAccount, VersionedSerializerMixin, serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    account_name = serializers.CharField(source="account.name", read_only=True)
    contract = ScopedPrimaryKeyField(Contract.objects.visible_to, required=False, allow_null=True)
    lines = OrderLineSerializer(many=True, required=False, help_text=_("On creation only."))
    total = serializers.DecimalField(**MONEY_READ)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "account",
            "account_name",
            "contract",
            "reference",
            "currency",
            "requested_date",
            "promised_date",
            "delivered_date",
            "status",
            "note",
            "lines",
            "total",
            "is_late",
            "prices_approved_by",
            "created_at",
            "version",
        ]
        read_only_fields = ["delivered_date", "status", "prices_approved_by", "created_at"]

    def validate(self, attrs):
        if self.instance is not None and "lines" in attrs:
            raise serializers.ValidationError(
                {"lines": _("Lines are given when the order is created.")}
            )
        return attrs


class DeliverySerializer(serializers.Serializer):
    delivered_date = serializers.DateField(required=False)


class ReturnSerializer(serializers.ModelSerializer):
    order_line = ScopedPrimaryKeyField(OrderLine.objects.visible_to)
    order = serializers.IntegerField(source="order_line.order_id", read_only=True)
    account = serializers.IntegerField(source="order_line.order.account_id", read_only=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    returned_on = serializers.DateField(required=False)

    class Meta:
        model = Return
        fields = [
            "id",
            "order_line",
            "order",
            "account",
            "quantity",
            "reason",
            "returned_on",
            "note",
            "value",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["value", "recorded_by", "created_at"]


class ComplaintSerializer(StaysOnAccount, VersionedSerializerMixin, serializers.ModelSerializer):
    account = ScopedPrimaryKeyField(Account.objects.visible_to)
    contact = ScopedPrimaryKeyField(Contact.objects.visible_to, required=False, allow_null=True)
    opened_on = serializers.DateField(required=False)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "account",
            "contact",
            "subject",
            "description",
            "severity",
            "status",
            "resolution",
            "opened_on",
            "resolved_on",
            "created_by",
            "created_at",
            "version",
        ]
        read_only_fields = ["status", "resolution", "resolved_on", "created_by", "created_at"]


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
