from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.pickers import picker_response

from . import access
from .forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def home(request):
    return redirect("accounts:list")


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
