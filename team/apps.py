from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = "Team"

    def ready(self):
        from core.access import register_access_rule
        from core.listing import register_saved_views

        from .access import account_can_edit, account_scope
        from .selectors import saved_views_for_list

        register_access_rule(scope=account_scope, can_edit=account_can_edit)
        register_saved_views(saved_views_for_list)
