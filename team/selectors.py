"""Reads about the running system and the team."""

from django.conf import settings
from django.db import connection


def health_check() -> dict[str, str]:
    """Reachability of the database and the task broker, as "ok" or the error."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as error:
        status["database"] = f"error: {error.__class__.__name__}"
    status["broker"] = _broker_status()
    return status


def _broker_status() -> str:
    from kam_crm.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


def broker_kind() -> str:
    return "redis" if settings.REDIS_URL else "filesystem"
