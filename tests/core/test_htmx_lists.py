"""Every list that pushes its URL with htmx answers htmx with the fragment, a history restore
with the whole page, and says `Vary: HX-Request` so the two never stand in for each other."""

import pytest
from django.urls import reverse

PUSHING_LISTS = [
    "accounts:list",
    "deals:deal_list",
    "deals:catalogue",
    "deals:contract_list",
    "deals:order_list",
    "deals:return_list",
    "deals:complaint_list",
    "activities:list",
    "activities:planner",
]


@pytest.mark.parametrize("name", PUSHING_LISTS)
def test_a_pushed_list_varies_on_htmx_and_restores_history_whole(client, alice, name):
    client.force_login(alice)
    url = reverse(name)

    page = client.get(url)
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    restored = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    for response in (page, fragment, restored):
        assert response.status_code == 200
        assert "HX-Request" in response.headers["Vary"]
    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "<html" in restored.content.decode()
