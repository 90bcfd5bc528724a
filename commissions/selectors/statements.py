"""Reads for the commission pages, exports, PDF and the offer panel, in a fixed number of
queries. The offer's what-if uses the same arithmetic as the period calculation
(`services.ledger.commission_delta`, `services.schemes.multiplier_for`)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from core.exports import Column
from core.money import money_round, rate_to_reporting, reporting_currency
from deals.models import Contract, Order
from deals.pricing import line_price
from receivables.models import OPEN_INVOICE_STATUSES, Invoice

from .. import access
from ..models import (
    CommissionEntry,
    CommissionPeriod,
    CommissionScheme,
    Dispute,
    DisputeStatus,
    EarnedOn,
    EntryKind,
    SchemeVersion,
    Statement,
)
from ..services.ledger import (
    base_of,
    bases_before,
    commission_delta,
    month_end,
    month_of,
    salebook_load,
    share_delta,
)
from ..services.schemes import HUNDRED, ZERO, RuleBook, multiplier_for, rulebook_load
from .fulfilment import invoiced_fulfilment


def schemes_page() -> list[CommissionScheme]:
    """Every scheme with its versions, brackets, multipliers and assignments (five queries)."""
    versions = SchemeVersion.objects.order_by("-valid_from").prefetch_related(
        "brackets", "multipliers"
    )
    return list(
        CommissionScheme.objects.prefetch_related(
            Prefetch("versions", queryset=versions),
            "assignments__kam",
            "assignments__territory",
        ).order_by("-is_default", "name")
    )


def periods_page() -> list[CommissionPeriod]:
    """Every period with its number of statements and open disputes (one query)."""
    return list(
        CommissionPeriod.objects.annotate(
            statement_count=Count("statements", distinct=True),
            open_disputes=Count(
                "entries__disputes",
                filter=Q(entries__disputes__status=DisputeStatus.OPEN),
                distinct=True,
            ),
        )
        .select_related("closed_by")
        .order_by("-month")
    )


def statements_for(user, *, period: CommissionPeriod | None = None):
    queryset = access.statements_visible(user).select_related("kam__territory", "period")
    if period is not None:
        queryset = queryset.filter(period=period)
    return queryset.order_by("-period__month", "kam__last_name", "kam__username", "currency")


def entries_for(user, *, period: CommissionPeriod | None = None, kam_id: int | None = None):
    queryset = access.entries_visible(user).select_related(
        "kam", "period", "invoice", "account", "credit_note", "allocation", "corrects__period",
        "scheme_version__scheme",
    )  # fmt: skip
    if period is not None:
        queryset = queryset.filter(period=period)
    if kam_id is not None:
        queryset = queryset.filter(kam_id=kam_id)
    return queryset.order_by("period__month", "kam_id", "on_date", "pk")


@dataclass(frozen=True)
class AccountRef:
    pk: int
    name: str


@dataclass(frozen=True)
class InvoiceRef:
    """The fields of an open invoice its waiting row shows, read as one plain row (a KAM has
    hundreds of open invoices; model instances of them and their accounts cost more than
    everything else the waiting commission does)."""

    pk: int
    number: str
    due_date: date
    currency: str
    gross_total: Decimal
    credited_total: Decimal
    paid_total: Decimal
    account: AccountRef

    @property
    def open_amount(self) -> Decimal:
        return self.gross_total - self.credited_total - self.paid_total


@dataclass
class Waiting:
    invoice: InvoiceRef
    commission: Decimal  # the invoice's commission before the plan multiplier
    waiting: Decimal  # what its unpaid part would still earn
    overdue: bool


@dataclass
class StatementPage:
    statement: Statement
    entries: list[CommissionEntry]
    waiting: list[Waiting] = field(default_factory=list)
    waiting_total: Decimal = ZERO
    can_dispute: bool = False
    can_resolve: bool = False


def statement_page(*, user, statement: Statement, today: date | None = None) -> StatementPage:
    """A statement with each entry and its disputes, and the commission still waiting on the
    KAM's unpaid invoices; a fixed number of queries whatever the number of lines (tested)."""
    entries = list(
        entries_for(user, period=statement.period, kam_id=statement.kam_id)
        .filter(currency=statement.currency)
        .prefetch_related(Prefetch("disputes", queryset=Dispute.objects.order_by("-pk")))
    )
    page = StatementPage(
        statement=statement,
        entries=entries,
        can_dispute=access.can_dispute(user, statement),
        can_resolve=access.can_resolve(user),
    )
    page.waiting = waiting_commission(
        kam_id=statement.kam_id, currency=statement.currency, today=today
    )
    page.waiting_total = sum((w.waiting for w in page.waiting), ZERO)
    return page


