"""Forms of the receivables pages: they parse input; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core.forms import DATE_INPUT
from core.money import CURRENCY_CHOICES
from team.models import User

from .models import (
    OPEN_INVOICE_STATUSES,
    CollectionAction,
    CreditNote,
    CreditProfile,
    Invoice,
    StatementAnswer,
    VatRate,
)

MONEY_INPUT = forms.NumberInput(attrs={"step": "0.01", "min": "0"})


class AccountLookupField(forms.CharField):
    """An account by its tax ID or (part of) its name, among those the user may see: a select
    of thousands of accounts would be no use to finance."""

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("label", _("Account (tax ID or name)"))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        visible = Account.objects.visible_to(self.user)
        exact = list(visible.filter(Q(tax_id__iexact=value) | Q(name__iexact=value))[:2])
        found = exact or list(visible.filter(name__icontains=value)[:2])
        if not found:
            raise forms.ValidationError(_("No account matches %(v)r.") % {"v": value})
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several accounts match %(v)r: give the tax ID or the full name.") % {"v": value}
            )
        return found[0]


class PaymentForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=0, widget=MONEY_INPUT
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES, initial="PLN")
    payer_reference = forms.CharField(label=_("Payer's reference"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_account = account
        if account is None:
            self.fields = {"account": AccountLookupField(user=user), **self.fields}
        self.fields["received_on"].initial = timezone.localdate()

    @property
    def account(self) -> Account:
        return self.fixed_account or self.cleaned_data["account"]


class AllocateForm(forms.Form):
    """One amount per open invoice of the payment's account; empty ones are left alone."""

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoices = {str(inv.pk): inv for inv in invoices}
        for pk, invoice in self.invoices.items():
            self.fields[f"invoice_{pk}"] = forms.DecimalField(
                label=invoice.number,
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=0,
                widget=MONEY_INPUT,
            )

    def rows(self):
        return [(inv, self[f"invoice_{pk}"]) for pk, inv in self.invoices.items()]

    def chosen(self):
        return [
            (self.invoices[name.removeprefix("invoice_")], amount)
            for name, amount in self.cleaned_data.items()
            if amount
        ]


class ReverseForm(forms.Form):
    reversed_on = forms.DateField(label=_("Reversed on"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Why"), max_length=255)


class CreditNoteForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=DATE_INPUT)
    reason = forms.ChoiceField(label=_("Reason"), choices=CreditNote.Reason.choices)
    net_amount = forms.DecimalField(
        label=_("Net amount credited"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=MONEY_INPUT,
    )
    vat_code = forms.ChoiceField(label=_("VAT"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vat_code"].choices = [
            (r.code, r.label) for r in VatRate.objects.filter(is_active=True)
        ]
        self.fields["issue_date"].initial = timezone.localdate()


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=255)


class CreditProposalForm(forms.Form):
    credit_limit = forms.DecimalField(
        label=_("Proposed credit limit"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=MONEY_INPUT,
    )
    currency = forms.CharField(label=_("Currency"), max_length=3)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalDecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False)


class CreditProfileForm(forms.ModelForm):
    why = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = CreditProfile
        fields = [
            "credit_limit",
            "currency",
            "payment_terms_days",
            "status",
            "last_review",
            "next_review",
        ]
        widgets = {
            "credit_limit": MONEY_INPUT,
            "last_review": DATE_INPUT,
            "next_review": DATE_INPUT,
            "currency": forms.Select(choices=CURRENCY_CHOICES),
        }


class OverrideRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it should go ahead"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CollectionActionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[
            (k, label)
            for k, label in CollectionAction.Kind.choices
            if k != CollectionAction.Kind.LEVEL
        ],
    )
    happened_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    promised_on = forms.DateField(
        label=_("Promised payment date"), required=False, widget=DATE_INPUT
    )
    promised_amount = forms.DecimalField(
        label=_("Promised amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=MONEY_INPUT,
    )
    hold_until = forms.DateField(label=_("Hold until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class AgingForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_INPUT)
    group_by = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[
            ("", _("Company")),
            ("territory", _("Territory")),
            ("kam", _("KAM")),
            ("account", _("Account")),
        ],
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"), choices=[("invoices", _("Invoices")), ("payments", _("Payments"))]
    )
    file = forms.FileField(label=_("CSV or XLSX file"))


class ImportConfirmForm(forms.Form):
    """The previewed file, carried back to be imported (nothing is stored in between)."""

    kind = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput)
    content = forms.CharField(widget=forms.HiddenInput)


class BankStatementForm(forms.Form):
    file = forms.FileField(label=_("MT940 statement"))


class BankLineAssignForm(forms.Form):
    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"] = AccountLookupField(user=user)


class StatementAnswerForm(forms.Form):
    as_of = forms.DateField(label=_("Statement as of"), widget=DATE_INPUT)
    answer = forms.ChoiceField(label=_("Their answer"), choices=StatementAnswer.Kind.choices)
    disputed_invoices = forms.ModelMultipleChoiceField(
        label=_("Invoices they dispute"),
        queryset=Invoice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What they said"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disputed_invoices"].queryset = Invoice.objects.filter(
            account=account, status__in=OPEN_INVOICE_STATUSES
        ).order_by("due_date")
