"""Pages of the commission ledger: schemes (read), periods (finance), statements, disputes.

Thin: each reads through commissions/access.py (outside scope = 404) and calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exports import FORMATS, export_response

from .. import access
from ..ledger_forms import DisputeForm, MonthForm, ResolveForm
from ..models import CommissionPeriod, DisputeStatus
from ..selectors import statements as selectors
from ..services import periods as services


def _refuse(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _period(pk) -> CommissionPeriod:
    return access.get_visible(CommissionPeriod.objects.all(), pk)


@require_GET
def scheme_list(request):
    return render(
        request, "commissions/ledger/scheme_list.html", {"schemes": selectors.schemes_page()}
    )


@require_GET
def period_list(request):
    if not access.can_see_periods(request.user):
        raise Http404(_("Not found."))
    return render(
        request,
        "commissions/ledger/period_list.html",
        {
            "periods": selectors.periods_page(),
            "month_form": MonthForm(),
            "can_reopen": access.can_reopen(request.user),
            "formats": FORMATS,
        },
    )


@require_POST
def period_open(request):
    """Calculate a month given by finance (creating its period)."""
    access.check_can_run_periods(request.user)
    form = MonthForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("commissions:period_list")
    try:
        period = services.period_get_or_create(month=form.cleaned_data["month"])
        services.period_calculate(actor=request.user, period=period)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("%(month)s calculated.") % {"month": f"{period.month:%Y-%m}"})
    return redirect("commissions:period_list")


@require_POST
def period_action(request, pk: int, action: str):
    if not access.can_see_periods(request.user):
        raise Http404(_("Not found."))
    period = _period(pk)
    done = {
        "calculate": _("%(month)s calculated."),
        "close": _("%(month)s closed; the KAMs' statements are being sent."),
        "pay": _("%(month)s marked paid."),
        "reopen": _("%(month)s reopened."),
    }
    if action not in done:
        raise Http404(_("Not found."))
    try:
        if action == "calculate":
            services.period_calculate(actor=request.user, period=period)
        elif action == "close":
            services.period_close(actor=request.user, period=period)
        elif action == "pay":
            services.period_mark_paid(actor=request.user, period=period)
        else:
            services.period_reopen(
                actor=request.user, period=period, reason=request.POST.get("reason", "")
            )
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done[action] % {"month": f"{period.month:%Y-%m}"})
    return redirect("commissions:period_list")


EXPORTS = {
    "statements": (selectors.STATEMENT_COLUMNS, "statements"),
    "entries": (selectors.ENTRY_COLUMNS, "entries"),
    "payroll": (selectors.PAYROLL_COLUMNS, "payroll"),
}


@require_GET
def period_export(request, pk: int, what: str, fmt: str):
    """Statements, entries or the payroll summary of a period, as CSV or XLSX, streamed from
    the same scoped querysets the pages show (finance and admins see every KAM)."""
    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404(_("Not found."))
    if not access.can_see_periods(request.user):
        raise Http404(_("Not found."))
    period = _period(pk)
    columns, name = EXPORTS[what]
    if what == "entries":
        rows = selectors.entries_for(request.user, period=period).iterator(chunk_size=1000)
    else:
        rows = selectors.statements_for(request.user, period=period).iterator(chunk_size=1000)
    return export_response(
        rows=rows, columns=columns, filename=f"commission-{name}-{period.month:%Y-%m}", fmt=fmt
    )


@require_GET
def statement_list(request):
    period = None
    if request.GET.get("period"):
        period = _period(request.GET["period"])
    statements = list(selectors.statements_for(request.user, period=period)[:500])
    return render(
        request,
        "commissions/ledger/statement_list.html",
        {
            "statements": statements,
            "period": period,
            "periods": CommissionPeriod.objects.order_by("-month")[:36],
        },
    )


@require_GET
def statement_detail(request, pk: int, *, dispute_form=None, status=200):
    statement = access.get_visible(selectors.statements_for(request.user), pk)
    page = selectors.statement_page(user=request.user, statement=statement)
    return render(
        request,
        "commissions/ledger/statement_detail.html",
        {"page": page, "statement": statement, "dispute_form": dispute_form or DisputeForm()},
        status=status,
    )


@require_POST
def entry_dispute(request, pk: int):
    entry = access.get_visible(access.entries_visible(request.user).select_related("period"), pk)
    statement = (
        selectors.statements_for(request.user)
        .filter(period_id=entry.period_id, kam_id=entry.kam_id, currency=entry.currency)
        .first()
    )
    form = DisputeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what is wrong with this line."))
        services.dispute_raise(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Your dispute is with finance."))
    if statement is None:
        return redirect("commissions:dispute_list")
    return redirect("commissions:statement_detail", pk=statement.pk)


@require_GET
def dispute_list(request):
    status = request.GET.get("status") or DisputeStatus.OPEN
    disputes = list(selectors.disputes_for(request.user, status=status)[:500])
    return render(
        request,
        "commissions/ledger/dispute_list.html",
        {
            "disputes": disputes,
            "status": status,
            "statuses": DisputeStatus.choices,
            "can_resolve": access.can_resolve(request.user),
            "resolve_form": ResolveForm(),
        },
    )


@require_POST
def dispute_resolve(request, pk: int):
    dispute = access.get_visible(access.disputes_visible(request.user), pk)
    access.check_can_resolve(request.user)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("commissions:dispute_list")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        dispute = services.dispute_resolve(
            actor=request.user,
            dispute=dispute,
            accept=accept,
            resolution=form.cleaned_data.get("resolution") or "",
            amount=form.cleaned_data.get("amount"),
        )
    except ValidationError as error:
        _refuse(request, error)
    else:
        if accept:
            messages.success(
                request,
                _("Accepted: an adjustment of %(amount)s %(cur)s in %(month)s.")
                % {
                    "amount": dispute.adjustment.amount,
                    "cur": dispute.adjustment.currency,
                    "month": f"{dispute.adjustment.period.month:%Y-%m}",
                },
            )
        else:
            messages.success(request, _("Dispute rejected."))
    return redirect("commissions:dispute_list")
