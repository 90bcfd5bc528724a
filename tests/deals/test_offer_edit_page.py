"""The offer edit page: a draft's validity, currency and terms, saved through the service;
refusals shown on the form with the input kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deals.models import Offer, OfferStatus
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory, ProductFactory


@pytest.fixture
def offer(alice_account):
    deal = DealFactory(account=alice_account, stage="offer", title="Cabling for Hall 3")
    return OfferFactory(deal=deal, version=1, currency="PLN")


def _post(client, offer, **changes):
    data = {
        "valid_until": offer.valid_until.isoformat(),
        "currency": offer.currency,
        "terms": offer.terms,
        **changes,
    }
    return client.post(reverse("deals:offer_edit", args=[offer.pk]), data, follow=True)


def test_page_names_the_offer_it_edits_with_its_deal_in_the_crumbs(client, alice, offer):
    client.force_login(alice)
    response = client.get(reverse("deals:offer_edit", args=[offer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Edit Offer {offer.number}</h1>" in html
    assert "Cabling for Hall 3" in html
    assert reverse("deals:offer_detail", args=[offer.pk]) in html


def test_owner_saves_new_terms_and_lands_on_the_offer(client, alice, offer):
    client.force_login(alice)
    until = timezone.localdate() + timedelta(days=45)
    response = _post(client, offer, terms="Delivery in 3 weeks", valid_until=until.isoformat())
    assert response.redirect_chain[-1][0] == reverse("deals:offer_detail", args=[offer.pk])
    assert "Offer saved." in [str(m) for m in response.context["messages"]]
    offer.refresh_from_db()
    assert (offer.terms, offer.valid_until) == ("Delivery in 3 weeks", until)


def test_currency_change_with_lines_is_refused_on_the_currency_field(client, alice, offer):
    OfferLineFactory(offer=offer, product=ProductFactory(currency="PLN"))
    client.force_login(alice)
    response = _post(client, offer, currency="EUR", terms="Kept while refused")
    assert response.status_code == 200
    form = response.context["form"]
    assert "Remove the lines before changing the currency." in form.errors["currency"]
    assert form["terms"].value() == "Kept while refused"
    assert Offer.objects.get(pk=offer.pk).currency == "PLN"


def test_a_sent_offer_cannot_be_edited_and_says_to_make_a_new_version(client, alice, offer):
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.SENT)
    client.force_login(alice)
    response = _post(client, offer, terms="Too late")
    assert response.status_code == 200
    assert "make a new version instead" in " ".join(response.context["form"].non_field_errors())
    assert Offer.objects.get(pk=offer.pk).terms != "Too late"
