"""Every model can be looked at in the admin (inline or on its own page)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin

from tests.deals.factories import DealFactory

# The project's own apps: the installed ones whose package sits at the top of the repository.
PROJECT_APPS = [app for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR]


def _admin_models():
    registered = set(admin.site._registry)
    for model_admin in admin.site._registry.values():
        registered |= {inline.model for inline in model_admin.inlines}
    return registered


@pytest.mark.parametrize(
    "model",
    [
        m
        for app in PROJECT_APPS
        for m in app.get_models()
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


def test_the_project_apps_are_read_from_installed_apps_without_the_libraries():
    # Guards the list above: were it empty, the model test would check nothing.
    names = {app.name for app in PROJECT_APPS}
    assert {"team", "accounts", "deals", "activities"} <= names
    assert not names & {"django.contrib.admin", "rest_framework", "axes", "simple_history"}
