"""The offers-to-approve rows drawn by `{% approval_rows %}` are, byte for byte, what the
template loop they replaced drew: several reasons, none, names that need escaping, an offer
without lines, large amounts and negative margins, in English and in Polish."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from deals.models import Offer
from deals.selectors import approvals_queue
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory, ProductFactory
from tests.factories import AccountFactory, UserFactory

# The rows as templates/deals/approvals.html drew them before the tag.
TEMPLATE_LOOP = """{% load i18n %}<tbody>
  {% for offer in offers %}
    <tr>
      <td><a href="{% url 'deals:offer_detail' offer.pk %}">{{ offer.deal.title }} v{{ offer.version }}</a><div class="muted small">{{ offer.deal.account.name }} · {% translate "tier" %} {{ offer.deal.account.tier }}</div></td>
      <td>{{ offer.deal.owner }}</td>
      <td>{{ offer.submitted_at|date:"j M Y H:i" }}</td>
      <td class="num">{{ offer.total|floatformat:"2g" }} {{ offer.currency }}</td>
      <td class="num">{{ offer.margin|floatformat:"2g" }}</td>
      <td class="small"><ul class="reasons">{% for reason in offer.approval_reason.splitlines %}<li>{{ reason }}</li>{% endfor %}</ul></td>
    </tr>
  {% empty %}
    <tr><td colspan="6" class="empty">{% translate "Nothing waiting for your approval." %}</td></tr>
  {% endfor %}
  </tbody>"""  # noqa: E501

TAG = """{% load i18n approvals %}<tbody>
  {% if offers %}{% approval_rows offers %}{% else %}
    <tr><td colspan="6" class="empty">{% translate "Nothing waiting for your approval." %}</td></tr>
  {% endif %}
  </tbody>"""


@pytest.fixture
def waiting(alice, bob):
    """Three offers of dora's KAMs waiting for her approval."""
    odd_owner = UserFactory(
        territory=alice.territory, first_name="Zoë <b>", last_name="O'Hara & Co"
    )
    odd = AccountFactory(owner=odd_owner, name='"Łódź" <Huta> & Syn', tier="B")
    expensive = ProductFactory(list_price=Decimal("1234567.89"), unit_cost=Decimal("1300000"))
    offers = [
        OfferFactory(deal=DealFactory(account=AccountFactory(owner=alice), title="Cables")),
        OfferFactory(deal=DealFactory(account=odd, title="Wire <&> 'x'"), currency="EUR"),
        OfferFactory(deal=DealFactory(account=AccountFactory(owner=bob), title="Empty")),
    ]
    OfferLineFactory(offer=offers[0])
    OfferLineFactory(offer=offers[0])
    OfferLineFactory(offer=offers[1], product=expensive, quantity=Decimal("1000"))
    reasons = [
        "Discount 12% above the 10% limit for Cables\nMargin 3% below the 5% floor",
        "One <reason> & more",
        "",
    ]
    for n, (offer, reason) in enumerate(zip(offers, reasons, strict=True)):
        Offer.objects.filter(pk=offer.pk).update(
            status=Offer.Status.PENDING_APPROVAL,
            approval_reason=reason,
            submitted_at=datetime(2026, 3, 28 + n, 23, 30, tzinfo=UTC),
        )
    return offers


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York"])
def test_the_tag_draws_the_rows_the_template_loop_drew(dora, waiting, language, zone):
    offers = list(approvals_queue(user=dora))
    assert len(offers) == 3
    with translation.override(language), timezone.override(zone):
        before = Template(TEMPLATE_LOOP).render(Context({"offers": offers}))
        after = Template(TAG).render(Context({"offers": offers}))

    assert "&quot;Łódź&quot; &lt;Huta&gt; &amp; Syn" in after
    assert "<li>One &lt;reason&gt; &amp; more</li>" in after
    assert after == before


def test_no_offers_draws_the_empty_row_as_before(dora):
    with translation.override("pl"):
        before = Template(TEMPLATE_LOOP).render(Context({"offers": []}))
        after = Template(TAG).render(Context({"offers": []}))

    assert 'class="empty"' in after
    assert after == before
