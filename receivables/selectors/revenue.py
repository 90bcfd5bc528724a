"""What an account was invoiced, net of VAT and of credit notes, month by month: the account's
side of the plan-vs-actual figures (commissions.selectors.fulfilment does the KAM's)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from accounts.models import Account
from core.money import money_round

from ..models import CreditNote, Invoice, InvoiceStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class MonthRevenue:
    month: date  # the first day
    currency: str
    invoiced: Decimal  # net
    credited: Decimal  # net of the credit notes issued that month

    @property
    def net(self) -> Decimal:
        return self.invoiced - self.credited


def account_invoiced_by_month(*, account: Account, start: date, end: date) -> list[MonthRevenue]:
    """Net invoiced and credited per month and currency in [start, end), months with neither
    left out. Two grouped queries."""
    invoiced = (
        Invoice.objects.filter(account=account, issue_date__gte=start, issue_date__lt=end)
        .exclude(status=InvoiceStatus.CANCELLED)
        .annotate(month=TruncMonth("issue_date"))
        .values("month", "currency")
        .annotate(s=Sum("net_total"))
        .order_by()
    )
    credited = (
        CreditNote.objects.filter(account=account, issue_date__gte=start, issue_date__lt=end)
        .annotate(month=TruncMonth("issue_date"))
        .values("month", "currency")
        .annotate(s=Sum("net_amount"))
        .order_by()
    )
    figures: dict[tuple[date, str], list[Decimal]] = {}
    for index, rows in enumerate((invoiced, credited)):
        for row in rows:
            key = (row["month"], row["currency"])
            figures.setdefault(key, [ZERO, ZERO])[index] = money_round(row["s"], row["currency"])
    return [
        MonthRevenue(month=month, currency=currency, invoiced=amounts[0], credited=amounts[1])
        for (month, currency), amounts in sorted(figures.items())
    ]
