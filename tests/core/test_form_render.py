"""core.form_render.FastFormRenderer draws Django's form templates in Python: it must give the
very HTML the template engine gives, for every widget, label, error list and field, bound and
unbound, in both languages, and for the pages that show forms."""

import re
from datetime import UTC, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.test import override_settings
from django.utils import translation

from activities.forms import WHEN_WIDGET
from core.form_render import FastFormRenderer
from core.forms import DATE_INPUT, NoTruncationFormRenderer
from receivables.forms import MONEY_INPUT
from tests.factories import ActivityFactory, ContactFactory, DossierNoteFactory


class KitchenSink(forms.Form):
    name = forms.CharField(max_length=20, label="Name <b>", help_text="At most <i>20</i>")
    code = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "disabled": False, "data-x": 'a"b'}),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    count = forms.IntegerField(min_value=1, widget=forms.NumberInput(attrs={"step": 15}))
    amount = forms.DecimalField(max_digits=14, decimal_places=2, widget=MONEY_INPUT)
    due = forms.DateField(widget=DATE_INPUT)
    when = forms.SplitDateTimeField(widget=WHEN_WIDGET)
    kind = forms.ChoiceField(
        choices=[("", "—"), ("Fruit", [("a", "Apple & pear"), ("b", "Banana")]), ("c", 'C "x"')]
    )
    year = forms.TypedChoiceField(choices=[(2025, 2025), (12345, 12345)], coerce=int)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    agree = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False)
    ticks = forms.MultipleChoiceField(
        choices=[("1", "One")], widget=forms.CheckboxSelectMultiple, required=False
    )
    pick = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=forms.RadioSelect)
    blank = forms.CharField(label="", required=False)


INITIAL = {
    "name": '<b>"Tom" & Jerry</b>',
    "notes": "line 1\n<script>",
    "amount": Decimal("1234.50"),
    "kind": "b",
    "year": 2025,
    "many": ["y"],
    "agree": True,
}
BAD = {
    "name": "x" * 25,
    "code": "<c>",
    "notes": "<p>",
    "count": "0",
    "amount": "12,5.3",
    "due": "tomorrow",
    "when_0": "2026-13-01",
    "when_1": "25:00",
    "kind": "zzz",
    "year": "12345",
    "many": ["x", "q"],
    "agree": "on",
    "email": "nope",
    "pick": "3",
}


def _drawn(form):
    """Everything a template may ask of a form and its fields."""
    parts = [form.as_div(), form.as_p(), form.as_table(), form.as_ul(), str(form.errors)]
    for field in form:
        parts += [str(field), field.label_tag(), field.as_field_group(), str(field.errors)]
        parts += [str(sub) for sub in field.subwidgets]
    return parts


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("data", [None, BAD], ids=["unbound", "bound-with-errors"])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_widget_label_error_and_field_is_drawn_as_the_templates_draw_it(
    language, data, auto_id
):
    with translation.override(language):
        fast, slow = (
            KitchenSink(data, initial=INITIAL, auto_id=auto_id, renderer=renderer)
            for renderer in (FastFormRenderer(), NoTruncationFormRenderer())
        )
        assert _drawn(fast) == _drawn(slow)


def test_a_text_limit_moves_to_data_maxlength_as_before():
    html = str(KitchenSink(renderer=FastFormRenderer())["name"])
    assert 'data-maxlength="20"' in html and " maxlength=" not in html


@pytest.fixture
def plain_and_fast():
    """The same request drawn with the template engine's renderer and with the fast one."""

    def draw(client, url, method="get", data=None):
        pages = []
        for renderer in (NoTruncationFormRenderer, FastFormRenderer):
            with override_settings(FORM_RENDERER=f"{renderer.__module__}.{renderer.__name__}"):
                get_default_renderer.cache_clear()
                response = getattr(client, method)(url, data)
                pages.append(re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode()))
        get_default_renderer.cache_clear()
        return pages

    yield draw
    get_default_renderer.cache_clear()


@pytest.mark.parametrize("persona", ["alice", "dora", "fiona"])
def test_the_account_page_is_the_same_page_with_the_fast_renderer(
    request, plain_and_fast, persona, alice_account
):
    contact = ContactFactory(account=alice_account)
    ActivityFactory(account=alice_account).contacts.add(contact)
    DossierNoteFactory(account=alice_account)
    client = request.getfixturevalue("client")
    client.force_login(request.getfixturevalue(persona))
    frozen = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        plain, fast = plain_and_fast(client, f"/accounts/{alice_account.pk}/")
    assert 'name="outcome"' in plain or persona == "fiona"
    assert fast == plain


def test_a_bad_log_shows_the_same_errors_and_input_with_the_fast_renderer(
    client, plain_and_fast, alice, alice_account
):
    client.force_login(alice)
    data = {"type": "call", "starts_at_0": "2026-02-30", "duration_minutes": "0", "outcome": "<b>"}
    plain, fast = plain_and_fast(client, f"/activities/log/{alice_account.pk}/", "post", data)
    assert "errorlist" in plain and "&lt;b&gt;" in plain
    assert fast == plain


@pytest.mark.parametrize("url", ["/accounts/", "/accounts/create/", "/activities/create/"])
def test_other_form_pages_are_the_same_with_the_fast_renderer(
    client, plain_and_fast, alice, alice_account, url
):
    client.force_login(alice)
    frozen = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        plain, fast = plain_and_fast(client, url)
    assert "<form" in plain
    assert fast == plain
