"""API v1: the dashboards' figures as JSON, with the pages' access (404 outside scope)."""

from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import access
from ..selectors import cockpit, finance_dashboard, kam_dashboard
from ..selectors.common import PERIODS


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _plan(row) -> dict | None:
    if row is None:
        return None
    return {
        "kam": row.kam.pk,
        "kam_name": str(row.kam),
        "period": row.period.key,
        "start": row.period.start,
        "end": row.period.end,
        "currency": row.currency,
        "target": _money(row.target),
        "invoiced": _money(row.invoiced),
        "fulfilment_pct": _money(row.ratio),
        "booked": _money(row.figures.booked),
        "booked_pct": _money(row.figures.booked_ratio),
        "collected": _money(row.figures.collected),
        "collected_pct": _money(row.figures.collected_ratio),
        # False where documents in another currency had no rate into the plan's: not counted.
        "complete": {
            "invoiced": row.figures.invoiced_complete,
            "booked": row.figures.booked_complete,
            "collected": row.figures.collected_complete,
        },
        "left": _money(row.left),
        "projected": _money(row.projected),
        "projected_pct": _money(row.projected_ratio),
        "needed_per_day": _money(row.needed_per_day),
    }


def _aging(aging) -> dict:
    return {
        "as_of": aging.as_of,
        "buckets": [b.label for b in aging.buckets],
        "totals": [
            {"currency": t.currency, "amounts": [str(a) for a in t.amounts], "total": str(t.total)}
            for t in aging.totals
        ],
        "rows": [
            {
                "id": r.key,
                "label": r.label,
                "currency": r.currency,
                "amounts": [str(a) for a in r.amounts],
                "total": str(r.total),
                "overdue": str(r.overdue),
            }
            for r in aging.rows
        ],
    }


def _plain(value):
    """Dataclass rows to JSON-ready values."""
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _commission(e) -> dict:
    """The KAM's commission of the month: every amount beside its currency."""
    band = e.band
    return {
        "month": e.month,
        "period": e.period.pk if e.period else None,
        "period_status": e.period.status if e.period else None,
        "calculated_on": e.calculated_on,
        "by_currency": [
            {
                "currency": r.currency,
                "statement": r.statement.pk if r.statement else None,
                "earned": _money(r.earned),
                "earned_before_multiplier": _money(r.before_multiplier),
                "projected": _money(r.projected),
                "earned_unpaid": str(r.waiting_total),
                "earned_unpaid_overdue": str(r.waiting_overdue),
                "unpaid_invoices": [
                    {"invoice": w.invoice.pk, "waiting": str(w.waiting), "overdue": w.overdue}
                    for w in r.waiting
                ],
            }
            for r in e.rows
        ],
        "band": None
        if band is None
        else {
            **_plain(band),
            "to_next": None
            if band.to_next is None
            else {"amount": str(band.to_next), "currency": band.currency},
        },
    }


PERIOD = OpenApiParameter("period", str, enum=list(PERIODS), description="month, quarter, year")
TERRITORY = OpenApiParameter("territory", int, description="Admins: the territory (id).")
KAM = OpenApiParameter("kam", int, description="Directors and admins: the KAM (id).")


