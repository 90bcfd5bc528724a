from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kam_crm.pickers import picker_response

from . import access
from .selectors import broker_kind, health_check


def home(request):
    return redirect("accounts:list")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = health_check()
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", "broker_kind": broker_kind(), **checks}
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
def pick_owners(request):
    """KAMs for a picker: those whose accounts the user may see."""
    return picker_response(
        request,
        access.owners_visible_to(request.user).order_by("last_name", "first_name", "pk"),
        fields=["first_name", "last_name", "username"],
        label=str,
        detail=lambda u: u.territory.name if u.territory else "",
    )
