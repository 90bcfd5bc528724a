"""Report fixtures: files go to a temporary media folder; PDFs are read back with pypdf."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory, ProductFactory
from tests.factories import ContactFactory, ContactRelationFactory, DossierNoteFactory

# Invoices and payments made through receivables' services, and its seeded dunning levels.
from tests.receivables.conftest import default_rates_and_levels, issue, pay  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMPANY_NAME = "Hurtownia Łódź Sp. z o.o."
    settings.COMPANY_ADDRESS = "ul. Źródlana 5\n90-001 Łódź"
    settings.COMPANY_TAX_ID = "PL7251234567"
    return settings.MEDIA_ROOT


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def brief_account(alice_account):
    """Alice's account with people who influence each other, notes and an open deal."""
    boss = ContactFactory(
        account=alice_account, first_name="Zofia", last_name="Żółkiewska", position="Prezes"
    )
    buyer = ContactFactory(
        account=alice_account, first_name="Łukasz", last_name="Gęślak", attitude="neutral"
    )
    ContactRelationFactory(from_contact=buyer, to_contact=boss)
    DossierNoteFactory(account=alice_account, text="Chce rabatu za wolumen; ważne terminy dostaw.")
    DealFactory(
        account=alice_account, title="Dostawa wiosenna", stage="negotiation", probability=70
    )
    return alice_account


@pytest.fixture
def offer(alice_account):
    deal = DealFactory(account=alice_account, title="Spring range", stage="offer", probability=40)
    offer = OfferFactory(deal=deal, version=1, status="sent", terms="Delivery within 14 days.")
    for name, quantity in (("Żurek w słoiku", "12"), ("Ćwikła z chrzanem", "30")):
        OfferLineFactory(offer=offer, product=ProductFactory(name=name), quantity=Decimal(quantity))
    return offer
