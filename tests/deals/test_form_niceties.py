"""Long forms say what to correct at the top, and show back a number that could not be read."""

from django.urls import reverse


def test_error_summary_lists_the_fields_and_shows_what_was_typed(client, alice, alice_account):
    client.force_login(alice)
    response = client.post(
        reverse("deals:deal_create"),
        {"account": alice_account.pk, "title": "", "amount": "12,5", "currency": "PLN"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved yet" in page
    assert 'href="#id_title"' in page
    assert "(you typed “12,5”)" in page


def test_a_valid_form_shows_no_summary(client, alice, alice_account):
    client.force_login(alice)
    assert "Nothing was saved yet" not in client.get(reverse("deals:deal_create")).content.decode()
