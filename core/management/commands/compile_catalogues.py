from django.core.management.base import BaseCommand

from core.i18n import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo with polib (no system gettext needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Even if the .mo is fresh.")

    def handle(self, *args, force=False, **options):
        written = compile_catalogues(force=force)
        self.stdout.write(f"{len(written)} catalogue(s) compiled")
