from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import RequestOptionsForm, SubscriptionForm
from .selectors import (
    report_job_for_download,
    report_job_get_for_user,
    report_job_rows,
    report_jobs_visible_to,
    report_subscription_get_for_user,
    report_subscriptions_page,
)

PAGE_SIZE = 25
POLL_SECONDS = 2


@require_GET
def job_list(request):
    page = Paginator(report_jobs_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows, polling = report_job_rows(page.object_list)
    context = {"page": page, "rows": rows, "polling": polling, "poll_seconds": POLL_SECONDS}
    fragment = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    if not fragment:
        context["subscriptions"] = report_subscriptions_page(request.user)
    template = "reports/partials/job_table.html" if fragment else "reports/job_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
def job_request(request, kind: str):
    options = RequestOptionsForm(request.POST)
    options.is_valid()
    try:
        job = services.report_job_request(
            actor=request.user,
            kind=kind,
            data=request.POST,
            email_when_done=options.cleaned_data.get("email_when_done", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, "reports:list")
    messages.success(
        request, _("%(title)s is being prepared; it will appear here when ready.") % {"title": job}
    )
    return redirect("reports:list")


@require_POST
def subscription_create(request, kind: str):
    options = SubscriptionForm(request.POST)
    if not options.is_valid():
        messages.error(request, _("Choose weekly or monthly."))
        return redirect("reports:list")
    try:
        subscription = services.report_subscription_create(
            actor=request.user,
            kind=kind,
            data=request.POST,
            frequency=options.cleaned_data["frequency"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You will receive %(title)s by e-mail, %(when)s.")
            % {"title": subscription.title, "when": subscription.get_frequency_display().lower()},
        )
    return redirect("reports:list")


@require_POST
def subscription_delete(request, pk: int):
    subscription = report_subscription_get_for_user(request.user, pk)
    services.report_subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, _("Subscription ended: %(title)s.") % {"title": subscription.title})
    return redirect("reports:list")


@require_POST
def job_retry(request, pk: int):
    job = report_job_get_for_user(request.user, pk)
    try:
        services.report_job_retry(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(title)s is queued again.") % {"title": job})
    return redirect("reports:list")


@require_GET
def job_download(request, pk: int):
    job = report_job_for_download(request.user, pk)
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
