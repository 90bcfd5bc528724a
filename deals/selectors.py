"""Reads for the deals pages and API: ready querysets and page data in a fixed number of
queries, with sums computed by the database."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.models import Account, AccountTier
from core.history import HistoryEntry, history_entries
from core.money import Converted, Money, convert_totals, money_round, money_totals
from team import access
from team.models import User

from . import pricing
from .access import deal_can_delete, deal_can_edit, offer_can_approve, offers_awaiting_approval_by
from .models import (
    CLOSED_STAGES,
    CONTRACT_FLOW,
    DEAL_STAGE_FLOW,
    LIVE_CONTRACT_STATUSES,
    OFFER_REVISABLE,
    OPEN_STAGES,
    ORDER_FLOW,
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    DiscountLimit,
    Offer,
    OfferLine,
    OfferStatus,
    Order,
    OrderLine,
    OrderStatus,
    ProductCategory,
    Return,
)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY_FIELD)
BOARD_CARDS = 25  # per column; the deal list shows the rest
BOARD_CLOSED_DAYS = 30  # won and lost deals stay on the board this long
OPEN_ORDER_STATUSES = [OrderStatus.RECEIVED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED]
EXPIRY_WINDOWS = (30, 60, 90)


def _money_sum(path: str):
    return Coalesce(Sum(path), ZERO, output_field=MONEY_FIELD)


def _weighted():
    # x 0.01 rather than ÷ 100: SQLite would divide whole numbers as integers.
    return ExpressionWrapper(
        F("amount") * F("probability") * Value(Decimal("0.01")), output_field=MONEY_FIELD
    )


# --- Deals ------------------------------------------------------------------------------------


def _first_when(condition: Q):
    """An order term that puts the rows meeting `condition` first."""
    return Case(When(condition, then=Value(0)), default=Value(1)).asc()


def deals_for_listing(*, user: User) -> QuerySet[Deal]:
    """Open deals first, those closing soonest at the top (no close date last)."""
    return (
        Deal.objects.visible_to(user)
        .select_related("account", "owner")
        .annotate(weighted=_weighted())
        .order_by(
            _first_when(Q(stage__in=OPEN_STAGES)),
            F("expected_close_date").asc(nulls_last=True),
            "pk",
        )
    )


@dataclass(frozen=True)
class OfferGap:
    """A deal's latest offer against the deal's amount: what the client was offered."""

    version: int
    total: Decimal
    currency: str
    gap: Decimal | None  # offer total minus deal amount; None across two currencies


def _offer_gap(deal: Deal, offer_total: Decimal | None, version, currency) -> OfferGap | None:
    if offer_total is None:
        return None
    gap = offer_total - deal.amount if currency == deal.currency else None
    return OfferGap(version=version, total=offer_total, currency=currency, gap=gap)


@dataclass(frozen=True)
class BoardCard:
    """A deal on the board with the one-click moves it offers: a stage back, a stage on."""

    deal: Deal
    back: tuple[str, str] | None
    on: tuple[str, str] | None
    offer: OfferGap | None = None


def _latest_offers(deals: list[Deal]) -> dict[int, OfferGap]:
    """Each deal's latest offer version with its total, against the deal. One query."""
    latest: dict[int, OfferGap] = {}
    by_id = {deal.pk: deal for deal in deals}
    offers = (
        Offer.objects.filter(deal_id__in=list(by_id))
        .order_by("deal_id", "-version")
        .values("deal_id", "version", "currency")
        .annotate(total=_money_sum("lines__line_total"))
    )
    for row in offers:
        if row["deal_id"] not in latest:
            deal = by_id[row["deal_id"]]
            latest[deal.pk] = _offer_gap(deal, row["total"], row["version"], row["currency"])
    return latest


def _cards(deals: list[Deal]) -> list[BoardCard]:
    offers = _latest_offers(deals)
    return [BoardCard(deal, *_neighbours(deal.stage), offers.get(deal.pk)) for deal in deals]


