"""Writes to offers: lines, the approval loop, sending and closing, new versions."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.approvals import ApprovalEvent, approval_announce
from core.concurrency import EditConflict
from core.i18n import lazy_message
from core.services import model_update, save_validated
from core.status import status_move
from team.models import User

from .. import pricing
from ..access import (
    offer_approvers,
    offer_can_approve,
)
from ..credit import credit_checks_run
from ..models import (
    OFFER_REVISABLE,
    Deal,
    Offer,
    OfferLine,
    OfferStatus,
    Product,
)
from ..selectors import offer_rule_check
from .common import _check_can_edit, _fill, _lines_total
from .pipeline import _check_deal_open

OFFER_VALID_DAYS = 30


# The steps of an offer's approval, as announced (core/approvals.py).
OFFER_SUBMITTED = "offer_submitted"


OFFER_APPROVED = "offer_approved"


OFFER_REJECTED = "offer_rejected"


OFFER_FIELDS = ("valid_until", "terms", "currency")


def _check_offer_editable(actor: User, offer: Offer) -> None:
    _check_can_edit(actor, offer.deal.account, "offers")
    if offer.status != OfferStatus.DRAFT:
        raise ValidationError(
            _(
                "Offer %(number)s is %(status)s and can no longer change; "
                "make a new version instead."
            )
            % {"number": offer.number, "status": offer.get_status_display().lower()}
        )


def _offer_locked(offer: Offer) -> Offer:
    """`offer` re-read in place, its deal and account with it, and its row locked until the
    transaction ends: a status, a line or a revision checked on it cannot change under the
    caller."""
    offer.refresh_from_db(
        from_queryset=Offer.objects.select_for_update(of=("self",)).select_related("deal__account")
    )
    return offer


def _offer_for_change(*, actor: User, offer: Offer) -> Offer:
    """Lock a draft for a change to it or its lines, and count the change in its revision."""
    offer = _offer_locked(offer)
    _check_offer_editable(actor, offer)
    Offer.objects.filter(pk=offer.pk).update(revision=F("revision") + 1)
    offer.revision += 1
    return offer


def _check_revision(offer: Offer, revision: int) -> None:
    if offer.revision != revision:
        raise EditConflict(
            f"Offer {offer.number} changed since you opened it; look at it again before deciding.",
            current_version=offer.revision,
        )


def _next_offer_version(deal: Deal) -> int:
    return (Offer.objects.filter(deal=deal).aggregate(n=Max("version"))["n"] or 0) + 1


def offer_create(*, actor: User, deal: Deal, data: dict[str, Any] | None = None) -> Offer:
    _check_can_edit(actor, deal.account, "offers")
    if not deal.is_open:
        raise ValidationError(
            _("The deal is %(stage)s; offers are made on open deals.")
            % {"stage": deal.get_stage_display().lower()}
        )
    offer = _fill(
        Offer(
            deal=deal,
            created_by=actor,
            currency=deal.currency,
            valid_until=timezone.localdate() + timedelta(days=OFFER_VALID_DAYS),
        ),
        OFFER_FIELDS,
        data,
    )
    with transaction.atomic():
        Deal.objects.select_for_update().filter(pk=deal.pk).first()
        offer.version = _next_offer_version(deal)
        save_validated(offer)
    return offer


def offer_update(*, actor: User, offer: Offer, data: dict[str, Any]) -> Offer:
    with transaction.atomic():
        offer = _offer_for_change(actor=actor, offer=offer)
        if "currency" in data and data["currency"] != offer.currency and offer.lines.exists():
            raise ValidationError({"currency": _("Remove the lines before changing the currency.")})
        return model_update(instance=offer, fields=OFFER_FIELDS, data=data)[0]


def offer_delete(*, actor: User, offer: Offer) -> None:
    with transaction.atomic():
        _offer_for_change(actor=actor, offer=offer).delete()


def _priced_line(*, line: OfferLine, offer: Offer) -> OfferLine:
    price = pricing.line_price(
        quantity=line.quantity,
        list_price=line.list_price,
        unit_cost=line.unit_cost,
        discount=line.discount,
        currency=offer.currency,
    )
    line.net_price, line.line_total, line.line_cost = (
        price.net_price,
        price.line_total,
        price.line_cost,
    )
    return line


def _check_quantity_and_discount(quantity: Decimal, discount: Decimal) -> None:
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if discount is None or not 0 <= discount <= 100:
        raise ValidationError({"discount": _("Enter a discount between 0 and 100 %.")})


def offer_line_add(
    *, actor: User, offer: Offer, product: Product, quantity: Decimal, discount: Decimal
) -> OfferLine:
    """Add a product at today's list price and unit cost; the line keeps them from now on."""
    _check_quantity_and_discount(quantity, discount)
    if not product.is_active:
        raise ValidationError(
            {"product": _("%(product)s is no longer sold.") % {"product": product}}
        )
    with transaction.atomic():
        offer = _offer_for_change(actor=actor, offer=offer)
        if product.currency != offer.currency:
            raise ValidationError(
                {
                    "product": _("%(product)s is in %(currency)s, the offer in %(currency2)s.")
                    % {
                        "product": product,
                        "currency": product.currency,
                        "currency2": offer.currency,
                    }
                }
            )
        line = OfferLine(
            offer=offer,
            product=product,
            quantity=quantity,
            discount=discount,
            list_price=product.list_price,
            unit_cost=product.unit_cost,
        )
        _priced_line(line=line, offer=offer).full_clean()
        line.save()
    return line


