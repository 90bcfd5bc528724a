import json
from pathlib import Path

from django.core.management.base import BaseCommand

from core.i18n import untranslated_field_names

HEADER = '''"""The names Django derives from model field and model names ("expected close date"),
listed so makemessages puts them in the catalogue; core.i18n.translate_field_names makes
them translatable at start-up. Regenerate with `manage.py field_names` after adding a field
without a verbose_name (the catalogue check in tests/i18n fails until then)."""

from django.utils.translation import gettext_noop

FIELD_NAMES = [
'''


class Command(BaseCommand):
    help = "Rewrite core/field_names.py from the models, for makemessages."

    def handle(self, *args, **options):
        lines = [
            f"    gettext_noop({json.dumps(name, ensure_ascii=False)}),\n"
            for name in untranslated_field_names()
        ]
        path = Path(__file__).resolve().parents[2] / "field_names.py"
        path.write_text(HEADER + "".join(lines) + "]\n")
        self.stdout.write(f"{len(lines)} names in {path}")