def _neighbours(stage: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    if stage not in OPEN_STAGES:
        return None, None
    labels = dict(DealStage.choices)
    index = OPEN_STAGES.index(stage)
    back = OPEN_STAGES[index - 1] if index > 0 else None
    on = OPEN_STAGES[index + 1] if index + 1 < len(OPEN_STAGES) else DealStage.WON
    return (back, labels[back]) if back else None, (on, labels[on])


@dataclass(frozen=True)
class BoardColumn:
    stage: str
    label: str
    cards: list[BoardCard]
    count: int
    amount: dict[str, Decimal]  # per currency
    weighted: dict[str, Decimal]

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


@dataclass(frozen=True)
class KamPipeline:
    owner_id: int
    name: str
    count: int
    amount: dict[str, Decimal]  # per currency
    weighted: dict[str, Decimal]


@dataclass(frozen=True)
class Board:
    columns: list[BoardColumn]
    by_kam: list[KamPipeline]
    open_amount: dict[str, Decimal]  # per currency
    open_weighted: dict[str, Decimal]
    # The same in the reporting currency at today's rates (core.money.convert_totals).
    open_converted: Converted | None = None
    open_weighted_converted: Converted | None = None


def _totals(rows: list[dict], field: str) -> dict[str, Decimal]:
    """`field` of rows grouped by currency, added per currency and rounded once."""
    return money_totals(Money(row[field] or Decimal(0), row["currency"]) for row in rows)


def deal_board(*, user: User) -> Board:
    """Open deals by stage (and those won or lost lately), with amount and weighted amount
    (amount x probability) per stage and per KAM, and each card's latest offer. Four
    queries."""
    visible = Deal.objects.visible_to(user).select_related("account", "owner")
    on_board = _on_board(user)
    sums: dict[str, list[dict]] = defaultdict(list)
    for row in (
        on_board.order_by()
        .values("stage", "currency")
        .annotate(count=Count("id"), total=Sum("amount"), weighted=Sum(_weighted()))
    ):
        sums[row["stage"]].append(row)
    cards: dict[str, list[BoardCard]] = {stage: [] for stage in DealStage.values}
    shown = list(
        on_board.annotate(
            weighted=_weighted(),
            rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("amount").desc(), F("pk").asc()],
            ),
        )
        .filter(rank__lte=BOARD_CARDS)
        .order_by("-amount", "pk")
    )
    for card in _cards(shown):
        cards[card.deal.stage].append(card)
    columns = []
    for stage, label in DealStage.choices:
        rows = sums[stage]
        columns.append(
            BoardColumn(
                stage=stage,
                label=label,
                cards=cards[stage],
                count=sum(row["count"] for row in rows),
                amount=_totals(rows, "total"),
                weighted=_totals(rows, "weighted"),
            )
        )
    kams: dict[int, list[dict]] = defaultdict(list)
    for row in (
        visible.filter(stage__in=OPEN_STAGES)
        .order_by()
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username", "currency")
        .annotate(count=Count("id"), total=Sum("amount"), weighted=Sum(_weighted()))
        .order_by("owner__first_name", "owner__last_name", "owner_id", "currency")
    ):
        kams[row["owner_id"]].append(row)
    by_kam = [
        KamPipeline(
            owner_id=owner_id,
            name=f"{rows[0]['owner__first_name']} {rows[0]['owner__last_name']}".strip()
            or rows[0]["owner__username"],
            count=sum(row["count"] for row in rows),
            amount=_totals(rows, "total"),
            weighted=_totals(rows, "weighted"),
        )
        for owner_id, rows in kams.items()
    ]
    open_rows = [row for stage in OPEN_STAGES for row in sums[stage]]
    open_amount = _totals(open_rows, "total")
    open_weighted = _totals(open_rows, "weighted")
    # Open deals have no date of their own: the pipeline is today's figure, at today's rates.
    today = timezone.localdate()
    return Board(
        columns=columns,
        by_kam=by_kam,
        open_amount=open_amount,
        open_weighted=open_weighted,
        open_converted=convert_totals(open_amount, on=today) if len(open_amount) > 1 else None,
        open_weighted_converted=(
            convert_totals(open_weighted, on=today) if len(open_weighted) > 1 else None
        ),
    )


def _on_board(user: User) -> QuerySet[Deal]:
    since = timezone.localdate() - timedelta(days=BOARD_CLOSED_DAYS)
    return (
        Deal.objects.visible_to(user)
        .select_related("account", "owner")
        .filter(Q(stage__in=OPEN_STAGES) | Q(stage__in=CLOSED_STAGES, closed_on__gte=since))
    )


@dataclass(frozen=True)
class BoardColumnPage:
    stage: str
    cards: list[BoardCard]
    next_offset: int | None  # where the next page starts; None when this is the last


