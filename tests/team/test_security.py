"""Log-in lockout behind the proxy, the password-change form under axes, private caching."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

LOGIN = reverse("login")
PROXY = "172.18.0.2"  # REMOTE_ADDR of every request behind the proxy


def _login(client, client_address, password, forged=""):
    """A log-in through nginx: it appends the address it saw to what the client sent."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        LOGIN,
        {"username": "kam1", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def behind_proxy(settings, db):
    settings.PROXY_COUNT = 1
    UserFactory(username="kam1")


def test_behind_the_proxy_one_clients_failures_lock_out_that_client_only(
    client, behind_proxy, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "203.0.113.1", "guess")

    assert _login(client, "203.0.113.1", "password").status_code == 429
    # What the attacker puts in the header themselves does not move them out of the lockout.
    assert _login(client, "203.0.113.1", "password", forged="198.51.100.9").status_code == 429
    client.cookies.clear()
    assert _login(client, "198.51.100.9", "password").status_code == 302


def test_wrong_current_passwords_lock_the_password_change_form_out(client, alice, settings):
    client.force_login(alice)
    url = reverse("password_change")
    body = {"new_password1": "Kl1ent-Wizyta", "new_password2": "Kl1ent-Wizyta"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {**body, "old_password": "guess"})

    response = client.post(url, {**body, "old_password": "password"})

    assert response.status_code == 429
    alice.refresh_from_db()
    assert alice.check_password("password")


def test_pages_for_a_signed_in_user_are_not_cached(client, alice, api_as):
    client.force_login(alice)

    page = client.get(reverse("accounts:list"))
    api = api_as("alice").get("/api/v1/accounts/")

    for response in (page, api):
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_the_api_answers_429_past_the_users_rate(api_as, alice, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": "2/minute"}
    )
    cache.clear()
    api = api_as("alice")

    statuses = [api.get("/api/v1/accounts/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    cache.clear()
