from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team"

    def ready(self):
        from core.access import register_access_rule

        from .access import account_can_edit, account_scope

        register_access_rule(scope=account_scope, can_edit=account_can_edit)
