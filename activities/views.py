import secrets
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Account
from core.forms import form_submit
from core.history import history_entries
from core.htmx import render_list
from core.listing import list_page
from core.localtime import week_monday
from core.outcomes import outcome_parts
from core.pagination import DeepPaginator
from core.views import RecordFormPage
from team import access
from team.services import (
    api_token_create,
    api_token_created_on,
    api_token_revoke,
    user_preferences_update,
)

from . import selectors, services
from .access import activity_can_edit
from .calendar import calendar_feed_build
from .exports import ACTIVITY_COLUMNS
from .filters import ActivityFilterSet, NotificationFilterSet
from .forms import (
    ActivityCompleteForm,
    ActivityLogForm,
    ActivityPlanForm,
    ActivityRescheduleForm,
    PreferencesForm,
    TaskAssignForm,
    WeekForm,
)
from .kinds import KIND_LABELS
from .models import Activity, ActivityStatus, CalendarFeed, Notification

PAGE_SIZE = 25
# The largest id any of our databases stores (a signed 64-bit integer); a larger one in an
# address would overflow the query instead of finding nothing.
MAX_ID = 2**63 - 1
OPEN_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.MISSED)


def _sales_only(user) -> None:
    if not access.is_sales(user):
        raise PermissionDenied(_("Visits, calls and their outcomes are private to the sales team."))


def _directors_only(user) -> None:
    if not (user.is_director or user.is_admin_role):
        raise PermissionDenied(_("This page is for sales directors."))


def _posted(request):
    """The POST data to bind a form to, even when empty (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _planner_url(*, monday: date, owner_id: int, **extra) -> str:
    query = {"week": monday.isoformat(), "owner": owner_id, **extra}
    return f"{reverse('activities:planner')}?{urlencode(query)}"


def _week(request, params) -> tuple[WeekForm, date, object]:
    """The week and the owner the query string asks for; defaults for what it gets wrong."""
    form = WeekForm(params, user=request.user)
    form.is_valid()
    today = timezone.localdate()
    day = form.cleaned_data.get("week") or today
    owner = form.cleaned_data.get("owner") or request.user
    return form, week_monday(day), owner


def _planner_page(request, *, params, plan_form=None, opened=None, reschedule_form=None):
    form, monday, owner = _week(request, params)
    if plan_form is None and params.get("new"):
        try:
            slot = parse_datetime(params["new"])
        except ValueError:  # well-formed but not on the calendar, such as 30 February
            slot = None
        if slot is not None and timezone.is_naive(slot):
            plan_form = ActivityPlanForm(
                user=request.user,
                initial={"starts_at": slot, "owner": owner, "duration_minutes": 60},
            )
    if opened is None and params.get("open"):
        opened = Activity.objects.get_for_user(request.user, params["open"])
    opened_can_edit = opened is not None and activity_can_edit(request.user, opened)
    if opened_can_edit and opened.status in OPEN_STATUSES and reschedule_form is None:
        reschedule_form = ActivityRescheduleForm(
            initial={
                "starts_at": timezone.localtime(opened.starts_at),
                "duration_minutes": opened.duration_minutes,
            }
        )
    context = {
        "week": selectors.planner_week(
            user=request.user,
            owner=owner,
            monday=monday,
            zone=timezone.get_current_timezone(),
            now=timezone.now(),
        ),
        "week_form": form,
        "owners": form.fields["owner"].queryset if not request.user.is_kam else None,
        "plan_form": plan_form,
        "opened": opened,
        "opened_can_edit": opened_can_edit,
        "reschedule_form": reschedule_form if opened_can_edit else None,
        "htmx": bool(request.htmx),
    }
    return render_list(
        request,
        template="activities/planner.html",
        fragment="activities/partials/planner.html",
        context=context,
    )


@require_GET
def planner(request):
    _sales_only(request.user)
    return _planner_page(request, params=request.GET)


class ActivityPlanPage(RecordFormPage):
    """Plan a visit, call, meeting or event: its own page, or the planner's form (htmx), which
    answers with the planner's week."""

    form_class = ActivityPlanForm
    template_name = "activities/activity_form.html"

    def check_create(self):
        _sales_only(self.request.user)

    def form_kwargs(self):
        return {"user": self.request.user, "initial": self.request.GET.dict()}

    def create(self, form):
        return services.activity_plan(actor=self.request.user, **form.cleaned_data)

    def success_message(self, activity):
        return _("%(type)s planned.") % {"type": activity.get_type_display()}

    def success_url(self, activity):
        monday = week_monday(timezone.localdate(activity.starts_at))
        return _planner_url(monday=monday, owner_id=activity.owner_id)

    def saved_response(self, activity):
        if not self.request.htmx:
            return super().saved_response(activity)
        messages.success(self.request, self.success_message(activity))
        monday = week_monday(timezone.localdate(activity.starts_at))
        return _planner_page(self.request, params={"week": monday, "owner": activity.owner_id})

    def form_response(self, form, context, status):
        if self.request.htmx and self.request.method == "POST":
            return _planner_page(self.request, params=self.request.POST, plan_form=form)
        return super().form_response(form, context, status)


