"""My reports, asking for a report from its page, retrying, downloading: every role.

Personas (tests/conftest.py): alice and bob KAMs in North under dora; charlie KAM in South under
sam; fiona finance; adam admin. Reports are their requester's alone: anyone else gets a 404,
even with the URL.
"""

import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportJob

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")
BRIEF = reverse("reports:request", args=["account_brief"])
OFFER = reverse("reports:request", args=["commercial_offer"])


def _job(user, account, *, run=True):
    job = services.report_job_request(
        actor=user, kind="account_brief", data={"account": account.pk}
    )
    if run:
        services.report_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


# My reports ---------------------------------------------------------------------------------


def test_my_reports_lists_only_my_own_jobs_newest_first(
    client, alice, bob, brief_account, bob_account, offer
):
    done = _job(alice, brief_account)
    queued = services.report_job_request(
        actor=alice, kind="commercial_offer", data={"offer": offer.pk}
    )
    _job(bob, bob_account, run=False)
    client.force_login(alice)

    response = client.get(LIST)

    assert response.status_code == 200
    assert [row.job for row in response.context["rows"]] == [queued, done]
    html = response.content.decode()
    assert "Dossier brief: Alpha Foods" in html
    assert reverse("reports:download", args=[done.pk]) in html
    assert 'hx-trigger="every 2s"' in html  # one job is still queued: the table polls


def test_the_table_stops_polling_once_every_job_is_finished(client, alice, brief_account):
    _job(alice, brief_account)
    client.force_login(alice)

    response = client.get(LIST, headers={"HX-Request": "true"})

    assert response.templates[0].name == "reports/partials/job_table.html"
    assert "hx-trigger" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_a_running_job_shows_its_progress(client, alice, brief_account):
    job = _job(alice, brief_account, run=False)
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=45)
    client.force_login(alice)

    html = client.get(LIST, headers={"HX-Request": "true"}).content.decode()

    assert '<progress max="100" value="45">' in html
    assert 'hx-trigger="every 2s"' in html


def test_a_failed_job_shows_why_and_a_retry_button(client, alice, brief_account):
    job = _job(alice, brief_account, run=False)
    ReportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="It broke.")
    client.force_login(alice)

    html = client.get(LIST).content.decode()

    assert "It broke." in html
    assert reverse("reports:retry", args=[job.pk]) in html


def test_my_reports_query_count_does_not_grow_with_jobs(
    client, alice, brief_account, offer, django_assert_num_queries
):
    client.force_login(alice)

    def grow():
        _job(alice, brief_account)
        services.report_job_request(actor=alice, kind="commercial_offer", data={"offer": offer.pk})
        ReportJob.objects.filter(status="queued").update(status="failed", failure_reason="x")

    grow()
    grow()
    # session, user, the bell's unread count, count of jobs, the page of jobs, the user's
    # subscriptions (approvals count is for directors only)
    with django_assert_num_queries(6):
        client.get(LIST)
    grow()
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 6


def test_my_reports_answers_only_get(client, alice):
    client.force_login(alice)
    assert client.post(LIST).status_code == 405


def test_my_reports_needs_a_login(client):
    assert client.get(LIST).status_code == 302


# Asking for a report --------------------------------------------------------------------------


