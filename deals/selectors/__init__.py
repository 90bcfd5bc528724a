"""Reads for the deals pages and API: ready querysets and page data in a fixed number of
queries, with sums computed by the database.

One module per sub-domain; this package re-exports them, so callers import from here.
"""

from .account_panel import ACCOUNT_PANEL_ORDERS, AccountPanel, account_panel
from .catalogue import MatrixRow, discount_matrix
from .common import MONEY_FIELD, ZERO
from .complaints import complaints_for_listing
from .contracts import (
    EXPIRY_WINDOWS,
    ContractPage,
    contract_page,
    contracts_expiring,
    contracts_for_listing,
    obligations_for_listing,
)
from .offers import (
    OfferPage,
    OfferRow,
    RuleCheck,
    approvals_queue,
    offer_lines_for_listing,
    offer_page,
    offer_rule_check,
    offers_for_listing,
    order_price_breaches,
)
from .orders import (
    ANALYSIS_ROWS,
    OPEN_ORDER_STATUSES,
    OrderPage,
    ReturnsAnalysis,
    late_condition,
    order_page,
    orders_for_listing,
    returns_analysis,
    returns_for_listing,
)
from .pipeline import (
    BOARD_CARDS,
    BOARD_CLOSED_DAYS,
    Board,
    BoardCard,
    BoardColumn,
    BoardColumnPage,
    DealPage,
    KamPipeline,
    OfferGap,
    deal_board,
    deal_board_column,
    deal_page,
    deals_for_listing,
    stage_moves,
)

__all__ = [
    "ACCOUNT_PANEL_ORDERS",
    "ANALYSIS_ROWS",
    "BOARD_CARDS",
    "BOARD_CLOSED_DAYS",
    "EXPIRY_WINDOWS",
    "MONEY_FIELD",
    "OPEN_ORDER_STATUSES",
    "ZERO",
    "AccountPanel",
    "Board",
    "BoardCard",
    "BoardColumn",
    "BoardColumnPage",
    "ContractPage",
    "DealPage",
    "KamPipeline",
    "MatrixRow",
    "OfferGap",
    "OfferPage",
    "OfferRow",
    "OrderPage",
    "ReturnsAnalysis",
    "RuleCheck",
    "account_panel",
    "approvals_queue",
    "complaints_for_listing",
    "contract_page",
    "contracts_expiring",
    "contracts_for_listing",
    "deal_board",
    "deal_board_column",
    "deal_page",
    "deals_for_listing",
    "discount_matrix",
    "late_condition",
    "obligations_for_listing",
    "offer_lines_for_listing",
    "offer_page",
    "offer_rule_check",
    "offers_for_listing",
    "order_page",
    "order_price_breaches",
    "orders_for_listing",
    "returns_analysis",
    "returns_for_listing",
    "stage_moves",
]
