"""The bell, the notifications page and marking read."""

import pytest
from django.urls import reverse

from activities.models import Notification
from tests.factories import NotificationFactory

URL = reverse("activities:notifications")


def test_the_bell_shows_the_unread_count_on_every_page(client, alice, bob):
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory(recipient=alice, read_at="2026-03-01T10:00Z")
    NotificationFactory(recipient=bob)
    client.force_login(alice)
    page = client.get(reverse("accounts:list")).content.decode()
    assert '<span class="bell-count">3</span>' in page


def test_the_page_lists_only_my_notifications_newest_first(client, alice, bob):
    mine = NotificationFactory.create_batch(2, recipient=alice)
    NotificationFactory(recipient=bob, title="Not yours")
    client.force_login(alice)
    response = client.get(URL)
    assert list(response.context["page"]) == [mine[1], mine[0]]
    assert "Not yours" not in response.content.decode()


def test_marking_one_read_with_htmx_returns_the_updated_row(client, alice):
    notification = NotificationFactory(recipient=alice)
    client.force_login(alice)
    response = client.post(
        reverse("activities:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and 'class="notification"' in body
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_marks_read_and_goes_to_the_subject_but_never_off_site(client, alice):
    inside = NotificationFactory(recipient=alice, url="/accounts/1/")
    outside = NotificationFactory(recipient=alice, url="https://evil.example/")
    client.force_login(alice)
    assert (
        client.post(reverse("activities:notification_open", args=[inside.pk]))["Location"]
        == "/accounts/1/"
    )
    assert (
        client.post(reverse("activities:notification_open", args=[outside.pk]))["Location"] == URL
    )


def test_mark_all_read_touches_only_mine(client, alice, bob):
    NotificationFactory.create_batch(2, recipient=alice)
    theirs = NotificationFactory(recipient=bob)
    client.force_login(alice)
    client.post(reverse("activities:notifications_read_all"))
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("n", [2, 6])
def test_notifications_page_query_count_is_fixed(client, alice, django_assert_num_queries, n):
    NotificationFactory.create_batch(n, recipient=alice)
    client.force_login(alice)
    # session, user, count, the page of notifications, counts per kind, the bell
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["page"]) == n
