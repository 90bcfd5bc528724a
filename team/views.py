from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.listing import list_query
from core.pickers import picker_response

from . import access, services
from .forms import PasswordChangeForm
from .selectors import saved_views_visible_to


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


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


def _list_url(list_key: str, query: str = "") -> str:
    """The list page a saved view belongs to (a URL name without arguments), with its query."""
    try:
        url = reverse(list_key)
    except NoReverseMatch:
        raise Http404("No such list.") from None
    return f"{url}?{query}" if query else url


@require_POST
def saved_view_save(request):
    """Save the list's current filters and sort under a name (the same name replaces)."""
    list_key = request.POST.get("list_key", "")
    # The query is read back as a list page's would be, so it is saved (and redirected to)
    # in the same, encoded form.
    query = list_query(QueryDict(request.POST.get("query", "")))
    back = _list_url(list_key, query)
    try:
        view, created = services.saved_view_save(
            user=request.user,
            list_key=list_key,
            name=request.POST.get("name", ""),
            query=query,
            shared=request.POST.get("shared") == "on",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    if created:
        messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    else:
        messages.success(request, _("View “%(name)s” updated.") % {"name": view.name})
    return redirect(_list_url(list_key, view.query))


@require_POST
def saved_view_delete(request, pk: int):
    view = get_object_or_404(saved_views_visible_to(request.user), pk=pk)
    back = _list_url(view.list_key)
    try:
        services.saved_view_delete(user=request.user, view=view)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(back)
