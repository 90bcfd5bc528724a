"""The activities list costs the same queries however many activities it pages through."""

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, ActivityFactory


@pytest.mark.parametrize("n", [2, 12])
def test_activity_list_query_count_is_fixed(client, dora, alice, bob, django_assert_num_queries, n):
    for index in range(n):
        ActivityFactory(account=AccountFactory(owner=(alice, bob)[index % 2]))
    client.force_login(dora)
    # session, user, count, the page of activities with accounts and owners, the list's saved
    # views, the director's count of offers waiting (menu), the bell
    with django_assert_num_queries(7):
        response = client.get(reverse("activities:list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == n
