"""Forms for the activity pages. Times are entered in the user's time zone (activated by
team.middleware) and come out as aware datetimes; an hour that does not exist there (the
spring-forward gap) is a form error, not a guess."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.forms import DATE_INPUT, SplitDateTimeWidget
from core.pickers import use_picker
from team import access
from team.models import ReminderDelivery, User
from team.timezones import zone_choices

from .access import activity_owners_for
from .models import MAX_DURATION_MINUTES, PLANNABLE_YEARS, ActivityType, plannable_error

WHEN_WIDGET = SplitDateTimeWidget(
    date_attrs={"type": "date"},
    time_attrs={"type": "time", "step": 300},
    date_format="%Y-%m-%d",
    time_format="%H:%M",
)
LOGGED_TYPES = [
    (t.value, t.label)
    for t in (
        ActivityType.CALL,
        ActivityType.VISIT,
        ActivityType.MEETING,
        ActivityType.EMAIL,
        ActivityType.TRAINING,
        ActivityType.MERCHANDISING,
        ActivityType.EVENT,
    )
]
FOLLOW_UP_TYPES = [
    (t.value, t.label)
    for t in (ActivityType.TASK, ActivityType.CALL, ActivityType.VISIT, ActivityType.EMAIL)
]


def _plannable(value) -> None:
    if value is not None and (error := plannable_error(value)):
        raise forms.ValidationError(error)


def _when(label: str = "When", **kwargs) -> forms.SplitDateTimeField:
    return forms.SplitDateTimeField(
        label=label, widget=WHEN_WIDGET, validators=[_plannable], **kwargs
    )


def _duration(initial: int = 60) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=MAX_DURATION_MINUTES,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": 15}),
    )


class NextStepFields(forms.Form):
    next_step = forms.CharField(max_length=255, required=False, label=_("Next step"))
    next_step_due = forms.DateField(
        required=False, label=_("Due"), widget=DATE_INPUT, validators=[_plannable]
    )
    next_step_type = forms.ChoiceField(
        choices=FOLLOW_UP_TYPES, initial=ActivityType.TASK, label=_("Follow up as")
    )


class ContactsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.full_name}{f' ({obj.position})' if obj.position else ''}"


def _account_contacts(account: Account, user: User) -> ContactsField:
    """The account's people the user may see: a KAM doing a task on someone else's account
    (assigned by a director) does not see that account's contacts."""
    return ContactsField(
        queryset=Contact.objects.visible_to(user).select_related("account").filter(account=account),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("People involved"),
    )


class ActivityLogForm(NextStepFields):
    """A call or visit that already happened, logged from the account page."""

    type = forms.ChoiceField(choices=LOGGED_TYPES, initial=ActivityType.CALL, label=_("What"))
    starts_at = _when()
    duration_minutes = _duration(30)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Outcome"))

    field_order = ["type", "starts_at", "duration_minutes", "contacts", "outcome"]

    def __init__(self, *args, account: Account, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"] = _account_contacts(account, user)
        self.order_fields(self.field_order)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)


class ActivityCompleteForm(NextStepFields):
    """What came of a planned activity."""

    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Outcome"))

    field_order = ["contacts", "outcome"]

    def __init__(self, *args, account: Account, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"] = _account_contacts(account, user)
        self.order_fields(self.field_order)


class ActivityPlanForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("For"), empty_label=None)
    type = forms.ChoiceField(choices=ActivityType.choices, initial=ActivityType.VISIT)
    account = forms.ModelChoiceField(queryset=Account.objects.none())
    starts_at = _when()
    duration_minutes = _duration()
    place = forms.CharField(max_length=200, required=False)
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = activity_owners_for(user)
        self.fields["account"].queryset = Account.objects.editable_by(user).only("name")
        use_picker(self.fields["account"], "accounts:pick", depends=("owner",))
        if user.is_kam:
            self.fields["owner"].widget = forms.HiddenInput()


class ActivityRescheduleForm(forms.Form):
    starts_at = _when("New time")
    duration_minutes = _duration()


class TaskAssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("KAM"))
    account = forms.ModelChoiceField(queryset=Account.objects.none())
    starts_at = _when("Due")
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("What should be done"), max_length=2000
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = access.owners_assignable_by(user)
        self.fields["account"].queryset = Account.objects.editable_by(user).only("name")
        # The accounts offered follow the KAM chosen above.
        use_picker(self.fields["account"], "accounts:pick", depends=("owner",))


class WeekForm(forms.Form):
    """The planner's and summary's query string: which week, and whose planner."""

    week = forms.DateField(required=False, widget=DATE_INPUT)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("KAM"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = activity_owners_for(user)

    def clean_week(self):
        week = self.cleaned_data["week"]
        if week is not None and not PLANNABLE_YEARS[0] <= week.year <= PLANNABLE_YEARS[1]:
            raise forms.ValidationError(
                _("Choose a week between %(first)s and %(last)s."),
                params={"first": PLANNABLE_YEARS[0], "last": PLANNABLE_YEARS[1]},
            )
        return week


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect, required=False
    )
    time_zone = forms.ChoiceField(
        choices=zone_choices, help_text=_("Times are shown and entered in this zone.")
    )
    reminder_delivery = forms.ChoiceField(
        choices=ReminderDelivery.choices,
        widget=forms.RadioSelect,
        label=_("Reminders by e-mail"),
        help_text=_("Reminders always appear under the bell; choose how you also want them."),
    )
