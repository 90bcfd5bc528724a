"""The commission arithmetic over receivables' documents: what each invoice line, payment
allocation and credit note earns or claws back, for a period.

The size of a sale is the deal an invoice traces back to (invoice → order → contract → deal,
or invoice → contract → deal), else the invoice itself. Its lines are taken in invoice order
(issue date, invoice, line); each earns "the sale's rounded commission on its cumulative base
after the line, less the same before it", so however a sale is split into invoices, its parts
add up to the whole to the cent.

An invoice's commission is the sum of its lines'. Earned on invoice: each line is an entry in
the invoice's month; a credit note claws back the share of what the invoice earned that it
credits. Earned on payment: each allocation earns the share of the invoice's commission it
pays (again as a difference of rounded cumulative figures); a reversal, or a credit note taking
a payment back, is a negative allocation and reverses what that payment earned, at the
multiplier it earned it with.

`period_rows_compute` returns the entries a period should hold; `periods.period_calculate`
writes them. Nothing here writes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import F, Q

from core.money import money_round
from receivables.models import Allocation, CreditNote, Invoice, InvoiceLine, InvoiceStatus

from ..models import (
    CANCEL_KEY,
    CommissionEntry,
    CommissionPeriod,
    EntryKind,
    InvoiceCancellation,
    PeriodStatus,
)
from ..selectors.fulfilment import fulfilment_by_kam
from .schemes import (
    HUNDRED,
    ONE,
    ZERO,
    RuleBook,
    Rules,
    Slice,
    bracket_commission,
    bracket_slices,
    multiplier_for,
)


def month_end(month: date) -> date:
    """The first day of the month after `month`."""
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_of(day: date) -> date:
    return day.replace(day=1)


def commission_delta(rules: Rules, before: Decimal, after: Decimal, currency: str) -> Decimal:
    """What a sale earns as its base grows from `before` to `after`: the rounded commission on
    `after` less the rounded commission on `before` (so the parts of a sale add up)."""
    return money_round(bracket_commission(rules, after), currency) - money_round(
        bracket_commission(rules, before), currency
    )


def base_of(rules: Rules, *, net: Decimal, cost: Decimal) -> Decimal:
    return net - cost if rules.basis == "margin" else net


def sale_key(*, invoice_id: int, deal_via_order: int | None, deal_via_contract: int | None):
    deal = deal_via_order or deal_via_contract
    return f"deal:{deal}" if deal else f"invoice:{invoice_id}"


@dataclass
class LineResult:
    line_id: int
    invoice_id: int
    sale_key: str
    rules: Rules | None
    base: Decimal
    base_before: Decimal
    slices: list[Slice]
    commission: Decimal


@dataclass
class SaleBook:
    """The invoices asked for, and what each of their lines earns in its sale (three
    queries)."""

    invoices: dict[int, Invoice] = field(default_factory=dict)
    lines: dict[int, LineResult] = field(default_factory=dict)
    by_invoice: dict[int, list[LineResult]] = field(default_factory=dict)
    # Per sale, the cumulative (net, margin) of its lines so far: for an offer's what-if.
    sale_totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def invoice_commission(self, invoice_id: int) -> Decimal:
        return sum((r.commission for r in self.by_invoice.get(invoice_id, [])), ZERO)

    def invoice_rules(self, invoice_id: int) -> Rules | None:
        results = self.by_invoice.get(invoice_id)
        return results[0].rules if results else None


def counted(prefix: str = "") -> Q:
    """Invoices the ledger computes: all but those cancelled without a cancellation record
    (cancelled before commissions kept one: they never earned). A recorded cancellation keeps
    the invoice's lines and payments in the sale and claws their commission back on its date."""
    return ~Q(**{f"{prefix}status": InvoiceStatus.CANCELLED}) | Q(
        **{f"{prefix}commission_cancellation__isnull": False}
    )


def _with_deal(queryset):
    return queryset.annotate(
        deal_via_order=F("order__contract__deal_id"), deal_via_contract=F("contract__deal_id")
    )


