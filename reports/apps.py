from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from receivables.signals import dunning_letters_due

        from . import handlers, registry

        registry.autodiscover()
        dunning_letters_due.connect(
            handlers.dunning_letters_prepare, dispatch_uid="reports-dunning-letters"
        )
