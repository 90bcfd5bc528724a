"""Forgot password: Django's reset by e-mail, throttled per address and per client."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from team.views import PASSWORD_RESETS_PER_HOUR

URL = reverse("password_reset")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_login_page_offers_the_reset(client, db):
    assert reverse("password_reset").encode() in client.get(reverse("login")).content


def test_the_emailed_link_sets_a_new_password(client, alice):
    response = client.post(URL, {"email": alice.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", message.body)[1]
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a much Longer pass 42", "new_password2": "a much Longer pass 42"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("a much Longer pass 42")


def test_unknown_address_looks_the_same(client, db):
    response = client.post(URL, {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_too_many_requests_are_refused(client, alice):
    for _ in range(PASSWORD_RESETS_PER_HOUR):
        client.post(URL, {"email": alice.email})
    response = client.post(URL, {"email": alice.email})
    assert response.status_code == 200
    assert "Too many password resets" in response.content.decode()
    assert len(mail.outbox) == PASSWORD_RESETS_PER_HOUR


def test_a_used_link_no_longer_works(client, db):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert b"This link no longer works" in response.content
