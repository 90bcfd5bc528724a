"""`make bench`: main pages and API lists, in-process and over gunicorn, beside their SQL floor.

On PostgreSQL (`DATABASE_URL` set) it uses the database the URL names: creates it if missing,
migrates it, loads `--profile large` (bench/load.py, COPY) once and reuses it on later runs,
runs VACUUM ANALYZE, then measures. Without `DATABASE_URL` it loads `seed_demo --scale 30` into a
SQLite file in a temp dir (no gunicorn there: a file database and three processes measure
locking, not pages). See bench/README.md.
"""

import argparse
import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
WARM_UP = 2
PORT = int(os.environ.get("BENCH_PORT", "8106"))
WORKERS = 3
LATEST = "<!-- bench:latest -->"
PREVIOUS = "<!-- bench:previous -->"
END = "<!-- bench:end -->"


@dataclass(frozen=True)
class Case:
    """One request to time, as one user; or, with `call`, one service or selector call."""

    label: str
    username: str
    path: str = ""
    # A function case: this is timed in-process instead of a request (no HTTP); the SELECTs
    # it runs are its floor, as a page's are.
    call: Callable[[], object] | None = None
    # The same figures computed another way (one hand-written statement, COPY, WeasyPrint on
    # the same HTML), timed as often as the case and shown beside it.
    reference: Callable[[], object] | None = None
    # Timed runs for a case that takes seconds (PDFs, the monthly calculation).
    requests: int | None = None


@dataclass
class Figures:
    """What one case measured, in ms."""

    queries: int = 0
    floor: list[float] = field(default_factory=list)
    inproc: list[float] = field(default_factory=list)
    http: list[float] = field(default_factory=list)
    reference: list[float] = field(default_factory=list)
    kilobytes: float = 0.0


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return _median(values)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile",
        choices=["large", "medium", "demo"],
        help="large: the target scale (default on PostgreSQL); medium: a tenth of it; "
        "demo: seed_demo --scale 30 (default, and the only choice, on SQLite)",
    )
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case")
    parser.add_argument("--reload", action="store_true", help="drop and reload the bench data")
    parser.add_argument("--only", help="run only the cases whose label contains this")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn measurement")
    parser.add_argument(
        "--no-write", action="store_true", help="print the table, leave bench/README.md alone"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kam-crm-bench-"))
    env = _server_env(workdir)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    profile = args.profile or ("large" if postgres else "demo")
    if not postgres and profile != "demo":
        parser.error("--profile large and medium load with COPY: they need PostgreSQL")
    try:
        if postgres:
            loaded = _prepare_postgres(profile=profile, reload=args.reload)
        else:
            connection.settings_dict["NAME"] = str(workdir / "bench.sqlite3")
            loaded = _prepare_sqlite()
        _collectstatic()
        cases = [c for c in _cases() if not args.only or args.only in c.label]
        results = _measure_all(
            cases=cases, requests=args.requests, http=postgres and not args.no_http, env=env
        )
        table = _table(
            loaded=loaded, profile=profile, requests=args.requests, cases=cases, results=results
        )
        print(table)
        if not args.no_write and not args.only:
            _write_readme(table)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _server_env(workdir: Path) -> dict[str, str]:
    """The environment of both measurements: production settings (bench/settings.py)."""
    (workdir / "static").mkdir()
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "KAM_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
    }


def _prepare_postgres(*, profile: str, reload: bool) -> dict:
    """Create, migrate and load the bench database unless it already holds `profile`."""
    from django.db import connection

    from bench import load

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    meta = _bench_meta()
    if meta and (reload or meta["profile"] != profile):
        connection.close()
        with connection._nodb_cursor() as cursor:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"DROP DATABASE {quoted} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quoted}")
        meta = None
    _migrate()
    if meta is None:
        from team.models import User

        if User.objects.exists():
            sys.exit(
                f"Database {name} has data that bench/run.py did not load; point DATABASE_URL "
                "at a database of its own (it creates one that does not exist)."
            )
        meta = _load_postgres(profile=profile)
    else:
        print(f"Reusing {name}: {meta['profile']} loaded {meta['loaded_at']}.")
    # As autovacuum would have by now: a migration may have filled a table since the load
    # (an index-only scan of a table never vacuumed reads the heap row by row), and earlier
    # runs rewrote rows.
    print(f"VACUUM ANALYZE in {load.vacuum_analyze():.1f} s")
    return meta


