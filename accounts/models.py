from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import AccountScopedQuerySet
from core.money import DEFAULT_CURRENCY, validate_currency
from team.models import Territory

from .access import DossierNoteQuerySet

# Tax IDs are unique company-wide so two KAMs never own the same client; the message says
# so without naming the account, which the user may not be allowed to see.
TAX_ID_TAKEN = "This tax ID is already registered to an account; ask your director if it is yours."


class Competitor(models.Model):
    """A company competing with us for a client's spend."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AccountStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    LOST = "lost", _("Lost")


class AccountTier(models.TextChoices):
    A = "A", _("A (top 80 % of revenue)")
    B = "B", _("B (next 15 %)")
    C = "C", _("C (the rest)")


class AccountSegment(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    MID_MARKET = "mid_market", _("Mid-market")
    SMB = "smb", _("Small business")
    PUBLIC = "public", _("Public sector")
    DISTRIBUTOR = "distributor", _("Distributor / chain")


class Account(models.Model):
    """A key client: the company profile a KAM keeps the dossier of."""

    account_path = ""

    Segment = AccountSegment
    Tier = AccountTier
    Status = AccountStatus

    name = models.CharField(max_length=200)
    legal_name = models.CharField(max_length=255, blank=True)
    # NULL, not "", when unknown: uniqueness must ignore accounts without one.
    tax_id = models.CharField(
        "tax ID",
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": TAX_ID_TAKEN},
        help_text=_("VAT / NIP number; unique when given."),
    )
    industry = models.CharField(max_length=100, blank=True)
    segment = models.CharField(max_length=20, choices=Segment.choices, blank=True)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="accounts")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
        verbose_name=_("owner KAM"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROSPECT)
    tier = models.CharField(max_length=1, choices=Tier.choices, default=Tier.C)
    website = models.URLField(blank=True)
    address = models.TextField(_("street address"), blank=True)
    postal_code = models.CharField(max_length=12, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="PL", help_text=_("ISO 3166 country code."))
    potential_amount = models.DecimalField(
        _("estimated annual potential"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    billing_contact = models.ForeignKey(
        "Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("billing contact"),
        help_text=_(
            "One of the account's contacts: the nightly dunning run e-mails its letters to them."
        ),
    )
    share_of_wallet = models.DecimalField(
        "share of wallet (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Our share of what the client spends on our category."),
    )
    needs = models.TextField(blank=True)
    development_plans = models.TextField(blank=True)
    competitors = models.ManyToManyField(
        Competitor, blank=True, related_name="accounts", verbose_name=_("competitors present")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="accounts_account_status_valid", condition=Q(status__in=AccountStatus.values)
            ),
            models.CheckConstraint(
                name="accounts_account_tier_valid", condition=Q(tier__in=AccountTier.values)
            ),
            models.CheckConstraint(
                name="accounts_account_potential_not_negative",
                condition=Q(potential_amount__isnull=True) | Q(potential_amount__gte=0),
            ),
            models.CheckConstraint(
                name="accounts_account_share_of_wallet_percent",
                condition=Q(share_of_wallet__isnull=True)
                | Q(share_of_wallet__gte=0, share_of_wallet__lte=100),
            ),
        ]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["owner", "name"]),
            models.Index(fields=["territory", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.billing_contact_id and self.billing_contact.account_id != self.pk:
            raise ValidationError(
                {
                    "billing_contact": _(
                        "The billing contact must be one of this account's contacts."
                    )
                }
            )
        # Visibility follows the territory, so an owner outside it could not see their account.
        owner = self.owner if self.owner_id else None
        if owner is None:
            return
        if not owner.is_kam:
            raise ValidationError({"owner": _("The owner must be a key account manager.")})
        if self.territory_id and owner.territory_id != self.territory_id:
            raise ValidationError(
                {
                    "owner": _("%(owner)s works in %(territory)s, not in %(territory2)s.")
                    % {"owner": owner, "territory": owner.territory, "territory2": self.territory}
                }
            )


class AccountFinancials(models.Model):
    """One year of an account's published indicators: revenue, profit, headcount."""

    account_path = "account"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="financials")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    revenue = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    profit = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = _("account financials")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                name="accounts_financials_one_row_per_year",
                violation_error_message="This account already has indicators for that year.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


class DossierNoteSource(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    PUBLIC_INFO = "public_info", _("Public information")
    FEEDBACK = "feedback", _("Feedback")
    OTHER = "other", _("Other")


class DossierNote(models.Model):
    """A dated observation about an account, with where it came from."""

    account_path = "account"

    Source = DossierNoteSource

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notes")
    noted_on = models.DateField("date")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MEETING)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossier_notes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DossierNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-noted_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                name="accounts_note_source_valid", condition=Q(source__in=DossierNoteSource.values)
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.noted_on}"


class ContactDecisionRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    CHAMPION = "champion", _("Champion")
    BLOCKER = "blocker", _("Blocker")


