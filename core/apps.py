from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from .dates import install_date_validators
        from .i18n import compile_catalogues, install_form_labels, translate_field_names
        from .number_limits import install_plain_number_messages
        from .numbers import install_decimal_input

        install_date_validators()
        install_decimal_input()
        install_plain_number_messages()
        translate_field_names()
        install_form_labels()
        compile_catalogues()
