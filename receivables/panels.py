"""Receivables' section of the account page (core/panels.py): the Money panel."""

from django.utils.translation import gettext_lazy as _

from core.panels import TOP, Panel

from .forms import CollectionActionForm
from .selectors.pages import account_money


def account_panels(request, account):
    money = account_money(user=request.user, account=account)
    form = CollectionActionForm(initial={"kind": "promise"}) if money.can_log else None
    yield Panel(
        title=_("Money"),
        template="receivables/partials/account_money.html",
        context={"money": money, "form": form},
        order=20,
        slot=TOP,
    )
