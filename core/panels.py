"""Sections of the account page contributed by the apps above accounts (NetBox's template
extensions), so the account page imports none of them.

An app plugs in with a module `<app>/panels.py` defining

    def account_panels(request, account) -> Iterable[Panel]: ...

Each panel's `template` is included with the panel's `context` as `panel`, in the page's
`slot` ("actions": among the buttons of the page's head; "top": before the contacts;
"bottom": after the influence map), by `order`.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

ACTIONS = "actions"
TOP = "top"
BOTTOM = "bottom"


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: Any = field(default_factory=dict)
    order: int = 100
    slot: str = TOP
    anchor: str = ""  # the id of its section, for the page's in-page navigation


@cache
def _panel_sources() -> list[Callable[..., Iterable[Panel]]]:
    """Every installed app's `panels.account_panels`, in INSTALLED_APPS order."""
    return [
        importlib.import_module(f"{app.name}.panels").account_panels
        for app in apps.get_app_configs()
        if app.name != __package__ and module_has_submodule(app.module, "panels")
    ]


def account_panels(request, account) -> list[Panel]:
    """The panels every app shows on `account`'s page for `request.user`, by order."""
    panels = [panel for source in _panel_sources() for panel in source(request, account)]
    return sorted(panels, key=lambda panel: panel.order)
