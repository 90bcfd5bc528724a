"""The commercial offer as the client receives it: letterhead, lines, terms and validity."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deals.models import Offer, OfferStatus
from deals.selectors import offer_page

from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register

# An offer in any other status is not (or not yet, or no longer) one the client may accept.
BINDING = {OfferStatus.APPROVED, OfferStatus.SENT, OfferStatus.ACCEPTED}


class CommercialOfferForm(forms.Form):
    offer = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


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


register(
    ReportKind(
        slug="commercial_offer",
        title=_("Commercial offer"),
        form=CommercialOfferForm,
        authorize=authorize,
        describe=lambda offer, parameters: f"{offer.number} · {offer.deal.account.name}",
        render=render,
        button=lambda user, offer: {"offer": offer.pk},
    )
)
