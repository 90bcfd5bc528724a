from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
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


# How many password-reset e-mails one address, or one client address, may ask for per hour.
PASSWORD_RESETS_PER_HOUR = 5


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset by e-mail, refused after PASSWORD_RESETS_PER_HOUR requests for
    the same e-mail or from the same client address, so it cannot be used to flood a mailbox.
    (django-axes throttles failed log-ins; a reset asks for no password, so it needs its own.)
    The answer is the same whether or not the address belongs to anyone."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        keys = [f"password-reset:email:{email}", f"password-reset:ip:{_client(self.request)}"]
        for key in keys:
            cache.add(key, 0, timeout=3600)
            if cache.incr(key) > PASSWORD_RESETS_PER_HOUR:
                messages.error(
                    self.request,
                    _("Too many password resets were asked for. Try again in an hour."),
                )
                return self.form_invalid(form)
        return super().form_valid(form)


def _client(request) -> str:
    """The client's address as django-axes reads it (behind proxies too)."""
    return get_client_ip_address(request) or "unknown"
