"""Languages: the Polish catalogue compiled without system gettext, and field names translated.

`compile_catalogues()` writes each `locale/<lang>/LC_MESSAGES/*.mo` from its `.po` with polib
when the `.mo` is missing or older (at start-up, in `make test`, `scripts/run.sh` and the
Docker build), so the binary files are never committed and never stale, and no `msgfmt` is
needed. `translate_field_names()` makes the names Django derives from a model field
("expected close date") translatable without touching every model or its migrations: the
Polish of those names is in the catalogue like any other string (core/field_names.py lists
them for makemessages).
"""

import logging
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

log = logging.getLogger(__name__)


def project_apps() -> list:
    """The app configs of this project (not Django's or a library's)."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        app
        for app in apps.get_app_configs()
        if Path(app.path).resolve().is_relative_to(root) and "site-packages" not in app.path
    ]


def catalogue_files() -> list[tuple[Path, Path]]:
    pairs = []
    for root in getattr(settings, "LOCALE_PATHS", []):
        for po in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
            pairs.append((po, po.with_suffix(".mo")))
    return pairs


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Compile every stale `.mo`; returns those written. A read-only install (the Docker
    image compiled at build) only logs why it could not."""
    import polib

    written = []
    for po_path, mo_path in catalogue_files():
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            catalogue = polib.pofile(str(po_path))
            handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
            os.close(handle)
            catalogue.save_as_mofile(temporary)
            os.replace(temporary, mo_path)  # atomic: a second process never reads half
            written.append(mo_path)
        except OSError as error:
            log.warning("Cannot compile %s: %s", po_path, error)
    return written


def untranslated_field_names() -> list[str]:
    from django.utils import translation

    with translation.override(None):  # the names themselves, not their translation
        return sorted(set(_model_names()) | set(untranslated_form_labels()))


def _model_names() -> list[str]:
    """The names Django derives from field names of the project's models (no verbose_name)."""
    names = set()
    labels = {app.label for app in project_apps()}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        if not model._meta.original_attrs.get("verbose_name"):
            names.add(str(model._meta.verbose_name))
        if not model._meta.original_attrs.get("verbose_name_plural"):
            names.add(str(model._meta.verbose_name_plural))
        for field in model._meta.get_fields(include_hidden=False):
            if getattr(field, "_verbose_name", "x") is None and getattr(field, "verbose_name", ""):
                names.add(str(field.verbose_name))
    return sorted(names)


def untranslated_form_labels() -> list[str]:
    """Labels Django derives from a form field's name ("Time zone") in the project's forms."""
    import importlib
    import inspect

    from django import forms
    from django.forms.utils import pretty_name

    names = set()
    for app in project_apps():
        for module_name in (f"{app.name}.forms", f"{app.name}.views"):
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                    for field_name, field in cls.base_fields.items():
                        if field.label is None:
                            names.add(pretty_name(field_name))
    return sorted(names)


def install_form_labels() -> None:
    """A form field without a label is labelled by its translated name ("Strefa czasowa")."""
    from django.forms import boundfield
    from django.forms.utils import pretty_name

    if getattr(boundfield, "_kam_translated", False):
        return
    boundfield.pretty_name = lambda name: gettext_lazy(pretty_name(name))
    boundfield._kam_translated = True


def translate_field_names() -> None:
    labels = {app.label for app in project_apps()}
    for model in apps.get_models():
        if model._meta.app_label not in labels:
            continue
        meta = model._meta
        if not meta.original_attrs.get("verbose_name") and isinstance(meta.verbose_name, str):
            meta.verbose_name = gettext_lazy(meta.verbose_name)
        if not meta.original_attrs.get("verbose_name_plural") and isinstance(
            meta.verbose_name_plural, str
        ):
            meta.verbose_name_plural = gettext_lazy(str(meta.verbose_name_plural))
        for field in meta.get_fields(include_hidden=False):
            if getattr(field, "_verbose_name", "x") is None and isinstance(
                getattr(field, "verbose_name", None), str
            ):
                field.verbose_name = gettext_lazy(field.verbose_name)


def _percent(message, params: dict) -> str:
    return str(message % params)


_lazy_percent = None


def lazy_message(message, **params):
    """`gettext_lazy(message) % params`, but translated when shown (in the language active
    then, e.g. each recipient's) rather than when built (the sender's)."""
    from django.utils.functional import lazy

    global _lazy_percent
    if _lazy_percent is None:
        _lazy_percent = lazy(_percent, str)
    return _lazy_percent(message, params)


def _lowercase(text) -> str:
    return str(text).lower()


# A date (or time) as the language active when it is read writes it: `date_later(day, "j M")`;
# a lazy label (a choice's) in lower case the same way. With `lazy_message`, for texts read in
# each recipient's language (reminders).
date_later = lazy(formats.date_format, str)
time_later = lazy(formats.time_format, str)
lowercase_later = lazy(_lowercase, str)
# A day with its weekday, `date_later(day, WEEKDAY_AND_DATE)`: "Friday 6 March"; Polish writes
# "6 marca" (a capitalised weekday in the nominative reads wrong mid-sentence).
WEEKDAY_AND_DATE = pgettext_lazy("PHP date format of a day in a reminder", "l j E")
