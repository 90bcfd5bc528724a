"""The dashboards' charts (core.charts, pygal): built from the selectors' rows, every bar a
link to its drill-down. The same rows fill the table beside each chart."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from core.charts import Point, bar_chart, funnel_chart, line_chart


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def plan_chart(rows):
    """Per KAM the plan (series 0, drawn as an outline: the marker each bar is read against)
    and the three bases beside it: invoiced, booked, collected. Every bar links to the KAM's
    drill-down."""
    links = [r.url for r in rows]

    def bars(values):
        return [Point(v, u) for v, u in zip(values, links, strict=True)]

    return bar_chart(
        labels=[str(r.kam) for r in rows],
        series={
            _("Plan"): bars(r.target for r in rows),
            _("Invoiced"): bars(r.figures.invoiced for r in rows),
            _("Booked"): bars(r.figures.booked for r in rows),
            _("Collected"): bars(r.figures.collected for r in rows),
        },
    )


def funnel(stages, *, owner_id=None):
    return funnel_chart(
        labels=[s.label for s in stages],
        points=[
            Point(s.reached, _url("deals:deal_list", stage=s.stage, owner=owner_id)) for s in stages
        ],
    )


def aging_by_kam(aging, *, currency: str):
    rows = [r for r in aging.rows if r.currency == currency]
    return bar_chart(
        labels=[r.label for r in rows],
        stacked=True,
        series={
            bucket.label: [
                Point(
                    r.amounts[i],
                    _url("receivables:invoice_list", owner=r.key, open="true"),
                )
                for r in rows
            ]
            for i, bucket in enumerate(aging.buckets)
        },
    )


def dso_by_kam(rows, *, currency: str):
    rows = [r for r in rows if r.currency == currency]
    return bar_chart(
        labels=[r.label for r in rows],
        series={
            _("DSO (days)"): [
                Point(r.dso, _url("receivables:invoice_list", owner=r.kam_id, open="true"))
                for r in rows
            ]
        },
    )


def cadence(rows, tiers):
    kams = []
    for row in rows:
        if row.kam not in kams:
            kams.append(row.kam)
    share = {(r.kam.pk, r.tier): r.share for r in rows}
    return bar_chart(
        labels=[str(k) for k in kams],
        series={
            tier: [
                Point(
                    share.get((k.pk, tier)),
                    _url("activities:neglected", owner=k.pk),
                )
                for k in kams
            ]
            for tier in tiers
        },
    )


def leakage_by_kam(rows, *, currency: str):
    rows = [r for r in rows if r.currency == currency]
    return bar_chart(
        labels=[r.label for r in rows],
        series={
            _("List value"): [
                Point(r.list_value, _url("deals:deal_list", owner=r.key)) for r in rows
            ],
            _("Net value"): [
                Point(r.net_value, _url("deals:deal_list", owner=r.key)) for r in rows
            ],
        },
    )


def kam_plan(rows):
    rows = [r for r in rows if r is not None]
    link = _url("receivables:invoice_list")
    return bar_chart(
        labels=[r.period.label for r in rows],
        stacked=True,
        horizontal=True,
        series={
            _("Invoiced"): [Point(min(r.invoiced, r.target), link) for r in rows],
            _("Left to plan"): [Point(r.left, link) for r in rows],
            _("Over plan"): [Point(r.over, link) for r in rows],
        },
    )


def kam_stages(stages, *, currency: str, owner_id: int):
    rows = [s for s in stages if s.currency == currency]
    return bar_chart(
        labels=[s.label for s in rows],
        series={
            _("Weighted"): [
                Point(s.weighted, _url("deals:deal_list", stage=s.stage, owner=owner_id))
                for s in rows
            ],
            _("Amount"): [
                Point(s.amount, _url("deals:deal_list", stage=s.stage, owner=owner_id))
                for s in rows
            ],
        },
    )


def finance_trend(months, *, currency: str):
    rows = [m for m in months if m.currency == currency]
    labels = [f"{m.month:%m.%Y}" for m in rows]
    link = _url("receivables:aging")
    return (
        line_chart(
            labels=labels,
            series={_("DSO (days)"): [Point(m.dso, link) for m in rows]},
        ),
        line_chart(
            labels=labels,
            series={_("CEI (%)"): [Point(m.cei, link) for m in rows]},
        ),
    )


def aging_totals(aging, *, currency: str):
    totals = [t for t in aging.totals if t.currency == currency]
    if not totals:
        return ""
    total = totals[0]
    return bar_chart(
        labels=[b.label for b in aging.buckets],
        series={
            currency: [
                Point(amount, _url("receivables:invoice_list", open="true"))
                for amount in total.amounts
            ]
        },
        height=240,
    )
