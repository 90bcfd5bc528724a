"""Drill-downs below the cockpit's bars."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from receivables.models import CreditNote, Invoice, InvoiceStatus
from team.models import User

from .common import ZERO


@dataclass(frozen=True)
class AccountInvoiced:
    account_id: int
    name: str
    currency: str
    invoiced: Decimal


def kam_accounts(*, user: User, kam: User, start: date, end: date) -> list[AccountInvoiced]:
    """What each account invoiced in [start, end) credited to `kam` (net, less credit notes):
    two queries. The plan's fulfilment summed over these rows."""
    invoiced = (
        Invoice.objects.visible_to(user)
        .filter(credited_to=kam, issue_date__gte=start, issue_date__lt=end)
        .exclude(status=InvoiceStatus.CANCELLED)
        .values("account_id", "account__name", "currency")
        .annotate(s=Sum("net_total"))
        .order_by()
    )
    credited = (
        CreditNote.objects.filter(
            invoice__in=Invoice.objects.visible_to(user).values("pk"),
            invoice__credited_to=kam,
            issue_date__gte=start,
            issue_date__lt=end,
        )
        .values("account_id", "account__name", "currency")
        .annotate(s=Sum("net_amount"))
        .order_by()
    )
    totals: dict[tuple[int, str], Decimal] = {}
    names: dict[int, str] = {}
    for sign, rows in ((1, invoiced), (-1, credited)):
        for r in rows:
            key = (r["account_id"], r["currency"])
            totals[key] = totals.get(key, ZERO) + sign * r["s"]
            names[r["account_id"]] = r["account__name"]
    result = [
        AccountInvoiced(account_id, names[account_id], currency, amount)
        for (account_id, currency), amount in totals.items()
    ]
    return sorted(result, key=lambda r: (-r.invoiced, r.name))
