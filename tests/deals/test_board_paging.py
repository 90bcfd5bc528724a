"""The pipeline board at the size of a real sales team: each column shows its first cards and
"Show more" the next ones of that stage only, in order and never twice; the totals are the
whole stage's; the page stays small and its queries do not grow with the deals."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Deal, DealStage
from deals.selectors import BOARD_CARDS
from tests.deals.factories import DealFactory, OfferFactory, OfferLineFactory
from tests.factories import AccountFactory, UserFactory

BOARD = reverse("deals:board")
HX = {"HX-Request": "true"}
CARD_ID = re.compile(r'id="deal-card-(\d+)"')


def _deals(accounts, per_stage: int, *, currency="PLN", title="Deal"):
    """`per_stage` deals in every stage, spread over `accounts`, amounts with ties."""
    deals = []
    for stage in DealStage.values:
        for n in range(per_stage):
            deals.append(
                DealFactory.build(
                    account=accounts[n % len(accounts)],
                    owner=accounts[n % len(accounts)].owner,
                    title=f"{title} {stage} {n}",
                    stage=stage,
                    amount=Decimal(1000 * (n // 3) + 500),  # three deals per amount
                    currency=currency,
                )
            )
    return Deal.objects.bulk_create(deals)


@pytest.fixture
def team(north, dora):
    """Eight KAMs of dora's territory, two accounts each with long, real-looking names."""
    kams = [
        UserFactory(username=f"kam{i}", territory=north, reports_to=dora, first_name="Katarzyna")
        for i in range(8)
    ]
    return [
        AccountFactory(owner=kam, name=f"Przedsiębiorstwo Handlowo-Usługowe Nr {i} Sp. z o.o.")
        for i, kam in enumerate(kams * 2)
    ]


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in CARD_ID.findall(html)]


def _column_order(stage: str, user_deals) -> list[int]:
    rows = sorted((-d.amount, d.pk) for d in user_deals if d.stage == stage)
    return [pk for _, pk in rows]


def _show_more_urls(html: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in re.findall(r'hx-get="([^"]+)"', html)]


def _walk_column(client, stage: str, first_page: str) -> list[int]:
    """Every card of a column, following "Show more" until the end."""
    seen = list(_ids(first_page))
    url = next((u for u in _show_more_urls(first_page) if f"/board/{stage}/" in u), None)
    while url:
        page = client.get(url, headers=HX).content.decode()
        seen += _ids(page)
        url = next(iter(_show_more_urls(page)), None)
    return seen


def _column_html(board: str, stage: str) -> str:
    start = board.index(f'<div class="board-cards" data-stage="{stage}"')
    return board[start : board.index("</section>", start)]


def test_a_directors_board_of_many_deals_stays_under_60_kb(client, dora, team):
    _deals(team, per_stage=60)  # 420 deals, every column full
    client.force_login(dora)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert len(_ids(response.content.decode())) == BOARD_CARDS * len(DealStage.values)
    assert len(response.content) < 60_000, f"{len(response.content)} bytes"


def test_show_more_returns_the_next_cards_of_the_stage_in_order_without_duplicates(
    client, alice, alice_account
):
    deals = _deals([alice_account], per_stage=2 * BOARD_CARDS + 4)
    client.force_login(alice)
    board = client.get(BOARD).content.decode()
    for stage in (DealStage.OFFER, DealStage.WON):
        walked = _walk_column(client, stage, _column_html(board, stage))
        assert walked == _column_order(stage, deals)


def test_show_more_says_how_many_follow_and_stops_at_the_end(client, alice, alice_account):
    _deals([alice_account], per_stage=BOARD_CARDS + 3)
    client.force_login(alice)
    board = client.get(BOARD).content.decode()
    assert "Show more (3)" in _column_html(board, "offer")
    (url,) = [u for u in _show_more_urls(board) if "/board/offer/" in u]
    more = client.get(url, headers=HX).content.decode()
    assert len(_ids(more)) == 3
    assert "Show more" not in more


def test_a_card_moved_meanwhile_is_not_shown_twice(client, alice, alice_account):
    deals = _deals([alice_account], per_stage=BOARD_CARDS + 5)
    client.force_login(alice)
    board = client.get(BOARD).content.decode()
    (url,) = [u for u in _show_more_urls(board) if "/board/offer/" in u]
    first = _ids(_column_html(board, "offer"))
    Deal.objects.filter(pk=first[0]).update(stage=DealStage.NEGOTIATION)
    more = _ids(client.get(url, headers=HX).content.decode())
    expected = _column_order("offer", deals)[BOARD_CARDS:]
    assert more == expected
    assert not set(more) & set(first)


