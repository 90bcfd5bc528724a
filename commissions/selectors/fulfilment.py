"""What a KAM has invoiced against their plan; the one source for commissions' plan multiplier,
the fulfilment pages and the dashboards."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from core.money import money_round
from receivables.models import CreditNote, Invoice, InvoiceStatus

from ..models import SalesPlan

ZERO = Decimal("0")


@dataclass(frozen=True)
class Fulfilment:
    currency: str
    target: Decimal
    invoiced_net: Decimal

    @property
    def ratio(self) -> Decimal | None:
        """Invoiced net over the target (1 = 100 %); None without a target to measure by."""
        return self.invoiced_net / self.target if self.target > 0 else None


def invoiced_net(*, kam_id: int, start: date, end: date, currency: str) -> Decimal:
    """Net invoiced in [start, end) credited to the KAM, less the credit notes issued in the
    same days against their invoices, in one currency. Two queries."""
    invoiced = (
        Invoice.objects.filter(
            credited_to_id=kam_id, currency=currency, issue_date__gte=start, issue_date__lt=end
        )
        .exclude(status=InvoiceStatus.CANCELLED)
        .aggregate(total=Sum("net_total"))["total"]
    )
    credited = CreditNote.objects.filter(
        invoice__credited_to_id=kam_id,
        currency=currency,
        issue_date__gte=start,
        issue_date__lt=end,
    ).aggregate(total=Sum("net_amount"))["total"]
    return money_round((invoiced or ZERO) - (credited or ZERO))


def invoiced_fulfilment(*, kam_id: int, start: date, end: date) -> Fulfilment | None:
    """The KAM's invoiced fulfilment of the plan months in [start, end) (first days of months),
    in the plans' currency; None when they have no plan for those months."""
    plans = SalesPlan.objects.filter(kam_id=kam_id, month__gte=start, month__lt=end)
    # A KAM is planned in one currency (the plans grid keeps it so).
    totals = plans.values("currency").annotate(target=Sum("revenue_target")).order_by("currency")
    row = next(iter(totals[:1]), None)
    if row is None:
        return None
    return Fulfilment(
        currency=row["currency"],
        target=row["target"],
        invoiced_net=invoiced_net(kam_id=kam_id, start=start, end=end, currency=row["currency"]),
    )
