from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals, offers, contracts and orders")

    def ready(self):
        from . import handlers  # noqa: F401 - connects the signal receivers
