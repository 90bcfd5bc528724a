"""Sales plans, the ABC classification of accounts and the commissions KAMs are paid."""

from .abc import AbcRun, AccountClass, Concentration, TierChange, TierOverride
from .ledger import (
    CANCEL_KEY,
    WITHDRAWN,
    CommissionEntry,
    CommissionPeriod,
    Dispute,
    DisputeStatus,
    EntryKind,
    InvoiceCancellation,
    PeriodEvent,
    PeriodStatus,
    Statement,
)
from .plans import SalesPlan, SalesPlanChange
from .schemes import (
    Bracket,
    BracketMode,
    CommissionBasis,
    CommissionScheme,
    EarnedOn,
    MultiplierBand,
    SchemeAssignment,
    SchemeVersion,
)

__all__ = [
    "CANCEL_KEY",
    "WITHDRAWN",
    "AbcRun",
    "AccountClass",
    "Bracket",
    "BracketMode",
    "CommissionBasis",
    "CommissionEntry",
    "CommissionPeriod",
    "CommissionScheme",
    "Concentration",
    "Dispute",
    "DisputeStatus",
    "EarnedOn",
    "EntryKind",
    "InvoiceCancellation",
    "MultiplierBand",
    "PeriodEvent",
    "PeriodStatus",
    "SalesPlan",
    "SalesPlanChange",
    "SchemeAssignment",
    "SchemeVersion",
    "Statement",
    "TierChange",
    "TierOverride",
]
