"""A report kind for the worker test: its first run renders slowly enough to be killed midway,
the next one at once. Imported by the test and by the worker it starts (`celery worker -I`)."""

import time

from django import forms
from django.contrib.auth import get_user_model

from reports.pdf import pdf_render
from reports.registry import ReportKind, register


class SlowForm(forms.Form):
    seconds = forms.IntegerField(min_value=1)


def render(job, progress):
    if job.attempts == 1:
        deadline = time.monotonic() + job.parameters["seconds"]
        step = 0
        while time.monotonic() < deadline:
            step += 1
            progress(min(step, 90))
            time.sleep(0.1)
    return pdf_render("reports/pdf/base.html", {}, filename="slow.pdf")


register(
    ReportKind(
        slug="test_slow",
        title="Slow test report",
        form=SlowForm,
        authorize=lambda user, parameters: get_user_model().objects.get(pk=user.pk),
        describe=lambda user, parameters: user.username,
        render=render,
        button=lambda user, obj: None,
    )
)