def salebook_load(*, book: RuleBook, invoice_ids=(), deal_ids=()) -> SaleBook:
    """Every line of the sales that `invoice_ids` belong to (and of the deals `deal_ids`);
    what each line of `invoice_ids` earns. The other invoices of those sales only add to the
    sale's cumulative base, so they are read as plain values and earn nothing here."""
    sales = SaleBook()
    targets = list(
        _with_deal(Invoice.objects.filter(pk__in=list(invoice_ids))).values_list(
            "pk", "deal_via_order", "deal_via_contract"
        )
    )
    wanted = {pk for pk, _a, _b in targets}
    deals = {d for _pk, a, b in targets for d in (a or b,) if d} | set(deal_ids)
    alone = {pk for pk, a, b in targets if not (a or b)}
    invoices = list(
        _with_deal(
            Invoice.objects.filter(
                Q(pk__in=alone)
                | Q(order__contract__deal_id__in=deals)
                | Q(contract__deal_id__in=deals)
            ).filter(counted())
        )
        .annotate(credited_territory=F("credited_to__territory_id"))
        .order_by("issue_date", "pk")
    )
    sales.invoices = {i.pk: i for i in invoices if i.pk in wanted}
    lines_by_invoice: dict[int, list[tuple]] = defaultdict(list)
    for line in (
        InvoiceLine.objects.filter(invoice_id__in=[i.pk for i in invoices])
        .order_by("pk")
        .values_list("pk", "invoice_id", "net_amount", "cost_amount")
    ):
        lines_by_invoice[line[1]].append(line)
    cumulative: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for invoice in invoices:
        key = sale_key(
            invoice_id=invoice.pk,
            deal_via_order=invoice.deal_via_order,
            deal_via_contract=invoice.deal_via_contract,
        )
        totals = cumulative[key]
        if invoice.pk not in wanted:
            for _pk, _invoice_id, net, cost in lines_by_invoice[invoice.pk]:
                totals[0] += net
                totals[1] += net - cost
            continue
        rules = (
            book.rules_for(
                kam_id=invoice.credited_to_id,
                territory_id=invoice.credited_territory,
                on=invoice.issue_date,
            )
            if invoice.credited_to_id is not None
            else None
        )
        index = 1 if rules is not None and rules.basis == "margin" else 0
        results = sales.by_invoice.setdefault(invoice.pk, [])
        for line_id, _invoice_id, net, cost in lines_by_invoice[invoice.pk]:
            margin = net - cost
            before = totals[index]
            base = margin if index else net
            totals[0] += net
            totals[1] += margin
            if rules is None:
                result = LineResult(line_id, invoice.pk, key, None, base, before, [], ZERO)
            else:
                result = LineResult(
                    line_id,
                    invoice.pk,
                    key,
                    rules,
                    base,
                    before,
                    bracket_slices(rules, before, before + base),
                    commission_delta(rules, before, before + base, invoice.currency),
                )
            sales.lines[line_id] = result
            results.append(result)
    sales.sale_totals = {k: (v[0], v[1]) for k, v in cumulative.items()}
    return sales


def share_delta(total: Decimal, before: Decimal, after: Decimal, whole: Decimal, currency: str):
    """The rounded share `after/whole` of `total` less the rounded share `before/whole`."""
    if not whole:
        return ZERO
    return money_round(total * after / whole, currency) - money_round(
        total * before / whole, currency
    )


@dataclass
class Fulfilled:
    percent: Decimal | None  # shown, 2 places, rounded down (69.99 % is not 70 %)
    ratio: Decimal | None


class Multipliers:
    """The plan multiplier of each KAM in a period, by their period's invoiced fulfilment
    (`fulfilment_by_kam`, the figure the fulfilment pages show), read for many KAMs at once."""

    def __init__(self, *, start: date, end: date):
        self.start, self.end = start, end
        self._fulfilled: dict[int, Fulfilled] = {}

    def load(self, kam_ids) -> None:
        """Read the fulfilment of every KAM of `kam_ids` not read yet, in one go."""
        missing = sorted(set(kam_ids) - set(self._fulfilled))
        if not missing:
            return
        for row in fulfilment_by_kam(kam_ids=missing, start=self.start, end=self.end):
            target = row.revenue_target
            ratio = row.invoiced / target if target > 0 else None
            percent = (
                None if ratio is None else (ratio * HUNDRED).quantize(Decimal("0.01"), ROUND_DOWN)
            )
            self._fulfilled[row.kam_id] = Fulfilled(percent=percent, ratio=ratio)
        for kam_id in missing:  # not a user any more
            self._fulfilled.setdefault(kam_id, Fulfilled(percent=None, ratio=None))

    def fulfilled(self, kam_id: int) -> Fulfilled:
        self.load([kam_id])
        return self._fulfilled[kam_id]

    def factor(self, kam_id: int, rules: Rules) -> tuple[Decimal, Decimal | None]:
        fulfilled = self.fulfilled(kam_id)
        factor, _band = multiplier_for(rules, fulfilled.ratio)
        return factor, fulfilled.percent


