"""An account's health score, one row per account and month (the nightly run rewrites the
current month's row, so earlier months stay as they were: the trend)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core.access import AccountScopedQuerySet

COMPONENTS = ("revenue_trend", "share_of_wallet", "relationship", "payment", "service", "pipeline")


class HealthScore(models.Model):
    """An account's health in one month: the score and each component with its reason."""

    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="health_scores")
    # The first day of the month the score is for.
    month = models.DateField(_("month"))
    score = models.PositiveSmallIntegerField(_("score"))
    revenue_trend = models.PositiveSmallIntegerField(_("revenue trend"))
    share_of_wallet = models.PositiveSmallIntegerField(_("share of wallet"))
    relationship = models.PositiveSmallIntegerField(_("relationship"))
    payment = models.PositiveSmallIntegerField(_("payment behaviour"))
    service = models.PositiveSmallIntegerField(_("service"))
    pipeline = models.PositiveSmallIntegerField(_("pipeline"))
    # Why each component is what it is, in the words shown on the account page:
    # {"relationship": "no contact with the decision-maker in 94 days", ...}.
    reasons = models.JSONField(default=dict)
    # The weights it was computed with (settings can change; the score keeps its own).
    weights = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["account", "-month"]
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="health_one_per_month"),
            models.CheckConstraint(name="health_first_of_month", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="health_score_0_100",
                condition=Q(score__lte=100)
                & Q(revenue_trend__lte=100)
                & Q(share_of_wallet__lte=100)
                & Q(relationship__lte=100)
                & Q(payment__lte=100)
                & Q(service__lte=100)
                & Q(pipeline__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["month", "score"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}: {self.score}"
