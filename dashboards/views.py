"""The dashboards: read-only pages. Each view resolves whose figures it shows (access.py, 404
outside the reader's scope), reads them with one selector and draws the charts."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from commissions.charts import pareto_chart, trend_chart
from core.money import DEFAULT_CURRENCY
from team.models import Territory

from . import access, charts
from .selectors import cockpit, finance_dashboard, kam_dashboard
from .selectors.common import PERIODS

TIERS = ["A", "B", "C"]


def _period_key(request) -> str:
    key = request.GET.get("period") or "quarter"
    return key if key in PERIODS else "quarter"


@require_GET
def home(request):
    """Each role lands on its own dashboard."""
    return redirect(access.home_for(request.user))


@require_GET
def cockpit_page(request):
    scope = access.cockpit_scope(request.user, request.GET.get("territory"))
    key = _period_key(request)
    data = cockpit(scope=scope, now=timezone.now(), period_key=key)
    currency = DEFAULT_CURRENCY
    abc_url = reverse("commissions:abc") + (
        f"?territory={scope.territory.pk}" if request.user.is_admin_role else ""
    )
    context = {
        "c": data,
        "scope": scope,
        "period_key": key,
        "periods": PERIODS,
        "territories": Territory.objects.order_by("name") if request.user.is_admin_role else None,
        "currency": currency,
        "charts": {
            "plan": charts.plan_chart(data.plan[key]) if data.plan[key] else "",
            "pareto": pareto_chart(points=data.pareto) if data.pareto else "",
            "concentration": trend_chart(trend=data.concentration, url=abc_url)
            if data.concentration
            else "",
            "funnel": charts.funnel(data.funnel),
            "aging": charts.aging_by_kam(data.aging, currency=currency),
            "dso": charts.dso_by_kam(data.dso, currency=currency),
            "leakage": charts.leakage_by_kam(data.leakage_by_kam, currency=currency),
            "cadence": charts.cadence(data.cadence, TIERS),
        },
        "tiers": TIERS,
        "abc_url": abc_url,
    }
    return render(request, "dashboards/cockpit.html", context)


# Rows of the KAM dashboard's long lists drawn unless all are asked for: the weakest accounts
# by health, the unpaid invoices behind the waiting commission (all on the statement page).
HEALTH_SHOWN = 20
WAITING_SHOWN = 10


@require_GET
def kam_page(request):
    kam = access.kam_for(request.user, request.GET.get("kam"))
    data = kam_dashboard(reader=request.user, kam=kam, now=timezone.now(), zone=request.user.tzinfo)
    currency = DEFAULT_CURRENCY
    every_account = request.GET.get("accounts") == "all"
    query = {"kam": kam.pk} if kam.pk != request.user.pk else {}
    context = {
        "d": data,
        "currency": currency,
        "accounts_shown": data.accounts if every_account else data.accounts[:HEALTH_SHOWN],
        "all_accounts_url": "?" + urlencode({**query, "accounts": "all"}) + "#health",
        "waiting_shown": WAITING_SHOWN,
        "charts": {
            "plan": charts.kam_plan([data.month, data.quarter]),
            "stages": charts.kam_stages(data.stages, currency=currency, owner_id=kam.pk),
        },
    }
    return render(request, "dashboards/kam.html", context)


@require_GET
def finance_page(request):
    if not access.can_see_finance(request.user):
        raise Http404("No finance dashboard for this role.")
    data = finance_dashboard(user=request.user, now=timezone.now())
    currency = DEFAULT_CURRENCY
    dso, cei = charts.finance_trend(data.months, currency=currency)
    context = {
        "f": data,
        "currency": currency,
        "charts": {
            "aging": charts.aging_totals(data.aging, currency=currency),
            "dso": dso,
            "cei": cei,
        },
    }
    return render(request, "dashboards/finance.html", context)
