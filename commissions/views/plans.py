"""Pages of plans, fulfilment and ABC: thin; each checks access first, reads through the
selectors and calls one service."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Account
from core.forms import form_submit
from core.htmx import wants_fragment
from core.money import DEFAULT_CURRENCY
from team.models import Territory

from .. import access
from ..charts import pareto_chart, trend_chart
from ..forms import FIELD_CHOICES, TierOverrideForm, YearPlanForm
from ..selectors import abc as abc_selectors
from ..selectors import fulfilment as f
from ..selectors import plans as plan_selectors
from ..selectors.pareto import pareto_points
from ..services import abc as abc_services
from ..services import plans as plan_services

FIELDS = dict(FIELD_CHOICES)
ABC_PAGE_SIZE = 50


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if year in plan_services.YEARS else timezone.localdate().year


def _territory(request, *, user) -> Territory | None:
    """Directors and KAMs work in their own territory; admins and finance pick one (or all)."""
    if user.is_director or user.is_kam:
        return user.territory
    pk = request.GET.get("territory") or request.POST.get("territory")
    if pk and pk.isdigit():
        return Territory.objects.filter(pk=pk).first()
    return None


def _kams(user, territory):
    kams = access.kams_visible_to(user).filter(is_active=True)
    return kams.filter(territory=territory) if territory else kams


# --- Plans grid (director) --------------------------------------------------------------------


@require_GET
def plan_grid(request, *, form=None, status=200):
    user = request.user
    if not (access.can_plan(user) or user.is_finance):
        raise Http404
    year, territory = _year(request), _territory(request, user=user)
    field = request.GET.get("field") or request.POST.get("field") or "revenue_target"
    if field not in FIELDS:
        field = "revenue_target"
    kams = _kams(user, territory)
    rows = plan_selectors.plan_grid(kams=kams, year=year, field=field)
    context = {
        "rows": rows,
        "year": year,
        "field": field,
        "field_label": FIELDS[field],
        "fields": FIELD_CHOICES,
        "territory": territory,
        "territories": Territory.objects.all() if not user.territory_id else [],
        "can_edit": access.can_plan(user),
        "form": form or YearPlanForm(kams=[row.kam for row in rows], initial={"field": field}),
        "changes": plan_selectors.plan_changes(kam_ids=[row.kam.pk for row in rows], limit=15),
        "money": field != "new_clients_target",
    }
    return render(request, "commissions/plans/grid.html", context, status=status)


@require_POST
def plan_cell(request):
    """One cell typed in place (htmx): the cell back, with its error when refused."""
    try:
        kam_id = int(request.POST.get("kam", ""))
        month = date.fromisoformat(request.POST.get("month", ""))
    except ValueError:
        raise Http404 from None
    field = request.POST.get("field", "")
    error, value = "", request.POST.get("value", "").strip().replace(" ", "").replace(",", ".")
    try:
        kam = access.kam_for_planning(request.user, kam_id)
    except ValidationError as refused:
        return HttpResponseBadRequest(" ".join(refused.messages))
    try:
        plan = plan_services.plan_cell_set(
            actor=request.user,
            kam=kam,
            month=month,
            field=field,
            value=value or "0",
            reason=request.POST.get("reason", ""),
        )
        value = getattr(plan, field)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    context = {
        "kam": kam,
        "month": month,
        "field": field,
        "value": value,
        "error": error,
        "total": plan_selectors.plan_year_total(kam_id=kam.pk, year=month.year, field=field),
        "money": field != "new_clients_target",
    }
    if not wants_fragment(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Plan saved."))
        return redirect(f"{reverse('commissions:plan_grid')}?year={month.year}&field={field}")
    # 200 even when refused: htmx swaps only successful responses, and the cell must show its
    # error beside the figure the user typed (kept, not lost).
    return render(request, "commissions/plans/partials/cell.html", context)


@require_POST
def plan_year(request):
    user = request.user
    if not access.can_plan(user):
        raise Http404
    year = _year(request)
    kams = list(_kams(user, _territory(request, user=user)))
    form = YearPlanForm(request.POST, kams=kams)
    by_pk = {kam.pk: kam for kam in kams}

    def act():
        kam = access.kam_get_for_user(user, form.cleaned_data["kam"], write=True)
        data = form.cleaned_data
        if data["action"] == YearPlanForm.COPY:
            return plan_services.plan_year_copy(
                actor=user, kam=kam, year=year, percent=data["percent"], reason=data["reason"]
            )
        return plan_services.plan_year_spread(
            actor=user,
            kam=kam,
            year=year,
            field=data["field"],
            total=data["total"],
            method=data["method"] or plan_services.SPREAD_SEASONAL,
            reason=data["reason"],
        )

    done = form_submit(form, act)
    if done is None:
        request.method = "GET"
        request.GET = request.POST
        return plan_grid(request, form=form, status=400)
    kam = by_pk.get(form.cleaned_data["kam"])
    if done.method == plan_services.SPREAD_EVEN and form.cleaned_data["method"] == "seasonal":
        messages.warning(
            request, _("%(kam)s invoiced nothing last year: spread evenly.") % {"kam": kam}
        )
    messages.success(
        request,
        _("Plan of %(kam)s for %(year)s saved (%(n)s cells changed).")
        % {"kam": kam, "year": year, "n": done.changed},
    )
    field = form.cleaned_data.get("field") or "revenue_target"
    return redirect(f"{reverse('commissions:plan_grid')}?year={year}&field={field}")


# --- My plan (KAM) ----------------------------------------------------------------------------


def _plan_page(request, kam):
    year = _year(request)
    plans = {plan.month: plan for plan in plan_selectors.plan_months(kam_id=kam.pk, year=year)}
    currency = next((plan.currency for plan in plans.values()), DEFAULT_CURRENCY)
    by_month = f.monthly_history(kam_id=kam.pk, year=year, currency=currency)
    today = timezone.localdate()
    year_period = f.period_parse(text=str(year))
    context = {
        "kam": kam,
        "year": year,
        "months": [(month, plans.get(month), done) for month, done in by_month.items()],
        "year_figures": f.fulfilment_by_kam(
            kam_ids=[kam.pk], start=year_period.start, end=year_period.end
        )[0],
        "left": f.whats_left(kam_id=kam.pk, period=year_period, today=today)
        if year_period.end > today
        else None,
        "changes": plan_selectors.plan_changes(kam_ids=[kam.pk], limit=20),
        "own": kam.pk == request.user.pk,
    }
    return render(request, "commissions/plans/my_plan.html", context)


@require_GET
def my_plan(request):
    if not request.user.is_kam:
        raise Http404
    return _plan_page(request, request.user)


@require_GET
def kam_plan(request, pk: int):
    return _plan_page(request, access.kam_get_for_user(request.user, pk))


# --- Fulfilment -------------------------------------------------------------------------------


def _period(request) -> tuple[f.Period, str]:
    text = request.GET.get("period", "")
    today = timezone.localdate()
    if not text:
        return f.period_of(day=today), ""
    try:
        return f.period_parse(text=text), ""
    except ValueError:
        return f.period_of(day=today), _("Not a period: use 2026, 2026-Q3 or 2026-09.")


def _period_choices(period: f.Period) -> list[str]:
    year = period.start.year
    return [
        str(year),
        *[f"{year}-Q{q}" for q in range(1, 5)],
        *[f"{year}-{m:02d}" for m in range(1, 13)],
    ]


@require_GET
def fulfilment(request):
    user = request.user
    period, error = _period(request)
    territory = _territory(request, user=user)
    kams = _kams(user, territory)
    rows = f.fulfilment_by_kam(
        kam_ids=list(kams.values_list("pk", flat=True)), start=period.start, end=period.end
    )
    context = {
        "period": period,
        "period_error": error,
        "periods": _period_choices(period),
        "rows": rows,
        "total": f.fulfilment_total(rows=rows, name=str(territory or _("Company")))
        if len(rows) > 1
        else None,
        "territory": territory,
        "territories": Territory.objects.all() if not user.territory_id else [],
    }
    return render(request, "commissions/plans/fulfilment.html", context)


@require_GET
def fulfilment_kam(request, pk: int):
    kam = access.kam_get_for_user(request.user, pk)
    period, error = _period(request)
    figures = f.fulfilment_by_kam(kam_ids=[kam.pk], start=period.start, end=period.end)[0]
    today = timezone.localdate()
    context = {
        "kam": kam,
        "period": period,
        "period_error": error,
        "periods": _period_choices(period),
        "figures": figures,
        "accounts": f.fulfilment_by_account(
            kam_id=kam.pk, start=period.start, end=period.end, currency=figures.currency
        ),
        "left": f.whats_left(kam_id=kam.pk, period=period, today=today)
        if period.end > today
        else None,
    }
    return render(request, "commissions/plans/fulfilment_kam.html", context)


def _month_in(text: str, period: f.Period) -> f.Period | None:
    """The month of the drill-down ("2026-09") when it lies in the period, else None."""
    try:
        month = f.period_parse(text=text)
    except ValueError:
        return None
    inside = month.kind == f.MONTH and period.start <= month.start < period.end
    return month if inside else None


@require_GET
def fulfilment_account(request, pk: int, account_pk: int):
    kam = access.kam_get_for_user(request.user, pk)
    period, error = _period(request)
    currency = f.fulfilment_by_kam(kam_ids=[kam.pk], start=period.start, end=period.end)[0].currency
    categories = f.fulfilment_by_category(
        kam_id=kam.pk, account_id=account_pk, start=period.start, end=period.end, currency=currency
    )
    account = Account.objects.filter(pk=account_pk).only("pk", "name").first()
    # An account the user cannot see is shown only for the revenue credited to the KAM on it
    # (earned before a reassignment); otherwise it is not there for them.
    if account is None or (
        not categories
        and not Account.objects.visible_to(request.user).filter(pk=account_pk).exists()
    ):
        raise Http404
    category = request.GET.get("category", "")
    months = lines = month = None
    if category:
        where = {
            "kam_id": kam.pk,
            "account_id": account_pk,
            "category_id": int(category) if category.isdigit() else None,
            "currency": currency,
        }
        months = f.fulfilment_by_month(start=period.start, end=period.end, **where)
        month = _month_in(request.GET.get("month", ""), period)
        if month is not None:
            lines = f.fulfilment_lines(start=month.start, end=month.end, **where)
    context = {
        "kam": kam,
        "account": account,
        "period": period,
        "period_error": error,
        "currency": currency,
        "categories": categories,
        "category": category,
        "months": months,
        "month": month,
        "lines": lines,
    }
    return render(request, "commissions/plans/fulfilment_account.html", context)


# --- Pareto / ABC -----------------------------------------------------------------------------


@require_GET
def abc(request):
    user = request.user
    territory = _territory(request, user=user)
    by_margin = request.GET.get("view") == "margin"
    classes = list(
        abc_selectors.classes_visible_to(user=user, territory_id=territory and territory.pk)
    )
    if by_margin:
        classes.sort(key=lambda c: c.margin_rank)
    today = timezone.localdate()
    overrides = abc_selectors.live_overrides(
        account_ids=[c.account_id for c in classes], today=today
    )
    split = abc_selectors.class_split(classes=classes, by_margin=by_margin)
    rows = [(c, overrides.get(c.account_id)) for c in classes]
    page = Paginator(rows, ABC_PAGE_SIZE).get_page(request.GET.get("page"))
    show_concentration = access.can_see_concentration(user)
    trend = (
        abc_selectors.concentration_trend(territory_id=territory and territory.pk)
        if show_concentration
        else []
    )
    last_run = abc_selectors.last_run()
    context = {
        "territory": territory,
        "territories": Territory.objects.all() if not user.territory_id else [],
        "by_margin": by_margin,
        "page": page,
        "split": split,
        "key_clients": [c for c in classes if c.is_key],
        "curve": pareto_chart(points=pareto_points(classes=classes, by_margin=by_margin)),
        "changes": abc_selectors.tier_history(account_ids=[c.account_id for c in classes])[:20],
        "trend": trend,
        "trend_chart": trend_chart(trend=trend, url=request.get_full_path()) if trend else "",
        "show_concentration": show_concentration,
        "can_run": access.can_run_abc(user),
        "last_run": last_run,
    }
    return render(request, "commissions/plans/abc.html", context)


@require_POST
def abc_run(request):
    if not access.can_run_abc(request.user):
        raise Http404
    run = abc_services.abc_run(actor=request.user)
    messages.success(
        request,
        _("ABC classification done: %(n)s accounts, %(c)s class changes.")
        % {"n": run.accounts, "c": run.changes},
    )
    return redirect("commissions:abc")


@require_POST
def tier_override(request, pk: int):
    account = Account.objects.get_for_user(request.user, pk)
    if not access.can_override_tier(request.user, account):
        raise PermissionDenied(_("Only a director or an admin sets an account's tier by hand."))
    if request.POST.get("lift"):
        try:
            abc_services.tier_override_lift(actor=request.user, account=account)
            messages.success(request, _("Manual tier lifted."))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        return redirect("accounts:detail", pk=account.pk)
    form = TierOverrideForm(request.POST)
    done = form_submit(
        form,
        lambda: abc_services.tier_override_set(
            actor=request.user,
            account=account,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
            expires_on=form.cleaned_data["expires_on"],
        ),
    )
    if done:
        messages.success(request, _("Tier set by hand until %(day)s.") % {"day": done.expires_on})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:detail", pk=account.pk)
