"""Helpers shared by the deals services."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core.services import model_update
from team import access
from team.models import User


def _fill(instance: Model, fields: tuple[str, ...], data: dict[str, Any] | None) -> Model:
    """A new record with the allow-listed `fields` of `data`, not yet validated or saved."""
    return model_update(instance=instance, fields=fields, data=data or {}, save=False)[0]


def _lines_total(lines) -> Decimal:
    """A document's total for the credit check (lines are rounded once when priced)."""
    return sum(lines.values_list("line_total", flat=True), Decimal(0))


def _check_can_edit(actor: User, account: Account, what: str) -> None:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied(_("You may not change this account's %(what)s.") % {"what": what})


def _check_same_account(*, account: Account, field: str, record: Model | None) -> None:
    if record is not None and record.account_id != account.pk:
        raise ValidationError({field: _("Choose one of this account's own.")})
