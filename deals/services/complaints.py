"""Writes to complaints."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.services import model_update, save_validated
from core.status import status_move
from team import access
from team.models import User

from ..models import (
    Complaint,
)
from .common import _check_can_edit, _fill

COMPLAINT_FIELDS = ("contact", "subject", "description", "severity", "opened_on")


def complaint_open(*, actor: User, account: Account, data: dict[str, Any]) -> Complaint:
    _check_can_edit(actor, account, "complaints")
    complaint = _fill(Complaint(account=account, created_by=actor), COMPLAINT_FIELDS, data)
    if not complaint.opened_on:
        complaint.opened_on = timezone.localdate()
    _check_contact(complaint.contact, account)
    return save_validated(complaint)


def _check_contact(contact: Contact | None, account: Account) -> None:
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": _("Choose a person who works at this account.")})


def complaint_update(
    *, actor: User, complaint: Complaint, data: dict[str, Any], version: int | None = None
) -> Complaint:
    _check_can_edit(actor, complaint.account, "complaints")
    return model_update(
        instance=complaint,
        fields=COMPLAINT_FIELDS,
        data=data,
        version=version,
        check=lambda c: _check_contact(c.contact, c.account),
    )[0]


def complaint_move(*, actor: User, complaint: Complaint, to_status: str) -> Complaint:
    """Start work on a complaint or reopen it (resolving has its own service)."""
    _check_can_edit(actor, complaint.account, "complaints")
    if to_status == Complaint.Status.RESOLVED:
        return complaint_resolve(actor=actor, complaint=complaint, resolution=complaint.resolution)
    return status_move(complaint, by=actor, to=to_status, resolved_on=None)


def complaint_resolve(
    *, actor: User, complaint: Complaint, resolution: str, resolved_on: date | None = None
) -> Complaint:
    _check_can_edit(actor, complaint.account, "complaints")
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the complaint was resolved.")})
    return status_move(
        complaint,
        by=actor,
        to=Complaint.Status.RESOLVED,
        resolution=resolution.strip(),
        resolved_on=resolved_on or timezone.localdate(),
    )


def complaint_delete(*, actor: User, complaint: Complaint) -> None:
    if not access.account_can_reassign(actor, complaint.account):
        raise PermissionDenied(_("Only a director or an admin can delete a complaint."))
    complaint.delete()
