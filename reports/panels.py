"""Reports' button on the account page, "prepare the dossier brief" (core/panels.py)."""

from django.utils.translation import gettext_lazy as _

from core.panels import ACTIONS, Panel

from .templatetags.reports import request_button_context


def account_panels(request, account):
    button = request_button_context(request, "account_brief", account)
    if button["allowed"]:
        yield Panel(
            title=_("Dossier brief"),
            template="reports/partials/account_actions.html",
            context=button,
            slot=ACTIONS,
        )
