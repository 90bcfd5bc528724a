"""`{{ record|label:"field" }}` shows what `record.get_field_display` shows, in each language."""

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from accounts.models import Contact
from activities.models import Activity


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize(
    ("record", "field"),
    [
        *[(Activity(type=t), "type") for t, _ in Activity._meta.get_field("type").choices],
        *[(Activity(status=s), "status") for s, _ in Activity._meta.get_field("status").choices],
        (Activity(status="not-a-status"), "status"),
        (Contact(decision_role=""), "decision_role"),
        (Contact(preferred_channel=""), "preferred_channel"),
        *[
            (Contact(attitude=a), "attitude")
            for a, _ in Contact._meta.get_field("attitude").choices
        ],
    ],
)
def test_label_is_the_display_of_the_field(language, record, field):
    template = Template("{% load labels %}{{ record|label:field }}|{{ record|label:field|lower }}")
    with translation.override(language):
        shown = template.render(Context({"record": record, "field": field}))
        expected = getattr(record, f"get_{field}_display")()
        assert shown == escape(f"{expected}|{str(expected).lower()}")
