"""Collection: what was done to get paid (calls, letters, promises, disputes, holds)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from deals.models import Complaint
from team.models import User

from ..access import can_manage_money, check_can_log_collection
from ..models import CollectionAction, Invoice

Kind = CollectionAction.Kind


def collection_action_log(
    *,
    actor: User,
    account: Account,
    kind: str,
    happened_on: date,
    invoice: Invoice | None = None,
    note: str = "",
    promised_on: date | None = None,
    promised_amount: Decimal | None = None,
    hold_until: date | None = None,
    complaint: Complaint | None = None,
) -> CollectionAction:
    """Log a call, e-mail, letter, promise to pay, dispute or hold request on an account (and
    optionally one of its invoices).

    A promise needs a date and an amount. A dispute takes the invoice out of dunning until its
    complaint is resolved. A hold asked by the sales side waits for finance; finance's own hold
    applies at once.
    """
    check_can_log_collection(actor, account)
    if kind not in Kind.values or kind == Kind.LEVEL:
        raise ValidationError({"kind": _("Choose what was done.")})
    if invoice is not None and invoice.account_id != account.pk:
        raise ValidationError({"invoice": _("This is another account's invoice.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("This cannot have happened in the future.")})
    action = CollectionAction(
        account=account,
        invoice=invoice,
        kind=kind,
        happened_on=happened_on,
        note=note.strip(),
        by=actor,
    )
    if kind == Kind.PROMISE:
        if promised_on is None:
            raise ValidationError({"promised_on": _("When did they promise to pay?")})
        if promised_amount is None or promised_amount <= 0:
            raise ValidationError({"promised_amount": _("How much did they promise?")})
        action.promised_on, action.promised_amount = promised_on, promised_amount
        action.promise_state = CollectionAction.PromiseState.OPEN
    if kind in (Kind.DISPUTE, Kind.HOLD) and invoice is None:
        raise ValidationError({"invoice": _("Say which invoice.")})
    if kind == Kind.DISPUTE:
        if complaint is None or complaint.account_id != account.pk:
            raise ValidationError({"complaint": _("Link the account's complaint it is about.")})
        action.complaint = complaint
    if kind == Kind.HOLD:
        if hold_until is None or hold_until <= timezone.localdate():
            raise ValidationError({"hold_until": _("Give a date after today.")})
        action.hold_until = hold_until
        action.hold_state = (
            CollectionAction.HoldState.APPROVED
            if can_manage_money(actor)
            else CollectionAction.HoldState.REQUESTED
        )
    with transaction.atomic():
        action.save()
        if kind == Kind.DISPUTE:
            invoice.disputed = complaint
            invoice.save(update_fields=["disputed", "updated_at"])
        if action.hold_state == CollectionAction.HoldState.APPROVED:
            invoice.hold_until = hold_until
            invoice.save(update_fields=["hold_until", "updated_at"])
    return action
