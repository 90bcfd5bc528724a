"""Reads for the account pages and API: ready querysets with a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from core.localtime import local_midnight
from team import access
from team.models import User

from .influence_map import InfluenceMap, influence_map_build
from .models import Account, AccountEvent, AccountFinancials, Contact, ContactRelation

EVENTS_SHOWN = 20
# What the account page's head and profile read beside the account: a caller that reads the
# account with `select_related(*DOSSIER_RELATED)` saves the dossier reading it again.
DOSSIER_RELATED = ("owner", "territory", "billing_contact")


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
    events: list[AccountEvent]
    can_edit: bool
    can_reassign: bool
    can_delete: bool
    can_see_private_notes: bool


def account_dossier(*, user: User, account: Account) -> Dossier:
    """Everything the account page shows, in five queries after the account itself (six when
    the account was read without `DOSSIER_RELATED`)."""
    private = access.is_sales(user)
    if not all(Account._meta.get_field(name).is_cached(account) for name in DOSSIER_RELATED):
        account = Account.objects.select_related(*DOSSIER_RELATED).get(pk=account.pk)
    prefetch_related_objects(
        [account],
        "competitors",
        Prefetch("financials", queryset=AccountFinancials.objects.order_by("-year")),
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
        events=list(
            AccountEvent.objects.filter(account_id=account.pk).select_related("actor")[
                :EVENTS_SHOWN
            ]
        ),
        can_edit=access.account_can_edit(user, account),
        can_reassign=access.account_can_reassign(user, account),
        can_delete=access.account_can_delete(user, account),
        can_see_private_notes=private,
    )


# The events that change the owner: from_user before, to_user after (None once deleted).
_OWNERSHIP = (AccountEvent.Kind.CREATED, AccountEvent.Kind.REASSIGNED, AccountEvent.Kind.DELETED)


def account_owner_on(*, account_id: int, on: date) -> int | None:
    """The id of the KAM who owned the account at the end of `on` (a local date), from its
    trail, also for a deleted account; None before it was created or after it was deleted.
    Before the first event of an account older than its trail, the owner that event
    started from; with no event at all, its owner. At most three queries."""
    end = local_midnight(on + timedelta(days=1), timezone.get_current_timezone())
    changes = AccountEvent.objects.filter(account_id=account_id, kind__in=_OWNERSHIP)
    last = changes.filter(at__lt=end).order_by("-at", "-pk").values_list("to_user_id").first()
    if last:
        return last[0]
    first = changes.order_by("at", "pk").values_list("from_user_id").first()
    if first:
        return first[0]
    return Account.objects.filter(pk=account_id).values_list("owner_id", flat=True).first()
