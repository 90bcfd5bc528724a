"""Pages of offers and the approvals queue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict
from core.forms import form_submit
from core.views import RecordFormPage

from .. import credit, selectors, services
from ..forms import (
    DecisionForm,
    OfferForm,
    OfferLineChangeForm,
    OfferLineForm,
)
from ..models import (
    Deal,
    Offer,
    OfferLine,
)
from .common import _refuse, _refuse_form


@require_POST
def offer_create(request, pk: int):
    deal = Deal.objects.get_for_user(request.user, pk, write=True)
    try:
        offer = services.offer_create(actor=request.user, deal=deal)
    except ValidationError as error:
        _refuse(request, error)
        return redirect("deals:deal_detail", pk=pk)
    messages.success(
        request, _("Offer %(number)s started: add its lines.") % {"number": offer.number}
    )
    return redirect("deals:offer_detail", pk=offer.pk)


def offer_detail(request, pk: int, *, line_form=None, decision_form=None, status=200):
    offer = Offer.objects.get_for_user(request.user, pk)
    page = selectors.offer_page(user=request.user, offer=offer)
    context = {
        "page": page,
        "line_form": line_form or OfferLineForm(currency=page.offer.currency),
        "decision_form": decision_form or DecisionForm(initial={"revision": page.offer.revision}),
        "offer_panels": credit.offer_panels(user=request.user, offer=page.offer),
    }
    return render(request, "deals/offer_detail.html", context, status=status)


class OfferFormPage(RecordFormPage):
    """A draft offer's validity, currency and terms (its lines are edited on its page)."""

    form_class = OfferForm
    template_name = "deals/form.html"
    model = Offer
    noun = _("Offer")

    def update(self, offer, form, version):
        return services.offer_update(
            actor=self.request.user, offer=offer, data=self.service_data(form)
        )

    def success_url(self, offer):
        return reverse("deals:offer_detail", args=[offer.pk])

    def context(self, form):
        offer = self.object
        name = _("Offer %(number)s") % {"number": offer.number}
        return {
            "title": _("Edit %(record)s") % {"record": name},
            "back": "deals:deal_list",
            "crumbs": [
                (offer.deal.title, "deals:deal_detail", offer.deal_id),
                (name, "deals:offer_detail", offer.pk),
            ],
        }


offer_edit = OfferFormPage.as_view()


@require_POST
def offer_line_add(request, pk: int):
    offer = Offer.objects.get_for_user(request.user, pk, write=True)
    form = OfferLineForm(request.POST, currency=offer.currency)
    line = form_submit(
        form, lambda: services.offer_line_add(actor=request.user, offer=offer, **form.cleaned_data)
    )
    if line:
        return redirect("deals:offer_detail", pk=pk)
    return offer_detail(request, pk, line_form=form, status=400)


@require_POST
def offer_line_edit(request, pk: int):
    line = OfferLine.objects.get_for_user(request.user, pk, write=True)
    form = OfferLineChangeForm(request.POST)
    if form_submit(
        form, lambda: services.offer_line_update(actor=request.user, line=line, **form.cleaned_data)
    ):
        return redirect("deals:offer_detail", pk=line.offer_id)
    _refuse_form(request, form)
    return redirect("deals:offer_detail", pk=line.offer_id)


@require_POST
def offer_line_remove(request, pk: int):
    line = OfferLine.objects.get_for_user(request.user, pk, write=True)
    try:
        services.offer_line_remove(actor=request.user, line=line)
    except ValidationError as error:
        _refuse(request, error)
    return redirect("deals:offer_detail", pk=line.offer_id)


OFFER_ACTIONS = {
    # action: (service, success message); decisions take the comment
    "submit": (services.offer_submit, "Submitted for approval."),
    "withdraw": (services.offer_withdraw, "Withdrawn to draft."),
    "send": (services.offer_send, "Offer sent to the client."),
    "accept": (services.offer_mark_accepted, "Marked accepted by the client."),
    "decline": (services.offer_mark_declined, "Marked rejected by the client."),
    "expire": (services.offer_mark_expired, "Marked expired."),
}


OFFER_DECISIONS = {
    "approve": (services.offer_approve, "Offer approved."),
    "reject": (services.offer_send_back, "Offer sent back to the KAM."),
}


@require_POST
def offer_action(request, pk: int, action: str):
    # Approvers are read-write on the territory, so the write check passes for them too.
    offer = Offer.objects.get_for_user(request.user, pk, write=True)
    if action in OFFER_DECISIONS:
        service, done = OFFER_DECISIONS[action]
        form = DecisionForm(request.POST)
        conflicts = []

        def decide():
            try:
                return service(actor=request.user, offer=offer, **form.cleaned_data)
            except EditConflict as conflict:
                conflicts.append(conflict)

        result = form_submit(form, decide)
        if conflicts:
            # The page shows the offer as it is now, the comment kept for a second look.
            messages.error(request, conflicts[0].messages[0])
            fresh = DecisionForm(
                initial={
                    "comment": form.cleaned_data["comment"],
                    "revision": conflicts[0].current_version,
                }
            )
            return offer_detail(request, pk, decision_form=fresh, status=409)
        if not result:
            return offer_detail(request, pk, decision_form=form, status=400)
        messages.success(request, done)
        return redirect("deals:offer_detail", pk=pk)
    if action == "new-version":
        try:
            copy = services.offer_new_version(actor=request.user, offer=offer)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("deals:offer_detail", pk=pk)
        messages.success(
            request,
            _("Version %(version)s started from version %(version2)s.")
            % {"version": copy.version, "version2": offer.version},
        )
        return redirect("deals:offer_detail", pk=copy.pk)
    if action == "delete":
        try:
            services.offer_delete(actor=request.user, offer=offer)
        except ValidationError as error:
            _refuse(request, error)
            return redirect("deals:offer_detail", pk=pk)
        messages.success(request, _("Draft offer deleted."))
        return redirect("deals:deal_detail", pk=offer.deal_id)
    if action not in OFFER_ACTIONS:
        raise Http404("No such action.")
    service, done = OFFER_ACTIONS[action]
    try:
        service(actor=request.user, offer=offer)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, done)
    return redirect("deals:offer_detail", pk=pk)


def approvals(request):
    offers = list(selectors.approvals_queue(user=request.user))
    panels = credit.approval_panels(user=request.user)
    return render(request, "deals/approvals.html", {"offers": offers, "panels": panels})
