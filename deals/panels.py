"""Deals' section of the account page (core/panels.py)."""

from django.utils.translation import gettext_lazy as _

from core.panels import TOP, Panel

from .selectors import account_panel


def account_panels(request, account):
    yield Panel(
        title=_("Deals, contracts and orders"),
        template="deals/partials/account_panel.html",
        context=account_panel(user=request.user, account=account),
        order=10,
        slot=TOP,
        anchor="deals-panel",
    )
