"""Reads for the account pages and API: ready querysets with a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from team import access
from team.models import User

from .influence_map import InfluenceMap, influence_map_build
from .models import Account, AccountFinancials, Contact, ContactRelation


def accounts_for_listing(*, user: User) -> QuerySet[Account]:
    return (
        Account.objects.visible_to(user)
        .select_related("owner", "territory")
        .only(
            "id",
            "name",
            "tax_id",
            "industry",
            "city",
            "status",
            "tier",
            "potential_amount",
            "currency",
            "updated_at",
            "territory_id",
            "owner_id",
            "territory__name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
    )


@dataclass(frozen=True)
class Dossier:
    account: Account
    financials: list[AccountFinancials]
    contacts: list[Contact]
    relations: list[ContactRelation]
    influence_map: InfluenceMap
    can_edit: bool
    can_reassign: bool
    can_delete: bool
    can_see_private_notes: bool


def account_dossier(*, user: User, account: Account) -> Dossier:
    """Everything the account page shows, in five queries after the account itself."""
    private = access.is_sales(user)
    account = (
        Account.objects.filter(pk=account.pk)
        .select_related("owner", "territory")
        .prefetch_related(
            "competitors",
            Prefetch("financials", queryset=AccountFinancials.objects.order_by("-year")),
        )
        .get()
    )
    contacts = list(account.contacts.all())
    relations = list(
        ContactRelation.objects.filter(from_contact__account=account).select_related(
            "from_contact", "to_contact"
        )
    )
    return Dossier(
        account=account,
        financials=list(account.financials.all()),
        contacts=contacts,
        relations=relations,
        influence_map=influence_map_build(contacts=contacts, relations=relations),
        can_edit=access.account_can_edit(user, account),
        can_reassign=access.account_can_reassign(user, account),
        can_delete=access.account_can_delete(user, account),
        can_see_private_notes=private,
    )
