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
from typing import Any

from django.db import connection
from django.db.models import F, Q

from core.money import money_round
from deals.models import Contract, Order
from receivables.models import Allocation, CreditNote, Invoice, InvoiceLine, InvoiceStatus

from ..models import (
    CANCEL_KEY,
    CommissionEntry,
    CommissionPeriod,
    EarnedOn,
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
    """The invoices asked for (plain rows: the fields the ledger reads) with their rules, what
    each line of those asked to be computed earns in its sale, and the totals of the deals
    asked for."""

    invoices: dict[int, Any] = field(default_factory=dict)
    rules: dict[int, Rules | None] = field(default_factory=dict)
    by_invoice: dict[int, list[LineResult]] = field(default_factory=dict)
    # Per deal of `deal_ids`, the cumulative (net, margin) of its lines so far: for an
    # offer's what-if.
    sale_totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def invoice_commission(self, invoice_id: int) -> Decimal:
        return sum((r.commission for r in self.by_invoice[invoice_id]), ZERO)

    def invoice_rules(self, invoice_id: int) -> Rules | None:
        return self.rules.get(invoice_id)


def counted(prefix: str = "") -> Q:
    """Invoices the ledger computes: all but those cancelled without a cancellation record
    (cancelled before commissions kept one: they never earned). A recorded cancellation keeps
    the invoice's lines and payments in the sale and claws their commission back on its date."""
    return ~Q(**{f"{prefix}status": InvoiceStatus.CANCELLED}) | Q(
        **{f"{prefix}commission_cancellation__isnull": False}
    )


INVOICE_FIELDS = (
    "pk",
    "issue_date",
    "credited_to_id",
    "credited_territory",
    "account_id",
    "currency",
    "net_total",
    "gross_total",
    "deal_via_order",
    "deal_via_contract",
)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _deal_invoices_sql(deals: list[int]) -> tuple[str, list]:
    """A CTE `sale_invoices`: the counted invoices of the sales of `deals`, each with its deal
    (by its order's contract, else by its own contract, as `salebook_load` keys a sale), issue
    date and totals in cents. The totals are the sums of the invoice's lines (written once at
    issue; lines never change), as integers, which SQLite (it sums decimals as floats) adds
    as exactly as PostgreSQL. Two index-driven halves: by order, and by contract where the
    order names no deal."""
    tables = {
        "invoice": Invoice._meta.db_table,
        "order": Order._meta.db_table,
        "contract": Contract._meta.db_table,
        "cancellation": InvoiceCancellation._meta.db_table,
    }
    columns = (
        "i.id, i.issue_date, c.deal_id, i.status, "
        "CAST(ROUND(i.net_total * 100) AS BIGINT) AS net, "
        "CAST(ROUND(i.cost_total * 100) AS BIGINT) AS cost"
    )
    sql = """
    WITH sale_invoices AS (
        SELECT {columns}
        FROM {contract} c
        JOIN {order} o ON o.contract_id = c.id
        JOIN {invoice} i ON i.order_id = o.id
        WHERE c.deal_id IN ({deals})
        UNION ALL
        SELECT {columns}
        FROM {contract} c
        JOIN {invoice} i ON i.contract_id = c.id
        LEFT JOIN {order} o ON o.id = i.order_id
        LEFT JOIN {contract} oc ON oc.id = o.contract_id
        WHERE c.deal_id IN ({deals}) AND oc.deal_id IS NULL
    ), counted AS (
        SELECT id, issue_date, deal_id, net, cost FROM sale_invoices
        WHERE status <> %s OR id IN (SELECT invoice_id FROM {cancellation})
    )""".format(columns=columns, deals=_placeholders(deals), **tables)  # noqa: S608
    return sql, [*deals, *deals, InvoiceStatus.CANCELLED]


def _cents(value) -> Decimal:
    return Decimal(value).scaleb(-2)


def bases_before(*, invoices: dict[int, int]) -> dict[int, tuple[Decimal, Decimal]]:
    """For each invoice of `invoices` (invoice id -> its deal), the (net, cost) of the lines
    its sale had before it in invoice order (issue date, invoice): one statement, a window
    sum over the counted invoices of those deals."""
    if not invoices:
        return {}
    sql, params = _deal_invoices_sql(sorted(set(invoices.values())))
    wanted = sorted(invoices)
    sql += f"""
    SELECT id, net, cost FROM (
        SELECT id, SUM(net) OVER sale - net AS net, SUM(cost) OVER sale - cost AS cost
        FROM counted
        WINDOW sale AS (PARTITION BY deal_id ORDER BY issue_date, id ROWS UNBOUNDED PRECEDING)
    ) running
    WHERE id IN ({_placeholders(wanted)})"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *wanted])
        return {pk: (_cents(net), _cents(cost)) for pk, net, cost in cursor.fetchall()}


def _deal_totals(deals: list[int]) -> dict[str, tuple[Decimal, Decimal]]:
    """Each deal's cumulative (net, margin) over all its counted invoices."""
    if not deals:
        return {}
    sql, params = _deal_invoices_sql(deals)
    sql += """
    SELECT deal_id, SUM(net), SUM(cost) FROM counted GROUP BY deal_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            f"deal:{deal}": (_cents(net), _cents(net) - _cents(cost))
            for deal, net, cost in cursor.fetchall()
        }


def salebook_load(
    *, book: RuleBook, invoice_ids=(), deal_ids=(), earning: dict[str, set] | None = None
) -> SaleBook:
    """The invoices `invoice_ids` with their rules, what each line of theirs earns in its sale,
    and the totals of the deals `deal_ids`. With `earning` (a set of invoices per basis, on
    invoice or on payment), only the lines of the invoices whose rules earn on a basis whose
    set holds them are computed: the others earn nothing where they are asked for.

    A line earns the rounded commission on its sale's cumulative base after it less the same
    before it. The base before each invoice comes from SQL (a window sum over its sale's
    earlier invoices), so only the computed invoices' lines are read, as plain values, and
    each line's slices are computed once (the exact commission before a line is the one
    after the line before it)."""
    sales = SaleBook()
    invoices = list(
        Invoice.objects.filter(pk__in=list(invoice_ids))
        .filter(counted())
        .annotate(
            deal_via_order=F("order__contract__deal_id"),
            deal_via_contract=F("contract__deal_id"),
            credited_territory=F("credited_to__territory_id"),
        )
        .order_by("issue_date", "pk")
        .values_list(*INVOICE_FIELDS, named=True)
    )
    for invoice in invoices:
        sales.invoices[invoice.pk] = invoice
        sales.rules[invoice.pk] = (
            book.rules_for(
                kam_id=invoice.credited_to_id,
                territory_id=invoice.credited_territory,
                on=invoice.issue_date,
            )
            if invoice.credited_to_id is not None
            else None
        )
    computed = [
        i
        for i in invoices
        if earning is None
        or ((rules := sales.rules[i.pk]) is not None and i.pk in earning.get(rules.earned_on, ()))
    ]
    deal_of = {i.pk: i.deal_via_order or i.deal_via_contract for i in computed}
    before = bases_before(invoices={pk: deal for pk, deal in deal_of.items() if deal})
    lines_by_invoice: dict[int, list[tuple]] = defaultdict(list)
    for invoice_id, *line in (
        InvoiceLine.objects.filter(invoice_id__in=list(deal_of))
        .order_by("invoice_id", "pk")
        .values_list("invoice_id", "pk", "net_amount", "cost_amount")
    ):
        lines_by_invoice[invoice_id].append(line)
    for invoice in computed:
        deal = deal_of[invoice.pk]
        sales.by_invoice[invoice.pk] = _lines_earn(
            rules=sales.rules[invoice.pk],
            invoice=invoice,
            sale=f"deal:{deal}" if deal else f"invoice:{invoice.pk}",
            before=before.get(invoice.pk, (ZERO, ZERO)),
            lines=lines_by_invoice[invoice.pk],
        )
    sales.sale_totals = _deal_totals(sorted(set(deal_ids)))
    return sales


def _lines_earn(*, rules, invoice, sale: str, before: tuple, lines: list) -> list[LineResult]:
    """Each line of `invoice` in order, from its sale's (net, cost) `before` it: its base,
    slices and the commission its slices add (the rounded exact commission after it less the
    same before it, as `commission_delta`, with the exact figure carried from line to line)."""
    margin_basis = rules is not None and rules.basis == "margin"
    net_before, cost_before = before
    base_before = net_before - cost_before if margin_basis else net_before
    results = []
    if rules is None:
        for line_id, net, _cost in lines:
            results.append(LineResult(line_id, invoice.pk, sale, None, net, base_before, [], ZERO))
            base_before += net
        return results
    exact = bracket_commission(rules, base_before)
    rounded = money_round(exact, invoice.currency)
    for line_id, net, cost in lines:
        base = net - cost if margin_basis else net
        after = base_before + base
        slices = bracket_slices(rules, base_before, after)
        exact += sum((s.commission for s in slices), ZERO)
        rounded_after = money_round(exact, invoice.currency)
        results.append(
            LineResult(
                line_id, invoice.pk, sale, rules, base, base_before, slices, rounded_after - rounded
            )
        )
        base_before, rounded = after, rounded_after
    return results


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
        if kam_id not in self._fulfilled:
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
    # Sources as named rows, not model instances: thousands a month, only these fields used.
    invoices = [
        i
        for i in Invoice.objects.filter(
            window("issue_date"), counted(), credited_to__isnull=False
        ).values_list("pk", "issue_date", named=True)
        if in_scope(i.issue_date)
    ]
    allocations = [
        a
        for a in Allocation.objects.filter(window("effective_on"), credited).values_list(
            "pk", "effective_on", "invoice_id", named=True
        )
        if in_scope(a.effective_on)
    ]
    credit_notes = [
        c
        for c in CreditNote.objects.filter(window("issue_date"), credited).values_list(
            "pk", "issue_date", "invoice_id", named=True
        )
        if in_scope(c.issue_date)
    ]
    cancellations = [
        c
        for c in InvoiceCancellation.objects.filter(
            window("on_date"), invoice__credited_to__isnull=False
        ).values_list("invoice_id", "on_date", named=True)
        if in_scope(c.on_date)
    ]
    # What each source needs: an invoice's lines earn in its month on the invoice basis (and
    # its credit notes claw back a share of that), its allocations' on the payment basis; a
    # cancellation takes back the entries its lines have. Only those lines are computed.
    paid_invoices = {a.invoice_id for a in allocations}
    credited_invoices = {c.invoice_id for c in credit_notes}
    on_invoice = {i.pk for i in invoices} | credited_invoices
    touched = on_invoice | paid_invoices | {c.invoice_id for c in cancellations}
    sales = salebook_load(
        book=book,
        invoice_ids=touched,
        earning={EarnedOn.INVOICE: on_invoice, EarnedOn.PAYMENT: paid_invoices},
    )
    multipliers = multipliers or Multipliers(start=start, end=end)
    multipliers.load({i.credited_to_id for i in sales.invoices.values()} - {None})

    # What each paid invoice's allocations and each credited one's credit notes were, in
    # order, to share its commission.
    all_allocations: dict[int, list] = defaultdict(list)
    for a in (
        Allocation.objects.filter(invoice_id__in=paid_invoices)
        .order_by("effective_on", "pk")
        .values_list(*ALLOCATION_FIELDS, named=True)
    ):
        all_allocations[a.invoice_id].append(a)
    all_credits: dict[int, list] = defaultdict(list)
    for c in (
        CreditNote.objects.filter(invoice_id__in=credited_invoices)
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
        rules = sales.invoice_rules(invoice.pk)
        if rules is None or rules.earned_on != EarnedOn.INVOICE:
            continue
        inv = sales.invoices[invoice.pk]
        for result in sales.by_invoice[invoice.pk]:
            key = f"line:{result.line_id}"
            if key in held:
                continue
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
        if inv is None or rules is None or rules.earned_on != EarnedOn.PAYMENT:
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
        if inv is None or rules is None or rules.earned_on != EarnedOn.INVOICE:
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
