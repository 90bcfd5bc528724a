"""The automatic Pareto / ABC classification of accounts: each run's result per account, the
director's manual tier that wins over it, every class change, and the concentration trend."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, AccountTier
from core.money import DEFAULT_CURRENCY, MONEY
from team.models import Territory

SHARE = {"max_digits": 7, "decimal_places": 4}  # a share in per cent, 0.0000-100.0000


class AbcRun(models.Model):
    """One classification run (nightly or an admin's button) and the company's figures."""

    ran_at = models.DateTimeField(_("run at"), auto_now_add=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    total_revenue = models.DecimalField(_("revenue, trailing 12 months"), **MONEY)
    accounts = models.PositiveIntegerField(_("accounts"))
    changes = models.PositiveIntegerField(_("class changes"), default=0)
    # Invoices and credit notes of the window without a rate into the run's currency: left
    # out of the ranking, and the ABC page says how many.
    unrated_documents = models.PositiveIntegerField(_("documents without a rate"), default=0)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("ABC run")

    def __str__(self) -> str:
        return f"ABC {self.as_of}"


class AccountClass(models.Model):
    """An account's computed class from the latest run, by revenue and by margin."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="abc")
    # The run that last changed these figures: a run rewrites only the rows that moved.
    run = models.ForeignKey(AbcRun, on_delete=models.CASCADE, related_name="+")
    revenue = models.DecimalField(_("net revenue"), **MONEY)
    margin = models.DecimalField(_("margin"), **MONEY)
    rank = models.PositiveIntegerField(_("rank"))
    share = models.DecimalField(_("share (%)"), **SHARE)
    cumulative_share = models.DecimalField(_("cumulative share (%)"), **SHARE)
    computed = models.CharField(_("class"), max_length=1, choices=AccountTier.choices)
    margin_rank = models.PositiveIntegerField(_("rank by margin"))
    margin_share = models.DecimalField(_("share of margin (%)"), **SHARE)
    margin_class = models.CharField(_("class by margin"), max_length=1, choices=AccountTier.choices)
    is_key = models.BooleanField(_("key client"), default=False)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("account class")
        constraints = [
            models.CheckConstraint(
                name="commissions_accountclass_valid",
                condition=Q(computed__in=AccountTier.values)
                & Q(margin_class__in=AccountTier.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.computed}"


class TierOverride(models.Model):
    """A tier a director set by hand: it wins over the computed class until it expires."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tier_overrides")
    tier = models.CharField(_("tier"), max_length=1, choices=AccountTier.choices)
    reason = models.CharField(_("why"), max_length=300)
    expires_on = models.DateField(_("until"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    # When a newer override replaced it or a director lifted it (expiry needs no row change).
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("manual tier")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(lifted_at__isnull=True),
                name="commissions_one_live_tier_override",
            ),
            models.CheckConstraint(
                name="commissions_tieroverride_tier_valid", condition=Q(tier__in=AccountTier.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.tier} until {self.expires_on}"


class TierChangeSource(models.TextChoices):
    COMPUTED = "computed", _("ABC run")
    MANUAL = "manual", _("Set by hand")
    EXPIRED = "expired", _("Manual tier expired")


class TierChange(models.Model):
    """A change of an account's class: from, to, when, its share and rank then; append-only."""

    Source = TierChangeSource

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tier_changes")
    run = models.ForeignKey(
        AbcRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="tier_changes"
    )
    changed_on = models.DateField(_("date"))
    from_tier = models.CharField(_("from"), max_length=1, choices=AccountTier.choices)
    to_tier = models.CharField(_("to"), max_length=1, choices=AccountTier.choices)
    share = models.DecimalField(_("share (%)"), **SHARE)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=TierChangeSource.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("class change")
        indexes = [models.Index(fields=["account", "changed_on"])]
        constraints = [
            models.CheckConstraint(
                name="commissions_tierchange_source_valid",
                condition=Q(source__in=TierChangeSource.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.from_tier} → {self.to_tier}"


class Concentration(models.Model):
    """How concentrated revenue is (trailing 12 months at the month's end), for the company
    (no territory) or one territory; one row per month and scope, the latest run's."""

    month = models.DateField(_("month"))
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY)
    total_revenue = models.DecimalField(**MONEY)
    accounts = models.PositiveIntegerField()
    top1_share = models.DecimalField(_("top account (%)"), **SHARE)
    top5_share = models.DecimalField(_("top 5 (%)"), **SHARE)
    top20_share = models.DecimalField(_("top 20 % of accounts (%)"), **SHARE)
    hhi = models.DecimalField(_("HHI"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["month"]
        verbose_name = _("concentration")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "territory"], name="commissions_concentration_one_per_month"
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(territory__isnull=True),
                name="commissions_concentration_company_one_per_month",
            ),
            models.CheckConstraint(
                name="commissions_concentration_first_of_month", condition=Q(month__day=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.territory or 'company'}"
