from django.urls import reverse

from team.models import Role
from tests.factories import UserFactory

LOGIN = reverse("login")


def test_login_page_is_public_and_logs_a_kam_in_to_their_dashboard(client, db):
    UserFactory(username="kam1", role=Role.KAM)
    assert client.get(LOGIN).status_code == 200
    response = client.post(LOGIN, {"username": "kam1", "password": "password"})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == "/dashboards/kam/"


def test_wrong_password_shows_an_error(client, db):
    UserFactory(username="kam1")
    response = client.post(LOGIN, {"username": "kam1", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(client, db, settings):
    UserFactory(username="kam1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "kam1", "password": "guess"})
    response = client.post(LOGIN, {"username": "kam1", "password": "password"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("accounts:list")).status_code == 302


def test_a_user_changes_their_password(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "password",
            "new_password1": "Kl1ent-Wizyta",
            "new_password2": "Kl1ent-Wizyta",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Kl1ent-Wizyta")


def test_a_wrong_old_password_changes_nothing(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Kl1ent-Wizyta",
            "new_password2": "Kl1ent-Wizyta",
        },
    )
    assert "old_password" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.check_password("password")
