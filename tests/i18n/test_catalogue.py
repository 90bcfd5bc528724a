"""The Polish catalogue is complete: every string marked in the code has a Polish msgstr.

makemessages runs over a temporary copy of the source tree (so the real catalogue is not
touched) and any entry without a translation, or marked fuzzy, fails the test by name.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from core.field_names import FIELD_NAMES
from core.i18n import untranslated_field_names

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "var", ".git", "node_modules", "tests", "bench", "__pycache__"}


def _copy_tree(target: Path) -> None:
    def ignore(directory, names):
        return [n for n in names if n in SKIP_DIRS or n.endswith((".mo", ".pyc", ".png"))]

    shutil.copytree(ROOT, target, ignore=ignore)


def _untranslated(po_path: Path) -> list[str]:
    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            missing.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(i, "") for i in range(3)]
            if not all(forms):
                missing.append(f"plural: {entry.msgid!r}")
        elif not entry.msgstr:
            missing.append(repr(entry.msgid))
    return missing


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """makemessages over a copy of the code, into a copy of the catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("The catalogue check needs GNU gettext's xgettext (apt-get install gettext).")
    copy = tmp_path_factory.mktemp("src") / "kam"
    _copy_tree(copy)
    for domain in ("django", "djangojs"):
        args = ["makemessages", "-l", "pl", "--no-location", "-d", domain]
        args += ["--ignore=static/vendor/*"] if domain == "djangojs" else []
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, "manage.py", *args],
            cwd=copy,
            check=True,
            capture_output=True,
            env={
                "DEBUG": "true",
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "kam_crm.settings",
            },
        )
    return copy / "locale/pl/LC_MESSAGES"


def test_every_string_in_the_code_has_polish(extracted):
    missing = _untranslated(extracted / "django.po")
    assert not missing, (
        f"{len(missing)} string(s) without Polish; add them to locale/pl/LC_MESSAGES/django.po "
        "(README: Languages):\n" + "\n".join(missing[:50])
    )


def test_every_javascript_string_has_polish(extracted):
    assert not _untranslated(extracted / "djangojs.po")


def test_the_committed_catalogue_has_no_gaps_or_fuzzy_entries():
    assert not _untranslated(ROOT / "locale/pl/LC_MESSAGES/django.po")


def test_field_names_without_a_verbose_name_are_listed_for_translation():
    listed = set(FIELD_NAMES)
    unlisted = [name for name in untranslated_field_names() if name not in listed]
    assert not unlisted, f"Run `manage.py field_names`, then translate: {unlisted}"


def test_the_check_fails_on_a_string_without_polish(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Visit"\nmsgstr "Wizyta"\n\nmsgid "New string"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Call"\nmsgstr "Telefon"\n'
    )
    assert _untranslated(po) == ["'New string'", "fuzzy: 'Call'"]
