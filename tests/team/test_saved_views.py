"""Saved views: a user names a list's filters and sort, picks them again from the list's
menu, replaces or deletes them; a director shares views with their team."""

import pytest
from django.urls import reverse

from team.models import SavedView

DEALS = reverse("deals:deal_list")
SAVE = reverse("saved_view_save")


def save(client, name, query, *, list_key="deals:deal_list", shared=False):
    data = {"list_key": list_key, "name": name, "query": query}
    if shared:
        data["shared"] = "on"
    return client.post(SAVE, data)


def menu_names(response) -> list[str]:
    views = response.context["saved_views"].views
    return [view.name for view in views]


@pytest.mark.django_db
def test_a_saved_view_is_offered_on_its_list_and_opens_the_same_filters(client, alice):
    client.force_login(alice)
    response = save(client, "Won this year", "stage=won&q=&ordering=-amount&page=3")
    # Back to the list with the filters saved; empty filters and the page are not part of it.
    assert response.status_code == 302
    assert response["Location"] == f"{DEALS}?stage=won&ordering=-amount"
    view = SavedView.objects.get(owner=alice)
    assert (view.list_key, view.query, view.shared) == (
        "deals:deal_list",
        "stage=won&ordering=-amount",
        False,
    )

    page = client.get(DEALS)
    assert menu_names(page) == ["Won this year"]
    assert f'href="{DEALS}?stage=won&amp;ordering=-amount"' in page.content.decode()
    # Reached through the menu (or by the same filters typed again), it is the current view.
    chosen = client.get(DEALS + "?q=&stage=won&ordering=-amount")
    assert chosen.context["saved_views"].current.name == "Won this year"
    # Another list does not offer it.
    assert menu_names(client.get(reverse("deals:contract_list"))) == []


@pytest.mark.django_db
def test_the_same_name_replaces_and_delete_removes(client, alice):
    client.force_login(alice)
    save(client, "Mine", "stage=won")
    response = save(client, "  Mine ", "stage=lost")
    assert response["Location"] == f"{DEALS}?stage=lost"
    assert list(SavedView.objects.values_list("name", "query")) == [("Mine", "stage=lost")]

    view = SavedView.objects.get()
    response = client.post(reverse("saved_view_delete", args=[view.pk]))
    assert response["Location"] == DEALS
    assert not SavedView.objects.exists()


@pytest.mark.django_db
def test_views_are_personal_unless_a_director_shares_them(client, alice, bob, dora, charlie):
    client.force_login(alice)
    save(client, "Alice's", "stage=won", shared=True)  # a KAM cannot share
    client.force_login(dora)
    save(client, "Team: closing soon", "ordering=close", shared=True)
    save(client, "Dora's own", "stage=lost")

    client.force_login(bob)
    page = client.get(DEALS)
    assert menu_names(page) == ["Team: closing soon"]
    assert "from " in page.content.decode()  # says whose it is
    client.force_login(alice)
    assert menu_names(client.get(DEALS)) == ["Alice's", "Team: closing soon"]
    client.force_login(charlie)  # another territory
    assert menu_names(client.get(DEALS)) == []

    # Bob may pick the shared view but not delete it; someone outside the team does not see it.
    shared = SavedView.objects.get(name="Team: closing soon")
    client.force_login(bob)
    client.post(reverse("saved_view_delete", args=[shared.pk]))
    assert SavedView.objects.filter(pk=shared.pk).exists()
    client.force_login(charlie)
    assert client.post(reverse("saved_view_delete", args=[shared.pk])).status_code == 404
    own = SavedView.objects.get(name="Dora's own")
    client.force_login(bob)
    assert client.post(reverse("saved_view_delete", args=[own.pk])).status_code == 404


@pytest.mark.django_db
def test_a_shared_view_shows_each_person_only_their_own_scope(client, dora, alice, bob):
    from tests.deals.factories import DealFactory
    from tests.factories import AccountFactory

    DealFactory(account=AccountFactory(owner=alice), title="Alice deal", stage="won")
    DealFactory(account=AccountFactory(owner=bob), title="Bob deal", stage="won")
    client.force_login(dora)
    save(client, "Won", "stage=won", shared=True)
    client.force_login(bob)
    page = client.get(DEALS + "?stage=won")
    assert [deal.title for deal in page.context["page"]] == ["Bob deal"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Give the view a name."),
        ("x" * 81, "at most 80 characters"),
    ],
)
def test_a_bad_name_is_refused_with_a_message(client, alice, name, message):
    client.force_login(alice)
    response = save(client, name, "stage=won")
    assert response.status_code == 302
    assert response["Location"] == f"{DEALS}?stage=won"  # back to the same filters
    assert not SavedView.objects.exists()
    page = client.get(response["Location"])
    assert message in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_list_or_a_get_is_refused_without_a_server_error(client, alice):
    client.force_login(alice)
    assert save(client, "X", "", list_key="no:such_list").status_code == 404
    assert save(client, "X", "", list_key="deals:deal_detail").status_code == 404  # takes an id
    assert client.get(SAVE).status_code == 405
    assert save(client, "Long", "q=" + "x" * 3000).status_code == 302
    odd = save(client, "Odd", "q=a\r\nSet-Cookie: x=1&stage=won")
    assert odd.status_code == 302
    assert "\n" not in odd["Location"]
    SavedView.objects.filter(name="Odd").delete()
    assert not SavedView.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_save(client):
    response = save(client, "X", "stage=won")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not SavedView.objects.exists()


LISTS = [
    "accounts:list",
    "deals:deal_list",
    "deals:contract_list",
    "deals:order_list",
    "deals:return_list",
    "deals:complaint_list",
    "deals:catalogue",
    "activities:list",
    "receivables:invoice_list",
    "receivables:payment_list",
]


@pytest.mark.django_db
@pytest.mark.parametrize("list_key", LISTS)
def test_every_list_page_has_the_menu(client, adam, list_key):
    client.force_login(adam)
    save(client, "Mine", "q=abc", list_key=list_key)
    page = client.get(reverse(list_key))
    assert page.status_code == 200
    assert "Saved views" in page.content.decode()
    assert menu_names(page) == ["Mine"]
