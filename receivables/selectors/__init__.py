"""Reads of the receivables app for pages, API, exports and reports, one module per sub-domain."""

from .aging import (
    GROUPS,
    Aging,
    AgingRow,
    Behaviour,
    Bucket,
    aging,
    aging_buckets,
    behaviour,
    days_late_trend,
    open_as_of,
    payment_behaviour,
)
from .credit import (
    CreditPicture,
    Exposure,
    approval_credit_panel,
    credit_picture,
    exposure,
    offer_credit_panel,
    overrides_awaiting,
)
from .revenue import MonthRevenue, account_invoiced_by_month
from .statement import Letter, Statement, dunning_letter, open_items, statement

__all__ = [
    "GROUPS",
    "Aging",
    "AgingRow",
    "Behaviour",
    "Bucket",
    "CreditPicture",
    "Exposure",
    "Letter",
    "MonthRevenue",
    "Statement",
    "account_invoiced_by_month",
    "aging",
    "aging_buckets",
    "approval_credit_panel",
    "behaviour",
    "credit_picture",
    "days_late_trend",
    "dunning_letter",
    "exposure",
    "offer_credit_panel",
    "open_as_of",
    "open_items",
    "overrides_awaiting",
    "payment_behaviour",
    "statement",
]
