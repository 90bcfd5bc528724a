from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .timezones import zone_get


class Territory(models.Model):
    """A sales region led by one director; accounts and KAMs belong to one."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    KAM = "kam", _("Key account manager")
    DIRECTOR = "director", _("Sales director")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")


class ReminderDelivery(models.TextChoices):
    EMAIL = "email", _("An email for each reminder")
    DIGEST = "digest", _("One email a day with the day's reminders")
    IN_APP = "in_app", _("In the app only")


class TeamUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


def person_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """A user as people read them: the name, else the login. For rows read without the model
    (a report grouped by KAM reads the three columns)."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


class User(AbstractUser):
    """A person who signs in: a KAM, a sales director, finance or an administrator."""

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.KAM)
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        limit_choices_to={"role": Role.DIRECTOR},
    )
    time_zone = models.CharField(max_length=64, default="Europe/Warsaw")
    reminder_delivery = models.CharField(
        max_length=10, choices=ReminderDelivery.choices, default=ReminderDelivery.DIGEST
    )
    # Empty until the user chooses (or first signs in): then the browser's language is taken.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("Pages, e-mails and reminders are in this language."),
    )

    objects = TeamUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(name="team_user_role_valid", condition=Q(role__in=Role.values)),
            models.CheckConstraint(
                name="team_user_field_roles_have_territory",
                condition=~Q(role__in=[Role.KAM, Role.DIRECTOR]) | Q(territory__isnull=False),
            ),
            models.CheckConstraint(
                name="team_user_reminder_delivery_valid",
                condition=Q(reminder_delivery__in=ReminderDelivery.values),
            ),
        ]

    @property
    def language_code(self) -> str:
        """The language of this user's pages, e-mails and reminders."""
        return self.language or settings.LANGUAGE_CODE

    def __str__(self) -> str:
        return person_name(self.first_name, self.last_name, self.username)

    def clean(self) -> None:
        super().clean()
        if self.pk and self.territory_id != self._loaded_territory_id:
            owned = self.owned_accounts.count()
            if owned:
                raise ValidationError(
                    {
                        "territory": _(
                            "%(self)s owns %(owned)s accounts in their current territory; "
                            "reassign them before moving this person."
                        )
                        % {"self": self, "owned": owned}
                    }
                )

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        # Remembered so clean() can tell a move between territories.
        user._loaded_territory_id = user.__dict__.get("territory_id")
        return user

    @property
    def is_kam(self) -> bool:
        return self.role == Role.KAM

    @property
    def is_director(self) -> bool:
        return self.role == Role.DIRECTOR

    @property
    def is_finance(self) -> bool:
        return self.role == Role.FINANCE

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def tzinfo(self) -> ZoneInfo:
        """The user's time zone; the site's default when the stored name is not a known zone."""
        return zone_get(self.time_zone) or ZoneInfo(settings.TIME_ZONE)


class SavedView(models.Model):
    """A list's filters and sort, named by a user to pick again (core/listing's saved views).

    `list_key` is the list page's URL name ("deals:deal_list"); `query` its query string without
    the page number. Shared views are offered to the owner's team: the people of the owner's
    territory (a director's KAMs), or, for those without one (finance, administrators), the
    others of the same role. Whoever picks a view sees only what their own scope lets them.
    """

    NAME_MAX = 80
    QUERY_MAX = 2000

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_key = models.CharField(max_length=100)
    name = models.CharField(max_length=NAME_MAX)
    query = models.CharField(max_length=QUERY_MAX, blank=True)
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"], name="team_savedview_one_name_per_list"
            ),
        ]
        indexes = [models.Index(fields=["list_key", "owner"], name="team_savedview_list_idx")]

    def __str__(self) -> str:
        return self.name