activity_create = ActivityPlanPage.as_view()


def activity_detail(request, pk: int):
    _sales_only(request.user)
    activity = Activity.objects.get_for_user(request.user, pk)
    return _detail_page(request, activity)


def _outcome_forms(user, activity, data=None) -> list:
    """Other apps' parts of the outcome form (core/outcomes.py) this user is offered."""
    return [
        (part, part.form(data, prefix=part.prefix))
        for part in outcome_parts()
        if part.offers(user, activity.account)
    ]


def _detail_page(
    request,
    activity,
    *,
    complete_form=None,
    reschedule_form=None,
    outcome_forms=None,
    status=200,
):
    can_edit = activity_can_edit(request.user, activity)
    open_ = activity.status in OPEN_STATUSES
    if can_edit and open_:
        complete_form = complete_form or ActivityCompleteForm(
            account=activity.account,
            user=request.user,
            initial={"contacts": list(activity.contacts.all())},
        )
        reschedule_form = reschedule_form or ActivityRescheduleForm(
            initial={
                "starts_at": timezone.localtime(activity.starts_at),
                "duration_minutes": activity.duration_minutes,
            }
        )
    if can_edit and open_ and outcome_forms is None:
        outcome_forms = _outcome_forms(request.user, activity)
    context = {
        "activity": activity,
        "outcome_parts": outcome_forms or [],
        "contacts": list(activity.contacts.all()),
        "follow_ups": list(activity.follow_ups.select_related("owner")),
        "can_edit": can_edit,
        "is_open": open_,
        "complete_form": complete_form if can_edit and open_ else None,
        "reschedule_form": reschedule_form if can_edit and open_ else None,
        "next": _safe_next(request, ""),
        "history": history_entries(instance=activity),  # every status move: who, when, from, to
    }
    return render(request, "activities/activity_detail.html", context, status=status)


@require_POST
def activity_complete(request, pk: int):
    _sales_only(request.user)
    activity = Activity.objects.get_for_user(request.user, pk, write=True)
    form = ActivityCompleteForm(request.POST, account=activity.account, user=request.user)
    parts = _outcome_forms(request.user, activity, request.POST)
    checked = [part_form.is_valid() for _part, part_form in parts]  # each shows its errors
    parts_valid = all(checked)
    done = form_submit(
        form,
        lambda: (
            services.activity_complete(
                actor=request.user,
                activity=activity,
                parts=[(part, part_form.cleaned_data) for part, part_form in parts],
                **form.cleaned_data,
            )
            if parts_valid
            else None
        ),
    )
    if done:
        follow_up = " The next step is in your planner." if done.next_step else ""
        messages.success(request, _("Outcome logged.%(follow_up)s") % {"follow_up": follow_up})
        return redirect(_safe_next(request, reverse("activities:detail", args=[pk])))
    activity.refresh_from_db()
    return _detail_page(request, activity, complete_form=form, outcome_forms=parts)


@require_POST
def activity_reschedule(request, pk: int):
    _sales_only(request.user)
    activity = Activity.objects.get_for_user(request.user, pk, write=True)
    form = ActivityRescheduleForm(request.POST)
    moved = form_submit(
        form,
        lambda: services.activity_reschedule(
            actor=request.user, activity=activity, **form.cleaned_data
        ),
    )
    if moved:
        local = timezone.localtime(moved.starts_at)
        messages.success(
            request, _("Moved to %(local)s.") % {"local": formats.date_format(local, "D d M, H:i")}
        )
    monday = week_monday(timezone.localdate((moved or activity).starts_at))
    if request.htmx:
        activity.refresh_from_db()
        return _planner_page(
            request,
            params={"week": monday, "owner": activity.owner_id},
            opened=None if moved else activity,
            reschedule_form=None if moved else form,
        )
    if moved:
        return redirect(_safe_next(request, _planner_url(monday=monday, owner_id=moved.owner_id)))
    activity.refresh_from_db()
    return _detail_page(request, activity, reschedule_form=form)


