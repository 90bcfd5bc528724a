"""Reports on the account page (core/panels.py): the dossier brief among the page's buttons;
the QBR pack and the statement of account, which take a period, in a "Documents" card. Each
is shown only to those its kind lets ask."""

from django.utils.translation import gettext_lazy as _

from core.panels import ACTIONS, TOP, Panel

from .templatetags.reports import request_button_context

DOCUMENT_KINDS = ("qbr_pack", "statement_of_account")


def account_panels(request, account):
    brief = request_button_context(request, "account_brief", account)
    if brief["allowed"]:
        yield Panel(
            title=_("Dossier brief"),
            template="reports/partials/account_actions.html",
            context=brief,
            slot=ACTIONS,
        )
    buttons = [request_button_context(request, slug, account) for slug in DOCUMENT_KINDS]
    buttons = [button for button in buttons if button["allowed"]]
    if buttons:
        yield Panel(
            title=_("Documents"),
            template="reports/partials/account_documents.html",
            context={"buttons": buttons},
            slot=TOP,
            order=900,
            anchor="documents",
        )