def offer_line_update(
    *, actor: User, line: OfferLine, quantity: Decimal, discount: Decimal
) -> OfferLine:
    _check_quantity_and_discount(quantity, discount)
    with transaction.atomic():
        line.offer = _offer_for_change(actor=actor, offer=line.offer)
        line.quantity, line.discount = quantity, discount
        _priced_line(line=line, offer=line.offer).full_clean()
        line.save(update_fields=["quantity", "discount", "net_price", "line_total", "line_cost"])
    return line


def offer_line_remove(*, actor: User, line: OfferLine) -> None:
    with transaction.atomic():
        _offer_for_change(actor=actor, offer=line.offer)
        line.delete()


def _check_sendable(offer: Offer) -> None:
    if not offer.lines.exists():
        raise ValidationError(_("Add at least one line before submitting or sending the offer."))
    if offer.valid_until < timezone.localdate():
        raise ValidationError(
            {"valid_until": _("The offer's validity date has passed; extend it.")}
        )


def _checked(offer: Offer, check) -> dict[str, Any]:
    """The fields an offer keeps of the rule check it passed, and its next revision."""
    return {
        "checked_tier": check.tier,
        "checked_limits": "\n".join(check.limits),
        "revision": offer.revision + 1,
    }


def offer_submit(*, actor: User, offer: Offer) -> Offer:
    """Send an offer that breaks the discount rule to the director for approval.

    The rule is judged on the lines and tier as stored under the offer's lock, in the
    transaction that moves the status, so a line changed at the same instant is either
    refused (the offer is no longer a draft) or judged."""
    _check_can_edit(actor, offer.deal.account, "offers")
    with transaction.atomic():
        offer = _offer_locked(offer)
        _check_deal_open(offer.deal)
        _check_sendable(offer)
        check = offer_rule_check(offer=offer)
        if not check.breaches:
            raise ValidationError(
                _(
                    "This offer is within the discount rule and needs no approval: send it to the "
                    "client."
                )
            )
        offer = status_move(
            offer,
            by=actor,
            to=OfferStatus.PENDING_APPROVAL,
            approval_reason="\n".join(check.breaches),
            submitted_at=timezone.now(),
            submitted_by=actor,
            decided_by=None,
            decided_at=None,
            decision_comment="",
            **_checked(offer, check),
        )
        _offer_announce(
            offer,
            kind=OFFER_SUBMITTED,
            recipients=offer_approvers(offer),
            title=lazy_message(
                _("%(actor)s asks you to approve offer %(number)s (%(name)s)"),
                actor=actor,
                number=offer.number,
                name=offer.deal.account.name,
            ),
            body="\n".join(check.breaches),
        )
    return offer


def offer_withdraw(*, actor: User, offer: Offer) -> Offer:
    """The KAM takes a pending offer back to draft, to change it before the director decides."""
    _check_can_edit(actor, offer.deal.account, "offers")
    with transaction.atomic():
        offer = _offer_locked(offer)
        if offer.status != OfferStatus.PENDING_APPROVAL:
            raise ValidationError(
                {"status": _("Only an offer waiting for approval can be withdrawn.")}
            )
        return status_move(
            offer,
            by=actor,
            to=OfferStatus.DRAFT,
            submitted_at=None,
            submitted_by=None,
            revision=offer.revision + 1,
        )


def _decide(
    *, actor: User, offer: Offer, revision: int, to: str, kind: str, title: str, comment: str
) -> Offer:
    """Approve or send back `offer` as the director saw it at `revision`: locked, re-read, and
    refused with `EditConflict` if it changed since (withdrawn, re-priced, resubmitted); the
    KAM is told in the same transaction."""
    with transaction.atomic():
        offer = _offer_locked(offer)
        if not offer_can_approve(actor, offer):
            raise PermissionDenied(
                _(
                    "Only the director of this KAM's territory (or an admin) approves their "
                    "offers, and never an offer they wrote or one on their own deal."
                )
            )
        _check_revision(offer, revision)
        if offer.status != OfferStatus.PENDING_APPROVAL:
            raise ValidationError(
                {
                    "status": _("This offer is %(status)s, not pending approval.")
                    % {"status": offer.get_status_display().lower()}
                }
            )
        if to == OfferStatus.APPROVED:
            _check_deal_open(offer.deal)
        offer = status_move(
            offer,
            by=actor,
            to=to,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_comment=comment.strip(),
            revision=offer.revision + 1,
        )
        _offer_announce(
            offer, kind=kind, recipients=[offer.deal.owner], title=title, body=comment.strip()
        )
    return offer


