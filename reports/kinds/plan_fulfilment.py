"""Plan fulfilment: the plan against what was booked, invoiced and collected, per KAM of a
territory (or of the company), or per account for one KAM, over a month, a quarter or a year.
PDF or XLSX. The figures are commissions' (`commissions.selectors.fulfilment`), the same as the
plans' fulfilment page and the cockpit. A KAM asks for their own, a director for their
territory; anything else is a 404, at the request, in the worker and at the download. A director
can receive it every month (the month just ended)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commissions.access import kam_get_for_user, kams_visible_to
from commissions.selectors import fulfilment as f
from core.charts import Point, bar_chart
from core.exports import xlsx_bytes
from team.models import Territory, User

from ..documents import XLSX, format_field, report_day
from ..pdf import file_slug, pdf_render
from ..registry import Rendered, ReportKind, register

PERIOD_KINDS = [
    (f.MONTH, gettext_lazy("Month")),
    (f.QUARTER, gettext_lazy("Quarter")),
    (f.YEAR, gettext_lazy("Year")),
]


class PlanFulfilmentForm(forms.Form):
    # One KAM (their accounts), else a territory (its KAMs), else the requester's whole scope.
    kam = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    territory = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    # "2026", "2026-Q3" or "2026-09"; empty (a subscription): the period of `period_kind` that
    # ended the day before the report is prepared.
    period = forms.CharField(max_length=7, required=False, widget=forms.HiddenInput)
    period_kind = forms.ChoiceField(
        choices=PERIOD_KINDS, initial=f.MONTH, required=False, widget=forms.HiddenInput
    )
    as_of = forms.DateField(required=False, widget=forms.HiddenInput)
    format = format_field()

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if text:
            try:
                return f.period_parse(text=text).key
            except ValueError:
                raise forms.ValidationError(
                    _("Not a period: use 2026, 2026-Q3 or 2026-09.")
                ) from None
        return ""


@dataclass(frozen=True)
class Scope:
    """Whom the report covers: one KAM, a territory, or (territory None) all the requester sees."""

    kam: User | None
    territory: Territory | None

    def __str__(self) -> str:
        if self.kam is not None:
            return str(self.kam)
        return str(self.territory) if self.territory else str(_("Company"))


def authorize(user, parameters) -> Scope:
    if parameters.get("kam"):
        return Scope(kam=kam_get_for_user(user, parameters["kam"]), territory=None)
    if user.is_kam:  # a KAM's report is their own
        if parameters.get("territory"):
            raise Http404("No such territory.")
        return Scope(kam=kam_get_for_user(user, user.pk), territory=None)
    territory_id = parameters.get("territory")
    if user.is_director:
        if territory_id and territory_id != user.territory_id:
            raise Http404("No such territory.")
        territory_id = user.territory_id
    if not (user.is_director or user.is_admin_role or user.is_finance):
        raise Http404("No such report.")
    territory = None
    if territory_id:
        territory = Territory.objects.filter(pk=territory_id).first()
        if territory is None:
            raise Http404("No such territory.")
    return Scope(kam=None, territory=territory)


def report_period(job) -> f.Period:
    if job.parameters.get("period"):
        return f.period_parse(text=job.parameters["period"])
    day = report_day(job) - timedelta(days=1)
    return f.period_of(day=day, kind=job.parameters.get("period_kind") or f.MONTH)


def describe(scope: Scope, parameters) -> str:
    period = (
        parameters.get("period") or dict(PERIOD_KINDS)[parameters.get("period_kind") or f.MONTH]
    )
    return f"{scope} · {period}"


def _chart(rows: list[f.KamFulfilment], labels: list[str]):
    """The plan and beside it invoiced, booked and collected: the cockpit's plan chart, in its
    order, which the figure's `plan-chart` class colours as on the page (the plan an outline)."""
    return bar_chart(
        labels=labels,
        series={
            _("Plan"): [Point(r.revenue_target) for r in rows],
            _("Invoiced"): [Point(r.invoiced) for r in rows],
            _("Booked"): [Point(r.booked) for r in rows],
            _("Collected"): [Point(r.collected) for r in rows],
        },
        height=190,
    )


def _context(user, scope: Scope, period: f.Period) -> dict:
    if scope.kam is not None:
        kams = [scope.kam.pk]
    else:
        visible = kams_visible_to(user).filter(is_active=True)
        if scope.territory is not None:
            visible = visible.filter(territory=scope.territory)
        kams = list(visible.values_list("pk", flat=True))
    rows = f.fulfilment_by_kam(kam_ids=kams, start=period.start, end=period.end)
    total = f.fulfilment_total(rows=rows, name=str(scope)) if len(rows) > 1 else None
    accounts = []
    if scope.kam is not None and rows:
        accounts = f.fulfilment_by_account(
            kam_id=scope.kam.pk, start=period.start, end=period.end, currency=rows[0].currency
        )
    return {
        "scope": scope,
        "period": period,
        "last_day": period.end - timedelta(days=1),
        "rows": rows,
        "total": total,
        "accounts": accounts,
        "chart": _chart(rows, [r.name for r in rows]) if rows else "",
    }


