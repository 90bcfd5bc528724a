from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = "Deals, offers, contracts and orders"

    def ready(self):
        from . import handlers  # noqa: F401 - connects the signal receivers
