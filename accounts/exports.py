"""The columns of the account list's export (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

ACCOUNT_COLUMNS = [
    Column(_("ID"), "pk"),
    Column(_("Account"), "name"),
    Column(_("Legal name"), "legal_name"),
    Column(_("Tax ID"), "tax_id"),
    Column(_("Tier"), "tier"),
    Column(_("Status"), lambda a: a.get_status_display()),
    Column(_("Industry"), "industry"),
    Column(_("City"), "city"),
    Column(_("Country"), "country"),
    Column(_("Owner"), lambda a: str(a.owner)),
    Column(_("Territory"), "territory.name"),
    Column(_("Potential / year"), "potential_amount"),
    Column(_("Currency"), "currency"),
]