def _status_change(request, pk: int, service, message: str):
    activity = Activity.objects.get_for_user(request.user, pk, write=True)
    try:
        service(actor=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect(_safe_next(request, reverse("activities:detail", args=[pk])))


@require_POST
def activity_cancel(request, pk: int):
    _sales_only(request.user)
    return _status_change(request, pk, services.activity_cancel, "Activity cancelled.")


@require_POST
def activity_mark_missed(request, pk: int):
    _sales_only(request.user)
    return _status_change(request, pk, services.activity_mark_missed, "Marked as missed.")


class ActivityLogPage(RecordFormPage):
    """Log a call or visit that already happened, from the account's page."""

    form_class = ActivityLogForm
    template_name = "activities/activity_log.html"

    def check_create(self):
        _sales_only(self.request.user)
        self.account = Account.objects.get_for_user(
            self.request.user, self.kwargs["account_pk"], write=True
        )

    def form_kwargs(self):
        return {"account": self.account, "user": self.request.user}

    def create(self, form):
        return services.activity_log(
            actor=self.request.user, account=self.account, **form.cleaned_data
        )

    def success_message(self, activity):
        return _("%(type)s logged.") % {"type": activity.get_type_display()}

    def success_url(self, activity):
        return reverse("accounts:detail", args=[self.account.pk]) + "#timeline"

    def context(self, form):
        return {"account": self.account}


activity_log = ActivityLogPage.as_view()


@require_GET
def account_timeline(request, account_pk: int):
    """One page of an account's timeline, narrowed to a kind (htmx: the filter and "Show
    older" on the account page)."""
    _sales_only(request.user)
    account = Account.objects.get_for_user(request.user, account_pk)
    timeline = selectors.account_timeline(
        user=request.user,
        account=account,
        zone=timezone.get_current_timezone(),
        query=selectors.TimelineQuery.from_params(request.GET),
        cumulative=False,
    )
    context = {
        "account": account,
        "timeline": timeline,
        "can_edit_notes": access.account_can_edit(request.user, account),
    }
    return render(request, "activities/partials/timeline_entries.html", context)


def activity_list(request):
    _sales_only(request.user)
    filterset = ActivityFilterSet(
        request.GET,
        queryset=selectors.activities_for_listing(user=request.user),
        request=request,
    )
    context, download = list_page(
        request, filterset, columns=ACTIVITY_COLUMNS, export_name="activities"
    )
    if download:
        return download
    context["default_order"] = gettext_lazy("latest first")
    return render_list(
        request,
        template="activities/activity_list.html",
        fragment="activities/partials/activity_table.html",
        context=context,
    )


@require_GET
def today(request):
    _sales_only(request.user)
    view = selectors.today_view(
        user=request.user, now=timezone.now(), zone=timezone.get_current_timezone()
    )
    return render(request, "activities/today.html", {"view": view})


@require_GET
def neglected(request):
    _sales_only(request.user)
    form, _, _ = _week(request, request.GET)
    chosen = form.cleaned_data.get("owner")
    now = timezone.now()
    accounts = selectors.neglected_accounts(user=request.user, now=now, owner=chosen)
    page = DeepPaginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    owners = form.fields["owner"].queryset if not request.user.is_kam else None
    cadence_owners = access.owners_assignable_by(request.user)
    if chosen is not None:
        cadence_owners = cadence_owners.filter(pk=chosen.pk)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "owners": owners,
        "chosen": chosen,
        "cadence": selectors.cadence_summary(user=request.user, now=now, owners=cadence_owners),
        "query": query.urlencode(),
        "now": now,
    }
    return render(request, "activities/neglected.html", context)


@require_GET
def summary(request):
    _directors_only(request.user)
    form, monday, _ = _week(request, request.GET)
    rows = selectors.weekly_summary(
        user=request.user, monday=monday, zone=timezone.get_current_timezone()
    )
    context = {
        "form": form,
        "monday": monday,
        "sunday": monday.fromordinal(monday.toordinal() + 6),
        "previous": monday.fromordinal(monday.toordinal() - 7),
        "next": monday.fromordinal(monday.toordinal() + 7),
        "rows": rows,
    }
    return render(request, "activities/summary.html", context)


