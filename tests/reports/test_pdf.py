"""The documents themselves, read back as text: letterhead, Polish letters, page numbers, and
long tables that split across pages with their header repeated."""

import pytest
from django.utils import timezone

from reports import pdf
from reports.models import ReportJob
from reports.registry import kind_get
from tests.deals.factories import OfferLineFactory, ProductFactory
from tests.reports.conftest import pdf_pages

pytestmark = pytest.mark.django_db


def _render(slug: str, user, **parameters):
    job = ReportJob.objects.create(
        kind=slug, parameters=parameters, title="t", requested_by=user, as_of=timezone.now()
    )
    return kind_get(slug).render(job, lambda percent: None)


def test_offer_document_shows_letterhead_client_lines_terms_and_validity(alice, offer):
    rendered = _render("commercial_offer", alice, offer=offer.pk)

    assert rendered.content_type == "application/pdf"
    assert rendered.filename == f"offer-{offer.number}-alpha-foods.pdf"
    [page] = pdf_pages(rendered.content)
    for text in (
        "Hurtownia Łódź Sp. z o.o.",
        "ul. Źródlana 5",
        "Tax ID PL7251234567",
        f"Commercial offer No. {offer.number}",
        "Alpha Foods (legal)",
        "Żurek w słoiku",
        "Ćwikła z chrzanem",
        "12 pcs 100.00 5 % 95.00 1,140.00",
        "Total (net of VAT) 3,990.00 PLN",
        "Delivery within 14 days.",
        f"valid until {offer.valid_until:%-d} ",
        "Page 1 of 1",
    ):
        assert text in page
    assert "Draft for review" not in page


def test_offer_document_never_shows_our_costs_or_margins(alice, offer):
    [page] = pdf_pages(_render("commercial_offer", alice, offer=offer.pk).content)

    assert "60.00" not in page  # the unit cost
    assert "argin" not in page


def test_a_draft_offer_document_says_it_is_not_yet_an_offer(alice, offer):
    offer.status = "draft"
    offer.save(update_fields=["status"])

    [page] = pdf_pages(_render("commercial_offer", alice, offer=offer.pk).content)

    assert "Draft for review: not yet an offer the client may accept." in page


def test_a_long_offer_splits_between_rows_and_repeats_the_table_header_on_every_page(alice, offer):
    for n in range(150):
        OfferLineFactory(
            offer=offer, product=ProductFactory(name=f"Łosoś wędzony {n:03d}"), quantity=1
        )

    pages = pdf_pages(_render("commercial_offer", alice, offer=offer.pk).content)

    assert len(pages) >= 4
    for number, text in enumerate(pages, start=1):
        assert "Product Quantity List price Discount Net price Total" in text
        assert f"Page {number} of {len(pages)}" in text
    body = "".join(pages)
    assert all(f"Łosoś wędzony {n:03d}" in body for n in range(150))
    assert pages[-1].count("Total (net of VAT)") == 1


def test_dossier_brief_holds_profile_contacts_influence_map_timeline_and_open_deals(
    alice, brief_account
):
    rendered = _render("account_brief", alice, account=brief_account.pk)

    pages = pdf_pages(rendered.content)
    text = "\n".join(pages)
    assert rendered.filename.startswith("dossier-brief-alpha-foods-")
    for expected in (
        "Alpha Foods",
        "Faster deliveries.",  # needs
        "Zofia Żółkiewska",
        "Łukasz Gęślak",
        "Likes sailing.",  # personal notes: the KAM's own
        "Influence map",
        "reports to",  # an edge of the map, drawn as SVG text
        "Chce rabatu za wolumen; ważne terminy dostaw.",
        "Dostawa wiosenna Negotiation 50,000.00 PLN 70 %",
    ):
        assert expected in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_renderer_reads_only_the_shipped_fonts(tmp_path):
    fetcher = pdf._shipped_files_only(pdf._font_dir())

    assert fetcher((pdf._font_dir() / "DejaVuSans.ttf").as_uri()).read()[:4] == b"\x00\x01\x00\x00"
    for url in ("file:///etc/passwd", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(ValueError):
            fetcher(url)


def test_a_link_typed_into_a_record_is_not_fetched(alice, offer, monkeypatch):
    fetched = []
    real = pdf._shipped_files_only

    def spying(root):
        fetcher = real(root)
        original = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf, "_shipped_files_only", spying)
    offer.terms = '<img src="http://example.com/x.png">'
    offer.save(update_fields=["terms"])

    [page] = pdf_pages(_render("commercial_offer", alice, offer=offer.pk).content)

    assert '<img src="http://example.com/x.png">' in page  # shown as text, escaped
    assert not [url for url in fetched if url.startswith("http")]


def test_dossier_brief_holds_the_money_and_the_month_against_the_owners_plan(
    alice, brief_account, issue
):
    from datetime import timedelta
    from decimal import Decimal

    from commissions.models import SalesPlan

    today = timezone.localdate()
    issue(
        brief_account, "300.00", issued=today - timedelta(days=40), due=today - timedelta(days=10)
    )
    issue(brief_account, "200.00", issued=today, due=today + timedelta(days=30))
    SalesPlan.objects.create(kam=alice, month=today.replace(day=1), revenue_target=Decimal("2000"))

    text = "\n".join(pdf_pages(_render("account_brief", alice, account=brief_account.pk).content))

    assert "Money" in text
    assert "Balance 500.00 PLN · overdue 300.00 PLN" in text
    assert "Plan vs actual" in text and "2,000.00 PLN" in text
    assert "This account: 200.00 PLN invoiced · 10.0 % of the plan" in text
