"""The activity log's export and sort."""

import csv
import io

from django.urls import reverse

from tests.factories import ActivityFactory

URL = reverse("activities:list")


def test_export_has_the_activities_the_kam_may_see(client, alice, alice_account, bob_account):
    ActivityFactory(account=alice_account, purpose="Alice's visit")
    ActivityFactory(account=bob_account, purpose="Bob's visit")
    client.force_login(alice)
    response = client.get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    purposes = [row[8] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert purposes == ["Alice's visit"]


def test_finance_may_not_export_activities(client, fiona):
    client.force_login(fiona)
    assert client.get(URL, {"export": "csv"}).status_code == 403


def test_when_header_sorts_oldest_first(client, alice, alice_account):
    first, second = ActivityFactory.create_batch(2, account=alice_account)
    client.force_login(alice)
    response = client.get(URL, {"ordering": "when"})
    assert [a.pk for a in response.context["page"]] == [first.pk, second.pk]
    assert 'aria-sort="ascending"' in response.content.decode()