def waiting_commission(*, kam_id: int, currency: str, today: date | None = None) -> list[Waiting]:
    """Earned on payment, not yet paid: each open invoice credited to the KAM and what its
    unpaid part would earn before the plan multiplier (overdue ones marked)."""
    return waiting_by_currency(kam_id=kam_id, currency=currency, today=today).get(currency, [])


def waiting_by_currency(
    *,
    kam_id: int,
    today: date | None = None,
    currency: str | None = None,
    book: RuleBook | None = None,
) -> dict[str, list[Waiting]]:
    """`waiting_commission` for every currency the KAM has open invoices in (or `currency`
    only), each such currency a key even when nothing waits in it: two queries (the open
    invoices, their sales' bases before them), five more without the rule `book`.

    An invoice's commission is what its lines earn in its sale, each the rounded commission on
    the sale's base after it less the same before it (`salebook_load`); added up, the lines
    telescope to `commission_delta` from the sale's base before the invoice to the base after
    its last line, so it is computed from the invoice's totals (the sums of its lines) and its
    sale's base before it (one window sum in SQL), without reading a line."""
    today = today or timezone.localdate()
    # Open invoices are never cancelled, so every one is counted (`ledger.counted`). The
    # account's name and the invoice's deal (by its order's contract, else its own contract,
    # as `salebook_load` keys a sale) are read by primary key for each of the few hundred
    # rows; joined, the planner hashes every account and contract.
    invoices = Invoice.objects.filter(credited_to_id=kam_id, status__in=OPEN_INVOICE_STATUSES)
    if currency is not None:
        invoices = invoices.filter(currency=currency)
    rows = list(
        invoices.annotate(
            account_name=Subquery(Account.objects.filter(pk=OuterRef("account_id")).values("name")),
            deal_via_order=Subquery(
                Order.objects.filter(pk=OuterRef("order_id")).values("contract__deal_id")
            ),
            deal_via_contract=Subquery(
                Contract.objects.filter(pk=OuterRef("contract_id")).values("deal_id")
            ),
            territory=F("credited_to__territory_id"),
        )
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "number",
            "due_date",
            "issue_date",
            "currency",
            "net_total",
            "cost_total",
            "gross_total",
            "credited_total",
            "paid_total",
            "account_id",
            "account_name",
            "deal_via_order",
            "deal_via_contract",
            "territory",
            named=True,
        )
    )
    waiting: dict[str, list[Waiting]] = {r.currency: [] for r in rows}
    if not rows:
        return waiting
    book = book or rulebook_load()
    deals = {r.pk: r.deal_via_order or r.deal_via_contract for r in rows}
    before = bases_before(invoices={pk: deal for pk, deal in deals.items() if deal})
    for r in rows:
        rules = book.rules_for(kam_id=kam_id, territory_id=r.territory, on=r.issue_date)
        if rules is None or rules.earned_on != EarnedOn.PAYMENT:
            continue
        net, cost = before.get(r.pk, (ZERO, ZERO))
        start = base_of(rules, net=net, cost=cost)
        base = base_of(rules, net=r.net_total, cost=r.cost_total)
        commission = commission_delta(rules, start, start + base, r.currency)
        payable = r.gross_total - r.credited_total
        amount = share_delta(commission, r.paid_total, payable, r.gross_total, r.currency)
        if amount:
            invoice = InvoiceRef(
                r.pk, r.number, r.due_date, r.currency, r.gross_total, r.credited_total,
                r.paid_total, AccountRef(r.account_id, r.account_name),
            )  # fmt: skip
            waiting[r.currency].append(Waiting(invoice, commission, amount, r.due_date < today))
    return waiting