def _bench_meta() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT meta FROM bench_meta")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _load_postgres(*, profile: str) -> dict:
    from django.db import connection, transaction

    from bench import load

    print(f"Loading --profile {profile} ...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        counts = _seed_demo() if profile == "demo" else load.load(profile=load.PROFILES[profile])
    loaded_in = time.perf_counter() - started
    derived = {}
    if profile != "demo":
        # The services plan their statements on statistics: gather them first.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        derived = {what: round(s, 1) for what, s in load.derived().items()}
        counts.update(load.derived_counts())
        print(f"Computed by the app's services (s): {derived}", flush=True)
    vacuumed_in = load.vacuum_analyze()
    meta = {
        "profile": profile,
        "loaded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_seconds": round(loaded_in, 1),
        "derived_seconds": derived,
        "vacuum_seconds": round(vacuumed_in, 1),
        "counts": counts,
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (meta text NOT NULL)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s)", [json.dumps(meta)])
    print(f"Loaded in {loaded_in:.0f} s, VACUUM ANALYZE {vacuumed_in:.0f} s: {counts}")
    return meta


def _prepare_sqlite() -> dict:
    _migrate()
    started = time.perf_counter()
    counts = _seed_demo()
    return {
        "profile": "demo",
        "loaded_at": "this run",
        "load_seconds": round(time.perf_counter() - started, 1),
        "counts": counts,
    }


def _seed_demo() -> dict:
    from django.core.management import call_command

    from accounts.models import Account, Contact

    call_command("seed_demo", scale=30, stdout=io.StringIO())
    return {"accounts": Account.objects.count(), "contacts": Contact.objects.count()}


def _collectstatic() -> None:
    # Production serves static files from a manifest; pages fail to render without one.
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _cases() -> list[Case]:
    from accounts.models import Account
    from bench import money_cases
    from deals.models import Deal
    from team.models import User

    kam, director, admin = (User.objects.get(username=n) for n in ("kam1", "director1", "admin"))
    largest = Account.objects.filter(owner=kam).order_by("-potential_amount", "pk").first()
    last_accounts = -(-Account.objects.visible_to(admin).count() // 25)
    last_deals = -(-Deal.objects.visible_to(director).count() // 25)
    last_api = -(-Account.objects.count() // 50)
    deal = Deal.objects.filter(account=largest).order_by("-amount").first()
    return [
        Case("account list, kam1", "kam1", "/accounts/"),
        Case("account list, director1", "director1", "/accounts/"),
        Case("account list, admin", "admin", "/accounts/"),
        Case("account list, admin, last page", "admin", f"/accounts/?page={last_accounts}"),
        Case("account search `agro`, admin", "admin", "/accounts/?q=agro"),
        Case("global search, kam1", "kam1", "/search/?q=wisniew"),
        Case("global search, admin", "admin", "/search/?q=wisniew"),
        Case("account page, kam1's largest", "kam1", f"/accounts/{largest.pk}/"),
        Case("pipeline board, kam1", "kam1", "/deals/board/"),
        Case("pipeline board, director1", "director1", "/deals/board/"),
        Case("deal list, director1", "director1", "/deals/"),
        Case("deal list, director1, last page", "director1", f"/deals/?page={last_deals}"),
        Case("deal page, kam1", "kam1", f"/deals/{deal.pk}/"),
        Case("offers to approve, director1", "director1", "/offers/approvals/"),
        Case("contract list, director1", "director1", "/contracts/"),
        Case("order list, director1", "director1", "/orders/"),
        Case("return list, director1", "director1", "/returns/"),
        Case("complaint list, director1", "director1", "/complaints/"),
        Case("activity list, kam1", "kam1", "/activities/"),
        Case("today, kam1", "kam1", "/activities/today/"),
        Case("planner, kam1", "kam1", "/activities/planner/"),
        Case("neglected accounts, director1", "director1", "/activities/neglected/"),
        Case("API accounts, kam1", "kam1", "/api/v1/accounts/"),
        Case("API accounts, admin", "admin", "/api/v1/accounts/"),
        Case("API accounts, admin, last page", "admin", f"/api/v1/accounts/?page={last_api}"),
        Case("API contacts, kam1", "kam1", "/api/v1/contacts/"),
        Case("API deals, director1", "director1", "/api/v1/deals/"),
        Case("API offers, kam1", "kam1", "/api/v1/offers/"),
        Case("API orders, kam1", "kam1", "/api/v1/orders/"),
        Case("API activities, kam1", "kam1", "/api/v1/activities/"),
        *money_cases.cases(Case),
    ]


def _measure_all(*, cases: list[Case], requests: int, http: bool, env: dict) -> list[Figures]:
    from django.conf import settings
    from django.test import Client

    from team.models import User

    clients: dict[str, Client] = {}
    for username in {c.username for c in cases}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    results = []
    for case in cases:
        figures = _in_process(case=case, client=clients[case.username], requests=requests)
        results.append(figures)
        print(
            f"{case.label:<36} {figures.queries:>3} q  floor {_median(figures.floor):7.1f}  "
            f"ref {_median(figures.reference):7.1f}  "
            f"in-process {_median(figures.inproc):7.1f} / {_p95(figures.inproc):7.1f} ms",
            flush=True,
        )
    if http:
        cookies = {u: c.cookies[settings.SESSION_COOKIE_NAME].value for u, c in clients.items()}
        with _gunicorn(env):
            for case, figures in zip(cases, results, strict=True):
                if case.call is not None:
                    continue
                n = case.requests or requests
                figures.http = _over_http(case=case, session=cookies[case.username], n=n)
                print(
                    f"{case.label:<36} HTTP {_median(figures.http):7.1f} / "
                    f"{_p95(figures.http):7.1f} ms",
                    flush=True,
                )
    return results


def _once(*, case: Case, client) -> int:
    """One request (or call) of `case`, read to the end; the size of what it gave, in bytes."""
    if case.call is not None:
        result = case.call()
        return len(result) if isinstance(result, bytes | str) else 0
    response = client.get(case.path)
    assert response.status_code == 200, (case, response.status_code)
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _in_process(*, case: Case, client, requests: int) -> Figures:
    from django.db import connection

    requests = case.requests or requests
    # A case that takes seconds warms up once: the caches are as warm after one run.
    warm_up = 1 if case.requests else WARM_UP
    figures = Figures()
    for number in range(warm_up + requests):
        started = time.perf_counter()
        size = _once(case=case, client=client)
        elapsed = (time.perf_counter() - started) * 1000
        if number >= warm_up:
            figures.inproc.append(elapsed)
    figures.kilobytes = size / 1024
    # The statements of one more request, recorded (which slows it, so it is not timed) ...
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        _once(case=case, client=client)
    figures.queries = len(statements)
    # ... and run again straight on the database connection: the SQL floor of the page.
    reads = [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]
    connection.ensure_connection()
    raw = connection.connection
    for _ in range(warm_up + requests):
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for sql, params in reads:
                cursor.execute(sql, params)
                cursor.fetchall()
        figures.floor.append((time.perf_counter() - started) * 1000)
    del figures.floor[:warm_up]
    if case.reference is not None:
        for _ in range(warm_up + requests):
            started = time.perf_counter()
            case.reference()
            figures.reference.append((time.perf_counter() - started) * 1000)
        del figures.reference[:warm_up]
    return figures


class _gunicorn:
    """gunicorn with 3 workers (gthread, so connections are kept alive) on PORT."""

    def __init__(self, env: dict):
        self.env = {**os.environ, **env}

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "kam_crm.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                "1",
                "--keep-alive",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on port {PORT}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def _over_http(*, case: Case, session: str, n: int) -> list[float]:
    from django.conf import settings

    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "Connection": "keep-alive"}
    # One connection per worker, used in turn: keep-alive, and every worker gets its share.
    connections = [
        http.client.HTTPConnection("127.0.0.1", PORT, timeout=60) for _ in range(WORKERS)
    ]
    timings = []
    for number in range(WORKERS * WARM_UP + n):
        connection = connections[number % WORKERS]
        started = time.perf_counter()
        connection.request("GET", case.path, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status == 200, (case, response.status)
        if number >= WORKERS * WARM_UP:
            timings.append(elapsed)
    for connection in connections:
        connection.close()
    return timings


def _table(*, loaded: dict, profile: str, requests: int, cases, results) -> str:
    from django.db import connection

    counts = ", ".join(f"{n:,} {what}" for what, n in loaded["counts"].items())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        server = f"SQLite {connection.Database.sqlite_version}"
    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'unknown'}: "
        f"{os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, "
        f"{server}; profile `{profile}` ({counts}); loaded {loaded['loaded_at']} in "
        f"{loaded['load_seconds']:.0f} s"
        + (
            f" + VACUUM ANALYZE {loaded['vacuum_seconds']:.0f} s"
            if "vacuum_seconds" in loaded
            else ""
        )
        + _derived(loaded)
        + f". {requests} timed requests per case after warm-up (fewer where the case "
        "says so: `n runs`); times in ms; floor = the page's (or call's) SELECTs re-run "
        "straight on the database connection; reference = the same figures by one "
        "hand-written statement, COPY, or WeasyPrint alone on the same HTML; "
        f"HTTP = gunicorn, {WORKERS} gthread workers, keep-alive; load average "
        f"{_load_average()} at the end.",
        "",
        "| case | queries | floor | reference | in-process median | p95 | ÷ floor | ÷ ref | "
        "HTTP median | p95 | ÷ floor | KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case, figures in zip(cases, results, strict=True):
        floor = _median(figures.floor)
        inproc = _median(figures.inproc)
        reference = _median(figures.reference) if figures.reference else None
        cells = [
            case.label + (f" `{case.requests} runs`" if case.requests else ""),
            str(figures.queries),
            f"{floor:.1f}",
            "" if reference is None else f"{reference:.1f}",
            f"{inproc:.1f}",
            f"{_p95(figures.inproc):.1f}",
            f"{inproc / floor:.1f}" if floor else "n/a",
            "" if reference is None else f"{inproc / reference:.1f}",
        ]
        if figures.http:
            cells += [
                f"{_median(figures.http):.1f}",
                f"{_p95(figures.http):.1f}",
                f"{_median(figures.http) / floor:.1f}" if floor else "n/a",
            ]
        else:
            cells += ["n/a"] * 3
        cells.append(f"{figures.kilobytes:.0f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _derived(loaded: dict) -> str:
    steps = loaded.get("derived_seconds") or {}
    if not steps:
        return ""
    return "; then by the app's own services: " + ", ".join(
        f"{what} {seconds:.0f} s" for what, seconds in steps.items()
    )


def _load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _write_readme(table: str) -> None:
    """The new table goes under "Latest run"; the one it replaces under "Previous run"."""
    text = README.read_text()
    pattern = re.compile(
        re.escape(LATEST) + r"\n(.*?)" + re.escape(PREVIOUS) + r"\n(.*?)" + re.escape(END),
        re.S,
    )
    match = pattern.search(text)
    if match is None:
        print(f"{README} has no {LATEST} / {PREVIOUS} / {END} markers; not written.")
        return
    block = f"{LATEST}\n{table}\n{PREVIOUS}\n{match.group(1)}{END}"
    README.write_text(text[: match.start()] + block + text[match.end() :])
    print(f"Table written to {README.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
