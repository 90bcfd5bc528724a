from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "Activities and reminders"

    def ready(self):
        from . import handlers  # noqa: F401 - connects the signal receivers
