"""Pages of complaints."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.forms import form_submit
from team import access

from .. import exports, selectors, services
from ..filters import (
    ComplaintFilterSet,
)
from ..forms import (
    ComplaintForm,
    ResolveForm,
)
from ..models import (
    Complaint,
)
from .common import AccountRecordPage, _listing, _status_post


class ComplaintPage(AccountRecordPage):
    form_class = ComplaintForm
    model = Complaint
    noun = _("Complaint")
    new_title = _("New complaint")
    create_service = staticmethod(services.complaint_open)
    update_service = staticmethod(services.complaint_update)
    instance_kwarg = "complaint"
    detail = "deals:complaint_detail"
    listing = "deals:complaint_list"


complaint_create = complaint_edit = ComplaintPage.as_view()


def complaint_list(request):
    return _listing(
        request,
        filterset_class=ComplaintFilterSet,
        queryset=selectors.complaints_for_listing(user=request.user),
        heading=_("Complaints"),
        list_url="deals:complaint_list",
        partial="deals/partials/complaint_table.html",
        columns=exports.COMPLAINT_COLUMNS,
        export_name="complaints",
        group=_("Clients"),
        create_url="deals:complaint_create",
    )


def complaint_detail(request, pk: int, *, resolve_form=None, status=200):
    complaint = Complaint.objects.get_for_user(request.user, pk)
    context = {
        "complaint": complaint,
        "can_edit": access.account_can_edit(request.user, complaint.account),
        "resolve_form": resolve_form or ResolveForm(),
    }
    return render(request, "deals/complaint_detail.html", context, status=status)


@require_POST
def complaint_move(request, pk: int):
    complaint = Complaint.objects.get_for_user(request.user, pk, write=True)
    return _status_post(
        request,
        obj=complaint,
        move=lambda c, to: services.complaint_move(actor=request.user, complaint=c, to_status=to),
        detail="deals:complaint_detail",
    )


@require_POST
def complaint_resolve(request, pk: int):
    complaint = Complaint.objects.get_for_user(request.user, pk, write=True)
    form = ResolveForm(request.POST)
    if form_submit(
        form,
        lambda: services.complaint_resolve(
            actor=request.user, complaint=complaint, resolution=form.cleaned_data["resolution"]
        ),
    ):
        messages.success(request, _("Complaint resolved."))
        return redirect("deals:complaint_detail", pk=pk)
    return complaint_detail(request, pk, resolve_form=form, status=400)
