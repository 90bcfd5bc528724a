from pathlib import Path

import pytest
from django.conf import settings

from reports import services
from reports.models import ReportJob
from team.models import Role
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import AccountFactory, ContactFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kam_asks_for_a_dossier_brief_watches_it_finish_in_place_and_downloads_it(
    live_server, page, tmp_path, monkeypatch
):
    monkeypatch.setattr(settings, "MEDIA_ROOT", tmp_path / "media")
    # Queued jobs stay queued until the test runs them, so the page can be seen waiting.
    monkeypatch.setattr(services.tasks.report_job_run, "delay", lambda job_id: None)
    territory = TerritoryFactory(name="North", code="north")
    kam = UserFactory(username="kam1", role=Role.KAM, territory=territory)
    kam.set_password("demo")
    kam.save()
    account = AccountFactory(owner=kam, name="Zakłady Mięsne Łuków")
    ContactFactory(account=account, first_name="Ewa", last_name="Kowalska", position="CEO")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    page.click("button:has-text('Dossier brief (PDF)')")
    page.wait_for_url(f"{live_server.url}/reports/")

    row = page.locator("table.report-jobs tbody tr").first
    assert "Dossier brief: Zakłady Mięsne Łuków" in row.text_content()
    assert "Queued" in row.text_content()

    services.report_job_run(job_id=ReportJob.objects.get().pk)
    download_link = row.get_by_role("link", name="Download")
    download_link.wait_for(timeout=STEP_TIMEOUT_MS)  # the table polls and updates itself

    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.startswith("dossier-brief-zaklady-miesne-lukow-")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"


def test_kam_asks_for_a_qbr_pack_watches_its_progress_and_downloads_it(
    live_server, page, tmp_path, monkeypatch
):
    monkeypatch.setattr(settings, "MEDIA_ROOT", tmp_path / "media")
    monkeypatch.setattr(services.tasks.report_job_run, "delay", lambda job_id: None)
    territory = TerritoryFactory(name="North", code="north")
    kam = UserFactory(username="kam1", role=Role.KAM, territory=territory)
    kam.set_password("demo")
    kam.save()
    account = AccountFactory(owner=kam, name="Hurtownia Źródło")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "kam1")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    qbr = page.locator("form[data-kind='qbr_pack']")
    qbr.locator("input[name=year]").fill("2026")
    qbr.locator("select[name=quarter]").select_option("2")
    qbr.get_by_role("button", name="QBR pack (PDF)").click()
    page.wait_for_url(f"{live_server.url}/reports/")

    row = page.locator("table.report-jobs tbody tr").first
    assert "QBR pack: Hurtownia Źródło · 2026 Q2" in row.text_content()
    job = ReportJob.objects.get()
    # Half-way through, as the worker reports it: the table shows the progress in place.
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=40, attempts=1)
    row.locator("progress[value='40']").wait_for(timeout=STEP_TIMEOUT_MS)
    ReportJob.objects.filter(pk=job.pk).update(status="queued", progress=0, attempts=0)
    services.report_job_run(job_id=job.pk)
    download_link = row.get_by_role("link", name="Download")
    download_link.wait_for(timeout=STEP_TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "qbr-done.png"))

    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == "qbr-hurtownia-zrodlo-2026-q2.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