def _slices_json(slices) -> list[dict]:
    return [s.as_json() for s in slices]


ALLOCATION_FIELDS = (
    "pk",
    "invoice_id",
    "payment_id",
    "amount",
    "effective_on",
    "reversal_id",
    "credit_note_id",
)


def period_rows_compute(
    *, period: CommissionPeriod, book: RuleBook, multipliers: "Multipliers | None" = None
) -> dict[str, dict]:
    """The computed (earned and clawback) entries `period` should hold, by source key.

    Sources dated in the period, and sources dated in an earlier closed period that no period
    holds yet (a payment booked after its month was closed): those land in this period.
    """
    start, end = period.month, month_end(period.month)
    closed = CommissionPeriod.objects.filter(
        month__lt=start, status__in=[PeriodStatus.CLOSED, PeriodStatus.PAID]
    )
    closed_months = {p.month: p.closed_at for p in closed}
    first_late = min(closed_months.values(), default=None)

    def window(date_field: str):
        q = Q(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        if first_late is not None:
            q |= Q(**{f"{date_field}__lt": start, "created_at__gte": first_late})
        return q

    def in_scope(day: date) -> bool:
        return start <= day < end or month_of(day) in closed_months

    credited = Q(invoice__credited_to__isnull=False) & counted("invoice__")
    invoices = [
        i
        for i in Invoice.objects.filter(
            window("issue_date"), counted(), credited_to__isnull=False
        ).only("pk", "issue_date")
        if in_scope(i.issue_date)
    ]
    allocations = [
        a
        for a in Allocation.objects.filter(window("effective_on"), credited).only(
            "pk", "effective_on", "invoice_id"
        )
        if in_scope(a.effective_on)
    ]
    credit_notes = [
        c
        for c in CreditNote.objects.filter(window("issue_date"), credited).only(
            "pk", "issue_date", "invoice_id"
        )
        if in_scope(c.issue_date)
    ]
    cancellations = [
        c
        for c in InvoiceCancellation.objects.filter(
            window("on_date"), invoice__credited_to__isnull=False
        )
        if in_scope(c.on_date)
    ]
    touched = {i.pk for i in invoices} | {a.invoice_id for a in allocations}
    touched |= {c.invoice_id for c in credit_notes} | {c.invoice_id for c in cancellations}
    sales = salebook_load(book=book, invoice_ids=touched)
    multipliers = multipliers or Multipliers(start=start, end=end)
    multipliers.load({i.credited_to_id for i in sales.invoices.values()} - {None})

    # What each invoice's allocations and credit notes were, in order, to share its commission.
    all_allocations: dict[int, list[Allocation]] = defaultdict(list)
    # Read as named rows, not model instances: thousands a month, only these fields used.
    for a in (
        Allocation.objects.filter(invoice_id__in=touched)
        .order_by("effective_on", "pk")
        .values_list(*ALLOCATION_FIELDS, named=True)
    ):
        all_allocations[a.invoice_id].append(a)
    all_credits: dict[int, list[CreditNote]] = defaultdict(list)
    for c in (
        CreditNote.objects.filter(invoice_id__in=touched)
        .order_by("issue_date", "pk")
        .values_list("pk", "invoice_id", "issue_date", "net_amount", "number", named=True)
    ):
        all_credits[c.invoice_id].append(c)
    # What is entered already, in other periods: late sources not yet held anywhere, the
    # multiplier a payment earned with, what an invoice earned.
    elsewhere = list(
        CommissionEntry.objects.filter(invoice_id__in=touched)
        .exclude(period=period)
        .exclude(kind=EntryKind.ADJUSTMENT)
        .values(
            "pk",
            "period__status",
            "source_key",
            "invoice_id",
            "invoice_line_id",
            "allocation_id",
            "multiplier",
            "amount",
            "kind",
            "kam_id",
            "account_id",
            "scheme_version_id",
            "sale_key",
            "currency",
            "base",
            "base_before",
            "commission",
            "fulfilment",
        )
    )
    held = {e["source_key"] for e in elsewhere}

    rows: dict[str, dict] = {}

    # Earned on invoice: one entry per line.
    for invoice in invoices:
        for result in sales.by_invoice.get(invoice.pk, []):
            key = f"line:{result.line_id}"
            if result.rules is None or result.rules.earned_on != "invoice" or key in held:
                continue
            inv = sales.invoices[invoice.pk]
            factor, percent = multipliers.factor(inv.credited_to_id, result.rules)
            rows[key] = _row(
                kind=EntryKind.EARNED,
                invoice=inv,
                on_date=inv.issue_date,
                rules=result.rules,
                sale=result.sale_key,
                base=result.base,
                base_before=result.base_before,
                slices=_slices_json(result.slices),
                commission=result.commission,
                factor=factor,
                percent=percent,
                invoice_line_id=result.line_id,
                stream=result.sale_key,
            )

    # What each payment's allocations earned (amount and multiplier), to reverse it exactly.
    earned_with: dict[int, Decimal] = {
        e["allocation_id"]: e["multiplier"] for e in elsewhere if e["allocation_id"]
    }

    # Earned on payment: each allocation its share of the invoice's commission.
    mine = {a.pk for a in allocations}
    for invoice_id, rows_of_invoice in all_allocations.items():
        inv = sales.invoices.get(invoice_id)
        rules = sales.invoice_rules(invoice_id)
        if inv is None or rules is None or rules.earned_on != "payment":
            continue
        commission = sales.invoice_commission(invoice_id)
        invoice_base = sum((r.base for r in sales.by_invoice[invoice_id]), ZERO)
        slices = [s for r in sales.by_invoice[invoice_id] for s in _slices_json(r.slices)]
        paid = ZERO
        last_positive: dict[int, int] = {}
        for a in rows_of_invoice:
            before, paid = paid, paid + a.amount
            if a.amount > 0:
                last_positive[a.payment_id] = a.pk
            key = f"alloc:{a.pk}"
            if a.pk not in mine or key in held:
                continue
            delta = share_delta(commission, before, paid, inv.gross_total, inv.currency)
            if a.amount > 0:
                factor, percent = multipliers.factor(inv.credited_to_id, rules)
                kind = EntryKind.EARNED
            else:
                # Reverse at the multiplier the payment earned with.
                undone = last_positive.get(a.payment_id)
                factor = earned_with.get(undone) or _computed_factor(rows, undone)
                _f, percent = multipliers.factor(inv.credited_to_id, rules)
                if factor is None:
                    factor = _f
                kind = EntryKind.CLAWBACK
            rows[key] = _row(
                kind=kind,
                invoice=inv,
                on_date=a.effective_on,
                rules=rules,
                sale=sales.by_invoice[invoice_id][0].sale_key,
                # The paid share of the invoice's base (net or margin): what this payment earns on.
                base=invoice_base * a.amount / inv.gross_total,
                base_before=before,
                slices=slices,
                commission=delta,
                factor=factor,
                percent=percent,
                allocation_id=a.pk,
                share=(a.amount / inv.gross_total).quantize(Decimal("0.0001")),
                stream=f"invoice:{invoice_id}",
                note=_payment_note(a),
            )
            earned_with.setdefault(a.pk, factor)

    # Earned on invoice, credited later: claw back the credited share of what it earned (the
    # earned entries of this period count with their multiplier applied, so apply it first).
    _apply_multipliers(rows)
    earned_by_invoice: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for e in [*elsewhere, *rows.values()]:
        if e["kind"] == EntryKind.EARNED:
            earned_by_invoice[e["invoice_id"]] += e["amount"]
    mine_credits = {c.pk for c in credit_notes}
    for invoice_id, notes in all_credits.items():
        inv = sales.invoices.get(invoice_id)
        rules = sales.invoice_rules(invoice_id)
        if inv is None or rules is None or rules.earned_on != "invoice":
            continue
        commission = sales.invoice_commission(invoice_id)
        earned = earned_by_invoice[invoice_id]
        credited = ZERO
        for note in notes:
            before, credited = credited, credited + note.net_amount
            key = f"credit:{note.pk}"
            if note.pk not in mine_credits or key in held:
                continue
            factor = (earned / commission).quantize(Decimal("0.001")) if commission else ONE
            _f, percent = multipliers.factor(inv.credited_to_id, rules)
            row = _row(
                kind=EntryKind.CLAWBACK,
                invoice=inv,
                on_date=note.issue_date,
                rules=rules,
                sale=sales.by_invoice[invoice_id][0].sale_key,
                base=-note.net_amount,
                base_before=before,
                slices=[],
                commission=-share_delta(commission, before, credited, inv.net_total, inv.currency),
                factor=factor,
                percent=percent,
                credit_note_id=note.pk,
                share=(note.net_amount / inv.net_total).quantize(Decimal("0.0001")),
                stream=None,
                note=note.number,
            )
            row["amount"] = -share_delta(earned, before, credited, inv.net_total, inv.currency)
            rows[key] = row

    rows.update(_cancellation_rows(cancellations, elsewhere, rows, held))
    for row in rows.values():
        row.pop("stream", None)
    return rows


def _cancellation_rows(cancellations, elsewhere, rows, held) -> dict[str, dict]:
    """A cancelled invoice's lines give back exactly what they earned, each in one clawback on
    the cancellation's date: a line earned in this period nets to zero here, one earned in a
    frozen period is taken back here and names that entry (`corrects`), never touching it.
    Payments need nothing: an invoice is cancelled only with nothing paid, so every payment it
    had was reversed, and each reversal took back what it earned."""
    earned_lines = [
        e for e in elsewhere if e["invoice_line_id"] and e["kind"] == EntryKind.EARNED
    ] + [
        {**r, "pk": None, "period__status": None}
        for key, r in rows.items()
        if key.startswith("line:")
    ]
    by_invoice: dict[int, list[dict]] = defaultdict(list)
    for e in earned_lines:
        by_invoice[e["invoice_id"]].append(e)
    out: dict[str, dict] = {}
    for cancellation in cancellations:
        for e in by_invoice[cancellation.invoice_id]:
            key = f"{CANCEL_KEY}line:{e['invoice_line_id']}"
            if key in held:
                continue
            frozen = e["period__status"] in (PeriodStatus.CLOSED, PeriodStatus.PAID)
            out[key] = {
                "kind": EntryKind.CLAWBACK,
                "kam_id": e["kam_id"],
                "invoice_id": e["invoice_id"],
                "invoice_line_id": e["invoice_line_id"],
                "allocation_id": None,
                "credit_note_id": None,
                "corrects_id": e["pk"] if frozen else None,
                "account_id": e["account_id"],
                "scheme_version_id": e["scheme_version_id"],
                "sale_key": e["sale_key"],
                "currency": e["currency"],
                "on_date": cancellation.on_date,
                "base": -e["base"],
                "base_before": e["base_before"],
                "slices": [],
                "share": None,
                "commission": -e["commission"],
                "multiplier": e["multiplier"],
                "fulfilment": e["fulfilment"],
                "amount": -e["amount"],
                "note": "",
            }
    return out


def _computed_factor(rows: dict[str, dict], allocation_id: int | None) -> Decimal | None:
    row = rows.get(f"alloc:{allocation_id}") if allocation_id else None
    return row["multiplier"] if row else None


def _payment_note(allocation) -> str:
    if allocation.reversal_id:
        return "reversal"
    if allocation.credit_note_id:
        return "credit note"
    return ""


def _row(
    *,
    kind,
    invoice,
    on_date,
    rules,
    sale,
    base,
    base_before,
    slices,
    commission,
    factor,
    percent,
    stream,
    invoice_line_id=None,
    allocation_id=None,
    credit_note_id=None,
    share=None,
    note="",
) -> dict:
    return {
        "kind": kind,
        "kam_id": invoice.credited_to_id,
        "invoice_id": invoice.pk,
        "invoice_line_id": invoice_line_id,
        "allocation_id": allocation_id,
        "credit_note_id": credit_note_id,
        "corrects_id": None,
        "account_id": invoice.account_id,
        "scheme_version_id": rules.version_id,
        "sale_key": sale,
        "currency": invoice.currency,
        "on_date": on_date,
        "base": money_round(base, invoice.currency),
        "base_before": money_round(base_before, invoice.currency),
        "slices": slices,
        "share": share,
        "commission": commission,
        "multiplier": factor,
        "fulfilment": percent,
        "amount": None,
        "note": note,
        "stream": stream,
    }


def _apply_multipliers(rows: dict[str, dict]) -> None:
    """amount = commission x multiplier, rounded as a difference of the stream's rounded
    running totals (per KAM, sale or invoice, and multiplier), so the parts of a sale earned in
    one period add up to what the whole would earn to the cent."""
    running: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for key in sorted(
        rows, key=lambda k: (rows[k]["on_date"], k.split(":")[0], int(k.split(":")[1]))
    ):
        row = rows[key]
        if row["amount"] is not None:
            continue
        stream = (row["kam_id"], row["stream"], row["multiplier"], row["currency"])
        before = running[stream]
        running[stream] = before + row["commission"]
        row["amount"] = money_round(
            running[stream] * row["multiplier"], row["currency"]
        ) - money_round(before * row["multiplier"], row["currency"])
