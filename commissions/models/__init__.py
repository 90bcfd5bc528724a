"""Sales plans, the ABC classification of accounts and the commissions KAMs are paid."""

from .plans import SalesPlan, SalesPlanChange

__all__ = ["SalesPlan", "SalesPlanChange"]
