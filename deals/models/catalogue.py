"""Products, their categories and the discount rule."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountTier
from core.money import DEFAULT_CURRENCY, MONEY, PERCENT, validate_currency

from .common import _choice_check, _percent_check


class ProductCategory(models.Model):
    """A product family, with the discount a KAM may give on their own and the margin floor."""

    name = models.CharField(max_length=100, unique=True)
    max_discount = models.DecimalField(
        "KAM's own discount limit (%)",
        default=10,
        help_text=_("Used for client tiers the discount matrix has no row for."),
        **PERCENT,
    )
    margin_floor = models.DecimalField(
        "margin floor (%)",
        default=10,
        help_text=_(
            "No offer line may have a lower margin (net price against unit cost) "
            "without a director's approval."
        ),
        **PERCENT,
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("product categories")
        constraints = [
            _percent_check("deals_category_max_discount_percent", "max_discount"),
            _percent_check("deals_category_margin_floor_percent", "margin_floor"),
        ]

    def __str__(self) -> str:
        return self.name


class DiscountLimit(models.Model):
    """One cell of the discount matrix: the most a KAM gives alone on a category to a tier."""

    category = models.ForeignKey(
        ProductCategory, on_delete=models.CASCADE, related_name="discount_limits"
    )
    tier = models.CharField("client tier", max_length=1, choices=AccountTier.choices)
    max_discount = models.DecimalField("KAM's own discount limit (%)", **PERCENT)

    class Meta:
        ordering = ["category__name", "tier"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "tier"],
                name="deals_discount_limit_one_per_tier",
                violation_error_message="This category already has a limit for that tier.",
            ),
            _choice_check("deals_discount_limit_tier_valid", "tier", AccountTier),
            _percent_check("deals_discount_limit_percent", "max_discount"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · tier {self.tier}: {self.max_discount} %"


class Product(models.Model):
    """An item of the price list."""

    sku = models.CharField("SKU", max_length=40, unique=True)
    name = models.CharField(max_length=200)
    category = models.ForeignKey(ProductCategory, on_delete=models.PROTECT, related_name="products")
    unit = models.CharField(max_length=20, default="pcs")
    list_price = models.DecimalField(validators=[MinValueValidator(0)], **MONEY)
    unit_cost = models.DecimalField(
        validators=[MinValueValidator(0)], help_text=_("What one unit costs us."), **MONEY
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["category__name", "name"]
        constraints = [
            models.CheckConstraint(
                name="deals_product_prices_not_negative",
                condition=Q(list_price__gte=0, unit_cost__gte=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"
