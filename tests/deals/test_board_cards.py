"""The board's cards as the template tag draws them (deals/templatetags/board.py) are the cards
the template drew before, byte for byte, in English and Polish: the template is kept here as
the reference and both render the same cards (offer above and below the deal, in another
currency, none; no close date; first and last stage; a title that needs escaping). Whole
amounts are floatformat's "0g" to the unit, rounding and signs included."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from accounts.models import Account
from deals.models import Deal, DealStage
from deals.selectors.pipeline import BoardCard, OfferGap, _neighbours
from deals.templatetags.board import board_cards, card_words
from deals.views.pipeline import _card_urls
from team.models import User

# templates/deals/partials/board_card.html as it was, the comment left out
BEFORE = (
    '{% load i18n %}{% with pk=card.deal.pk|stringformat:"d" deal=card.deal %}'
    '<article class="deal-card" id="deal-card-{{ pk }}" data-pk="{{ pk }}" '
    'data-stage="{{ deal.stage }}">\n'
    '<a class="deal-title" href="{{ card_urls.detail.prefix }}{{ pk }}'
    '{{ card_urls.detail.suffix }}">{{ deal.title }}</a>\n'
    '<div class="small muted card-line">{{ deal.account.name }}{% if show_owner %} · '
    "{{ deal.owner }}{% endif %}</div>\n"
    '<div class="small card-line"><strong>{{ deal.amount|floatformat:"0g" }} '
    "{{ deal.currency }}</strong> · {{ deal.probability }} %{% if deal.expected_close_date %}"
    ' · {{ deal.expected_close_date|date:"j M" }}{% endif %}</div>\n'
    '{% if card.offer %}<div class="small card-line offer-gap{% if card.offer.gap < 0 %} '
    'below{% endif %}">{% blocktranslate with version=card.offer.version %}Offer v{{ version }}'
    '{% endblocktranslate %} {{ card.offer.total|floatformat:"0g" }}'
    "{% if card.offer.gap is not None %} ({% if card.offer.gap >= 0 %}+{% endif %}"
    '{{ card.offer.gap|floatformat:"0g" }}){% else %} {{ card.offer.currency }}{% endif %}'
    "</div>{% endif %}\n"
    '{% if card.back or card.on %}<div class="card-moves">{% if card.back %}'
    '<button class="btn tiny" form="board-move" formaction="{{ card_urls.move.prefix }}'
    '{{ pk }}{{ card_urls.move.suffix }}" name="stage" value="{{ card.back.stage }}" '
    'aria-label="{% blocktranslate with stage=card.back.label %}Back to {{ stage }}'
    '{% endblocktranslate %}">\u2039</button>{% endif %}{% if card.on %}'
    '<button class="btn tiny primary" form="board-move" formaction="'
    '{{ card_urls.move.prefix }}{{ pk }}{{ card_urls.move.suffix }}" name="stage" '
    'value="{{ card.on.stage }}">{{ card.on.label }} \u203a</button>{% endif %}'
    '<a class="small" href="{{ card_urls.detail.prefix }}{{ pk }}{{ card_urls.detail.suffix }}'
    '#move">{% translate "Lost…" %}</a></div>{% endif %}\n'
    "</article>{% endwith %}\n"
)

AMOUNTS = [
    "0",
    "0.00",
    "0.49",
    "0.50",
    "-0.40",
    "-0.50",
    "-0.51",
    "1.5",
    "2.5",
    "999.49",
    "999.50",
    "1000",
    "-1000.00",
    "1234567.89",
    "-1234567.50",
    "999999999999.99",
    "100000",
]


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("amount", AMOUNTS)
def test_whole_amounts_are_floatformats(language, amount):
    with translation.override(language):
        words = card_words(language)
        assert words.whole(Decimal(amount)) == floatformat(Decimal(amount), "0g")


def _card(pk, stage, amount, *, offer=None, close=date(2027, 1, 2), title="Cables"):
    deal = Deal(
        pk=pk,
        title=title,
        stage=stage,
        amount=Decimal(amount),
        currency="PLN",
        probability=40,
        expected_close_date=close,
        owner=User(first_name="Łucja", last_name="Wiśniewska", username="kam7"),
    )
    deal.account = Account(name='Agro & "Sons" <Ltd>')
    return BoardCard(deal, *_neighbours(stage), offer)


CARDS = [
    _card(7, DealStage.RESEARCH, "1234567.50", close=None),
    _card(
        12345,
        DealStage.OFFER,
        "1000.00",
        offer=OfferGap(version=3, total=Decimal("900.49"), currency="PLN", gap=Decimal("-99.51")),
        title="<b>Pipes</b> & 'fittings'",
    ),
    _card(
        8,
        DealStage.NEGOTIATION,
        "10.00",
        offer=OfferGap(version=1, total=Decimal("1500.50"), currency="PLN", gap=Decimal("0.50")),
        close=date(2026, 5, 31),
    ),
    _card(
        9,
        DealStage.MEETING,
        "0.00",
        offer=OfferGap(version=2, total=Decimal("80.00"), currency="EUR", gap=None),
    ),
    _card(10, DealStage.WON, "500.00"),
    _card(11, DealStage.LOST, "-0.40"),
]


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("show_owner", [True, False])
def test_cards_are_what_the_template_drew(language, show_owner):
    context = {"card_urls": _card_urls(), "show_owner": show_owner}
    with translation.override(language):
        before = "".join(
            Template(BEFORE).render(Context({**context, "card": card})) for card in CARDS
        )
        after = board_cards(Context(context), CARDS)
    assert after == before
    assert "&lt;b&gt;Pipes&lt;/b&gt; &amp; &#x27;fittings&#x27;" in after
