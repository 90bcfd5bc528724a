"""Bank statements (MT940, read by the `mt-940` package): each credit line becomes a payment
allocated to the invoices its title names, or waits in a queue for finance. Importing the same
statement twice adds nothing (each line has a unique reference)."""

import hashlib
import re
from decimal import Decimal

import mt940
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account
from team.models import User

from ..access import check_can_manage_money
from ..models import OPEN_INVOICE_STATUSES, BankLine, Invoice, PaymentSource
from .ledger import payment_allocate, payment_record
from .ledger_days import ledger_days_batched

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.]*[A-Za-z0-9]")


def _reference(line, *, date, amount: Decimal, title: str, n: int) -> str:
    bank = (line.data.get("bank_reference") or "").strip()
    if bank and bank.upper() != "NONREF":
        return f"MT940:{bank}"
    digest = hashlib.sha256(f"{date}|{amount}|{title}|{n}".encode()).hexdigest()[:24]
    return f"MT940:{digest}"


def bank_statement_import(*, actor: User, content: str) -> dict[str, int]:
    """Read an MT940 statement; return how many lines were matched, queued or already there."""
    check_can_manage_money(actor)
    try:
        lines = list(mt940.parse(content))
    except Exception as error:  # the parser raises many kinds on a damaged file
        raise ValidationError({"file": _("The statement could not be read: %s") % error}) from None
    if not lines:
        raise ValidationError(
            {"file": _("No transactions found in this file: is it an MT940 statement?")}
        )
    counts = {"matched": 0, "waiting": 0, "already there": 0}
    with transaction.atomic(), ledger_days_batched():
        for n, line in enumerate(lines):
            amount = line.data["amount"].amount
            if amount <= 0:
                continue  # our own payments out
            booked_on = line.data["date"]
            title = " ".join(str(line.data.get("transaction_details") or "").split())
            ref = _reference(line, date=booked_on, amount=amount, title=title, n=n)
            if BankLine.objects.filter(external_ref=ref).exists():
                counts["already there"] += 1
                continue
            bank_line = BankLine(
                external_ref=ref,
                booked_on=booked_on,
                amount=amount,
                currency=line.data["amount"].currency,
                title=title,
            )
            invoices = list(
                Invoice.objects.filter(
                    number__in=set(TOKEN.findall(title)),
                    currency=bank_line.currency,
                    status__in=OPEN_INVOICE_STATUSES,
                ).order_by("due_date", "pk")
            )
            if len({i.account_id for i in invoices}) == 1:
                bank_line.payment = _pay(actor=actor, bank_line=bank_line, invoices=invoices)
                bank_line.status = BankLine.Status.MATCHED
                counts["matched"] += 1
            else:
                counts["waiting"] += 1
            bank_line.full_clean()
            bank_line.save()
    return counts


def _pay(*, actor: User, bank_line: BankLine, invoices: list[Invoice], account=None):
    payment = payment_record(
        actor=actor,
        account=account or invoices[0].account,
        received_on=bank_line.booked_on,
        amount=bank_line.amount,
        currency=bank_line.currency,
        payer_reference=bank_line.title[:255],
        external_ref=bank_line.external_ref,
        source=PaymentSource.BANK,
    )
    left, chosen = payment.amount, []
    for invoice in invoices:
        share = min(left, invoice.open_amount)
        if share > 0:
            chosen.append((invoice, share))
            left -= share
    if chosen:
        payment_allocate(actor=actor, payment=payment, allocations=chosen)
    return payment


def bank_line_assign(*, actor: User, bank_line: BankLine, account: Account):
    """Finance says whose a waiting line is: it becomes that account's payment, to allocate."""
    check_can_manage_money(actor)
    with transaction.atomic():
        locked = BankLine.objects.select_for_update().get(pk=bank_line.pk)
        if locked.status != BankLine.Status.WAITING:
            raise ValidationError({"status": _("This line is already a payment.")})
        locked.payment = _pay(actor=actor, bank_line=locked, invoices=[], account=account)
        locked.status = BankLine.Status.ASSIGNED
        locked.save(update_fields=["payment", "status"])
    return locked
