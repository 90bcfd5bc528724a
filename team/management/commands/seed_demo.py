"""`manage.py seed_demo`: fill an empty database with deterministic demo data."""

import argparse
import dataclasses
import importlib
import random
import time
from collections.abc import Callable

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import translation
from django.utils.module_loading import module_has_submodule

from team.demo import DEMO_LANGUAGE, DEMO_PASSWORD, DemoOptions, demo_logins
from team.models import User

DEFAULT_SEED = 2024


def demo_builders() -> list[Callable[..., dict[str, int]]]:
    """Every app's `demo.demo_build`, in INSTALLED_APPS order: later apps build on earlier ones."""
    return [
        importlib.import_module(f"{app.name}.demo").demo_build
        for app in apps.get_app_configs()
        if module_has_submodule(app.module, "demo")
    ]


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Load demo data (3 territories, 17 users, ~600 accounts per --scale) into an empty "
        f"database. Every demo password is '{DEMO_PASSWORD}'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--scale", type=_positive, default=1, help="Multiply accounts and their dossiers."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has data (what `make run` uses).",
        )
        # Tests ask for fewer accounts than a scale gives, to stay fast.
        parser.add_argument("--accounts", type=_positive, help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        # Accounts cannot exist without users (their owners), so users are the test for data.
        if User.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data; demo data not loaded.")
                return
            raise CommandError(
                "seed_demo fills an empty database, and this one already has users. "
                "Use a fresh database: point KAM_VAR_DIR or DATABASE_URL at a new one and run "
                "`manage.py migrate` first."
            )
        seed = options["seed"]
        demo = DemoOptions(
            rng=random.Random(seed), scale=options["scale"], accounts=options["accounts"]
        )
        started = time.perf_counter()
        totals: dict[str, int] = {}
        # What the services write while seeding (ABC reasons, report titles) is in the team's
        # language, as if the team had worked for two years.
        with translation.override(DEMO_LANGUAGE), transaction.atomic():
            for build in demo_builders():
                # Each app draws from its own stream, so what one app's demo draws (some of it
                # depends on the time of day) never shifts the data of the apps after it.
                own = dataclasses.replace(demo, rng=random.Random(f"{seed}:{build.__module__}"))
                totals.update(build(options=own))
        if connection.vendor == "postgresql":
            # Fresh rows have no planner statistics until autovacuum gets to them (and it is
            # off on some servers): without them the planner picks per-row nested loops.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count} {what}" for what, count in totals.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s: {summary}."))
        self.stdout.write("\nDemo logins:")
        for username, role, territory in demo_logins():
            self.stdout.write(f"  {username:<10} {role:<22} {territory}")
        self.stdout.write(f"password: {DEMO_PASSWORD}")
