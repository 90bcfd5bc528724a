"""`make bench`: latency and SQL queries of the main pages and API on a --scale 30 demo database."""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "kam_crm_bench"
WARM_UP = 2


@dataclass(frozen=True)
class Case:
    """One request to time, as one demo user."""

    label: str
    username: str
    path: str


@dataclass(frozen=True)
class Figures:
    """What one case measured."""

    median_ms: float
    p95_ms: float
    queries: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=30, help="seed_demo --scale (default 30)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kam-crm-bench-"))
    # The test settings are production settings minus the TLS redirect and the collectstatic
    # manifest, neither of which a benchmark run in-process needs.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam_crm.settings_test")
    os.environ["KAM_VAR_DIR"] = str(workdir)
    (workdir / "staticfiles").mkdir()  # WhiteNoise warns on every request when it is missing
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    # Django's test-database machinery creates, migrates and drops the dedicated database,
    # so a PostgreSQL server named by DATABASE_URL keeps its own data untouched.
    postgres = connection.vendor == "postgresql"
    connection.settings_dict["TEST"]["NAME"] = (
        BENCH_DATABASE if postgres else str(workdir / "bench.sqlite3")
    )
    original_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        _run(scale=args.scale, requests=args.requests)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)


def _run(*, scale: int, requests: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Account, Contact

    started = time.perf_counter()
    call_command("seed_demo", scale=scale, stdout=io.StringIO())
    seeded_in = time.perf_counter() - started
    detail = Account.objects.filter(owner__username="kam1").order_by("-potential_amount").first()
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: seed_demo --scale {scale} in "
        f"{seeded_in:.1f} s ({Account.objects.count()} accounts, "
        f"{Contact.objects.count()} contacts); {requests} requests per case after {WARM_UP} "
        f"warm-up, {os.cpu_count()} CPUs\n"
    )
    cases = [
        Case("account list, kam1", "kam1", "/accounts/"),
        Case("account list, director1", "director1", "/accounts/"),
        Case("account list, admin", "admin", "/accounts/"),
        Case("account search, admin", "admin", "/accounts/?q=agro"),
        Case("global search, kam1", "kam1", "/search/?q=wisniew"),
        Case("global search, admin", "admin", "/search/?q=wisniew"),
        Case("account detail, kam1", "kam1", f"/accounts/{detail.pk}/"),
        Case("API account list, kam1", "kam1", "/api/v1/accounts/"),
        Case("API account list, admin", "admin", "/api/v1/accounts/"),
        Case("pipeline board, kam1", "kam1", "/deals/board/"),
        Case("pipeline board, director1", "director1", "/deals/board/"),
        Case("deal list, director1", "director1", "/deals/"),
        Case("offers to approve, director1", "director1", "/offers/approvals/"),
        Case("today, kam1", "kam1", "/activities/today/"),
        Case("planner, kam1", "kam1", "/activities/planner/"),
        Case("neglected accounts, director1", "director1", "/activities/neglected/"),
        Case("API deal list, kam1", "kam1", "/api/v1/deals/"),
        Case("API activity list, kam1", "kam1", "/api/v1/activities/"),
    ]
    print(f"{'case':<28}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    for case in cases:
        figures = _measure(case=case, requests=requests)
        print(
            f"{case.label:<28}{figures.median_ms:>10.1f}{figures.p95_ms:>9.1f}{figures.queries:>9}"
        )


def _measure(*, case: Case, requests: int) -> Figures:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from team.models import User

    client = Client()
    client.force_login(User.objects.get(username=case.username))
    timings = []
    for number in range(WARM_UP + requests):
        started = time.perf_counter()
        response = client.get(case.path)
        elapsed_ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (case, response.status_code)
        if number >= WARM_UP:
            timings.append(elapsed_ms)
    # Counted on a separate request: recording queries slows the timed ones down.
    with CaptureQueriesContext(connection) as queries:
        client.get(case.path)
    return Figures(
        median_ms=statistics.median(timings),
        p95_ms=statistics.quantiles(timings, n=20, method="inclusive")[-1],
        queries=len(queries),
    )


if __name__ == "__main__":
    main()
