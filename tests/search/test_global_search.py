"""The search box in the navigation: what it finds, for whom, grouped how, at what cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Account
from core.search import SearchQuery, search_everywhere, text_match
from deals.models import Order
from tests.deals.factories import ContractFactory, DealFactory, OfferFactory, OrderFactory
from tests.factories import AccountFactory, ContactFactory

URL = reverse("search")


def kinds(groups):
    return {str(group.kind): [hit.label for hit in group.hits] for group in groups}


@pytest.fixture
def book(alice_account, bob_account, charlie_account):
    """A 'Nord' account, contact, deal, contract and order under each of the three KAMs."""
    for account in (alice_account, bob_account, charlie_account):
        who = account.owner.username
        nord = AccountFactory(owner=account.owner, name=f"Nordic {who}", tax_id=f"PL99{who}")
        ContactFactory(account=nord, first_name="Nora", last_name=f"Nordmann {who}")
        deal = DealFactory(account=nord, title=f"Nordic roll-out {who}")
        ContractFactory(account=nord, deal=deal, number=f"NORD/{who}")
        OrderFactory(account=nord, reference=f"PO-NORD-{who}")


def test_kam_finds_only_records_on_their_own_accounts(alice, book):
    order = Order.objects.get(reference="PO-NORD-alice")
    assert kinds(search_everywhere(user=alice, text="nord")) == {
        "Accounts": ["Nordic alice"],
        "Contacts": ["Nora Nordmann alice"],
        "Deals": ["Nordic roll-out alice"],
        "Contracts": ["NORD/alice"],
        "Orders": [str(order)],
    }


def test_director_finds_the_territory_and_finance_everything(dora, fiona, book):
    assert kinds(search_everywhere(user=dora, text="nordic"))["Accounts"] == [
        "Nordic alice",
        "Nordic bob",
    ]
    assert len(kinds(search_everywhere(user=fiona, text="nordic"))["Accounts"]) == 3


def test_every_word_must_match_somewhere(alice, book):
    assert kinds(search_everywhere(user=alice, text="nora alice"))["Contacts"] == [
        "Nora Nordmann alice"
    ]
    assert "Contacts" not in kinds(search_everywhere(user=alice, text="nora bob"))


def test_accounts_by_tax_id_and_legal_name(alice, book):
    assert kinds(search_everywhere(user=alice, text="pl99alice"))["Accounts"] == ["Nordic alice"]
    account = AccountFactory(owner=alice, name="Short", legal_name="Very Long Legal Sp. z o.o.")
    assert kinds(search_everywhere(user=alice, text="legal sp"))["Accounts"] == [account.name]


def test_offers_and_orders_by_number(alice, alice_account, bob_account):
    deal = DealFactory(account=alice_account)
    offer = OfferFactory(deal=deal, version=2)
    order = OrderFactory(account=alice_account)
    other = OrderFactory(account=bob_account)
    assert kinds(search_everywhere(user=alice, text=f"{deal.pk}-v2"))["Offers"] == [str(offer)]
    assert kinds(search_everywhere(user=alice, text=f"#{order.pk}"))["Orders"] == [str(order)]
    assert "Orders" not in kinds(search_everywhere(user=alice, text=str(other.pk)))


def test_one_letter_finds_nothing(alice, book):
    assert search_everywhere(user=alice, text="n") == []


def test_page_groups_results_by_kind_with_links(client, alice, book):
    client.force_login(alice)
    response = client.get(URL, {"q": "nordic"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Search</h1>" in page
    assert page.index("Accounts") < page.index("Deals")
    assert "Nordic bob" not in page
    account = Account.objects.get(name="Nordic alice")
    assert f'href="{reverse("accounts:detail", args=[account.pk])}"' in page


def test_htmx_gets_the_results_alone(client, alice, book):
    client.force_login(alice)
    response = client.get(URL, {"q": "nordic"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Nordic roll-out alice" in response.content


def test_more_than_a_handful_links_to_the_filtered_list(client, alice):
    for n in range(7):
        AccountFactory(owner=alice, name=f"Many {n}")
    client.force_login(alice)
    response = client.get(URL, {"q": "many"}, headers={"HX-Request": "true"})
    assert response.content.count(b"Many ") == 5
    assert b"/accounts/?q=many" in response.content


def test_nothing_found_says_so(client, alice):
    client.force_login(alice)
    response = client.get(URL, {"q": "zzzz"})
    assert "Nothing you may see matches" in response.content.decode()


def test_search_is_read_with_get_only(client, alice):
    client.force_login(alice)
    assert client.post(URL, {"q": "x"}).status_code == 405


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(URL, {"q": "nord"}).status_code == 302


def test_search_runs_a_fixed_number_of_queries(client, dora, book, django_assert_num_queries):
    client.force_login(dora)
    # session, user, accounts, contacts, deals, contracts, orders (offers only for a number);
    # the bell's unread count and the menu's approvals count
    with django_assert_num_queries(9):
        client.get(URL, {"q": "nord"})


@pytest.mark.usefixtures("requires_postgres")
def test_letters_without_accents_find_polish_names(alice):
    account = AccountFactory(owner=alice, name="Łódzkie Zakłady Mięsne")
    ContactFactory(account=account, first_name="Anna", last_name="Wiśniewska")
    found = kinds(search_everywhere(user=alice, text="Wisniewska"))
    assert found["Contacts"] == ["Anna Wiśniewska"]
    assert kinds(search_everywhere(user=alice, text="lodzkie zaklady"))["Accounts"] == [
        account.name
    ]


@pytest.mark.usefixtures("requires_postgres")
def test_account_search_can_use_the_trigram_index(alice):
    # Unordered: ordered by name, the planner may rather walk the name index and filter.
    queryset = Account.objects.filter(text_match(["name"], SearchQuery.parse("wisn"))).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accounts_account_name_trgm" in plan


def contacts(user, text):
    return kinds(search_everywhere(user=user, text=text)).get("Contacts", [])


def test_surnames_starting_with_the_word_come_first_then_the_rest_a_to_z(alice, alice_account):
    for first, last in [
        ("Anna", "Janowak"),  # only contains "nowak": after every surname starting with it
        ("Zofia", "Nowak"),
        ("Adam", "Nowakowski"),
        ("Piotr", "Nowak"),
        ("Nowak", "Abacki"),  # the first name starts with it, not the surname
    ]:
        ContactFactory(account=alice_account, first_name=first, last_name=last)
    assert contacts(alice, "nowak") == [
        "Piotr Nowak",
        "Zofia Nowak",
        "Adam Nowakowski",
        "Nowak Abacki",
        "Anna Janowak",
    ]


def test_other_words_still_have_to_match_in_both_parts(alice, alice_account):
    ContactFactory(account=alice_account, first_name="Ewa", last_name="Nowak")
    ContactFactory(account=alice_account, first_name="Jan", last_name="Nowak")
    ContactFactory(account=alice_account, first_name="Jan", last_name="Sanowak")
    ContactFactory(account=alice_account, first_name="Ewa", last_name="Sanowak")
    assert contacts(alice, "nowak jan") == ["Jan Nowak", "Jan Sanowak"]


def test_a_full_group_of_surname_matches_leaves_out_the_rest_and_says_there_are_more(
    alice, alice_account
):
    ContactFactory(account=alice_account, first_name="Aaron", last_name="Abnowak")
    for n in range(6):
        ContactFactory(account=alice_account, first_name=f"Osoba {n}", last_name="Nowak")
    [group] = [g for g in search_everywhere(user=alice, text="nowak") if g.kind == "Contacts"]
    assert [hit.label for hit in group.hits] == [f"Osoba {n} Nowak" for n in range(5)]
    assert group.more


def test_a_handful_of_contacts_is_not_more(alice, alice_account):
    for n in range(5):
        ContactFactory(account=alice_account, first_name=f"Osoba {n}", last_name="Nowak")
    [group] = [g for g in search_everywhere(user=alice, text="nowak") if g.kind == "Contacts"]
    assert len(group.hits) == 5
    assert not group.more


def test_more_contacts_than_shown_are_announced_on_the_page(client, alice, alice_account):
    for n in range(6):
        ContactFactory(account=alice_account, first_name=f"Osoba {n}", last_name="Nowak")
    client.force_login(alice)
    response = client.get(URL, {"q": "nowak"}, headers={"HX-Request": "true"})
    assert response.content.count(b"Nowak</a>") == 5
    assert "More contacts match: type more letters to narrow them down." in (
        response.content.decode()
    )


def test_a_kam_gets_no_surname_match_from_someone_elses_account(alice, bob_account):
    ContactFactory(account=bob_account, first_name="Piotr", last_name="Nowak")
    assert contacts(alice, "nowak") == []


@pytest.mark.usefixtures("requires_postgres")
def test_the_surname_part_ignores_accents_and_sorts_folded(alice, alice_account):
    ContactFactory(account=alice_account, first_name="Anna", last_name="Wiśniewska")
    ContactFactory(account=alice_account, first_name="Jan", last_name="Wisniewski")
    ContactFactory(account=alice_account, first_name="Ola", last_name="Kowiśniewska")
    assert contacts(alice, "wisniew") == ["Anna Wiśniewska", "Jan Wisniewski", "Ola Kowiśniewska"]
    assert contacts(alice, "WIŚNIEW") == ["Anna Wiśniewska", "Jan Wisniewski", "Ola Kowiśniewska"]


@pytest.mark.usefixtures("requires_postgres")
def test_contact_surname_matches_are_read_in_order_from_the_name_index(alice):
    from accounts.search import search_groups

    with CaptureQueriesContext(connection) as captured:
        search_groups(user=alice, query=SearchQuery.parse("wisniew"))
    [sql] = [q["sql"] for q in captured.captured_queries if "accounts_contact" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "accounts_contact_name_order" in plan
