"""`/healthz`: is the database reachable, and the task broker? For load balancers and monitors."""

from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    # The project's Celery app (kam_crm.celery) is the current one; core imports no project module.
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


def broker_kind() -> str:
    return "redis" if settings.REDIS_URL else "filesystem"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = health_check()
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", "broker_kind": broker_kind(), **checks}
    return JsonResponse(body, status=200 if healthy else 503)
