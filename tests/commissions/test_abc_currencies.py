"""The ABC ranking in the reporting currency (PLN): each invoice and credit note converted at
the rate frozen on it when it was issued; documents without a rate left out and counted.

By hand: 10,000.00 EUR at 4.30 = 43,000.00 PLN; a 1,000.00 EUR credit note at 4.20 takes
4,200.00 PLN off it: 38,800.00 PLN, below a PLN client's 40,000.00.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commissions.models import AbcRun, AccountClass
from commissions.selectors.abc import abc_ranking
from commissions.services.abc import abc_run
from core.models import ExchangeRate
from receivables import services
from tests.factories import AccountFactory

D = Decimal
AS_OF = date(2026, 9, 30)
ISSUED = date(2026, 9, 10)
pytestmark = pytest.mark.django_db


def sell(fiona, account, price, *, currency="PLN", cost="0", issued=ISSUED):
    return services.invoice_issue(
        actor=fiona,
        account=account,
        issue_date=issued,
        due_date=issued,
        currency=currency,
        lines=[
            services.LineInput(
                description="Goods",
                quantity=D(1),
                unit_price=D(price),
                unit_cost=D(cost),
                vat_code="0",
            )
        ],
    )


@pytest.fixture
def euro_and_zloty(fiona, alice):
    ExchangeRate.objects.create(day=ISSUED, currency="EUR", rate=D("4.30"))
    ExchangeRate.objects.create(day=date(2026, 9, 20), currency="EUR", rate=D("4.20"))
    euro = AccountFactory(owner=alice, name="Euro Client")
    zloty = AccountFactory(owner=alice, name="Zloty Client")
    sell(fiona, euro, "10000.00", currency="EUR", cost="5000.00")  # cost 21,500.00 PLN
    sell(fiona, zloty, "40000.00", cost="30000.00")
    return euro, zloty


def ranked(**kwargs):
    return {row.account_id: row for row in abc_ranking(as_of=AS_OF, **kwargs).rows}


def test_a_euro_invoice_ranks_at_its_frozen_rate_beside_zloty_ones(euro_and_zloty):
    euro, zloty = euro_and_zloty
    rows = ranked()
    assert (rows[euro.pk].revenue, rows[euro.pk].rank) == (D("43000.00"), 1)
    assert (rows[zloty.pk].revenue, rows[zloty.pk].rank) == (D("40000.00"), 2)
    # 43,000 of 83,000 = 51.8072 %: A; the zloty client crosses 80 % and 95 %: C.
    assert rows[euro.pk].share == D("51.8072")
    assert (rows[euro.pk].computed, rows[zloty.pk].computed) == ("A", "C")


def test_a_later_rate_correction_never_moves_the_ranking(euro_and_zloty):
    euro, _zloty = euro_and_zloty
    ExchangeRate.objects.filter(currency="EUR").update(rate=D("1.00"))
    assert ranked()[euro.pk].revenue == D("43000.00")


def test_a_euro_credit_note_converts_at_its_own_date(euro_and_zloty, fiona):
    euro, zloty = euro_and_zloty
    services.credit_note_issue(
        actor=fiona,
        invoice=euro.invoices.get(),
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D("1000.00"),
    )
    rows = ranked()
    assert rows[euro.pk].revenue == D("38800.00")  # 43,000 - 1,000 x 4.20
    assert (rows[zloty.pk].rank, rows[euro.pk].rank) == (1, 2)


def test_the_margin_view_converts_the_frozen_cost_too(euro_and_zloty):
    euro, zloty = euro_and_zloty
    rows = ranked()
    # Euro: 43,000 - 5,000 x 4.30 = 21,500; zloty: 40,000 - 30,000 = 10,000.
    assert (rows[euro.pk].margin, rows[euro.pk].margin_rank) == (D("21500.00"), 1)
    assert (rows[zloty.pk].margin, rows[zloty.pk].margin_rank) == (D("10000.00"), 2)


def test_a_document_without_a_rate_is_left_out_and_the_run_says_how_many(
    euro_and_zloty, fiona, alice, client
):
    euro, _zloty = euro_and_zloty
    dollars = AccountFactory(owner=alice, name="Dollar Client")
    sell(fiona, dollars, "99999.00", currency="USD")  # no USD rate in the table

    ranking = abc_ranking(as_of=AS_OF)
    assert ranking.unrated == 1 and ranking.currency == "PLN"
    rows = {row.account_id: row for row in ranking.rows}
    assert rows[dollars.pk].revenue == 0 and rows[dollars.pk].computed == "C"
    assert rows[euro.pk].share == D("51.8072")  # the dollars are not guessed into the total

    run = abc_run(as_of=AS_OF)
    assert (run.unrated_documents, run.currency) == (1, "PLN")
    assert AccountClass.objects.get(account=dollars).computed == "C"
    client.force_login(alice)
    page = client.get(reverse("commissions:abc")).content.decode()
    assert "1 invoice or credit note of the last 12 months has no exchange rate" in page


def test_with_every_rate_known_the_page_shows_no_warning(euro_and_zloty, alice, client):
    abc_run(as_of=AS_OF)
    assert AbcRun.objects.get().unrated_documents == 0
    client.force_login(alice)
    page = client.get(reverse("commissions:abc")).content.decode()
    assert 'id="abc-unrated"' not in page
    assert "Amounts in PLN" in page
