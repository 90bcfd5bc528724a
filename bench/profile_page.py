"""Where one page's time goes: cProfile over repeated in-process requests, on the bench database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench \\
        .venv/bin/python bench/profile_page.py director1 /deals/board/ --requests 20 --top 40

Run `make bench` first (it loads the database this reads). Prints the functions with the most
cumulative and own time; `--sort tottime` or `--out FILE` (a pstats file, e.g. for snakeviz)
for more. `--sql MS` prints instead each statement of one request with its time, and the
`EXPLAIN (ANALYZE, BUFFERS)` of those slower than MS.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--out", help="also write the raw pstats here")
    parser.add_argument("--sql", type=float, metavar="MS", help="explain statements over MS")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from run import _server_env  # the benchmark's own production-like settings

    os.environ.update(_server_env(Path(tempfile.mkdtemp(prefix="kam-crm-profile-"))))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from team.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    client.force_login(User.objects.get(username=args.username))
    for _ in range(2):
        assert client.get(args.path).status_code == 200
    if args.sql is not None:
        _explain(client=client, path=args.path, slower_than=args.sql)
        return
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000 / args.requests
    print(f"{args.path} as {args.username}: {elapsed:.1f} ms a request under the profiler\n")
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.out:
        stats.dump_stats(args.out)


def _explain(*, client, path: str, slower_than: float) -> None:
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        client.get(path)
    with connection.connection.cursor() as cursor:
        for sql, params in statements:
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            print(f"--- {elapsed:.1f} ms: {sql[:400]}")
            if elapsed > slower_than:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