def slices_by_bracket(slices: list[dict]) -> list[dict]:
    """An entry's bracket slices added up per bracket, in bracket order: an invoice of eight
    lines in one bracket reads as one slice of their sum at its rate."""
    brackets: dict[tuple, Decimal] = {}
    for s in slices:
        key = (Decimal(s["lower"]), s["upper"] and Decimal(s["upper"]), Decimal(s["rate"]))
        brackets[key] = brackets.get(key, ZERO) + Decimal(s["amount"])
    return [
        {"lower": lower, "upper": upper, "rate": rate, "amount": amount}
        for (lower, upper, rate), amount in sorted(brackets.items(), key=lambda b: b[0][0])
    ]


def disputes_for(user, *, status: str | None = None):
    queryset = access.disputes_visible(user).select_related(
        "entry__kam", "entry__period", "entry__invoice", "entry__account", "raised_by",
        "resolved_by", "adjustment__period",
    )  # fmt: skip
    if status in DisputeStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


# --- exports ----------------------------------------------------------------------------------


def _slices_text(entry) -> str:
    return "; ".join(f"{s['amount']} \u00d7 {s['rate']} %" for s in entry.slices)


STATEMENT_COLUMNS = [
    Column(_("Period"), lambda s: f"{s.period.month:%Y-%m}"),
    Column(_("KAM"), lambda s: str(s.kam)),
    Column(_("Login"), "kam.username"),
    Column(_("Territory"), lambda s: str(s.kam.territory or "")),
    Column(_("Currency"), "currency"),
    Column(_("Earned"), "earned"),
    Column(_("Clawed back"), "clawback"),
    Column(_("Adjustments"), "adjustments"),
    Column(_("Total"), "total"),
    Column(_("Entries"), "entry_count"),
    Column(_("Plan fulfilment (%)"), "fulfilment"),
    Column(_("Multiplier"), "multiplier"),
]

ENTRY_COLUMNS = [
    Column(_("Period"), lambda e: f"{e.period.month:%Y-%m}"),
    Column(_("Entry"), "pk"),
    Column(_("KAM"), lambda e: str(e.kam)),
    Column(_("Kind"), lambda e: e.get_kind_display()),
    Column(_("Date"), "on_date"),
    Column(_("Invoice"), lambda e: e.invoice.number if e.invoice else ""),
    Column(_("Customer"), lambda e: e.account.name if e.account else ""),
    Column(_("Sale"), "sale_key"),
    Column(_("Scheme"), lambda e: str(e.scheme_version) if e.scheme_version else ""),
    Column(_("Currency"), "currency"),
    Column(_("Base"), "base"),
    Column(_("Sale's base before"), "base_before"),
    Column(_("Share"), "share"),
    Column(_("Slices"), _slices_text),
    Column(_("Commission"), "commission"),
    Column(_("Multiplier"), "multiplier"),
    Column(_("Amount"), "amount"),
    Column(_("Corrects entry"), "corrects_id"),
    Column(_("Note"), "note"),
]

PAYROLL_COLUMNS = [
    Column(_("Period"), lambda s: f"{s.period.month:%Y-%m}"),
    Column(_("KAM"), lambda s: str(s.kam)),
    Column(_("Login"), "kam.username"),
    Column(_("Currency"), "currency"),
    Column(_("Gross commission"), lambda s: s.earned + s.clawback),
    Column(_("Adjustments"), "adjustments"),
    Column(_("Total"), "total"),
]


# --- the offer panel --------------------------------------------------------------------------


@dataclass
class OfferCommission:
    scheme: str
    basis: str
    currency: str
    at_offer: Decimal
    at_list: Decimal
    per_point: Decimal  # what one more percentage point of discount on every line costs
    multiplier_now: Decimal
    multiplier_after: Decimal
    fulfilment_now: Decimal | None
    fulfilment_after: Decimal | None
    band_changes: bool
    earned_on: str
    sale_before: Decimal


