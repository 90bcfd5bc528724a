"""QBR pack: one key account, one quarter, for the quarterly business review with the client's
management: its health score with the trend and each component's reason, invoiced against
the owner's plan, last year and the potential, the statement of account, orders
and late deliveries, returns and complaints, contract milestones, activities and the actions
agreed. One PDF, for the account's sales team (it holds visit notes)."""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from activities.models import Activity, ActivityStatus
from core.localtime import local_days_range
from deals.models import Complaint, Contract, ContractObligation, Order, OrderStatus, Return
from health.selectors import account_health
from receivables.selectors import account_invoiced_by_month, statement
from team import access

from ..documents import chunks
from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register
from .plan_fulfilment import account_against_plan

ZERO = Decimal("0.00")


class QbrForm(forms.Form):
    account = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"),
        coerce=int,
        choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """[first day, first day of the next quarter)."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def authorize(user, parameters):
    account = Account.objects.select_related("owner", "territory").get_for_user(
        user, parameters["account"]
    )
    if not access.is_sales(user):
        raise PermissionDenied(_("The QBR pack holds visit notes, which your role does not see."))
    return account


def _months(start: date) -> list[date]:
    return [date(start.year, start.month + i, 1) for i in range(3)]


def revenue(account: Account, start: date, end: date) -> dict:
    """Invoiced net per month this quarter beside the same month a year before, in the
    account's currency, and a quarter of the annual potential as the yardstick (plans are
    the KAM's, not the account's)."""
    currency = account.currency
    last_start, last_end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    now = account_invoiced_by_month(account=account, start=start, end=end)
    before = account_invoiced_by_month(account=account, start=last_start, end=last_end)
    this_year = {r.month: r.net for r in now if r.currency == currency}
    last_year = {r.month: r.net for r in before if r.currency == currency}
    rows = [
        {
            "month": month,
            "net": this_year.get(month, ZERO),
            "last_year": last_year.get(month.replace(year=month.year - 1), ZERO),
        }
        for month in _months(start)
    ]
    total = sum((r["net"] for r in rows), ZERO)
    last_total = sum((r["last_year"] for r in rows), ZERO)
    potential = None
    if account.potential_amount:
        potential = (account.potential_amount / 4).quantize(Decimal("0.01"))
    return {
        "currency": currency,
        "rows": rows,
        "total": total,
        "last_total": last_total,
        "change": ((total - last_total) * 100 / last_total).quantize(Decimal("0.1"))
        if last_total
        else None,
        "potential": potential,
        "share_of_potential": (total * 100 / potential).quantize(Decimal("0.1"))
        if potential
        else None,
        "other_currencies": sorted({r.currency for r in [*now, *before]} - {currency}),
    }


def qbr_context(user, account: Account, start: date, end: date, progress) -> dict:
    last_day = date.fromordinal(end.toordinal() - 1)
    money = revenue(account, start, end)
    health = account_health(account.pk, currency=account.currency)
    plan = account_against_plan(account=account, start=start, end=end)
    progress(20)
    soa = statement(account=account, currency=account.currency, start=start, end=last_day)
    progress(40)
    orders = list(
        Order.objects.visible_to(user)
        .filter(account=account, requested_date__gte=start, requested_date__lt=end)
        .exclude(status=OrderStatus.CANCELLED)
        .annotate(value=Sum("lines__line_total"))
        .order_by("requested_date", "pk")
    )
    today = timezone.localdate()
    late = [
        o
        for o in orders
        # Delivered after the day promised (or asked for), or not yet and that day is past.
        if (o.promised_date or o.requested_date) < (o.delivered_date or today)
    ]
    returns = list(
        Return.objects.visible_to(user)
        .filter(order_line__order__account=account, returned_on__gte=start, returned_on__lt=end)
        .select_related("order_line__product", "order_line__order")
        .order_by("returned_on", "pk")
    )
    complaints = list(
        Complaint.objects.visible_to(user)
        .filter(account=account)
        .filter(Q(opened_on__gte=start, opened_on__lt=end) | Q(resolved_on__isnull=True))
        .filter(opened_on__lt=end)
        .order_by("opened_on", "pk")
    )
    progress(60)
    contracts = list(
        Contract.objects.visible_to(user)
        .filter(account=account, start_date__lt=end, end_date__gte=start)
        .order_by("end_date")
    )
    milestones = list(
        ContractObligation.objects.visible_to(user)
        .filter(contract__account=account, due_date__gte=start, due_date__lt=end)
        .select_related("contract")
        .order_by("due_date", "pk")
    )
    zone = timezone.get_current_timezone()
    first, _unused = local_days_range(start, 1, zone)
    after, _unused = local_days_range(end, 1, zone)
    activities = list(
        Activity.objects.visible_to(user)
        .filter(account=account, starts_at__gte=first, starts_at__lt=after)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("owner")
        .order_by("starts_at", "pk")
    )
    progress(80)
    return {
        "account": account,
        "start": start,
        "last_day": last_day,
        "money": money,
        "health": health,
        "plan": plan,
        "statement": soa,
        "row_chunks": chunks(soa.rows),
        "orders": orders,
        "late": late,
        "returns": returns,
        "returns_value": sum((r.value for r in returns), ZERO),
        "complaints": complaints,
        "contracts": contracts,
        "milestones": milestones,
        "activities": activities,
        "agreed": [a for a in activities if a.next_step],
    }


def render(job, progress):
    user = job.requested_by
    account = authorize(user, job.parameters)
    year, quarter = job.parameters["year"], job.parameters["quarter"]
    start, end = quarter_range(year, quarter)
    context = qbr_context(user, account, start, end, progress)
    context.update({"job": job, "year": year, "quarter": quarter})
    return pdf_render(
        "reports/pdf/qbr_pack.html",
        context,
        filename=f"qbr-{file_slug(account.name, account.pk)}-{year}-q{quarter}.pdf",
    )


def button(user, account):
    if not access.is_sales(user):
        return None
    today = timezone.localdate()
    # The quarter just finished: what a review looks back on.
    quarter = (today.month - 1) // 3
    year = today.year if quarter else today.year - 1
    return {"account": account.pk, "year": year, "quarter": quarter or 4}


register(
    ReportKind(
        slug="qbr_pack",
        title=gettext_lazy("QBR pack"),
        form=QbrForm,
        authorize=authorize,
        describe=lambda account, p: f"{account.name} · {p['year']} Q{p['quarter']}",
        render=render,
        button=button,
    )
)
