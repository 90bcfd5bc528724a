"""Reports' buttons on the account page (core/panels.py): the dossier brief, the QBR pack and
the statement of account, each shown only to those its kind lets ask."""

from core.panels import ACTIONS, Panel

from . import registry
from .templatetags.reports import request_button_context

ACCOUNT_KINDS = ("account_brief", "qbr_pack", "statement_of_account")


def account_panels(request, account):
    for order, slug in enumerate(ACCOUNT_KINDS):
        button = request_button_context(request, slug, account)
        if button["allowed"]:
            yield Panel(
                title=registry.kind_get(slug).title,
                template="reports/partials/account_actions.html",
                context=button,
                slot=ACTIONS,
                order=100 + order,
            )
