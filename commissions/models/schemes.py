"""Commission schemes: what a KAM earns on a sale, versioned by the day a version starts.

A scheme is a name that KAMs and territories are assigned to; its rules live in versions, each
valid from a day until the next version of the same scheme starts, so a change never reaches
back before its own validity date (and a closed period keeps the entries it was closed with).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import DEFAULT_CURRENCY, MONEY, validate_currency


class CommissionBasis(models.TextChoices):
    AMOUNT = "amount", _("Net invoiced amount")
    MARGIN = "margin", _("Margin (net less frozen cost)")


class BracketMode(models.TextChoices):
    MARGINAL = "marginal", _("Marginal: each slice at its bracket's rate")
    FLAT = "flat", _("Flat: the whole sale at the rate of its bracket")


class EarnedOn(models.TextChoices):
    PAYMENT = "payment", _("On payment, pro rata to what is paid")
    INVOICE = "invoice", _("On invoice")


RATE = {"max_digits": 7, "decimal_places": 4}


class CommissionScheme(models.Model):
    """A named commission scheme; its rules are in its versions."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    # The scheme of every KAM with no scheme of their own or of their territory.
    is_default = models.BooleanField(_("default for everyone else"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commission scheme")
        verbose_name_plural = _("commission schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="commissions_one_default_scheme",
                violation_error_message=_("Another scheme is the default already."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(models.Model):
    """The rules of a scheme from `valid_from` until its next version starts."""

    Basis = CommissionBasis
    Mode = BracketMode
    EarnedOn = EarnedOn

    scheme = models.ForeignKey(CommissionScheme, on_delete=models.PROTECT, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.AMOUNT)
    mode = models.CharField(
        _("brackets"), max_length=10, choices=Mode.choices, default=Mode.MARGINAL
    )
    earned_on = models.CharField(
        _("earned"), max_length=10, choices=EarnedOn.choices, default=EarnedOn.PAYMENT
    )
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "-valid_from"]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "valid_from"],
                name="commissions_version_one_per_day",
                violation_error_message=_("This scheme already has a version from that day."),
            ),
            models.CheckConstraint(
                name="commissions_version_basis_valid",
                condition=Q(basis__in=CommissionBasis.values),
            ),
            models.CheckConstraint(
                name="commissions_version_mode_valid", condition=Q(mode__in=BracketMode.values)
            ),
            models.CheckConstraint(
                name="commissions_version_earned_on_valid",
                condition=Q(earned_on__in=EarnedOn.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {_('from')} {self.valid_from:%Y-%m-%d}"


class Bracket(models.Model):
    """[lower, upper) of the size of a sale, and the rate (%) its slice earns."""

    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="brackets")
    lower = models.DecimalField(_("from"), validators=[MinValueValidator(0)], **MONEY)
    upper = models.DecimalField(_("up to (not included)"), null=True, blank=True, **MONEY)
    rate = models.DecimalField(_("rate (%)"), validators=[MinValueValidator(0)], **RATE)

    class Meta:
        ordering = ["version", "lower"]
        verbose_name = _("bracket")
        constraints = [
            models.UniqueConstraint(fields=["version", "lower"], name="commissions_bracket_lower"),
            models.CheckConstraint(
                name="commissions_bracket_range",
                condition=Q(lower__gte=0)
                & (Q(upper__isnull=True) | Q(upper__gt=models.F("lower"))),
            ),
            models.CheckConstraint(name="commissions_bracket_rate", condition=Q(rate__gte=0)),
        ]

    def __str__(self) -> str:
        return f"[{self.lower}, {self.upper or '∞'}) {self.rate} %"


class MultiplierBand(models.Model):
    """[lower, upper) of the period's invoiced plan fulfilment (%), and the factor it applies."""

    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="multipliers")
    lower = models.DecimalField(_("fulfilment from (%)"), max_digits=7, decimal_places=2)
    upper = models.DecimalField(
        _("up to (%, not included)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    factor = models.DecimalField(
        _("multiplier"), max_digits=5, decimal_places=3, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["version", "lower"]
        verbose_name = _("plan multiplier")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "lower"], name="commissions_multiplier_lower"
            ),
            models.CheckConstraint(
                name="commissions_multiplier_range",
                condition=Q(lower__gte=0)
                & (Q(upper__isnull=True) | Q(upper__gt=models.F("lower"))),
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.lower} %, {self.upper or '∞'} %) \u00d7 {self.factor}"


class SchemeAssignment(models.Model):
    """A scheme for one KAM or for a territory's KAMs, from a day on; a KAM's own wins."""

    scheme = models.ForeignKey(
        CommissionScheme, on_delete=models.PROTECT, related_name="assignments"
    )
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commission_assignments",
        verbose_name=_("KAM"),
    )
    territory = models.ForeignKey(
        "team.Territory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commission_assignments",
        verbose_name=_("territory"),
    )
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("scheme assignment")
        constraints = [
            models.CheckConstraint(
                name="commissions_assignment_kam_or_territory",
                condition=Q(kam__isnull=False, territory__isnull=True)
                | Q(kam__isnull=True, territory__isnull=False),
                violation_error_message=_("Assign the scheme to a KAM or to a territory."),
            ),
            models.UniqueConstraint(
                fields=["kam", "valid_from"],
                condition=Q(kam__isnull=False),
                name="commissions_assignment_kam_day",
            ),
            models.UniqueConstraint(
                fields=["territory", "valid_from"],
                condition=Q(territory__isnull=False),
                name="commissions_assignment_territory_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} → {self.kam or self.territory} {_('from')} {self.valid_from}"
