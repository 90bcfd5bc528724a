"""Sales plans, the ABC classification of accounts and the commissions KAMs are paid."""

from .abc import AbcRun, AccountClass, Concentration, TierChange, TierOverride
from .plans import SalesPlan, SalesPlanChange

__all__ = [
    "AbcRun",
    "AccountClass",
    "Concentration",
    "SalesPlan",
    "SalesPlanChange",
    "TierChange",
    "TierOverride",
]
