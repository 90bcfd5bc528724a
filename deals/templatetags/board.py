"""`{% board_cards cards %}`: the pipeline board's cards, drawn in Python.

Through the template engine a card cost some forty variable lookups, two or three
`floatformat`s and two `blocktranslate`s: a director's board of 56 cards made 2,400 lookups
and 150 `floatformat`s a request (the whole page now makes about 400 lookups). Here
the words and formats of the user's language are looked up once per language (the stage
labels and moves, "Offer v%(version)s", the month abbreviations, the thousands separator),
the amounts are written with them, and each card is one `str.format` of the markup below,
every value from the database escaped. The HTML is the one the template drew, byte for byte
(tests/deals/test_board_cards.py compares them).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import template
from django.template.defaultfilters import floatformat
from django.utils import dateformat, formats, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..models import DealStage
from ..selectors.pipeline import BoardCard

register = template.Library()

CARD = (
    '<article class="deal-card" id="deal-card-{pk}" data-pk="{pk}" data-stage="{stage}">\n'
    '<a class="deal-title" href="{detail}">{title}</a>\n'
    '<div class="small muted card-line">{account}{owner}</div>\n'
    '<div class="small card-line"><strong>{amount} {currency}</strong> · {probability} %'
    "{close}</div>\n"
    "{offer}\n"
    "{moves}\n"
    "</article>\n"
)
OFFER = '<div class="small card-line offer-gap{below}">{label} {total}{gap}</div>'
# The arrows are written as escapes (u2039, u203a): ruff flags the characters themselves.
BACK = (
    '<button class="btn tiny" form="board-move" formaction="{move}" name="stage" '
    'value="{stage}" aria-label="{label}">\u2039</button>'
)
ON = (
    '<button class="btn tiny primary" form="board-move" formaction="{move}" name="stage" '
    'value="{stage}">{label} \u203a</button>'
)
MOVES = '<div class="card-moves">{back}{on}<a class="small" href="{detail}#move">{lost}</a></div>'
ONE = Decimal(1)


class CardWords:
    """What a card says in one language, looked up once: the moves' buttons per stage, the
    offer's label, "Lost…", the month abbreviations and how whole amounts are written."""

    def __init__(self, language: str):
        self.language = language
        self.offer = gettext("Offer v%(version)s")
        self.lost = conditional_escape(gettext("Lost…"))
        # date:"j M", month by month ("Sty" in Polish)
        self.months = {m: dateformat.format(date(2000, m, 1), "M") for m in range(1, 13)}
        self.grouping = formats.get_format("NUMBER_GROUPING", language)
        self.thousands = formats.get_format("THOUSAND_SEPARATOR", language)
        # per stage: the label of the button that moves a card on to it, and the aria-label
        # of the back button to it (blocktranslate's way: the label escaped, the sentence not)
        self.on = {value: conditional_escape(label) for value, label in DealStage.choices}
        back = gettext("Back to %(stage)s")
        self.back = {value: back % {"stage": label} for value, label in self.on.items()}

    def whole(self, amount: Decimal) -> str:
        """`amount|floatformat:"0g"`: rounded half up to a whole number, thousands grouped."""
        if self.grouping != 3:  # no language of ours groups otherwise; floatformat knows how
            return floatformat(amount, "0g")
        rounded = amount.quantize(ONE, rounding=ROUND_HALF_UP)
        digits = f"{abs(int(rounded)):,}"
        if self.thousands != ",":
            digits = digits.replace(",", self.thousands)
        return f"-{digits}" if rounded < 0 else digits


@lru_cache(maxsize=8)
def card_words(language: str) -> CardWords:
    return CardWords(language)


@register.simple_tag(takes_context=True)
def board_cards(context, cards: list[BoardCard]) -> SafeString:
    """The cards, with the board's reversed URLs (`card_urls`) and, unless the reader is a
    KAM, each deal's owner (`show_owner`)."""
    words = card_words(translation.get_language() or "en")
    urls = context["card_urls"]
    detail_prefix, detail_suffix = urls["detail"]["prefix"], urls["detail"]["suffix"]
    move_prefix, move_suffix = urls["move"]["prefix"], urls["move"]["suffix"]
    show_owner = context.get("show_owner")
    html = []
    for card in cards:
        deal = card.deal
        pk = str(deal.pk)
        detail = f"{detail_prefix}{pk}{detail_suffix}"
        close = deal.expected_close_date
        html.append(
            CARD.format(
                pk=pk,
                stage=conditional_escape(deal.stage),
                detail=detail,
                title=conditional_escape(deal.title),
                account=conditional_escape(deal.account.name),
                owner=f" · {conditional_escape(str(deal.owner))}" if show_owner else "",
                amount=words.whole(deal.amount),
                currency=conditional_escape(deal.currency),
                probability=deal.probability,
                close=f" · {close.day} {words.months[close.month]}" if close else "",
                offer=_offer(card, words),
                moves=_moves(card, words, detail, f"{move_prefix}{pk}{move_suffix}"),
            )
        )
    return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped


def _offer(card: BoardCard, words: CardWords) -> str:
    offer = card.offer
    if not offer:
        return ""
    if offer.gap is None:
        gap = f" {conditional_escape(offer.currency)}"
    else:
        gap = f" ({'+' if offer.gap >= 0 else ''}{words.whole(offer.gap)})"
    return OFFER.format(
        below=" below" if offer.gap is not None and offer.gap < 0 else "",
        label=words.offer % {"version": offer.version},
        total=words.whole(offer.total),
        gap=gap,
    )


def _moves(card: BoardCard, words: CardWords, detail: str, move: str) -> str:
    if not (card.back or card.on):
        return ""
    back = on = ""
    if card.back:
        stage = card.back.stage
        back = BACK.format(move=move, stage=stage, label=words.back[stage])
    if card.on:
        stage = card.on.stage
        on = ON.format(move=move, stage=stage, label=words.on[stage])
    return MOVES.format(back=back, on=on, detail=detail, lost=words.lost)
