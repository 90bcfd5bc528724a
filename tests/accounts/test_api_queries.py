"""Query budgets for the accounts API: fixed per request, however many rows come back.

Every request made with a session costs two queries before the view runs: the session row and
the user. The budgets below count them.
"""

import pytest

from tests.factories import (
    AccountFactory,
    AccountFinancialsFactory,
    CompetitorFactory,
    ContactFactory,
    ContactRelationFactory,
    DossierNoteFactory,
    UserFactory,
)


@pytest.fixture
def rows(dora, alice, bob):
    """`rows(n)` adds n accounts in dora's territory, alternating between alice and bob.

    Each account has two competitors, two years of financials, two notes by different
    authors, two contacts and a relation each way between them.
    """

    def add(n: int) -> None:
        for i in range(n):
            account = AccountFactory(owner=(alice, bob)[i % 2])
            account.competitors.add(
                CompetitorFactory(name=f"Rival {i}"), CompetitorFactory(name="Acme")
            )
            AccountFinancialsFactory(account=account, year=2024)
            AccountFinancialsFactory(account=account, year=2025)
            DossierNoteFactory(account=account, author=account.owner)
            DossierNoteFactory(account=account, author=UserFactory(territory=account.territory))
            boss, buyer = ContactFactory.create_batch(2, account=account)
            ContactRelationFactory(from_contact=buyer, to_contact=boss, kind="reports_to")
            ContactRelationFactory(from_contact=boss, to_contact=buyer, kind="influences")

    return add


LIST_BUDGETS = [
    # (endpoint, queries, rows listed per account)
    # 1 session, 2 user, 3 count, 4 accounts joined to owner and territory,
    # 5 their competitors, 6 their financials
    ("accounts", 6, 1),
    # 1 session, 2 user, 3 count, 4 notes joined to author and account
    ("dossier-notes", 4, 2),
    # 1 session, 2 user, 3 count, 4 contacts joined to account
    ("contacts", 4, 2),
    # 1 session, 2 user, 3 count, 4 relations joined to both contacts and the account
    ("contact-relations", 4, 2),
]


@pytest.mark.parametrize("n_rows", [2, 6])
@pytest.mark.parametrize(("endpoint", "budget", "per_account"), LIST_BUDGETS)
def test_api_list_runs_a_fixed_number_of_queries(
    api_as, rows, django_assert_num_queries, endpoint, budget, per_account, n_rows
):
    rows(n_rows)
    client = api_as("dora")

    with django_assert_num_queries(budget):
        response = client.get(f"/api/v1/{endpoint}/")

    assert response.status_code == 200
    assert len(response.json()["results"]) == n_rows * per_account


@pytest.mark.parametrize("n_rows", [2, 6])
def test_api_account_retrieve_runs_a_fixed_number_of_queries(
    api_as, rows, alice, django_assert_num_queries, n_rows
):
    account = AccountFactory(owner=alice)
    rows(n_rows)
    for i in range(n_rows):
        account.competitors.add(CompetitorFactory(name=f"Extra {i}"))
        AccountFinancialsFactory(account=account, year=2000 + i)
    client = api_as("dora")

    # 1 session, 2 user, 3 the account joined to owner and territory,
    # 4 its competitors, 5 its financials
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/accounts/{account.pk}/")

    assert response.status_code == 200
    assert len(response.json()["financials"]) == n_rows
