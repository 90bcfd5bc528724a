"""Scheduled reports: finance subscribes to the weekly aging, a director to a monthly one; the
daily beat task queues what is due, once, and the e-mail carries the PDF."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services, tasks
from reports.models import ReportJob, ReportSubscription
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 9, 7)
LIST = reverse("reports:list")


def _subscribe(user, frequency="weekly", **data):
    return services.report_subscription_create(
        actor=user, kind="aging", data={"format": "pdf", **data}, frequency=frequency
    )


def _run(today: date, capture):
    with capture(execute=True):
        return tasks.report_subscriptions_run(today.isoformat())


def test_finance_gets_the_weekly_aging_on_monday_with_the_pdf_attached(
    fiona, alice_account, django_capture_on_commit_callbacks, media
):
    subscription = _subscribe(fiona, group_by="kam")

    assert _run(MONDAY, django_capture_on_commit_callbacks) == {"queued": 1, "skipped": 0}

    job = ReportJob.objects.get(subscription=subscription)
    assert job.status == "done"
    assert job.parameters == {"as_of": "2026-09-07", "group_by": "kam", "format": "pdf"}
    [message] = mail.outbox
    assert message.to == [fiona.email]
    [(name, content, content_type)] = message.attachments
    assert (name, content_type) == ("aging-2026-09-07.pdf", "application/pdf")
    assert "Aging as of 7 September 2026" in pdf_pages(content)[0]
    subscription.refresh_from_db()
    assert subscription.last_sent_on == MONDAY


def test_a_doubled_beat_or_the_rest_of_the_week_sends_nothing_more(
    fiona, django_capture_on_commit_callbacks, media
):
    _subscribe(fiona)
    _run(MONDAY, django_capture_on_commit_callbacks)

    _run(MONDAY, django_capture_on_commit_callbacks)
    _run(date(2026, 9, 9), django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    _run(date(2026, 9, 14), django_capture_on_commit_callbacks)  # the next Monday
    assert len(mail.outbox) == 2


def test_a_missed_monday_is_caught_up_the_next_day(fiona, django_capture_on_commit_callbacks):
    subscription = _subscribe(fiona)
    subscription.last_sent_on = date(2026, 8, 31)
    subscription.save()

    assert _run(date(2026, 9, 8), django_capture_on_commit_callbacks)["queued"] == 1


def test_a_directors_monthly_report_goes_out_on_the_first(
    dora, django_capture_on_commit_callbacks, media
):
    _subscribe(dora, frequency="monthly", group_by="account")

    assert _run(date(2026, 9, 1), django_capture_on_commit_callbacks)["queued"] == 1
    assert _run(date(2026, 9, 15), django_capture_on_commit_callbacks)["queued"] == 0
    assert _run(date(2026, 10, 1), django_capture_on_commit_callbacks)["queued"] == 1


def test_the_same_subscription_twice_is_refused(fiona):
    _subscribe(fiona)
    with pytest.raises(ValidationError):
        _subscribe(fiona)


def test_a_kind_that_cannot_be_scheduled_is_refused(alice, alice_account):
    with pytest.raises(ValidationError):
        services.report_subscription_create(
            actor=alice,
            kind="account_brief",
            data={"account": alice_account.pk},
            frequency="weekly",
        )


def test_my_reports_lists_my_subscriptions_and_offers_to_subscribe(client, fiona, dora):
    _subscribe(fiona, group_by="kam")
    _subscribe(dora)
    client.force_login(fiona)

    html = client.get(LIST).content.decode()

    assert html.count('id="subscription-') == 1
    assert "Aging: KAM" in html and "Weekly (Mondays)" in html
    assert 'action="/reports/subscriptions/aging/"' in html


def test_subscribing_and_stopping_from_my_reports(client, fiona):
    client.force_login(fiona)

    response = client.post(
        reverse("reports:subscribe", args=["aging"]),
        {"group_by": "territory", "format": "xlsx", "frequency": "weekly"},
    )

    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=fiona)
    assert subscription.parameters == {"group_by": "territory", "format": "xlsx"}
    assert client.get(reverse("reports:subscribe", args=["aging"])).status_code == 405
    client.post(reverse("reports:subscription_delete", args=[subscription.pk]))
    assert not ReportSubscription.objects.exists()


def test_nobody_stops_another_persons_subscription(client, fiona, dora):
    subscription = _subscribe(dora)
    client.force_login(fiona)

    response = client.post(reverse("reports:subscription_delete", args=[subscription.pk]))

    assert response.status_code == 404
    assert ReportSubscription.objects.filter(pk=subscription.pk).exists()


def test_my_reports_costs_the_same_queries_with_more_jobs_and_subscriptions(
    client, fiona, django_assert_num_queries
):
    client.force_login(fiona)
    _subscribe(fiona)
    services.report_job_request(actor=fiona, kind="aging", data={"format": "pdf"})
    client.get(LIST)
    # session, user, count of jobs, the page of jobs, subscriptions, unread notifications (menu)
    with django_assert_num_queries(6):
        client.get(LIST)
    _subscribe(fiona, frequency="monthly")
    services.report_job_request(actor=fiona, kind="aging", data={"format": "xlsx"})
    with django_assert_num_queries(6):
        client.get(LIST)
