"""One FilterSet per listable model, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ANY, IdFilter, OwnerFilter, SearchFilter, StableOrderingFilterSet
from core.pickers import PickerSelect
from team import access
from team.models import Territory

from .models import Account, Contact, ContactRelation, DossierNote


class AccountFilterSet(StableOrderingFilterSet):
    q = SearchFilter(fields=["name", "legal_name", "tax_id"])
    tier = django_filters.MultipleChoiceFilter(
        choices=[(tier, tier) for tier in Account.Tier.values],
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Account.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    territory = django_filters.ModelChoiceFilter(queryset=Territory.objects.all(), empty_label=ANY)
    owner = OwnerFilter(owners=access.owners_visible_to, widget=PickerSelect("pick_owners"))
    industry = django_filters.CharFilter(lookup_expr="icontains")
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("tier", "tier"),
            ("status", "status"),
            ("potential_amount", "potential"),
            ("owner__last_name", "owner"),
            ("territory__name", "territory"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Account
        fields = ["q", "tier", "status", "territory", "owner", "industry"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        # Offer only choices that can narrow the user's scope: a KAM's accounts are all
        # theirs, and a director's all in one territory.
        if user is not None and user.is_kam:
            del self.filters["owner"]
        if user is not None and (user.is_kam or user.is_director):
            del self.filters["territory"]


# Plain numbers, not model choices: a choice filter would answer "invalid choice" for ids that
# do not exist and so reveal which out-of-scope ids do.
class DossierNoteFilterSet(StableOrderingFilterSet):
    account = IdFilter()
    noted_after = django_filters.DateFilter(field_name="noted_on", lookup_expr="gte")
    noted_before = django_filters.DateFilter(field_name="noted_on", lookup_expr="lte")

    class Meta:
        model = DossierNote
        fields = ["account", "source"]


class ContactFilterSet(StableOrderingFilterSet):
    q = SearchFilter(fields=["first_name", "last_name", "email", "position"])
    account = IdFilter()

    class Meta:
        model = Contact
        fields = [
            "account",
            "decision_role",
            "attitude",
            "relationship_stage",
            "is_vip",
            "is_kol",
        ]


class ContactRelationFilterSet(StableOrderingFilterSet):
    account = IdFilter(field_name="from_contact__account")
    contact = IdFilter(method="involving")
    from_contact = IdFilter()
    to_contact = IdFilter()

    class Meta:
        model = ContactRelation
        fields = ["account", "kind", "from_contact", "to_contact"]

    def involving(self, queryset, name, value):
        return queryset.filter(Q(from_contact=value) | Q(to_contact=value))
