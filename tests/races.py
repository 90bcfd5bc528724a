"""Two (or more) calls released at one instant, each on its own database connection: the
pattern of the race tests (run against PostgreSQL; CI=true never skips them)."""

import threading

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection


def at_once(*calls) -> list:
    """Run `calls` in threads released by one barrier; returns what each returned (or the
    ValidationError / PermissionDenied it was refused with). Any other error fails the test."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            start.wait(timeout=10)
            results[index] = call()
        except (ValidationError, PermissionDenied) as refused:
            results[index] = refused  # the loser of the race is refused: that is the point
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results
