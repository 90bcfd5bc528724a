"""Writes to accounts and everything under them. Each function runs in one transaction."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.services import model_update
from core.signals import HandedOver, account_handed_over
from team import access
from team.models import User

from .models import (
    Account,
    AccountEvent,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)

ACCOUNT_ASSIGNMENT_FIELDS = ("owner", "territory")
# The tier sets the discounts a KAM may give alone, so the KAM does not set it.
ACCOUNT_TIER_REFUSAL = "Only a director or an admin changes an account's tier."


# What a user may write on each record (model_update's allow-lists).
ACCOUNT_FIELDS = (
    "name",
    "legal_name",
    "tax_id",
    "industry",
    "segment",
    "status",
    "tier",
    "territory",
    "owner",
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
    "billing_contact",
)
FINANCIALS_FIELDS = ("revenue", "profit", "employees", "currency")
NOTE_FIELDS = ("noted_on", "source", "text")
CONTACT_FIELDS = (
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
)


def _check_owner(*, actor: User, account: Account) -> None:
    if not access.owners_assignable_by(actor).filter(pk=account.owner_id).exists():
        raise ValidationError({"owner": _("You cannot assign accounts to this person.")})


def account_create(
    *, actor: User, data: dict[str, Any], competitors: Iterable[Competitor] = ()
) -> Account:
    if not access.can_create_account(actor):
        raise PermissionDenied(_("Your role cannot create accounts."))

    def check(account: Account) -> None:
        if actor.is_kam and account.tier != Account._meta.get_field("tier").default:
            raise ValidationError({"tier": ACCOUNT_TIER_REFUSAL})
        if actor.is_kam and not account.owner_id:
            account.owner = actor
        if account.owner_id and not account.territory_id:
            account.territory_id = account.owner.territory_id
        if not account.owner_id:
            raise ValidationError({"owner": _("Choose the KAM who will own this account.")})
        _check_owner(actor=actor, account=account)

    with transaction.atomic():
        account, _new = model_update(
            instance=Account(), fields=ACCOUNT_FIELDS, data=data, check=check
        )
        account.competitors.set(competitors)
        _created_event(account, actor=actor)
    return account


def _created_event(account: Account, *, actor: User) -> AccountEvent:
    return _event(
        account,
        AccountEvent.Kind.CREATED,
        actor=actor,
        to_user=account.owner,
        to_value=str(account.owner),
    )


def _event(account: Account, kind: str, *, actor: User, **fields: Any) -> AccountEvent:
    return AccountEvent.objects.create(
        account_id=account.pk, account_name=account.name, kind=kind, actor=actor, **fields
    )


def account_update(
    *,
    actor: User,
    account: Account,
    data: dict[str, Any],
    competitors: Iterable[Competitor] | None = None,
    version: int | None = None,
) -> Account:
    """Save `data` onto `account`; with the `version` the input was made from, a save from a
    copy someone has changed since is refused (EditConflict) rather than writing it back."""
    if not access.account_can_edit(actor, account):
        raise PermissionDenied(_("You may not change this account."))
    changed = [f for f in ACCOUNT_ASSIGNMENT_FIELDS if f in data and getattr(account, f) != data[f]]
    if changed and not access.account_can_reassign(actor, account):
        raise ValidationError(
            dict.fromkeys(changed, "Only a director or an admin can reassign an account.")
        )
    if (
        "tier" in data
        and data["tier"] != account.tier
        and not access.account_can_reassign(actor, account)
    ):
        raise ValidationError({"tier": ACCOUNT_TIER_REFUSAL})
    before = Account(owner=account.owner, territory=account.territory, tier=account.tier)

    def check(account: Account) -> None:
        if changed:
            _check_owner(actor=actor, account=account)

    with transaction.atomic():
        model_update(
            instance=account, fields=ACCOUNT_FIELDS, data=data, check=check, version=version
        )
        if competitors is not None:
            account.competitors.set(competitors)
        _record_changes(actor=actor, before=before, account=account)
    return account


def _record_changes(*, actor: User, before: Account, account: Account) -> None:
    """The trail of an update: reassignment (with the work handed over), territory, tier."""
    if account.owner_id != before.owner_id:
        _event(
            account,
            AccountEvent.Kind.REASSIGNED,
            actor=actor,
            from_user=before.owner,
            to_user=account.owner,
            from_value=str(before.owner),
            to_value=str(account.owner),
        )
        for moved in account_hand_over(account=account, from_user_id=before.owner_id, actor=actor):
            if moved.count:
                _event(
                    account,
                    AccountEvent.Kind.HANDED_OVER,
                    actor=actor,
                    from_user=before.owner,
                    to_user=account.owner,
                    detail=f"{moved.count} {moved.what}",
                )
    if account.territory_id != before.territory_id:
        _event(
            account,
            AccountEvent.Kind.TERRITORY_CHANGED,
            actor=actor,
            from_value=str(before.territory),
            to_value=str(account.territory),
        )
    if account.tier != before.tier:
        _event(
            account,
            AccountEvent.Kind.TIER_CHANGED,
            actor=actor,
            from_value=before.get_tier_display(),
            to_value=account.get_tier_display(),
        )


def account_admin_saved(*, actor: User, account: Account, before: Account | None) -> None:
    """The trail of an account saved in the admin (which bypasses the services): created, or
    reassigned (with its open work handed over), moved to another territory, re-tiered."""
    if before is None:
        _created_event(account, actor=actor)
    else:
        _record_changes(actor=actor, before=before, account=account)


def account_admin_deleted(*, actor: User, account: Account) -> None:
    _event(account, AccountEvent.Kind.DELETED, actor=actor, from_user=account.owner)


def account_tier_set(
    *, account: Account, tier: str, actor: User | None, detail: str = ""
) -> Account:
    """Set the tier alone, with its trail row: the ABC classification (commissions; `actor`
    None for the nightly run) or a director's manual tier. A person needs the right to change
    tiers (a director of the territory or an admin)."""
    if actor is not None and not access.account_can_reassign(actor, account):
        raise ValidationError({"tier": ACCOUNT_TIER_REFUSAL})
    if tier not in Account.Tier.values:
        raise ValidationError({"tier": _("Choose tier A, B or C.")})
    if tier == account.tier:
        return account
    before = account.get_tier_display()
    with transaction.atomic():
        # A new version too, so a profile page opened before the change cannot write the old
        # tier back without seeing the conflict (core.concurrency).
        Account.objects.filter(pk=account.pk).update(
            tier=tier, version=F("version") + 1, updated_at=timezone.now()
        )
        account.refresh_from_db(fields=["tier", "version", "updated_at"])
        _event(
            account,
            AccountEvent.Kind.TIER_CHANGED,
            actor=actor,
            from_value=before,
            to_value=account.get_tier_display(),
            detail=detail[:255],
        )
    return account


def account_hand_over(*, account: Account, from_user_id: int, actor: User) -> list[HandedOver]:
    """Every app with open work on `account` hands it from `from_user_id` to the account's new
    owner (core.signals.account_handed_over); what each moved, for the account's history.
    Call it inside the transaction that changes the owner."""
    responses = account_handed_over.send(
        sender=Account,
        account=account,
        from_user_id=from_user_id,
        to_user_id=account.owner_id,
        actor=actor,
    )
    return [moved for _, moved in responses if moved is not None]


def account_delete(*, actor: User, account: Account) -> None:
    if not access.account_can_delete(actor, account):
        raise PermissionDenied(_("Only a director or an admin can delete an account."))
    with transaction.atomic():
        _event(account, AccountEvent.Kind.DELETED, actor=actor, from_user=account.owner)
        account.delete()


def _check_can_edit(actor: User, account: Account) -> None:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied(_("You may not change this account's dossier."))


def account_financials_set(
    *, actor: User, account: Account, year: int, data: dict[str, Any]
) -> AccountFinancials:
    """Record a year's indicators, replacing what was recorded for that year."""
    _check_can_edit(actor, account)
    with transaction.atomic():
        row = (
            AccountFinancials.objects.select_for_update().filter(account=account, year=year).first()
        ) or AccountFinancials(account=account, year=year)
        model_update(instance=row, fields=FINANCIALS_FIELDS, data=data)
    return row


