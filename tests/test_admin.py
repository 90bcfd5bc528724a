"""Every model can be looked at in the admin (inline or on its own page)."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests.deals.factories import DealFactory

APPS = ["team", "accounts", "deals", "activities"]


def _admin_models():
    registered = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        registered |= {inline.model for inline in model_admin.inlines}
    return registered


@pytest.mark.parametrize(
    "model",
    [
        m
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
    ],
    ids=lambda m: m.__name__,
)
def test_every_model_is_in_the_admin(model):
    assert model in _admin_models()


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=str), ids=str)
def test_every_admin_list_page_opens(admin_client, model):
    meta = model._meta
    response = admin_client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
    assert response.status_code == 200


def test_a_deal_opens_in_the_admin_with_its_stage_history(admin_client, alice_account):
    deal = DealFactory(account=alice_account)
    response = admin_client.get(f"/admin/deals/deal/{deal.pk}/change/")
    assert response.status_code == 200
    assert b"stage" in response.content.lower()
