"""Reads for the catalogue: the discount matrix."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import AccountTier

from ..models import (
    DiscountLimit,
    ProductCategory,
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