def note_create(*, actor: User, account: Account, data: dict[str, Any]) -> DossierNote:
    _check_can_edit(actor, account)
    note, _ = model_update(
        instance=DossierNote(account=account, author=actor), fields=NOTE_FIELDS, data=data
    )
    return note


def note_update(*, actor: User, note: DossierNote, data: dict[str, Any]) -> DossierNote:
    _check_can_edit(actor, note.account)
    model_update(instance=note, fields=NOTE_FIELDS, data=data)
    return note


def note_delete(*, actor: User, note: DossierNote) -> None:
    _check_can_edit(actor, note.account)
    note.delete()


def contact_create(*, actor: User, account: Account, data: dict[str, Any]) -> Contact:
    _check_can_edit(actor, account)
    contact, _ = model_update(instance=Contact(account=account), fields=CONTACT_FIELDS, data=data)
    return contact


def contact_update(
    *, actor: User, contact: Contact, data: dict[str, Any], version: int | None = None
) -> Contact:
    _check_can_edit(actor, contact.account)
    model_update(instance=contact, fields=CONTACT_FIELDS, data=data, version=version)
    return contact


def contact_delete(*, actor: User, contact: Contact) -> None:
    _check_can_edit(actor, contact.account)
    contact.delete()


def contact_relation_create(
    *,
    actor: User,
    from_contact: Contact,
    to_contact: Contact,
    kind: str,
    note: str = "",
) -> ContactRelation:
    """Record that `from_contact` relates to `to_contact`. The account's row is locked while
    the relation is checked and written, so two relations written at the same instant (X
    reports to Y and Y to X; a tie and its mirror image) are judged one after the other: the
    reporting-cycle and symmetric-duplicate rules hold under races, not only one at a time."""
    _check_can_edit(actor, from_contact.account)
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=from_contact.account_id).first()
        relation, _ = model_update(
            instance=ContactRelation(from_contact=from_contact, to_contact=to_contact),
            fields=("kind", "note"),
            data={"kind": kind, "note": note},
        )
    return relation


def contact_relation_delete(*, actor: User, relation: ContactRelation) -> None:
    _check_can_edit(actor, relation.from_contact.account)
    relation.delete()