def offer_approve(*, actor: User, offer: Offer, revision: int, comment: str = "") -> Offer:
    """Approve the pending offer as it was at `revision` (the one the director looked at)."""
    return _decide(
        actor=actor,
        offer=offer,
        revision=revision,
        to=OfferStatus.APPROVED,
        kind=OFFER_APPROVED,
        title=lazy_message(
            _("%(actor)s approved offer %(number)s (%(name)s): send it"),
            actor=actor,
            number=offer.number,
            name=offer.deal.account.name,
        ),
        comment=comment,
    )


def offer_send_back(*, actor: User, offer: Offer, revision: int, comment: str) -> Offer:
    """Send the offer back to the KAM's draft, saying why; the rejection stays in its history."""
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the KAM why the offer is rejected.")})
    return _decide(
        actor=actor,
        offer=offer,
        revision=revision,
        to=OfferStatus.DRAFT,
        kind=OFFER_REJECTED,
        title=lazy_message(
            _("%(actor)s sent offer %(number)s (%(name)s) back"),
            actor=actor,
            number=offer.number,
            name=offer.deal.account.name,
        ),
        comment=comment,
    )


def _offer_announce(offer: Offer, *, kind: str, recipients, title: str, body: str) -> None:
    """Tell people of a step of the offer's approval (core/approvals.py). The step is
    identified by the audit row the move just wrote, so a retried step is told once."""
    change = offer.history.only("history_id").latest("history_id")
    approval_announce(
        ApprovalEvent(
            kind=kind,
            change_type="offer_change",
            change_id=change.history_id,
            recipient_ids=tuple(user.pk for user in recipients),
            title=title,
            body=body,
            url=reverse("deals:offer_detail", args=[offer.pk]),
        )
    )


def offer_send(*, actor: User, offer: Offer) -> Offer:
    """Send to the client: a draft within the discount rule, or an approved offer."""
    _check_can_edit(actor, offer.deal.account, "offers")
    with transaction.atomic():
        offer = _offer_locked(offer)
        _check_deal_open(offer.deal)
        _check_sendable(offer)
        checked = {"revision": offer.revision + 1}
        if offer.status == OfferStatus.DRAFT:  # an approved offer keeps what it was judged by
            check = offer_rule_check(offer=offer)
            if check.breaches:
                raise ValidationError(
                    ["This offer needs a director's approval first: submit it.", *check.breaches]
                )
            checked = _checked(offer, check)
        credit_checks_run(
            actor=actor,
            account=offer.deal.account,
            offer=offer,
            amount=_lines_total(offer.lines),
            currency=offer.currency,
        )
        return status_move(offer, by=actor, to=OfferStatus.SENT, sent_at=timezone.now(), **checked)


def _offer_close(*, actor: User, offer: Offer, to: str) -> Offer:
    _check_can_edit(actor, offer.deal.account, "offers")
    with transaction.atomic():
        offer = _offer_locked(offer)
        _check_deal_open(offer.deal)
        return status_move(
            offer, by=actor, to=to, closed_at=timezone.now(), revision=offer.revision + 1
        )


def offer_mark_accepted(*, actor: User, offer: Offer) -> Offer:
    return _offer_close(actor=actor, offer=offer, to=OfferStatus.ACCEPTED)


def offer_mark_declined(*, actor: User, offer: Offer) -> Offer:
    """The client said no to this version."""
    return _offer_close(actor=actor, offer=offer, to=OfferStatus.REJECTED)


def offer_mark_expired(*, actor: User, offer: Offer) -> Offer:
    return _offer_close(actor=actor, offer=offer, to=OfferStatus.EXPIRED)


def offer_new_version(*, actor: User, offer: Offer) -> Offer:
    """A new draft copied from `offer`, re-priced from today's price list with the same
    discounts. The old version stays as it was."""
    _check_can_edit(actor, offer.deal.account, "offers")
    if offer.status not in OFFER_REVISABLE:
        raise ValidationError(
            {
                "status": _("A %(status)s offer is changed in place, not by a new version.")
                % {"status": offer.get_status_display().lower()}
            }
        )
    copy = offer_create(
        actor=actor,
        deal=offer.deal,
        data={"currency": offer.currency, "terms": offer.terms},
    )
    lines = [
        _priced_line(
            line=OfferLine(
                offer=copy,
                product=line.product,
                quantity=line.quantity,
                discount=line.discount,
                list_price=line.product.list_price,
                unit_cost=line.product.unit_cost,
            ),
            offer=copy,
        )
        for line in offer.lines.select_related("product")
    ]
    OfferLine.objects.bulk_create(lines)
    return copy
