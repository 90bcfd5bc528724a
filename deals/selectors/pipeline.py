"""Reads for the deal list, the pipeline board and the deal page."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from core.history import HistoryEntry, history_entries
from core.money import Converted, convert_totals
from team.models import User

from ..access import deal_can_delete, deal_can_edit
from ..models import (
    CLOSED_STAGES,
    DEAL_STAGE_FLOW,
    OPEN_STAGES,
    Contract,
    Deal,
    DealStage,
    Offer,
    OfferStatus,
)
from .common import _first_when, _money_sum, _totals, _weighted
from .offers import _offers_with_totals

# Cards per column on the board and per "Show more": about what a column shows on a laptop,
# and with seven columns a director's board stays small (issue 14: under 60 KB of HTML).
BOARD_CARDS = 8
BOARD_CLOSED_DAYS = 30  # won and lost deals stay on the board this long


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


class StageMove(NamedTuple):
    """A stage a card's button moves the deal to. Named, because the template reads it by
    name: Django looks a tuple's `.0` up as a key and an attribute before the index, which
    costs a `dir()` of the tuple each time (a few per card)."""

    stage: str
    label: str


@dataclass(frozen=True)
class BoardCard:
    """A deal on the board with the one-click moves it offers: a stage back, a stage on."""

    deal: Deal
    back: StageMove | None
    on: StageMove | None
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


# What a card draws, and nothing more: the card query reads only these columns.
CARD_FIELDS = (
    "title",
    "stage",
    "amount",
    "currency",
    "probability",
    "expected_close_date",
    "account__name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def _card_deals(queryset: QuerySet[Deal]) -> QuerySet[Deal]:
    """`queryset` as cards, in the board's order (largest first): only the columns drawn."""
    return queryset.select_related("account", "owner").only(*CARD_FIELDS).order_by("-amount", "pk")


def _cards(deals: list[Deal]) -> list[BoardCard]:
    offers = _latest_offers(deals)
    return [BoardCard(deal, *_neighbours(deal.stage), offers.get(deal.pk)) for deal in deals]


def _neighbours(stage: str) -> tuple[StageMove | None, StageMove | None]:
    if stage not in OPEN_STAGES:
        return None, None
    labels = dict(DealStage.choices)
    index = OPEN_STAGES.index(stage)
    back = OPEN_STAGES[index - 1] if index > 0 else None
    on = OPEN_STAGES[index + 1] if index + 1 < len(OPEN_STAGES) else DealStage.WON
    return StageMove(back, labels[back]) if back else None, StageMove(on, labels[on])


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

    @property
    def after(self) -> "Deal | None":
        """The last card shown: "Show more" continues after it."""
        return self.cards[-1].deal if self.more > 0 else None


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


def deal_board(*, user: User) -> Board:
    """Open deals by stage (and those won or lost lately), with amount and weighted amount
    (amount x probability) per stage (of the whole stage, not only the cards shown) and per
    KAM, and the first `BOARD_CARDS` cards of each column with their latest offer. Four
    queries, however many deals."""
    on_board = _on_board(user)
    # The stage sums and the KAMs' open pipeline from one pass over the board's deals, grouped
    # by stage, currency and owner, and added up here: each pass joins every deal on the board
    # to its account for the access rule, most of the board's SQL.
    sums: dict[str, list[dict]] = defaultdict(list)
    kams: dict[int, list[dict]] = defaultdict(list)
    # The owner's names are aggregates (one value per owner), not grouping keys: grouped by
    # them too, the planner expected as many groups as deals and sorted every deal by name.
    for row in (
        on_board.order_by()
        .values("stage", "currency", "owner_id")
        .annotate(
            owner__first_name=Max("owner__first_name"),
            owner__last_name=Max("owner__last_name"),
            owner__username=Max("owner__username"),
            count=Count("id"),
            total=Sum("amount"),
            weighted=Sum(_weighted()),
        )
        .order_by("owner__first_name", "owner__last_name", "owner_id", "currency", "stage")
    ):
        sums[row["stage"]].append(row)
        if row["stage"] in OPEN_STAGES:
            kams[row["owner_id"]].append(row)
    cards: dict[str, list[BoardCard]] = {stage: [] for stage in DealStage.values}
    # The first cards of each column: ranked on the deal's id, stage and amount alone, then
    # only those read, by primary key, with the columns a card draws.
    ranked = (
        on_board.order_by()
        .values("pk")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("amount").desc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS)
    )
    shown = list(_card_deals(Deal.objects.filter(pk__in=[row["pk"] for row in ranked])))
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
    return Deal.objects.visible_to(user).filter(
        Q(stage__in=OPEN_STAGES) | Q(stage__in=CLOSED_STAGES, closed_on__gte=since)
    )


@dataclass(frozen=True)
class BoardColumnPage:
    stage: str
    cards: list[BoardCard]
    more: int  # cards of this column after these
    after: Deal | None  # the last of these when more follow: the next page continues after it


def deal_board_column(
    *, user: User, stage: str, after: tuple[Decimal, int] | None = None
) -> BoardColumnPage:
    """The next cards of one column, in the board's order (largest first), after the card
    with the amount and id `after` (from the top when None): a card moved or added meanwhile
    never shows twice. Three queries."""
    column = _on_board(user).filter(stage=stage)
    if after is not None:
        amount, pk = after
        column = column.filter(Q(amount__lt=amount) | Q(amount=amount, pk__gt=pk))
    deals = list(_card_deals(column)[:BOARD_CARDS])
    more = column.count() - len(deals) if len(deals) == BOARD_CARDS else 0
    return BoardColumnPage(
        stage=stage,
        cards=_cards(deals),
        more=more,
        after=deals[-1] if more else None,
    )


def stage_moves(deal: Deal) -> list[tuple[str, str]]:
    """(stage, label) the deal may move to, in pipeline order."""
    return DEAL_STAGE_FLOW.moves_from(deal.stage)


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
