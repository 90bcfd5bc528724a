"""Health's section of the account page (core/panels.py): the score, its trend and why."""

from django.utils.translation import gettext_lazy as _

from core.panels import TOP, Panel

from .selectors import account_health


def account_panels(request, account):
    yield Panel(
        title=_("Health"),
        template="health/partials/account_health.html",
        context={"health": account_health(account.pk, currency=account.currency)},
        order=15,
        slot=TOP,
        anchor="health",
    )
