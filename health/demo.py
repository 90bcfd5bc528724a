"""Demo data for health: each demo account's score for the last months (computed as of each
month's last day from the demo's invoices, payments and activities), then this month's, as
the nightly run would have left them."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from team.demo import DemoOptions

from .services import health_scores_compute, month_of

DEMO_MONTHS = 6


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    now = timezone.now()
    month = month_of(timezone.localdate(now))
    ends = []
    for _ in range(DEMO_MONTHS):
        last_day = month - timedelta(days=1)
        ends.append(datetime.combine(last_day, time(23, 0), tzinfo=timezone.get_current_timezone()))
        month = month_of(last_day)
    for moment in reversed(ends):
        health_scores_compute(now=moment, notify=False)
    return {"health scores": health_scores_compute(now=now)}
