from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "receivables"
    verbose_name = _("Receivables and credit control")

    def ready(self):
        from deals.credit import (
            approval_panel_register,
            credit_check_register,
            offer_panel_register,
        )

        from . import handlers  # noqa: F401 - connects the signal receivers
        from .selectors.credit import (
            approval_credit_count,
            approval_credit_panel,
            offer_credit_panel,
        )
        from .services.credit import credit_check

        credit_check_register(credit_check)
        offer_panel_register(offer_credit_panel)
        approval_panel_register(approval_credit_panel, count=approval_credit_count)
