"""Products and their price list, the deal pipeline, commercial offers, contracts, orders,
returns and complaints.

Status pipelines are data: each `*_FLOW` (a core.status.StatusFlow, named on its model as
`status_flow`) says which moves are allowed from each status; core.status.status_move moves
them and writes their history.

One module per sub-domain; this package re-exports them, so callers import from here.
"""

from .catalogue import DiscountLimit, Product, ProductCategory
from .complaints import COMPLAINT_FLOW, Complaint, ComplaintSeverity, ComplaintStatus
from .contracts import (
    CONTRACT_FLOW,
    LIVE_CONTRACT_STATUSES,
    Contract,
    ContractObligation,
    ContractRenewal,
    ContractStatus,
    ObligationKind,
    ObligationParty,
)
from .offers import OFFER_FLOW, OFFER_REVISABLE, Offer, OfferLine, OfferStatus
from .orders import ORDER_FLOW, Order, OrderLine, OrderStatus, Return, ReturnReason
from .pipeline import (
    CLOSED_STAGES,
    DEAL_STAGE_FLOW,
    OPEN_STAGES,
    STAGE_PROBABILITY,
    Deal,
    DealStage,
    DealStageChange,
)

__all__ = [
    "CLOSED_STAGES",
    "COMPLAINT_FLOW",
    "CONTRACT_FLOW",
    "DEAL_STAGE_FLOW",
    "LIVE_CONTRACT_STATUSES",
    "OFFER_FLOW",
    "OFFER_REVISABLE",
    "OPEN_STAGES",
    "ORDER_FLOW",
    "STAGE_PROBABILITY",
    "Complaint",
    "ComplaintSeverity",
    "ComplaintStatus",
    "Contract",
    "ContractObligation",
    "ContractRenewal",
    "ContractStatus",
    "Deal",
    "DealStage",
    "DealStageChange",
    "DiscountLimit",
    "ObligationKind",
    "ObligationParty",
    "Offer",
    "OfferLine",
    "OfferStatus",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Product",
    "ProductCategory",
    "Return",
    "ReturnReason",
]
