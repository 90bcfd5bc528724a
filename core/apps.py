from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .dates import install_date_validators
        from .numbers import install_plain_number_messages

        install_date_validators()
        install_plain_number_messages()
