from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Plans and commissions")

    def ready(self):
        from deals.credit import offer_panel_register
        from receivables.signals import invoice_cancelled

        from . import handlers
        from .selectors.statements import offer_commission_panel

        # "Your commission inside the offer": deals shows it without importing commissions.
        offer_panel_register(offer_commission_panel)
        # An invoice cancelled after it earned: receivables says so without importing us.
        invoice_cancelled.connect(
            handlers.invoice_cancelled, dispatch_uid="commissions-invoice-cancelled"
        )
