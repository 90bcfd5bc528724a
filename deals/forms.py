from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.forms import DATE_INPUT, VersionedFormMixin
from core.pickers import use_picker
from team import access
from team.models import User

from .models import (
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    Offer,
    Order,
    OrderLine,
    Product,
    Return,
)

# Decimal inputs: the browser may step in cents; the server validates and rounds.
MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0"})
QUANTITY_INPUT = forms.NumberInput(attrs={"step": "any", "min": "0"})


def _account_field_set(form: forms.ModelForm, *, user: User, account: Account | None):
    """The record's account: the one given, or the saved record's; failing both, the user
    picks one of the accounts they may change. Returns it (None while it is to be picked)."""
    account = account or (form.instance.account if form.instance.pk else None)
    if account is not None:
        del form.fields["account"]
    else:
        form.fields["account"].queryset = Account.objects.editable_by(user).only("name")
        use_picker(form.fields["account"], "accounts:pick")
    return account


def _account_record_picker(field: forms.Field, url_name: str, account: Account | None) -> None:
    """A picker of one account's records (a contract's deal, an order's contract, a
    complaint's person): the given account's, or, while the account is still to be picked,
    those of the account chosen above it. The service refuses a record of another account."""
    if account is not None:
        use_picker(field, url_name, params={"account": account.pk})
    else:
        use_picker(field, url_name, depends=("account",))


class DealForm(VersionedFormMixin, forms.ModelForm):
    """A deal's details. Account on creation only; owner for those who may reassign; the
    stage on creation only (later moves go through the move form, into the stage history)."""

    class Meta:
        model = Deal
        fields = [
            "account",
            "owner",
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
        ]
        widgets = {
            "expected_close_date": DATE_INPUT,
            "amount": MONEY_INPUT,
            "expected_margin": MONEY_INPUT,
            "lost_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"probability": _("Leave empty for the stage's default.")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["probability"].required = False
        editing = self.instance.pk is not None
        if editing:
            del self.fields["account"]
            del self.fields["stage"]
            if self.instance.stage != DealStage.LOST:
                del self.fields["lost_reason"]
            may_assign = access.account_can_reassign(user, self.instance.account)
        else:
            self.fields["account"].queryset = Account.objects.editable_by(user).only("name")
            use_picker(self.fields["account"], "accounts:pick")
            self.fields["stage"].required = False
            self.fields["lost_reason"].help_text = _("Required when the deal is created as lost.")
            may_assign = user.is_director or user.is_admin_role
        if may_assign:
            self.fields["owner"].queryset = access.owners_assignable_by(user)
            use_picker(self.fields["owner"], "pick_owners")
            self.fields["owner"].required = False
            self.fields["owner"].help_text = _("Leave empty for the account's owner.")
        else:
            del self.fields["owner"]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("account", "version")}
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class DealMoveForm(forms.Form):
    stage = forms.ChoiceField(choices=DealStage.choices)
    from_stage = forms.ChoiceField(
        choices=DealStage.choices, required=False, widget=forms.HiddenInput
    )
    lost_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required when lost.")
    )


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["valid_until", "currency", "terms"]
        widgets = {"valid_until": DATE_INPUT, "terms": forms.Textarea(attrs={"rows": 3})}


class OfferLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none())
    quantity = forms.DecimalField(
        max_digits=12, decimal_places=3, min_value=0, widget=QUANTITY_INPUT
    )
    discount = forms.DecimalField(
        label=_("Discount (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            is_active=True, currency=currency
        ).select_related("category")
        use_picker(self.fields["product"], "deals:pick_products", params={"currency": currency})


class OfferLineChangeForm(forms.Form):
    quantity = forms.DecimalField(
        max_digits=12, decimal_places=3, min_value=0, widget=QUANTITY_INPUT
    )
    discount = forms.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)


class DecisionForm(forms.Form):
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The offer's revision the director is looking at: a decision on a changed offer is refused.
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ContractForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "account",
            "deal",
            "number",
            "signed_on",
            "start_date",
            "end_date",
            "value",
            "currency",
            "payment_terms_days",
            "renewal",
            "notes",
        ]
        widgets = {
            "signed_on": DATE_INPUT,
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "value": MONEY_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        account = _account_field_set(self, user=user, account=account)
        deals = Deal.objects.visible_to(user).only("title", "account_id")
        self.fields["deal"].queryset = deals.filter(account=account) if account else deals
        _account_record_picker(self.fields["deal"], "deals:pick_deals", account)


class ObligationForm(forms.ModelForm):
    class Meta:
        model = ContractObligation
        fields = ["party", "kind", "description", "due_date"]
        widgets = {"due_date": DATE_INPUT}


class OrderForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Order
        fields = [
            "account",
            "contract",
            "reference",
            "currency",
            "requested_date",
            "promised_date",
            "note",
        ]
        widgets = {
            "requested_date": DATE_INPUT,
            "promised_date": DATE_INPUT,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        account = _account_field_set(self, user=user, account=account)
        contracts = Contract.objects.visible_to(user).only("number", "account_id")
        self.fields["contract"].queryset = (
            contracts.filter(account=account) if account else contracts
        )
        _account_record_picker(self.fields["contract"], "deals:pick_contracts", account)


class OrderLineForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none())
    quantity = forms.DecimalField(
        max_digits=12, decimal_places=3, min_value=0, widget=QUANTITY_INPUT
    )
    unit_price = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=MONEY_INPUT,
        help_text=_("Leave empty for the list price."),
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(
            is_active=True, currency=currency
        ).select_related("category")
        use_picker(self.fields["product"], "deals:pick_products", params={"currency": currency})


class DeliveredForm(forms.Form):
    delivered_date = forms.DateField(widget=DATE_INPUT)


class ReturnForm(forms.ModelForm):
    order_line = forms.ModelChoiceField(queryset=OrderLine.objects.none(), label=_("Line"))

    class Meta:
        model = Return
        fields = ["order_line", "quantity", "reason", "returned_on", "note"]
        widgets = {
            "returned_on": DATE_INPUT,
            "quantity": QUANTITY_INPUT,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, order: Order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_line"].queryset = order.lines.select_related("product")
        self.fields["returned_on"].required = False


class ComplaintForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["account", "contact", "subject", "description", "severity", "opened_on"]
        widgets = {"opened_on": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        account = _account_field_set(self, user=user, account=account)
        people = Contact.objects.visible_to(user).only("first_name", "last_name", "account_id")
        self.fields["contact"].queryset = people.filter(account=account) if account else people
        _account_record_picker(self.fields["contact"], "accounts:pick_contacts", account)
        self.fields["opened_on"].required = False


class ResolveForm(forms.Form):
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    status = forms.CharField(max_length=20)


def account_from_query(user: User, value) -> Account | None:
    """The account named by `?account=` if the user may add records to it, else None."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 1 <= pk < 2**63:
        return None
    return Account.objects.editable_by(user).filter(pk=pk).first()
