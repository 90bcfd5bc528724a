"""The commercial offer as the client receives it: letterhead, lines, terms and validity."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact
from deals.models import Offer, OfferStatus
from deals.selectors import offer_page

from ..documents import send_to_field
from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register

# An offer in any other status is not (or not yet, or no longer) one the client may accept.
BINDING = {OfferStatus.APPROVED, OfferStatus.SENT, OfferStatus.ACCEPTED}


class CommercialOfferForm(forms.Form):
    offer = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    send_to = send_to_field()


def authorize(user, parameters):
    return Offer.objects.select_related("deal__owner").get_for_user(user, parameters["offer"])


def render(job, progress):
    offer = Offer.objects.select_related("deal__owner").get_for_user(
        job.requested_by, job.parameters["offer"]
    )
    page = offer_page(user=job.requested_by, offer=offer)
    progress(40)
    account = page.offer.deal.account
    return pdf_render(
        "reports/pdf/commercial_offer.html",
        {
            "page": page,
            "offer": page.offer,
            "account": account,
            "binding": page.offer.status in BINDING,
            "job": job,
        },
        filename=f"offer-{page.offer.number}-{file_slug(account.name, account.pk)}.pdf",
    )


def deliver_to(user, parameters) -> str:
    """The offer goes to a contact of its client, sent by those who may edit the offer, and
    only once it is one the client may accept (a draft is for review, not for the client)."""
    contact_id = parameters.get("send_to")
    if not contact_id:
        return ""
    offer = Offer.objects.select_related("deal__account").get_for_user(user, parameters["offer"])
    if not Offer.objects.can_edit(user, offer):
        raise ValidationError({"send_to": _("Only the offer's sales team sends it to the client.")})
    if offer.status not in BINDING:
        raise ValidationError(
            {"send_to": _("Send the offer first; a draft is not for the client.")}
        )
    contact = (
        Contact.objects.filter(account=offer.deal.account_id, pk=contact_id)
        .exclude(email="")
        .first()
    )
    if contact is None:
        raise ValidationError({"send_to": _("Choose a contact of this client with an e-mail.")})
    return contact.email


def field_choices(user, offer) -> dict:
    if offer.status not in BINDING or not Offer.objects.can_edit(user, offer):
        return {"send_to": []}
    contacts = Contact.objects.filter(account=offer.deal.account_id).exclude(email="")
    return {
        "send_to": [("", "—")]
        + [(str(c.pk), f"{c.first_name} {c.last_name} <{c.email}>") for c in contacts]
    }


register(
    ReportKind(
        slug="commercial_offer",
        title=_("Commercial offer"),
        form=CommercialOfferForm,
        authorize=authorize,
        describe=lambda offer, parameters: f"{offer.number} · {offer.deal.account.name}",
        render=render,
        button=lambda user, offer: {"offer": offer.pk},
        deliver_to=deliver_to,
        field_choices=field_choices,
    )
)
