from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from .forms import PasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def home(request):
    return redirect("accounts:list")