@require_http_methods(["GET", "POST"])
def task_assign(request):
    _directors_only(request.user)
    form = TaskAssignForm(_posted(request), user=request.user, initial=request.GET.dict())
    if request.method == "POST":
        task = form_submit(
            form,
            lambda: services.task_assign(actor=request.user, **form.cleaned_data),
        )
        if task:
            messages.success(request, _("Task assigned to %(owner)s.") % {"owner": task.owner})
            monday = week_monday(timezone.localdate(task.starts_at))
            return redirect(_planner_url(monday=monday, owner_id=task.owner_id))
    return render(request, "activities/task_assign.html", {"form": form})


# Notifications ---------------------------------------------------------------------------


@require_GET
def notifications(request):
    filterset = NotificationFilterSet(
        request.GET, queryset=selectors.notifications_for_listing(user=request.user)
    )
    page = DeepPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.kind_label = KIND_LABELS.get(notification.kind, "")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "filter": filterset,
        "kinds": selectors.notification_kind_counts(user=request.user),
        "chosen_kind": request.GET.get("kind", ""),
    }
    return render(request, "activities/notifications.html", context)


@require_POST
def notification_read(request, pk: int):
    notification = Notification.objects.get_for_user(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        return render(
            request, "activities/partials/notification.html", {"notification": notification}
        )
    return redirect(_safe_next(request, reverse("activities:notifications")))


@require_POST
def notification_open(request, pk: int):
    notification = Notification.objects.get_for_user(request.user, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("activities:notifications")
    return redirect(target or reverse("activities:notifications"))


@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked read.", "%(count)s notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect("activities:notifications")


# Settings and the calendar feed ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def my_settings(request):
    user = request.user
    form = PreferencesForm(
        _posted(request),
        initial={
            "time_zone": user.time_zone,
            "reminder_delivery": user.reminder_delivery,
            "language": user.language_code,
        },
    )
    if request.method == "POST":
        saved = form_submit(form, lambda: user_preferences_update(user=user, **form.cleaned_data))
        if saved:
            translation.activate(user.language_code)  # say so in the language just chosen
            messages.success(request, _("Settings saved."))
            return redirect("activities:settings")
    feed = CalendarFeed.objects.filter(user=user).first()
    context = {
        "form": form,
        "feed_url": request.build_absolute_uri(
            reverse("activities:calendar_feed", args=[user.pk, feed.token])
        )
        if feed
        else None,
        "may_have_feed": access.is_sales(user),
        # The key is shown once, on the page right after it was made; later only its date.
        "api_token": request.session.pop(API_TOKEN_ONCE, None),
        "api_token_created": api_token_created_on(user=user),
    }
    return render(request, "activities/settings.html", context)


API_TOKEN_ONCE = "api_token_once"  # noqa: S105 (a session key, not a secret)


@require_POST
def api_token_new(request):
    request.session[API_TOKEN_ONCE] = api_token_create(user=request.user)
    messages.success(
        request, gettext("Your new API token is below. Copy it now: it is not shown again.")
    )
    return redirect(reverse("activities:settings") + "#api-token")


@require_POST
def api_token_delete(request):
    if api_token_revoke(user=request.user):
        messages.success(
            request, gettext("Your API token is revoked: programs using it are refused.")
        )
    return redirect(reverse("activities:settings") + "#api-token")


@require_POST
def calendar_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. Any calendar using the old one stops updating."),
    )
    return redirect(reverse("activities:settings") + "#calendar")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request, user_id: int, token: str):
    """The private iCalendar feed: no login (calendar apps cannot log in), the secret in the
    address instead. A wrong secret is a 404, like an address that does not exist."""
    if user_id > MAX_ID:
        raise Http404("No such calendar.")
    feed = CalendarFeed.objects.select_related("user").filter(user_id=user_id).first()
    if feed is None or not secrets.compare_digest(feed.token.encode(), token.encode()):
        raise Http404("No such calendar.")
    if not feed.user.is_active or not access.is_sales(feed.user):
        raise Http404("No such calendar.")
    body = calendar_feed_build(user=feed.user, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kam-crm.ics"'
    return response
