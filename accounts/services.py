"""Writes to accounts and everything under them. Each function runs in one transaction."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from team import access
from team.models import User

from .models import Account, Competitor, Contact, ContactRelation, DossierNote

ACCOUNT_ASSIGNMENT_FIELDS = ("owner", "territory")
TAX_ID_TAKEN = {"tax_id": "Another account already has this tax ID."}


def _assign(instance, data: dict[str, Any]):
    for field, value in data.items():
        setattr(instance, field, value)
    return instance


def _check_owner(*, actor: User, account: Account, changed: Iterable[str] = ("owner",)) -> None:
    owner = account.owner
    if not access.owners_assignable_by(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "You cannot assign accounts to this person."})
    if owner.territory_id != account.territory_id:
        field = "owner" if "owner" in changed else "territory"
        raise ValidationError({field: f"{owner} works in another territory than this account's."})


def _save(instance, unique_error: dict[str, str]) -> None:
    """Save, turning a uniqueness race that passed full_clean() into a validation error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(unique_error) from None


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
        _save(account, TAX_ID_TAKEN)
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
    _assign(account, data)
    if changed:
        _check_owner(actor=actor, account=account, changed=changed)
    account.full_clean()
    with transaction.atomic():
        _save(account, TAX_ID_TAKEN)
        if competitors is not None:
            account.competitors.set(competitors)
    return account


def account_delete(*, actor: User, account: Account) -> None:
    if not access.account_can_delete(actor, account):
        raise PermissionDenied("Only a director or an admin can delete an account.")
    account.delete()


def _check_can_edit(actor: User, account: Account) -> None:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied("You may not change this account's dossier.")


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
    if from_contact.account_id != to_contact.account_id:
        raise ValidationError({"to_contact": "Both people must work at the same account."})
    relation = ContactRelation(
        from_contact=from_contact, to_contact=to_contact, kind=kind, note=note
    )
    relation.full_clean()
    _save(relation, {NON_FIELD_ERRORS: "This relation is already recorded."})
    return relation


def contact_relation_delete(*, actor: User, relation: ContactRelation) -> None:
    _check_can_edit(actor, relation.from_contact.account)
    relation.delete()