def deal_board_column(*, user: User, stage: str, offset: int) -> BoardColumnPage:
    """The next cards of one column, in the board's order (largest first). Two queries."""
    deals = list(
        _on_board(user)
        .filter(stage=stage)
        .annotate(weighted=_weighted())
        .order_by("-amount", "pk")[offset : offset + BOARD_CARDS + 1]
    )
    more = len(deals) > BOARD_CARDS
    return BoardColumnPage(
        stage=stage,
        cards=_cards(deals[:BOARD_CARDS]),
        next_offset=offset + BOARD_CARDS if more else None,
    )


def stage_moves(deal: Deal) -> list[tuple[str, str]]:
    """(stage, label) the deal may move to, in pipeline order."""
    return DEAL_STAGE_FLOW.moves_from(deal.stage)


def _offers_with_totals(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    return queryset.annotate(
        total=_money_sum("lines__line_total"),
        cost=_money_sum("lines__line_cost"),
        line_count=Count("lines"),
    ).annotate(margin=ExpressionWrapper(F("total") - F("cost"), output_field=MONEY_FIELD))


@dataclass(frozen=True)
class DealPage:
    deal: Deal
    stage_changes: list
    offers: list[Offer]
    contracts: list[Contract]
    history: list[HistoryEntry]
    moves: list[tuple[str, str]]
    can_edit: bool
    can_delete: bool

    @property
    def next_stage(self) -> str | None:
        """Where the "Move to" control starts: the next stage on, never back to the start."""
        _back, on = _neighbours(self.deal.stage)
        return on[0] if on else None

    @property
    def latest_offer(self) -> OfferGap | None:
        if not self.offers:
            return None
        offer = self.offers[0]
        return _offer_gap(self.deal, offer.total, offer.version, offer.currency)

    @property
    def won_without_offer(self) -> bool:
        """Won with no offer sent or accepted, e.g. through a tender."""
        sent = {OfferStatus.SENT, OfferStatus.ACCEPTED}
        return self.deal.stage == DealStage.WON and not any(o.status in sent for o in self.offers)


def deal_page(*, user: User, deal: Deal) -> DealPage:
    """Everything the deal page shows, in four queries after the deal itself."""
    return DealPage(
        deal=deal,
        stage_changes=list(deal.stage_changes.select_related("changed_by")),
        offers=list(
            _offers_with_totals(deal.offers.select_related("created_by")).order_by("-version")
        ),
        contracts=list(deal.contracts.all()),
        history=history_entries(instance=deal),
        moves=stage_moves(deal),
        can_edit=deal_can_edit(user, deal),
        can_delete=deal_can_delete(user, deal),
    )


# --- Offers -----------------------------------------------------------------------------------


def _category_limits(*, categories: set[int], tier: str) -> dict[int, Decimal]:
    return dict(
        DiscountLimit.objects.filter(category_id__in=categories, tier=tier).values_list(
            "category_id", "max_discount"
        )
    )


def _rule_lines(*, lines: list[OfferLine], tier: str) -> list[pricing.RuleLine]:
    limits = _category_limits(categories={line.product.category_id for line in lines}, tier=tier)
    return [
        pricing.RuleLine(
            label=f"{line.product.sku} {line.product.name}",
            category=line.product.category.name,
            discount=line.discount,
            max_discount=limits.get(line.product.category_id, line.product.category.max_discount),
            margin_floor=line.product.category.margin_floor,
            line_total=line.line_total,
            line_cost=line.line_cost,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class RuleCheck:
    """The discount rule applied to an offer's lines as they are now."""

    tier: str  # the client's tier the limits are taken for
    limits: list[str]  # the limits of each category on the offer
    breaches: list[str]  # why it needs a director's approval (empty: it doesn't)


def offer_rule_check(*, offer: Offer) -> RuleCheck:
    """Judge `offer` by today's discount rule, for its client's tier as stored now."""
    lines = list(offer.lines.select_related("product__category"))
    tier = offer.deal.account.tier
    rule_lines = _rule_lines(lines=lines, tier=tier)
    return RuleCheck(
        tier=tier,
        limits=pricing.rule_limits(lines=rule_lines),
        breaches=pricing.rule_breaches(lines=rule_lines, tier=tier),
    )


def order_price_breaches(*, order: Order) -> list[str]:
    """Why the order's prices need an approver: lines below what the discount rule allows for
    the client's tier, unless an accepted offer of this account gave that price."""
    lines = [
        line
        for line in order.lines.select_related("product__category")
        if line.unit_price < line.product.list_price
    ]
    if not lines:
        return []
    # The lowest accepted price of each product wins: it comes last in the ordering.
    offered = dict(
        OfferLine.objects.filter(
            offer__deal__account_id=order.account_id,
            offer__status=OfferStatus.ACCEPTED,
            offer__currency=order.currency,
            product__in=[line.product_id for line in lines],
        )
        .order_by("-net_price")
        .values_list("product_id", "net_price")
    )
    lines = [
        line
        for line in lines
        if line.product_id not in offered or line.unit_price < offered[line.product_id]
    ]
    tier = order.account.tier
    limits = _category_limits(categories={line.product.category_id for line in lines}, tier=tier)
    rule_lines = [
        pricing.RuleLine(
            label=f"{line.product.sku} {line.product.name}",
            category=line.product.category.name,
            discount=pricing.discount_of(price=line.unit_price, list_price=line.product.list_price),
            max_discount=limits.get(line.product.category_id, line.product.category.max_discount),
            margin_floor=line.product.category.margin_floor,
            line_total=line.line_total,
            line_cost=money_round(line.quantity * line.product.unit_cost, order.currency),
        )
        for line in lines
    ]
    return pricing.rule_breaches(lines=rule_lines, tier=tier)


@dataclass(frozen=True)
class OfferRow:
    line: OfferLine
    max_discount: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    over_limit: bool
    under_floor: bool


@dataclass(frozen=True)
class OfferPage:
    offer: Offer
    rows: list[OfferRow]
    total: Decimal
    cost: Decimal
    margin: Decimal
    margin_percent: Decimal | None
    list_total: Decimal
    breaches: list[str]
    versions: list[Offer]
    history: list[HistoryEntry]
    can_edit: bool  # may change this draft's lines and terms
    can_act: bool  # may submit, send, withdraw, close or revise (the KAM's side)
    can_approve: bool
    can_revise: bool


def offer_page(*, user: User, offer: Offer) -> OfferPage:
    """The offer with its lines, margins and rule check, the deal's other versions and the
    history. Five queries after the access check."""
    offer = Offer.objects.select_related(
        "deal__account", "deal__owner", "created_by", "decided_by"
    ).get(pk=offer.pk)
    lines = list(offer.lines.select_related("product__category"))
    tier = offer.deal.account.tier
    rule_lines = _rule_lines(lines=lines, tier=tier)
    rows = []
    for line, rule in zip(lines, rule_lines, strict=True):
        percent = pricing.margin_percent(total=line.line_total, cost=line.line_cost)
        rows.append(
            OfferRow(
                line=line,
                max_discount=rule.max_discount,
                margin=line.line_total - line.line_cost,
                margin_percent=percent,
                over_limit=line.discount > rule.max_discount,
                under_floor=(line.line_total - line.line_cost) * 100
                < rule.margin_floor * line.line_total,
            )
        )
    total = sum((line.line_total for line in lines), Decimal(0))
    cost = sum((line.line_cost for line in lines), Decimal(0))
    list_total = sum(
        (money_round(line.quantity * line.list_price, offer.currency) for line in lines), Decimal(0)
    )
    can_act = deal_can_edit(user, offer.deal)
    return OfferPage(
        offer=offer,
        rows=rows,
        total=total,
        cost=cost,
        margin=total - cost,
        margin_percent=pricing.margin_percent(total=total, cost=cost),
        list_total=list_total,
        breaches=pricing.rule_breaches(lines=rule_lines, tier=tier),
        versions=list(
            _offers_with_totals(Offer.objects.filter(deal_id=offer.deal_id)).order_by("-version")
        ),
        history=history_entries(instance=offer),
        can_edit=can_act and offer.status == OfferStatus.DRAFT,
        can_act=can_act,
        can_approve=offer.status == OfferStatus.PENDING_APPROVAL and offer_can_approve(user, offer),
        can_revise=can_act and offer.status in OFFER_REVISABLE and offer.deal.is_open,
    )


def offers_for_listing(*, user: User) -> QuerySet[Offer]:
    return _offers_with_totals(
        Offer.objects.visible_to(user).select_related("deal__account", "deal__owner")
    ).order_by("-pk")


def approvals_queue(*, user: User) -> QuerySet[Offer]:
    """Offers waiting for `user`'s approval, oldest first, with totals and margin."""
    return _offers_with_totals(
        offers_awaiting_approval_by(user).select_related("created_by")
    ).order_by("submitted_at", "pk")


def offer_lines_for_listing(*, user: User) -> QuerySet[OfferLine]:
    return (
        OfferLine.objects.visible_to(user)
        .select_related("offer__deal__account", "product")
        .order_by("offer_id", "pk")
    )


@dataclass(frozen=True)
class MatrixRow:
    category: ProductCategory
    limits: list[Decimal]  # for tiers A, B, C


def discount_matrix() -> list[MatrixRow]:
    """The discount rule as a table: each category's KAM limit per client tier. Two queries."""
    cells = {
        (limit.category_id, limit.tier): limit.max_discount for limit in DiscountLimit.objects.all()
    }
    return [
        MatrixRow(
            category,
            [cells.get((category.pk, tier), category.max_discount) for tier in AccountTier.values],
        )
        for category in ProductCategory.objects.all()
    ]


# --- Contracts --------------------------------------------------------------------------------


def contracts_for_listing(*, user: User) -> QuerySet[Contract]:
    """Live contracts first, those ending soonest at the top."""
    return (
        Contract.objects.visible_to(user)
        .select_related("account", "deal")
        .order_by(_first_when(Q(status__in=LIVE_CONTRACT_STATUSES)), "end_date", "pk")
    )


def contracts_expiring(queryset: QuerySet[Contract], *, days: int) -> QuerySet[Contract]:
    """Live contracts whose end date falls in the next `days` days (today included)."""
    today = timezone.localdate()
    return queryset.filter(
        status__in=LIVE_CONTRACT_STATUSES,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=days),
    )


@dataclass(frozen=True)
class ContractPage:
    contract: Contract
    obligations: list[ContractObligation]
    orders: list[Order]
    history: list[HistoryEntry]
    moves: list[tuple[str, str]]
    can_edit: bool
    today: date


def contract_page(*, user: User, contract: Contract) -> ContractPage:
    """Three queries after the contract: obligations, orders with totals, history."""
    return ContractPage(
        contract=contract,
        obligations=list(contract.obligations.all()),
        orders=list(_orders_annotated(contract.orders.all())),
        history=history_entries(instance=contract),
        moves=CONTRACT_FLOW.moves_from(contract.status),
        can_edit=access.account_can_edit(user, contract.account),
        today=timezone.localdate(),
    )


def obligations_for_listing(*, user: User) -> QuerySet[ContractObligation]:
    return (
        ContractObligation.objects.visible_to(user)
        .select_related("contract__account")
        .order_by("due_date", "pk")
    )


# --- Orders -----------------------------------------------------------------------------------


def late_condition(today: date) -> Q:
    """Delivered after the promised date, or the promised date has passed with no delivery."""
    return Q(delivered_date__gt=F("promised_date")) | Q(
        status__in=OPEN_ORDER_STATUSES, promised_date__lt=today
    )


def _orders_annotated(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.annotate(
        total=_money_sum("lines__line_total"),
        line_count=Count("lines"),
        is_late=Case(
            When(late_condition(timezone.localdate()), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def orders_for_listing(*, user: User) -> QuerySet[Order]:
    """Late orders first, then the latest requested."""
    return _orders_annotated(
        Order.objects.visible_to(user).select_related("account", "contract")
    ).order_by("-is_late", "-requested_date", "-pk")


@dataclass(frozen=True)
class OrderPage:
    order: Order
    lines: list[OrderLine]
    returns: list[Return]
    total: Decimal
    history: list[HistoryEntry]
    moves: list[tuple[str, str]]
    can_edit: bool
    is_late: bool
    can_return: bool

    @property
    def can_deliver(self) -> bool:
        return OrderStatus.DELIVERED in ORDER_FLOW[self.order.status]


def order_page(*, user: User, order: Order) -> OrderPage:
    """Three queries after the order: lines with returned quantities, returns, history."""
    lines = list(
        order.lines.select_related("product").annotate(
            returned=Coalesce(
                Sum("returns__quantity"),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=12, decimal_places=3),
            )
        )
    )
    today = timezone.localdate()
    late = bool(
        (
            order.delivered_date
            and order.promised_date
            and order.delivered_date > order.promised_date
        )
        or (
            order.status in OPEN_ORDER_STATUSES
            and order.promised_date
            and order.promised_date < today
        )
    )
    return OrderPage(
        order=order,
        lines=lines,
        returns=list(
            Return.objects.filter(order_line__order=order).select_related(
                "order_line__product", "recorded_by"
            )
        ),
        total=sum((line.line_total for line in lines), Decimal(0)),
        history=history_entries(instance=order),
        moves=ORDER_FLOW.moves_from(order.status),
        can_edit=access.account_can_edit(user, order.account),
        is_late=late,
        can_return=order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED),
    )


# --- Returns ----------------------------------------------------------------------------------


def returns_for_listing(*, user: User) -> QuerySet[Return]:
    return (
        Return.objects.visible_to(user)
        .select_related("order_line__order__account", "order_line__product", "recorded_by")
        .order_by("-returned_on", "-pk")
    )


@dataclass(frozen=True)
class ReturnsAnalysis:
    start: date
    end: date
    count: int
    value: dict[str, Decimal]  # per currency; each row below is in its `currency`
    by_reason: list[dict]
    by_product: list[dict]
    by_account: list[dict]


ANALYSIS_ROWS = 15


def returns_analysis(*, user: User, start: date, end: date) -> ReturnsAnalysis:
    """Returns between `start` and `end` by reason, product and account, with the value lost.
    Four aggregate queries."""
    returns = (
        Return.objects.visible_to(user)
        .select_related("order_line__order__account", "order_line__product", "recorded_by")
        .filter(returned_on__gte=start, returned_on__lte=end)
    )

    def grouped(*fields: str) -> QuerySet:
        return (
            returns.order_by()
            .values(*fields, currency=F("order_line__order__currency"))
            .annotate(count=Count("id"), quantity=Sum("quantity"), value=_money_sum("value"))
            .order_by("-value", *fields, "currency")
        )

    labels = dict(Return.Reason.choices)
    totals = list(grouped())
    return ReturnsAnalysis(
        start=start,
        end=end,
        count=sum(row["count"] for row in totals),
        value=_totals(totals, "value"),
        by_reason=[
            {**row, "label": labels.get(row["reason"], row["reason"])} for row in grouped("reason")
        ],
        by_product=list(
            grouped("order_line__product__sku", "order_line__product__name")[:ANALYSIS_ROWS]
        ),
        by_account=list(
            grouped("order_line__order__account_id", "order_line__order__account__name")[
                :ANALYSIS_ROWS
            ]
        ),
    )


# --- Complaints -------------------------------------------------------------------------------


def complaints_for_listing(*, user: User) -> QuerySet[Complaint]:
    return (
        Complaint.objects.visible_to(user)
        .select_related("account", "contact")
        .order_by("-opened_on", "-pk")
    )


# --- The account page's panel -----------------------------------------------------------------

ACCOUNT_PANEL_ORDERS = 10


@dataclass(frozen=True)
class AccountPanel:
    open_deals: list[Deal]
    contracts: list[Contract]
    orders: list[Order]
    complaints: list[Complaint]
    late_orders: int
    can_create: bool


def account_panel(*, user: User, account: Account) -> AccountPanel:
    """Open deals, contracts not yet ended (drafts too: signing is under way), recent orders
    (late ones flagged) and open complaints of one account, for its page. Five queries."""
    orders = list(
        _orders_annotated(Order.objects.filter(account=account)).order_by("-requested_date", "-pk")[
            :ACCOUNT_PANEL_ORDERS
        ]
    )
    return AccountPanel(
        open_deals=list(
            Deal.objects.filter(account=account, stage__in=OPEN_STAGES)
            .select_related("owner")
            .annotate(weighted=_weighted())
            .order_by("expected_close_date", "pk")
        ),
        contracts=list(
            Contract.objects.filter(
                account=account, status__in=[Contract.Status.DRAFT, *LIVE_CONTRACT_STATUSES]
            ).order_by("end_date")
        ),
        orders=orders,
        complaints=list(
            Complaint.objects.filter(account=account)
            .exclude(status=Complaint.Status.RESOLVED)
            .select_related("contact")
        ),
        late_orders=Order.objects.filter(
            late_condition(timezone.localdate()), account=account
        ).count(),
        can_create=access.account_can_edit(user, account),
    )