def _ratio(value) -> str:
    return "" if value is None else value


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    """Per cent, to one decimal; None of nothing."""
    return (part * 100 / whole).quantize(Decimal("0.1")) if whole > 0 else None


def _xlsx(context: dict) -> bytes:
    period, scope = context["period"], context["scope"]
    header = [
        _("KAM"),
        _("Territory"),
        _("Currency"),
        _("Plan"),
        _("Booked"),
        _("Booked %"),
        _("Invoiced"),
        _("Invoiced %"),
        _("Collected"),
        _("Collected %"),
        _("Left to plan"),
        _("Margin plan"),
        _("Margin"),
        _("New clients plan"),
        _("New clients"),
    ]
    rows = [[_("Plan fulfilment %(p)s · %(s)s") % {"p": period.key, "s": scope}], header]
    for r in [*context["rows"], *([context["total"]] if context["total"] else [])]:
        rows.append(
            [
                r.name,
                r.territory,
                r.currency,
                r.revenue_target,
                r.booked,
                _ratio(r.booked_ratio),
                r.invoiced,
                _ratio(r.invoiced_ratio),
                r.collected,
                _ratio(r.collected_ratio),
                r.remaining,
                r.margin_target,
                r.margin,
                r.new_clients_target,
                r.new_clients,
            ]
        )
    sheets = [(_("Plan fulfilment"), rows)]
    if context["accounts"]:
        currency = context["rows"][0].currency
        account_rows = [[_("Account"), _("Currency"), _("Invoiced"), _("Margin"), _("Invoices")]]
        account_rows += [
            [a.label, currency, a.invoiced, a.margin, a.lines] for a in context["accounts"]
        ]
        sheets.append((_("Accounts"), account_rows))
    return xlsx_bytes(sheets)


def render(job, progress):
    user = job.requested_by
    scope = authorize(user, job.parameters)
    period = report_period(job)
    context = _context(user, scope, period)
    progress(60)
    name = f"plan-fulfilment-{file_slug(str(scope), 'all')}-{period.key.lower()}"
    if job.parameters.get("format") == "xlsx":
        return Rendered(content=_xlsx(context), filename=f"{name}.xlsx", content_type=XLSX)
    return pdf_render(
        "reports/pdf/plan_fulfilment.html", {**context, "job": job}, filename=f"{name}.pdf"
    )


def button(user, page):
    """On the fulfilment pages (`{% report_request_button "plan_fulfilment" period kam=kam
    territory=territory %}`): the period, KAM or territory the page shows, so the report holds
    what the page holds. A KAM's is always their own."""
    period, kam, territory = page["object"], page.get("kam"), page.get("territory")
    parameters = {"period": period.key, "period_kind": period.kind, "format": "pdf"}
    if user.is_kam:
        parameters["kam"] = user.pk
    elif kam:
        parameters["kam"] = kam.pk
    elif territory:
        parameters["territory"] = territory.pk
    return parameters


register(
    ReportKind(
        slug="plan_fulfilment",
        title=gettext_lazy("Plan fulfilment"),
        form=PlanFulfilmentForm,
        authorize=authorize,
        describe=describe,
        render=render,
        button=button,
        schedulable=True,
        button_label=gettext_lazy("Prepare the plan fulfilment report"),
    )
)


def account_against_plan(*, account, start: date, end: date) -> dict | None:
    """For an account's documents (QBR pack, dossier brief): its owner's plan and fulfilment in
    [start, end) and what this account invoiced towards it. Nine queries; None when the owner
    has no plan for those months."""
    [kam] = f.fulfilment_by_kam(kam_ids=[account.owner_id], start=start, end=end) or [None]
    if kam is None or not kam.revenue_target:
        return None
    mine = next(
        (
            row
            for row in f.fulfilment_by_account(
                kam_id=kam.kam_id, start=start, end=end, currency=kam.currency
            )
            if row.key == account.pk
        ),
        None,
    )
    invoiced = mine.invoiced if mine else Decimal("0.00")
    return {
        "kam": kam,
        "invoiced": invoiced,
        "share_of_plan": _share(invoiced, kam.revenue_target),
        "share_of_invoiced": _share(invoiced, kam.invoiced),
    }
