from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "Activities and reminders"

    def ready(self):
        from kam_crm.approvals import approval_event

        from .receivers import approval_notify

        approval_event.connect(approval_notify, dispatch_uid="activities.approval_notify")
