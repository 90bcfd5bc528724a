"""What a sibling app records from the outcome of a visit or call (receivables: a promise to
pay), without activities importing it.

An app plugs in with a module `<app>/outcomes.py` defining `OUTCOME_PARTS`, a list of
`OutcomePart`. Activities shows each part's form (under its prefix) in the outcome form to the
users the part `offers` it to, and calls `record` in the same transaction as the outcome, so
either both are saved or neither. A part whose form was left empty records nothing.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class OutcomePart:
    prefix: str
    title: str
    form: type[forms.Form]
    # (user, account) -> whether this user sees the part; costs no queries.
    offers: Callable[[Any, Any], bool]
    # (*, actor, account, day, data): save what the form cleaned (`data`), or nothing when it
    # is empty; raises ValidationError for what the service refuses.
    record: Callable[..., Any]


def outcome_parts() -> list[OutcomePart]:
    """Every installed app's `outcomes.OUTCOME_PARTS`, in INSTALLED_APPS order."""
    return [
        part
        for app in apps.get_app_configs()
        if app.name != __package__ and module_has_submodule(app.module, "outcomes")
        for part in importlib.import_module(f"{app.name}.outcomes").OUTCOME_PARTS
    ]
