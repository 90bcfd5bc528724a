from django.contrib.auth.backends import ModelBackend

from .models import User


class TeamModelBackend(ModelBackend):
    """Loads the signed-in user with their territory, which every page header shows."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("territory").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