def test_a_kam_asks_for_a_brief_from_the_account_page(
    client, alice, brief_account, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page = client.get(reverse("accounts:detail", args=[brief_account.pk])).content.decode()
    assert f'action="{BRIEF}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BRIEF, {"account": brief_account.pk, "email_when_done": "on"})

    assert response.status_code == 302
    assert response["Location"] == LIST
    job = ReportJob.objects.get()
    assert (job.requested_by, job.status, job.email_when_done) == (alice, "done", True)


def test_the_offer_page_has_the_offer_document_button(client, alice, offer):
    client.force_login(alice)
    page = client.get(reverse("deals:offer_detail", args=[offer.pk])).content.decode()
    assert f'action="{OFFER}"' in page
    assert f'name="offer" value="{offer.pk}"' in page


def test_finance_gets_no_brief_button_and_a_403_when_posting(client, fiona, brief_account, offer):
    client.force_login(fiona)
    page = client.get(reverse("accounts:detail", args=[brief_account.pk])).content.decode()
    assert BRIEF not in page

    assert client.post(BRIEF, {"account": brief_account.pk}).status_code == 403
    # Finance reads offers, so may have the client's document.
    assert client.post(OFFER, {"offer": offer.pk}).status_code == 302


@pytest.mark.parametrize("name", ["bob", "charlie", "sam"])
def test_asking_for_a_report_on_an_account_outside_scope_is_not_found(
    client, personas, brief_account, offer, name
):
    client.force_login(personas[name])
    assert client.post(BRIEF, {"account": brief_account.pk}).status_code == 404
    assert client.post(OFFER, {"offer": offer.pk}).status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("name", ["dora", "adam"])
def test_the_director_and_the_admin_may_ask_for_the_brief(client, personas, brief_account, name):
    client.force_login(personas[name])
    assert client.post(BRIEF, {"account": brief_account.pk}).status_code == 302
    assert ReportJob.objects.get().requested_by == personas[name]


def test_bad_parameters_go_back_with_a_message(client, alice, brief_account):
    client.force_login(alice)
    back = reverse("accounts:detail", args=[brief_account.pk])

    response = client.post(BRIEF, {"account": "", "next": back}, follow=True)

    assert response.redirect_chain[-1][0] == back
    assert "This field is required." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_an_unknown_kind_is_not_found(client, alice):
    client.force_login(alice)
    assert client.post(reverse("reports:request", args=["horoscope"])).status_code == 404


def test_asking_answers_only_post(client, alice, brief_account):
    client.force_login(alice)
    assert client.get(BRIEF, {"account": brief_account.pk}).status_code == 405


# Downloading -------------------------------------------------------------------------------


def test_the_requester_downloads_the_pdf(client, alice, brief_account):
    job = _job(alice, brief_account)
    client.force_login(alice)

    response = client.get(reverse("reports:download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{job.filename}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("name", ["bob", "charlie", "dora", "sam", "fiona", "adam"])
def test_nobody_else_downloads_my_report_even_with_its_url(client, personas, brief_account, name):
    job = _job(personas["alice"], brief_account)
    client.force_login(personas[name])
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_a_report_on_an_account_since_reassigned_is_no_longer_downloadable(
    client, alice, bob, brief_account
):
    job = _job(alice, brief_account)
    brief_account.owner = bob
    brief_account.save(update_fields=["owner"])
    client.force_login(alice)

    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_a_report_not_ready_is_not_downloadable(client, alice, brief_account):
    job = _job(alice, brief_account, run=False)
    client.force_login(alice)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_download_answers_only_get(client, alice, brief_account):
    job = _job(alice, brief_account)
    client.force_login(alice)
    assert client.post(reverse("reports:download", args=[job.pk])).status_code == 405


# Retrying ----------------------------------------------------------------------------------


def test_a_failed_report_is_retried_from_my_reports(
    client, alice, brief_account, django_capture_on_commit_callbacks
):
    job = _job(alice, brief_account, run=False)
    ReportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="It broke.")
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[job.pk]))

    assert response.status_code == 302
    assert ReportJob.objects.get(pk=job.pk).status == "done"


def test_retrying_a_finished_report_says_why_not(client, alice, brief_account):
    job = _job(alice, brief_account)
    client.force_login(alice)

    response = client.post(reverse("reports:retry", args=[job.pk]), follow=True)

    assert "Only a report that failed can be tried again." in response.content.decode()


def test_nobody_else_retries_my_report(client, alice, bob, brief_account):
    job = _job(alice, brief_account, run=False)
    ReportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="x")
    client.force_login(bob)
    assert client.post(reverse("reports:retry", args=[job.pk])).status_code == 404


def test_retry_answers_only_post(client, alice, brief_account):
    job = _job(alice, brief_account)
    client.force_login(alice)
    assert client.get(reverse("reports:retry", args=[job.pk])).status_code == 405
