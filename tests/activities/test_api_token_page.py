"""My settings, API token: a user makes their own token (the key shown once), uses it on the
API, replaces it (the old one stops working) and revokes it. Every role may, finance too."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

SETTINGS = reverse("activities:settings")
NEW = reverse("activities:api_token_new")
REVOKE = reverse("activities:api_token_revoke")


def _key_on(page: str) -> str | None:
    found = re.search(r'id="api-token-key"[^>]*value="([0-9a-f]{40})"', page)
    return found and found.group(1)


def _api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/accounts/").status_code


@pytest.mark.parametrize("who", ["alice", "dora", "fiona", "adam"])
def test_a_user_makes_their_token_and_sees_the_key_once(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert "You have no API token" in client.get(SETTINGS).content.decode()

    response = client.post(NEW, follow=True)

    key = _key_on(response.content.decode())
    assert key == Token.objects.get(user=user).key
    assert _api_status(key) == 200
    again = client.get(SETTINGS).content.decode()
    assert _key_on(again) is None and key not in again  # shown once only
    assert "You have a token, made" in again


def test_a_new_token_replaces_the_old_and_revoking_stops_it(client, alice):
    client.force_login(alice)
    first = _key_on(client.post(NEW, follow=True).content.decode())
    second = _key_on(client.post(NEW, follow=True).content.decode())
    assert first != second
    assert (_api_status(first), _api_status(second)) == (401, 200)

    page = client.post(REVOKE, follow=True).content.decode()

    assert "Your API token is revoked" in page
    assert _api_status(second) == 401
    assert not Token.objects.filter(user=alice).exists()


def test_the_token_pages_take_no_get_and_need_a_login(client, alice):
    assert client.post(NEW).status_code == 302  # to the login page
    assert not Token.objects.exists()
    client.force_login(alice)
    assert client.get(NEW).status_code == 405
    assert client.get(REVOKE).status_code == 405