def test_totals_are_the_whole_stages_per_currency_not_only_the_cards_shown(
    client, alice, alice_account
):
    _deals([alice_account], per_stage=BOARD_CARDS + 2)
    _deals([alice_account], per_stage=1, currency="EUR", title="Euro")
    client.force_login(alice)
    column = next(c for c in client.get(BOARD).context["board"].columns if c.stage == "offer")
    expected = sum(Decimal(1000 * (n // 3) + 500) for n in range(BOARD_CARDS + 2))
    assert column.amount == {"PLN": expected, "EUR": Decimal("500.00")}
    assert column.count == BOARD_CARDS + 3
    assert len(column.cards) == BOARD_CARDS


def test_another_territorys_cards_never_appear_on_the_board_or_in_show_more(
    client, dora, alice_account, charlie_account
):
    ours = _deals([alice_account], per_stage=BOARD_CARDS + 2)
    theirs = _deals([charlie_account], per_stage=BOARD_CARDS + 2, title="South")
    client.force_login(dora)
    board = client.get(BOARD).content.decode()
    seen = []
    for stage in DealStage.values:
        seen += _walk_column(client, stage, _column_html(board, stage))
    assert sorted(seen) == sorted(d.pk for d in ours)
    assert not {d.pk for d in theirs} & set(seen)


def test_cards_link_to_their_deal_and_post_their_moves_to_the_deals_move_url(
    client, alice, alice_account
):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, title="Cables")
    client.force_login(alice)
    board = client.get(BOARD).content.decode()
    card = board[board.index(f'id="deal-card-{deal.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'href="{reverse("deals:deal_detail", args=[deal.pk])}"' in card
    assert f'formaction="{reverse("deals:deal_move", args=[deal.pk])}"' in card
    # the buttons submit the board's one move form, which carries the CSRF token
    assert 'form="board-move"' in card and "csrfmiddlewaretoken" not in card
    assert 'id="board-move"' in board


def test_a_cards_buttons_move_a_stage_back_and_on_with_their_labels(client, alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, title="Cables", amount=12345)
    client.force_login(alice)
    board = client.get(BOARD).content.decode()
    card = board[board.index(f'id="deal-card-{deal.pk}"') :]
    card = card[: card.index("</article>")]
    assert f'data-pk="{deal.pk}" data-stage="offer"' in card
    assert 'value="first_contact" aria-label="Back to First contact">\u2039</button>' in card
    assert 'value="meeting">Meeting / presentation \u203a</button>' in card
    assert f'href="{reverse("deals:deal_detail", args=[deal.pk])}#move">Lost…</a>' in card
    assert "<strong>12,345 PLN</strong>" in card
    prefix, suffix = reverse("deals:deal_move", args=[1]).split("1")
    assert f'data-move-prefix="{prefix}" data-move-suffix="{suffix}"' in board


def test_a_card_button_moves_the_deal_without_the_script_too(client, alice, alice_account):
    deal = DealFactory(account=alice_account, stage=Deal.Stage.OFFER, probability=40)
    client.force_login(alice)
    # what the browser posts without JavaScript: the board's form, to the button's formaction
    response = client.post(reverse("deals:deal_move", args=[deal.pk]), {"stage": "negotiation"})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == Deal.Stage.NEGOTIATION


@pytest.mark.parametrize(
    "query",
    [
        {"after_amount": "x", "after_id": "1"},
        {"after_amount": "NaN", "after_id": "1"},
        {"after_amount": "1e30", "after_id": "1"},
        {"after_amount": "100", "after_id": str(2**70)},
        {"after_amount": "100"},
    ],
)
def test_an_unreadable_show_more_position_starts_from_the_top(client, alice, alice_account, query):
    deals = _deals([alice_account], per_stage=3)
    client.force_login(alice)
    response = client.get(reverse("deals:board_column", args=["offer"]), query, headers=HX)
    assert response.status_code == 200
    assert _ids(response.content.decode()) == _column_order("offer", deals)


def _grow(accounts, n):
    deals = _deals(accounts, per_stage=n)
    for deal in deals[:: max(1, len(deals) // 10)]:
        OfferLineFactory(offer=OfferFactory(deal=deal, version=1))
    return deals


def test_the_board_runs_a_fixed_number_of_queries_however_many_deals(
    client, dora, team, django_assert_num_queries
):
    client.force_login(dora)
    _grow(team, 2)
    # session, user, approvals waiting (menu), bell, sums by stage, currency and owner (the
    # columns' and the KAMs' totals), the ranked ids, the cards by id with account and owner,
    # their latest offers with totals
    with django_assert_num_queries(8):
        client.get(BOARD)
    _grow(team, 3 * BOARD_CARDS)
    with django_assert_num_queries(8):
        response = client.get(BOARD)
    assert len(_ids(response.content.decode())) == BOARD_CARDS * len(DealStage.values)


def test_show_more_runs_a_fixed_number_of_queries_however_many_deals(
    client, dora, team, django_assert_num_queries
):
    client.force_login(dora)
    url = reverse("deals:board_column", args=["offer"])
    _grow(team, BOARD_CARDS + 1)
    # session, user, the cards with account and owner, their latest offers, what remains
    with django_assert_num_queries(5):
        client.get(url, headers=HX)
    _grow(team, 4 * BOARD_CARDS)
    with django_assert_num_queries(5):
        response = client.get(url, headers=HX)
    assert len(_ids(response.content.decode())) == BOARD_CARDS
