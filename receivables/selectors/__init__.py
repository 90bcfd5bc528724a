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
)

__all__ = [
    "GROUPS",
    "Aging",
    "AgingRow",
    "Behaviour",
    "Bucket",
    "aging",
    "aging_buckets",
    "behaviour",
    "days_late_trend",
    "open_as_of",
]