def offer_commission(
    *, offer, kam, today: date | None = None, book=None, sales=None, fulfilments=None
) -> OfferCommission | None:
    """What `offer` would earn `kam` if invoiced now: at its discounts, at list price, per extra
    point of discount, and the plan multiplier before and after it counts towards the month.
    The rules, the sales and the KAMs' fulfilment (by KAM) may come loaded for many offers
    (`earnings.offer_commissions`)."""
    today = today or timezone.localdate()
    book = book or rulebook_load()
    rules = book.rules_for(kam_id=kam.pk, territory_id=kam.territory_id, on=today)
    if rules is None:
        return None
    lines = list(offer.lines.all())
    currency = offer.currency
    sales = sales or salebook_load(book=book, deal_ids=[offer.deal_id])
    net_before, margin_before = sales.sale_totals.get(f"deal:{offer.deal_id}", (ZERO, ZERO))
    before = margin_before if rules.basis == "margin" else net_before

    def base(discount_extra: Decimal | None) -> tuple[Decimal, Decimal]:
        """The offer's base and net at its discounts plus `discount_extra` points (None: at
        list price), each line priced as deals prices it."""
        net = cost = ZERO
        for line in lines:
            if discount_extra == ZERO:
                net += line.line_total
            else:
                discount = (
                    ZERO if discount_extra is None else min(line.discount + discount_extra, HUNDRED)
                )
                net += line_price(
                    quantity=line.quantity,
                    list_price=line.list_price,
                    unit_cost=line.unit_cost,
                    discount=discount,
                    currency=currency,
                ).line_total
            cost += line.line_cost
        return base_of(rules, net=net, cost=cost), net

    fulfilment = (
        fulfilments.get(kam.pk)
        if fulfilments is not None
        else invoiced_fulfilment(kam_id=kam.pk, start=month_of(today), end=month_end(today))
    )
    ratio_now = fulfilment.ratio if fulfilment else None
    offer_base, offer_net = base(ZERO)
    ratio_after = (
        (fulfilment.invoiced_net + _in_plan_currency(offer_net, currency, fulfilment, today))
        / fulfilment.target
        if fulfilment and fulfilment.target > 0
        else None
    )
    factor_now, band_now = multiplier_for(rules, ratio_now)
    factor_after, band_after = multiplier_for(rules, ratio_after)

    def earns(b: Decimal) -> Decimal:
        return money_round(
            commission_delta(rules, before, before + b, currency) * factor_after, currency
        )

    at_offer = earns(offer_base)
    at_list = earns(base(None)[0])
    one_more = earns(base(Decimal("1"))[0])
    return OfferCommission(
        scheme=rules.scheme,
        basis=rules.basis,
        currency=currency,
        at_offer=at_offer,
        at_list=at_list,
        per_point=at_offer - one_more,
        multiplier_now=factor_now,
        multiplier_after=factor_after,
        fulfilment_now=_percent(ratio_now),
        fulfilment_after=_percent(ratio_after),
        band_changes=band_now != band_after,
        earned_on=rules.earned_on,
        sale_before=before,
    )


def _in_plan_currency(net: Decimal, currency: str, fulfilment, today: date) -> Decimal:
    """The offer's net as it would count towards the plan if invoiced today: as is in the
    plan's currency; else at today's rate when the plan is in the reporting currency (what the
    invoice would freeze), else not at all, as `fulfilment.in_plan_currency` counts it."""
    if currency == fulfilment.currency:
        return net
    used = rate_to_reporting(currency, on=today)
    if fulfilment.currency != reporting_currency() or used is None:
        return ZERO
    return money_round(net * used.rate, fulfilment.currency)


def _percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else (ratio * HUNDRED).quantize(Decimal("0.01"), ROUND_DOWN)


def offer_commission_panel(*, user, offer):
    """The deals offer-page hook: shown to the offer's KAM (and their director or an admin)."""
    kam = offer.deal.owner
    if not (
        user.pk == kam.pk
        or user.is_admin_role
        or (user.is_director and user.territory_id == kam.territory_id)
    ):
        return None
    result = offer_commission(offer=offer, kam=kam)
    if result is None:
        return None
    return {
        "template": "commissions/ledger/partials/offer_commission.html",
        "c": result,
        "kam": kam,
    }


def entry_kinds() -> list[tuple[str, str]]:
    return list(EntryKind.choices)
