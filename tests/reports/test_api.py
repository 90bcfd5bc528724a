"""API v1 report jobs: create (202), status, download, retry; a job is its requester's alone."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import ReportJob

pytestmark = pytest.mark.django_db

JOBS = "/api/v1/report-jobs/"


def test_create_queues_a_job_and_answers_202(
    api_as, alice, brief_account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_as("alice").post(
            JOBS,
            {"kind": "account_brief", "parameters": {"account": brief_account.pk}},
            format="json",
        )

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["title"] == "Dossier brief: Alpha Foods"
    assert body["download_url"] is None
    assert len(callbacks) == 1


def test_status_then_download_when_done(api_as, alice, brief_account):
    job = services.report_job_request(
        actor=alice, kind="account_brief", data={"account": brief_account.pk}
    )
    client = api_as("alice")
    assert client.get(f"{JOBS}{job.pk}/download/").status_code == 409

    services.report_job_run(job_id=job.pk)
    status = client.get(f"{JOBS}{job.pk}/").json()
    assert (status["status"], status["progress"]) == ("done", 100)
    assert status["download_url"].endswith(reverse("reportjob-download", args=[job.pk]))

    response = client.get(f"{JOBS}{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_bad_parameters_answer_400_naming_the_field(api_as, alice):
    response = api_as("alice").post(
        JOBS, {"kind": "commercial_offer", "parameters": {"offer": "abc"}}, format="json"
    )
    assert response.status_code == 400
    assert "offer" in response.json()


def test_a_missing_kind_answers_400(api_as, alice):
    response = api_as("alice").post(JOBS, {"parameters": {}}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()


def test_outside_scope_404_and_finance_403(api_as, bob, fiona, brief_account):
    payload = {"kind": "account_brief", "parameters": {"account": brief_account.pk}}
    assert api_as("bob").post(JOBS, payload, format="json").status_code == 404
    assert api_as("fiona").post(JOBS, payload, format="json").status_code == 403


@pytest.mark.parametrize("name", ["bob", "dora", "fiona", "adam"])
def test_another_users_job_is_not_found(api_as, personas, brief_account, name):
    job = services.report_job_request(
        actor=personas["alice"], kind="account_brief", data={"account": brief_account.pk}
    )
    services.report_job_run(job_id=job.pk)
    client = api_as(name)
    assert client.get(f"{JOBS}{job.pk}/").status_code == 404
    assert client.get(f"{JOBS}{job.pk}/download/").status_code == 404
    assert client.post(f"{JOBS}{job.pk}/retry/").status_code == 404
    assert job.pk not in [row["id"] for row in client.get(JOBS).json()["results"]]


def test_retry_a_failed_job(api_as, alice, brief_account):
    job = services.report_job_request(
        actor=alice, kind="account_brief", data={"account": brief_account.pk}
    )
    ReportJob.objects.filter(pk=job.pk).update(status="failed", failure_reason="x")

    response = api_as("alice").post(f"{JOBS}{job.pk}/retry/")

    assert response.status_code == 202
    assert response.json()["status"] == "queued"


def test_retry_of_a_job_that_did_not_fail_answers_400(api_as, alice, brief_account):
    job = services.report_job_request(
        actor=alice, kind="account_brief", data={"account": brief_account.pk}
    )
    assert api_as("alice").post(f"{JOBS}{job.pk}/retry/").status_code == 400


def test_jobs_cannot_be_changed_or_deleted(api_as, alice, brief_account):
    job = services.report_job_request(
        actor=alice, kind="account_brief", data={"account": brief_account.pk}
    )
    client = api_as("alice")
    assert client.delete(f"{JOBS}{job.pk}/").status_code == 405
    assert client.patch(f"{JOBS}{job.pk}/", {"status": "done"}, format="json").status_code == 405


def test_anonymous_gets_401(api_as):
    assert api_as("anonymous").get(JOBS).status_code == 401


def test_list_query_count_does_not_grow_with_jobs(
    api_as, alice, brief_account, offer, django_assert_num_queries
):
    client = api_as("alice")

    def grow():
        services.report_job_run(
            job_id=services.report_job_request(
                actor=alice, kind="account_brief", data={"account": brief_account.pk}
            ).pk
        )
        services.report_job_request(actor=alice, kind="commercial_offer", data={"offer": offer.pk})
        ReportJob.objects.filter(status="queued").update(status="failed", failure_reason="x")

    grow()
    grow()
    # session, user, count, the page of jobs
    with django_assert_num_queries(4):
        client.get(JOBS)
    grow()
    with django_assert_num_queries(4):
        response = client.get(JOBS)
    assert response.json()["count"] == 6
