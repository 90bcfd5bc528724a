"""Writes to accounts and everything under them. Each function runs in one transaction."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.signals import HandedOver, account_handed_over
from team import access
from team.models import User

from .models import (
    Account,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)

ACCOUNT_ASSIGNMENT_FIELDS = ("owner", "territory")


def _assign(instance, data: dict[str, Any]):
    for field, value in data.items():
        setattr(instance, field, value)
    return instance


def _check_owner(*, actor: User, account: Account) -> None:
    if not access.owners_assignable_by(actor).filter(pk=account.owner_id).exists():
        raise ValidationError({"owner": "You cannot assign accounts to this person."})


def _save(instance) -> None:
    """Save; if a concurrent write broke a constraint after our full_clean(), validate again
    (the other row is now visible) so the user gets the field error, not a server error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        instance.full_clean()
        raise


def account_create(
    *, actor: User, data: dict[str, Any], competitors: Iterable[Competitor] = ()
) -> Account:
    if not access.can_create_account(actor):
        raise PermissionDenied("Your role cannot create accounts.")
    account = _assign(Account(), data)
    if actor.is_kam and not account.owner_id:
        account.owner = actor
    if account.owner_id and not account.territory_id:
        account.territory_id = account.owner.territory_id
    if not account.owner_id:
        raise ValidationError({"owner": "Choose the KAM who will own this account."})
    _check_owner(actor=actor, account=account)
    account.full_clean()
    with transaction.atomic():
        _save(account)
        account.competitors.set(competitors)
    return account


def account_update(
    *,
    actor: User,
    account: Account,
    data: dict[str, Any],
    competitors: Iterable[Competitor] | None = None,
) -> Account:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied("You may not change this account.")
    changed = [f for f in ACCOUNT_ASSIGNMENT_FIELDS if f in data and getattr(account, f) != data[f]]
    if changed and not access.account_can_reassign(actor, account):
        raise ValidationError(
            dict.fromkeys(changed, "Only a director or an admin can reassign an account.")
        )
    previous_owner_id = account.owner_id
    _assign(account, data)
    if changed:
        _check_owner(actor=actor, account=account)
    account.full_clean()
    with transaction.atomic():
        _save(account)
        if competitors is not None:
            account.competitors.set(competitors)
        if account.owner_id != previous_owner_id:
            account_hand_over(account=account, from_user_id=previous_owner_id, actor=actor)
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
        raise PermissionDenied("Only a director or an admin can delete an account.")
    account.delete()


def _check_can_edit(actor: User, account: Account) -> None:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied("You may not change this account's dossier.")


def account_financials_set(
    *, actor: User, account: Account, year: int, data: dict[str, Any]
) -> AccountFinancials:
    """Record a year's indicators, replacing what was recorded for that year."""
    _check_can_edit(actor, account)
    with transaction.atomic():
        row = (
            AccountFinancials.objects.select_for_update().filter(account=account, year=year).first()
        ) or AccountFinancials(account=account, year=year)
        _assign(row, data).full_clean()
        row.save()
    return row


def note_create(*, actor: User, account: Account, data: dict[str, Any]) -> DossierNote:
    _check_can_edit(actor, account)
    note = _assign(DossierNote(account=account, author=actor), data)
    note.full_clean()
    note.save()
    return note


def note_update(*, actor: User, note: DossierNote, data: dict[str, Any]) -> DossierNote:
    _check_can_edit(actor, note.account)
    _assign(note, data).full_clean()
    note.save()
    return note


def note_delete(*, actor: User, note: DossierNote) -> None:
    _check_can_edit(actor, note.account)
    note.delete()


def contact_create(*, actor: User, account: Account, data: dict[str, Any]) -> Contact:
    _check_can_edit(actor, account)
    contact = _assign(Contact(account=account), data)
    contact.full_clean()
    contact.save()
    return contact


def contact_update(*, actor: User, contact: Contact, data: dict[str, Any]) -> Contact:
    _check_can_edit(actor, contact.account)
    _assign(contact, data).full_clean()
    contact.save()
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
    _check_can_edit(actor, from_contact.account)
    relation = ContactRelation(
        from_contact=from_contact, to_contact=to_contact, kind=kind, note=note
    )
    relation.full_clean()
    _save(relation)
    return relation


def contact_relation_delete(*, actor: User, relation: ContactRelation) -> None:
    _check_can_edit(actor, relation.from_contact.account)
    relation.delete()
