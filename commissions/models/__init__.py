"""Sales plans, the ABC classification of accounts and the commissions KAMs are paid."""

from .ledger import (
    CommissionEntry,
    CommissionPeriod,
    Dispute,
    DisputeStatus,
    EntryKind,
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
    "Bracket",
    "BracketMode",
    "CommissionBasis",
    "CommissionEntry",
    "CommissionPeriod",
    "CommissionScheme",
    "Dispute",
    "DisputeStatus",
    "EarnedOn",
    "EntryKind",
    "MultiplierBand",
    "PeriodEvent",
    "PeriodStatus",
    "SalesPlan",
    "SalesPlanChange",
    "SchemeAssignment",
    "SchemeVersion",
    "Statement",
]
