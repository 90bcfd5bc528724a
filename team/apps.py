from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "team"
    verbose_name = _("Team")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.access import register_access_rule
        from core.listing import register_saved_views

        from .access import account_can_edit, account_scope
        from .selectors import saved_views_for_list

        register_access_rule(scope=account_scope, can_edit=account_can_edit)
        register_saved_views(saved_views_for_list)
        user_logged_in.connect(_language_from_browser, dispatch_uid="team-language-default")


def _language_from_browser(sender, request, user, **kwargs):
    """A user who never chose a language gets the one the sign-in page was shown in."""
    from .services import user_language_default

    if request is not None and hasattr(user, "language"):
        user_language_default(user=user, language=getattr(request, "LANGUAGE_CODE", ""))