class ContactAttitude(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    OPPONENT = "opponent", _("Opponent")


class ContactStage(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    ACQUAINTED = "acquainted", _("Acquainted")
    LOYAL = "loyal", _("Loyal")
    TRUSTED = "trusted", _("Trusted")


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("In person")
    MESSAGING = "messaging", _("Messaging")


class Contact(models.Model):
    """A person at a key client, with their role in buying decisions and our relationship."""

    account_path = "account"

    Channel = ContactChannel
    Stage = ContactStage
    Attitude = ContactAttitude
    DecisionRole = ContactDecisionRole

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    position = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    decision_role = models.CharField(
        max_length=20, choices=DecisionRole.choices, default=DecisionRole.USER
    )
    is_vip = models.BooleanField("VIP", default=False)
    is_kol = models.BooleanField(
        "key opinion leader", default=False, help_text=_("Others in the market follow their view.")
    )
    influence = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = little say, 5 = decides."),
    )
    attitude = models.CharField(max_length=10, choices=Attitude.choices, default=Attitude.NEUTRAL)
    relationship_stage = models.CharField(
        max_length=12, choices=Stage.choices, default=Stage.UNKNOWN
    )
    personal_notes = models.TextField(blank=True, help_text=_("Private: hidden from finance."))
    birthday = models.DateField(null=True, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    languages = models.CharField(max_length=100, blank=True, help_text=_("E.g. Polish, English."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Goes up with every edit: a save made from an older version is refused (lost update).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                name="accounts_contact_influence_1_to_5",
                condition=Q(influence__gte=1, influence__lte=5),
            ),
            models.CheckConstraint(
                name="accounts_contact_decision_role_valid",
                condition=Q(decision_role__in=ContactDecisionRole.values),
            ),
            models.CheckConstraint(
                name="accounts_contact_attitude_valid",
                condition=Q(attitude__in=ContactAttitude.values),
            ),
            models.CheckConstraint(
                name="accounts_contact_stage_valid",
                condition=Q(relationship_stage__in=ContactStage.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ContactRelationKind(models.TextChoices):
    REPORTS_TO = "reports_to", _("reports to")
    INFLUENCES = "influences", _("influences")
    ALLIED = "allied", _("allied with")
    RIVAL = "rival", _("rival of")


SYMMETRIC_KINDS = {ContactRelationKind.ALLIED, ContactRelationKind.RIVAL}


class ContactRelation(models.Model):
    """A directed tie between two contacts of one account: one edge of the influence map."""

    account_path = "from_contact__account"

    Kind = ContactRelationKind

    from_contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="relations_from"
    )
    to_contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        ordering = ["from_contact__last_name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_contact", "to_contact", "kind"],
                name="accounts_relation_unique",
                violation_error_message="This relation is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["from_contact"],
                condition=Q(kind="reports_to"),
                name="accounts_relation_one_boss",
                violation_error_message="This person already reports to someone.",
            ),
            models.CheckConstraint(
                name="accounts_relation_not_self",
                condition=~Q(from_contact=F("to_contact")),
                violation_error_message="A contact cannot be related to themselves.",
            ),
            models.CheckConstraint(
                name="accounts_relation_kind_valid",
                condition=Q(kind__in=ContactRelationKind.values),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_contact} {self.get_kind_display()} {self.to_contact}"

    def clean(self) -> None:
        if not (self.from_contact_id and self.to_contact_id):
            return
        if self.from_contact.account_id != self.to_contact.account_id:
            raise ValidationError({"to_contact": _("Both people must work at the same account.")})
        if (
            self.kind in SYMMETRIC_KINDS
            and ContactRelation.objects.filter(
                from_contact=self.to_contact, to_contact=self.from_contact, kind=self.kind
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(_("This relation is already recorded the other way round."))
        if self.kind == ContactRelationKind.REPORTS_TO and self._reporting_cycle():
            raise ValidationError(
                {
                    "to_contact": _(
                        "%(to_contact)s already reports, directly or not, to %(from_contact)s."
                    )
                    % {"to_contact": self.to_contact, "from_contact": self.from_contact}
                }
            )

    def _reporting_cycle(self) -> bool:
        """Would "from reports to to" make someone their own boss?"""
        bosses = dict(
            ContactRelation.objects.filter(
                kind=ContactRelationKind.REPORTS_TO,
                from_contact__account_id=self.from_contact.account_id,
            )
            .exclude(pk=self.pk)
            .values_list("from_contact_id", "to_contact_id")
        )
        current, seen = self.to_contact_id, set()
        while current is not None and current not in seen:
            if current == self.from_contact_id:
                return True
            seen.add(current)
            current = bosses.get(current)
        return False


class AccountEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    REASSIGNED = "reassigned", _("Reassigned")
    TERRITORY_CHANGED = "territory_changed", _("Territory changed")
    TIER_CHANGED = "tier_changed", _("Tier changed")
    HANDED_OVER = "handed_over", _("Work handed over")
    DELETED = "deleted", _("Deleted")


class AccountEvent(models.Model):
    """A row of an account's trail: who owned it when, its territory and tier changes, the work
    handed over on reassignment and its deletion. Written by the account services in the
    transaction of the change; never edited.

    The account is kept by id and name, not by a foreign key, so the trail outlives the
    account's deletion (commissions ask who owned a deleted account on a past date)."""

    Kind = AccountEventKind

    account_id = models.BigIntegerField(db_index=True)
    account_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # The owners before and after, for "who owned this account on date X" (created, reassigned).
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What changed, as shown: owners' and territories' names, tier labels.
    from_value = models.CharField(max_length=200, blank=True)
    to_value = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=255, blank=True)  # e.g. "3 open activities"

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account_id", "at"], name="accounts_event_account_at")]
        constraints = [
            models.CheckConstraint(
                name="accounts_accountevent_kind_valid",
                condition=Q(kind__in=AccountEventKind.values),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_name}: {self.get_kind_display()}"
