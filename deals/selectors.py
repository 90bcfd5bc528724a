"""Reads for the deals pages and API: ready querysets and page data in a fixed number of
queries, with sums computed by the database."""

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
from core.money import money_round
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


def deals_for_listing(*, user: User) -> QuerySet[Deal]:
    return (
        Deal.objects.visible_to(user)
        .select_related("account", "owner")
        .annotate(weighted=_weighted())
        .order_by("expected_close_date", "pk")
    )


@dataclass(frozen=True)
class BoardCard:
    """A deal on the board with the one-click moves it offers: a stage back, a stage on."""

    deal: Deal
    back: tuple[str, str] | None
    on: tuple[str, str] | None


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
    amount: Decimal
    weighted: Decimal

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


@dataclass(frozen=True)
class KamPipeline:
    owner_id: int
    name: str
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class Board:
    columns: list[BoardColumn]
    by_kam: list[KamPipeline]
    open_amount: Decimal
    open_weighted: Decimal


def deal_board(*, user: User) -> Board:
    """Open deals by stage (and those won or lost lately), with amount and weighted amount
    (amount x probability) per stage and per KAM. Three queries."""
    since = timezone.localdate() - timedelta(days=BOARD_CLOSED_DAYS)
    visible = Deal.objects.visible_to(user).select_related("account", "owner")
    on_board = visible.filter(
        Q(stage__in=OPEN_STAGES) | Q(stage__in=CLOSED_STAGES, closed_on__gte=since)
    )
    sums = {
        row["stage"]: row
        for row in on_board.order_by()
        .values("stage")
        .annotate(count=Count("id"), total=_money_sum("amount"), weighted=Sum(_weighted()))
    }
    cards: dict[str, list[BoardCard]] = {stage: [] for stage in DealStage.values}
    for deal in (
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
    ):
        cards[deal.stage].append(BoardCard(deal, *_neighbours(deal.stage)))
    columns = []
    for stage, label in DealStage.choices:
        row = sums.get(stage, {})
        columns.append(
            BoardColumn(
                stage=stage,
                label=label,
                cards=cards[stage],
                count=row.get("count", 0),
                amount=row.get("total") or Decimal(0),
                weighted=money_round(row.get("weighted") or Decimal(0)),
            )
        )
    by_kam = [
        KamPipeline(
            owner_id=row["owner_id"],
            name=f"{row['owner__first_name']} {row['owner__last_name']}".strip()
            or row["owner__username"],
            count=row["count"],
            amount=row["total"],
            weighted=money_round(row["weighted"] or Decimal(0)),
        )
        for row in visible.filter(stage__in=OPEN_STAGES)
        .order_by()
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(count=Count("id"), total=_money_sum("amount"), weighted=Sum(_weighted()))
        .order_by("-weighted", "owner_id")
    ]
    open_columns = [c for c in columns if c.stage in OPEN_STAGES]
    return Board(
        columns=columns,
        by_kam=by_kam,
        open_amount=sum((c.amount for c in open_columns), Decimal(0)),
        open_weighted=sum((c.weighted for c in open_columns), Decimal(0)),
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


def _rule_lines(*, lines: list[OfferLine], tier: str) -> list[pricing.RuleLine]:
    categories = {line.product.category_id for line in lines}
    limits = dict(
        DiscountLimit.objects.filter(category_id__in=categories, tier=tier).values_list(
            "category_id", "max_discount"
        )
    )
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


def offer_breaches(*, offer: Offer) -> list[str]:
    """Why `offer` needs a director's approval under today's discount rule (empty: it doesn't)."""
    lines = list(offer.lines.select_related("product__category"))
    tier = offer.deal.account.tier
    return pricing.rule_breaches(lines=_rule_lines(lines=lines, tier=tier), tier=tier)


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
    return (
        Contract.objects.visible_to(user)
        .select_related("account", "deal")
        .order_by("end_date", "pk")
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
    return _orders_annotated(
        Order.objects.visible_to(user).select_related("account", "contract")
    ).order_by("-requested_date", "-pk")


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
    value: Decimal
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
            .values(*fields)
            .annotate(count=Count("id"), quantity=Sum("quantity"), value=_money_sum("value"))
            .order_by("-value", *fields)
        )

    labels = dict(Return.Reason.choices)
    totals = returns.aggregate(count=Count("id"), value=_money_sum("value"))
    return ReturnsAnalysis(
        start=start,
        end=end,
        count=totals["count"],
        value=totals["value"],
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
