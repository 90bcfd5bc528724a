from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_INPUT, VersionedFormMixin
from core.pickers import use_picker
from team import access
from team.models import Territory, User

from .models import Account, AccountFinancials, Contact, ContactRelation, DossierNote
from .services import ACCOUNT_FIELDS


class AccountForm(VersionedFormMixin, forms.ModelForm):
    """Account profile. Owner and territory appear only for those who may reassign."""

    class Meta:
        model = Account
        fields = [*ACCOUNT_FIELDS, "competitors"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 4}),
            "development_plans": forms.Textarea(attrs={"rows": 4}),
            "competitors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a contact of this account; a new account has none yet
            self.fields["billing_contact"].queryset = Contact.objects.filter(
                account=self.instance
            ).order_by("last_name", "first_name")
        else:
            del self.fields["billing_contact"]
        may_assign = user.is_admin_role or user.is_director
        if self.instance.pk:
            may_assign = access.account_can_reassign(user, self.instance)
        if may_assign:
            self.fields["owner"].queryset = access.owners_assignable_by(user)
            use_picker(self.fields["owner"], "pick_owners")
            territories = Territory.objects.all()
            if user.is_director:
                territories = territories.filter(pk=user.territory_id)
            self.fields["territory"].queryset = territories
            if not self.instance.pk:
                self.fields["territory"].required = False
                self.fields["territory"].help_text = _("Leave empty to use the owner's territory.")
        else:
            del self.fields["owner"]
            del self.fields["territory"]
            self.fields["tier"].disabled = True
            self.fields["tier"].help_text = _(
                "Set by the director: it decides the discounts you may give."
            )

    def clean_tax_id(self):
        # Blank means "not known": stored as NULL so the uniqueness rule ignores it.
        return (self.cleaned_data.get("tax_id") or "").strip() or None

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("competitors", None)
        data.pop("version", None)
        if data.get("territory") is None:
            data.pop("territory", None)
        return data


class AccountFinancialsForm(forms.ModelForm):
    """One year's indicators; entering a year already recorded replaces it."""

    class Meta:
        model = AccountFinancials
        fields = ["year", "revenue", "profit", "employees", "currency"]
        help_texts = {"year": _("A year already recorded is replaced.")}

    def validate_unique(self):
        pass  # an existing year is replaced by the service, not refused


class DossierNoteForm(forms.ModelForm):
    class Meta:
        model = DossierNote
        fields = ["noted_on", "source", "text"]
        widgets = {"noted_on": DATE_INPUT, "text": forms.Textarea(attrs={"rows": 4})}


class ContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "position",
            "department",
            "email",
            "phone",
            "decision_role",
            "is_vip",
            "is_kol",
            "influence",
            "attitude",
            "relationship_stage",
            "preferred_channel",
            "languages",
            "birthday",
            "personal_notes",
        ]
        widgets = {
            "birthday": DATE_INPUT,
            "personal_notes": forms.Textarea(attrs={"rows": 3}),
            "influence": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }


class ContactRelationForm(forms.ModelForm):
    class Meta:
        model = ContactRelation
        fields = ["from_contact", "kind", "to_contact", "note"]

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        people = Contact.objects.filter(account=account).only("first_name", "last_name")
        for name in ("from_contact", "to_contact"):
            self.fields[name].queryset = people
            use_picker(self.fields[name], "accounts:pick_contacts", params={"account": account.pk})
        self.fields["from_contact"].label = "Person"
        self.fields["to_contact"].label = "Other person"
