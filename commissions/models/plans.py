"""A KAM's sales plan (duty 2.1): one row per KAM and month; quarters and years add them up."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import DEFAULT_CURRENCY, MONEY, validate_currency


class SalesPlan(models.Model):
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sales_plans",
        verbose_name=_("KAM"),
    )
    # The first day of the month the plan is for.
    month = models.DateField(_("month"))
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    revenue_target = models.DecimalField(
        _("revenue target"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    margin_target = models.DecimalField(
        _("margin target"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    new_clients_target = models.PositiveSmallIntegerField(_("new active clients target"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kam", "month"]
        verbose_name = _("sales plan")
        verbose_name_plural = _("sales plans")
        constraints = [
            models.UniqueConstraint(
                fields=["kam", "month"],
                name="commissions_plan_one_per_kam_month",
                violation_error_message=_("This KAM already has a plan for this month."),
            ),
            models.CheckConstraint(
                name="commissions_plan_first_of_month", condition=Q(month__day=1)
            ),
            models.CheckConstraint(
                name="commissions_plan_targets_not_negative",
                condition=Q(revenue_target__gte=0) & Q(margin_target__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kam} {self.month:%Y-%m}"


class SalesPlanChange(models.Model):
    """Who changed a plan cell, when, from what to what and why; append-only."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)
    old_value = models.DecimalField(null=True, **MONEY)
    new_value = models.DecimalField(**MONEY)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("plan change")

    def __str__(self) -> str:
        return f"{self.plan} {self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        return str(SalesPlan._meta.get_field(self.field).verbose_name)