class DirectorDashboardView(APIView):
    """The director's cockpit figures for their territory (admins: `?territory=`)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[PERIOD, TERRITORY], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        try:
            scope = access.cockpit_scope(request.user, request.query_params.get("territory"))
        except Http404 as exc:
            raise NotFound() from exc
        key = request.query_params.get("period") or "quarter"
        if key not in PERIODS:
            return Response({"period": [f"One of: {', '.join(PERIODS)}."]}, status=400)
        data = cockpit(scope=scope, now=timezone.now(), period_key=key)
        return Response(
            {
                "territory": scope.territory.pk,
                "period": key,
                "exceptions": {
                    "offers_waiting": _plain(data.offers_waiting),
                    **{g.key: {"count": g.count, "rows": _plain(g.rows)} for g in data.exceptions},
                },
                "plan": {k: [_plan(r) for r in rows] for k, rows in data.plan.items()},
                "funnel": _plain(data.funnel),
                "forecast": _plain(data.forecast),
                "plan_left": _plain(data.plan_left),
                "won": {c: {"deals": n, "amount": str(a)} for c, (n, a) in data.won.items()},
                "lost": _plain(data.lost),
                "aging_by_kam": _aging(data.aging),
                "dso_by_kam": _plain(data.dso),
                "leakage_by_kam": [
                    {**_plain(r), "leakage": str(r.leakage), "share": _money(r.share)}
                    for r in data.leakage_by_kam
                ],
                "leakage_by_account": [
                    {**_plain(r), "leakage": str(r.leakage), "share": _money(r.share)}
                    for r in data.leakage_by_account
                ],
                "cadence": [
                    {
                        "kam": r.kam.pk,
                        "tier": r.tier,
                        "accounts": r.accounts,
                        "contacted": r.contacted,
                        "share": _money(r.share),
                    }
                    for r in data.cadence
                ],
            }
        )


class KamDashboardView(APIView):
    """The KAM's own figures (directors and admins: `?kam=`)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[KAM], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        try:
            kam = access.kam_for(request.user, request.query_params.get("kam"))
        except Http404 as exc:
            raise NotFound() from exc
        d = kam_dashboard(
            reader=request.user, kam=kam, now=timezone.now(), zone=request.user.tzinfo
        )
        return Response(
            {
                "kam": kam.pk,
                "month": _plan(d.month),
                "quarter": _plan(d.quarter),
                "pipeline": _plain(d.stages),
                "weighted_total": _plain(d.weighted_total),
                "closing_this_month": [x.pk for x in d.closing],
                "attention": {
                    "neglected_accounts": [a.pk for a in d.neglected],
                    "overdue_invoices": [i.pk for i in d.overdue],
                    "promises_due": [p.pk for p in d.promises],
                    "contracts_ending": [c.pk for c in d.contracts],
                    "offers_expiring": [o.pk for o in d.offers],
                    "complaints_open": [c.pk for c in d.complaints],
                },
                "today": [a.pk for a in d.agenda.activities],
                "commission": _commission(d.commission),
                "accounts_by_health": [
                    {
                        "account": r.account_id,
                        "score": r.health.score if r.health else None,
                        "change": r.health.change if r.health else None,
                    }
                    for r in d.accounts
                ],
            }
        )


class FinanceDashboardView(APIView):
    """Finance's figures: receivables, aging, DSO and CEI by month, what waits for finance."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not access.can_see_finance(request.user):
            raise NotFound()
        f = finance_dashboard(user=request.user, now=timezone.now())
        return Response(
            {
                "aging": _aging(f.aging),
                "months": _plain(f.months),
                "top_overdue": [
                    {"account": r.key, "currency": r.currency, "overdue": str(r.overdue)}
                    for r in f.top_overdue
                ],
                "broken_promises": [a.pk for a in f.broken],
                "credit_holds": [p.account_id for p in f.holds],
                "hold_requests": [a.pk for a in f.hold_requests],
                "overrides_waiting": [o.pk for o in f.overrides],
                "bank_lines_waiting": {
                    c: {"lines": n, "amount": str(s)} for c, (n, s) in f.bank_waiting.items()
                },
                "orders_to_invoice": f.orders_waiting,
                "commission_periods": [
                    {
                        "id": p.pk,
                        "month": p.month,
                        "status": p.status,
                        "statements": p.statement_count,
                        "open_disputes": p.open_disputes,
                    }
                    for p in f.periods
                ],
                "disputes_open": {
                    "count": f.disputes_count,
                    "rows": [
                        {
                            "id": d.pk,
                            "kam": d.entry.kam_id,
                            "period": d.entry.period.month,
                            "amount": str(d.entry.amount),
                            "currency": d.entry.currency,
                        }
                        for d in f.disputes
                    ],
                },
            }
        )
