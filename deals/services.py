"""Writes to deals, offers, contracts, orders, returns and complaints.

Each function checks who may do it (team.access), validates, and writes in one transaction,
together with the history that goes with it (stage changes; django-simple-history rows).
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Model, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from core.approvals import ApprovalEvent, approval_announce
from core.concurrency import EditConflict, version_claim
from core.i18n import lazy_message
from core.money import money_round
from core.services import model_update, save_validated
from core.status import status_move
from team import access
from team.models import User

from . import pricing
from .access import (
    deal_can_delete,
    deal_can_edit,
    offer_approvers,
    offer_can_approve,
    order_can_approve_prices,
)
from .credit import credit_checks_run
from .models import (
    CLOSED_STAGES,
    OFFER_REVISABLE,
    STAGE_PROBABILITY,
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    DealStageChange,
    Offer,
    OfferLine,
    OfferStatus,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Return,
)
from .selectors import offer_rule_check, order_price_breaches

OFFER_VALID_DAYS = 30
DEAL_ASSIGNMENT_FIELDS = ("owner",)
# What a won or lost deal keeps: its figures stay as they were when it closed. Its title, notes
# and next step may still change.
CLOSED_DEAL_FIXED_FIELDS = ("owner", "amount", "currency", "probability", "expected_close_date")

# The steps of an offer's approval, as announced (core/approvals.py).
OFFER_SUBMITTED = "offer_submitted"
OFFER_APPROVED = "offer_approved"
OFFER_REJECTED = "offer_rejected"


# What a user may write on each record (model_update's allow-lists). The account, status and
# stage are not among them: a record stays on its account, and statuses move by status_move.
DEAL_FIELDS = (
    "owner",
    "title",
    "amount",
    "currency",
    "expected_margin",
    "probability",
    "expected_close_date",
    "competitor",
    "next_step",
    "lost_reason",
)
OFFER_FIELDS = ("valid_until", "terms", "currency")
CONTRACT_FIELDS = (
    "deal",
    "number",
    "signed_on",
    "start_date",
    "end_date",
    "value",
    "currency",
    "payment_terms_days",
    "renewal",
    "notes",
)
OBLIGATION_FIELDS = ("party", "kind", "description", "due_date")
ORDER_FIELDS = ("contract", "reference", "currency", "requested_date", "promised_date", "note")
COMPLAINT_FIELDS = ("contact", "subject", "description", "severity", "opened_on")


def _fill(instance: Model, fields: tuple[str, ...], data: dict[str, Any] | None) -> Model:
    """A new record with the allow-listed `fields` of `data`, not yet validated or saved."""
    return model_update(instance=instance, fields=fields, data=data or {}, save=False)[0]


def _lines_total(lines) -> Decimal:
    """A document's total for the credit check (lines are rounded once when priced)."""
    return sum(lines.values_list("line_total", flat=True), Decimal(0))


def _check_can_edit(actor: User, account: Account, what: str) -> None:
    if not access.account_can_edit(actor, account):
        raise PermissionDenied(_("You may not change this account's %(what)s.") % {"what": what})


# --- Deals ------------------------------------------------------------------------------------


def _check_deal_owner(*, actor: User, deal: Deal) -> None:
    owner = deal.owner
    if not access.owners_assignable_by(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("You cannot give deals to this person.")})
    if owner.territory_id != deal.account.territory_id:
        raise ValidationError(
            {
                "owner": _("%(owner)s works in another territory than this account.")
                % {"owner": owner}
            }
        )


def _stage_fields(*, deal: Deal, stage: str, lost_reason: str) -> None:
    if stage == DealStage.LOST and not lost_reason.strip():
        raise ValidationError({"lost_reason": _("Say why the deal was lost.")})
    deal.stage = stage
    deal.lost_reason = lost_reason.strip() if stage == DealStage.LOST else ""
    deal.closed_on = timezone.localdate() if stage in CLOSED_STAGES else None


def deal_create(*, actor: User, account: Account, data: dict[str, Any]) -> Deal:
    _check_can_edit(actor, account, "deals")
    data = dict(data)
    stage = data.pop("stage", None) or DealStage.RESEARCH
    lost_reason = data.pop("lost_reason", "") or ""
    deal = _fill(Deal(account=account), DEAL_FIELDS, data)
    if not deal.owner_id:
        deal.owner = actor if actor.is_kam else account.owner
    _check_deal_owner(actor=actor, deal=deal)
    _stage_fields(deal=deal, stage=stage, lost_reason=lost_reason)
    if deal.probability is None:
        deal.probability = STAGE_PROBABILITY[stage]
    deal.full_clean()
    with transaction.atomic():
        deal.save()
        DealStageChange.objects.create(
            deal=deal, from_stage="", to_stage=stage, changed_by=actor, changed_at=timezone.now()
        )
    return deal


def _check_closed_deal_unchanged(*, deal: Deal, data: dict[str, Any]) -> None:
    if deal.is_open:
        return
    stage = deal.get_stage_display().lower()
    errors = {}
    for field in CLOSED_DEAL_FIXED_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "owner":
            value, current = getattr(value, "pk", value), deal.owner_id
        else:
            current = getattr(deal, field)
        if field == "probability" and value is None:
            value = STAGE_PROBABILITY[deal.stage]
        if value != current:
            label = Deal._meta.get_field(field).verbose_name
            errors[field] = f"The deal is {stage}; its {label} no longer changes."
    if errors:
        raise ValidationError(errors)


def _check_deal_open(deal: Deal) -> None:
    if not deal.is_open:
        raise ValidationError(
            _("The deal is %(stage)s; its offers no longer move.")
            % {"stage": deal.get_stage_display().lower()}
        )


def deal_update(*, actor: User, deal: Deal, data: dict[str, Any], version: int) -> Deal:
    """Save `data` onto `deal` if nobody saved it since `version`; else raise EditConflict.

    The stage changes only through `deal_move_stage`, so every move is in the stage history.
    """
    if not deal_can_edit(actor, deal):
        raise PermissionDenied(_("You may not change this deal."))
    data = {k: v for k, v in data.items() if k in DEAL_FIELDS}
    _check_closed_deal_unchanged(deal=deal, data=data)
    if (
        "owner" in data
        and data["owner"] != deal.owner
        and not access.account_can_reassign(actor, deal.account)
    ):
        raise ValidationError(
            {"owner": _("Only a director or an admin can give a deal to another KAM.")}
        )
    if deal.stage != DealStage.LOST:
        data.pop("lost_reason", None)
    if data.get("probability", deal.probability) is None:
        data["probability"] = STAGE_PROBABILITY[deal.stage]

    def check(deal: Deal) -> None:
        if "owner" in data:
            _check_deal_owner(actor=actor, deal=deal)

    with transaction.atomic():
        deal.version = version_claim(Deal.objects, pk=deal.pk, version=version, what="deal")
        model_update(instance=deal, fields=DEAL_FIELDS, data=data, check=check)
    return deal


def deal_move_stage(
    *,
    actor: User,
    deal: Deal,
    to_stage: str,
    lost_reason: str = "",
    from_stage: str | None = None,
) -> Deal:
    """Move a deal to another stage, set that stage's default probability, record the move.

    `from_stage` is where the user saw the deal: if someone moved it since, the move is
    refused rather than applied to a deal in another place than the user thinks.
    """
    if not deal_can_edit(actor, deal):
        raise PermissionDenied(_("You may not change this deal."))
    labels = dict(DealStage.choices)
    if to_stage not in labels:
        raise ValidationError({"stage": _("Choose one of the pipeline stages.")})
    if from_stage is not None and from_stage != deal.stage:
        raise EditConflict(
            f"Someone moved this deal to {labels.get(deal.stage)} since you loaded the page.",
            current_version=deal.version,
        )
    if to_stage == DealStage.LOST and not lost_reason.strip():
        raise ValidationError({"lost_reason": _("Say why the deal was lost.")})

    def record(deal: Deal, previous: str) -> None:
        DealStageChange.objects.create(
            deal=deal,
            from_stage=previous,
            to_stage=to_stage,
            changed_by=actor,
            changed_at=timezone.now(),
        )

    with transaction.atomic():
        deal.version = version_claim(Deal.objects, pk=deal.pk, version=deal.version, what="deal")
        status_move(
            deal,
            to=to_stage,
            by=actor,
            record=record,
            version=deal.version,
            probability=STAGE_PROBABILITY[to_stage],
            lost_reason=lost_reason.strip() if to_stage == DealStage.LOST else "",
            closed_on=timezone.localdate() if to_stage in CLOSED_STAGES else None,
        )
    return deal


def deal_delete(*, actor: User, deal: Deal) -> None:
    if not deal_can_delete(actor, deal):
        raise PermissionDenied(
            _("Only a director or an admin can delete a deal; mark it lost instead.")
        )
    deal.delete()


# --- Offers -----------------------------------------------------------------------------------


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


# --- Contracts --------------------------------------------------------------------------------


def _check_same_account(*, account: Account, field: str, record: Model | None) -> None:
    if record is not None and record.account_id != account.pk:
        raise ValidationError({field: _("Choose one of this account's own.")})


def contract_create(*, actor: User, account: Account, data: dict[str, Any]) -> Contract:
    _check_can_edit(actor, account, "contracts")
    contract = _fill(Contract(account=account), CONTRACT_FIELDS, data)
    _check_same_account(account=account, field="deal", record=contract.deal)
    return save_validated(contract)


def contract_update(
    *, actor: User, contract: Contract, data: dict[str, Any], version: int | None = None
) -> Contract:
    """Save `data` onto `contract`; with the `version` the input was made from, a save from a
    copy someone has changed since is refused (EditConflict)."""
    _check_can_edit(actor, contract.account, "contracts")
    return model_update(
        instance=contract,
        fields=CONTRACT_FIELDS,
        data=data,
        version=version,
        check=lambda c: _check_same_account(account=c.account, field="deal", record=c.deal),
    )[0]


def contract_move(*, actor: User, contract: Contract, to_status: str) -> Contract:
    _check_can_edit(actor, contract.account, "contracts")
    return status_move(contract, by=actor, to=to_status)


def obligation_add(*, actor: User, contract: Contract, data: dict[str, Any]) -> ContractObligation:
    _check_can_edit(actor, contract.account, "contracts")
    obligation = _fill(ContractObligation(contract=contract), OBLIGATION_FIELDS, data)
    return save_validated(obligation)


def obligation_mark_done(
    *, actor: User, obligation: ContractObligation, done_on: date | None = None
) -> ContractObligation:
    _check_can_edit(actor, obligation.contract.account, "contracts")
    obligation.done_on = done_on or timezone.localdate()
    obligation.save(update_fields=["done_on"])
    return obligation


def obligation_delete(*, actor: User, obligation: ContractObligation) -> None:
    _check_can_edit(actor, obligation.contract.account, "contracts")
    obligation.delete()


# --- Orders -----------------------------------------------------------------------------------


def _order_line(
    *, order: Order, product: Product, quantity: Decimal, unit_price: Decimal | None = None
):
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if not product.is_active:
        raise ValidationError(
            {"product": _("%(product)s is no longer sold.") % {"product": product}}
        )
    if product.currency != order.currency:
        raise ValidationError(
            {
                "product": _("%(product)s is in %(currency)s, the order in %(currency2)s.")
                % {"product": product, "currency": product.currency, "currency2": order.currency}
            }
        )
    price = product.list_price if unit_price is None else unit_price
    line = OrderLine(
        order=order,
        product=product,
        quantity=quantity,
        unit_price=price,
        line_total=money_round(quantity * price, order.currency),
    )
    line.full_clean(exclude=["order"])
    return line


def order_create(
    *,
    actor: User,
    account: Account,
    data: dict[str, Any],
    lines: Iterable[dict[str, Any]] = (),
) -> Order:
    """An order with its lines (each: product, quantity and, if agreed, unit_price)."""
    _check_can_edit(actor, account, "orders")
    order = _fill(Order(account=account, created_by=actor), ORDER_FIELDS, data)
    _check_same_account(account=account, field="contract", record=order.contract)
    order.full_clean()
    drafts = [_order_line(order=order, **line) for line in lines]
    with transaction.atomic():
        order.save()
        for line in drafts:
            line.order = order
        OrderLine.objects.bulk_create(drafts)
    return order


def _check_order_open(actor: User, order: Order) -> None:
    _check_can_edit(actor, order.account, "orders")
    if order.status in (OrderStatus.DELIVERED, OrderStatus.CANCELLED):
        raise ValidationError(
            _("This order is %(status)s; it no longer changes.")
            % {"status": order.get_status_display().lower()}
        )


def order_update(
    *, actor: User, order: Order, data: dict[str, Any], version: int | None = None
) -> Order:
    _check_order_open(actor, order)
    if "currency" in data and data["currency"] != order.currency and order.lines.exists():
        raise ValidationError({"currency": _("Remove the lines before changing the currency.")})
    return model_update(
        instance=order,
        fields=ORDER_FIELDS,
        data=data,
        version=version,
        check=lambda o: _check_same_account(account=o.account, field="contract", record=o.contract),
    )[0]


def order_line_add(
    *,
    actor: User,
    order: Order,
    product: Product,
    quantity: Decimal,
    unit_price: Decimal | None = None,
) -> OrderLine:
    with transaction.atomic():
        order = _order_locked(order)
        _check_order_open(actor, order)
        if order.status != OrderStatus.RECEIVED:
            raise ValidationError(
                _("Lines are added while the order is received, before it is confirmed.")
            )
        line = _order_line(order=order, product=product, quantity=quantity, unit_price=unit_price)
        line.save()
    return line


def order_line_remove(*, actor: User, line: OrderLine) -> None:
    with transaction.atomic():
        order = _order_locked(line.order)
        _check_order_open(actor, order)
        if order.status != OrderStatus.RECEIVED or line.returns.exists():
            raise ValidationError(
                _("Lines are removed while the order is received, before it is confirmed.")
            )
        line.delete()


def _order_locked(order: Order) -> Order:
    """`order` re-read in place with its account, its row locked until the transaction ends."""
    order.refresh_from_db(
        from_queryset=Order.objects.select_for_update(of=("self",)).select_related("account")
    )
    return order


def _order_confirm(*, actor: User, order: Order) -> Order:
    """Confirm the order if its prices are within the discount rule for the client, or at an
    accepted offer's prices; below them only an approver (not its author) confirms it."""
    with transaction.atomic():
        order = _order_locked(order)
        if not order.lines.exists():
            raise ValidationError(_("Add at least one line before confirming the order."))
        credit_checks_run(
            actor=actor,
            account=order.account,
            order=order,
            amount=_lines_total(order.lines),
            currency=order.currency,
        )
        approved_by = None
        breaches = order_price_breaches(order=order)
        if breaches:
            if not order_can_approve_prices(actor, order):
                raise ValidationError(
                    [
                        "These prices are below what the discount rule allows for this client "
                        "and no accepted offer gave them: the territory's director (or an "
                        "admin) confirms this order, or correct the prices.",
                        *breaches,
                    ]
                )
            approved_by = actor
        return status_move(
            order, by=actor, to=OrderStatus.CONFIRMED, prices_approved_by=approved_by
        )


def order_move(*, actor: User, order: Order, to_status: str) -> Order:
    """Confirm, ship or cancel an order (delivery has its own service, with the date)."""
    _check_can_edit(actor, order.account, "orders")
    if to_status == OrderStatus.DELIVERED:
        return order_mark_delivered(actor=actor, order=order)
    if to_status == OrderStatus.CONFIRMED:
        return _order_confirm(actor=actor, order=order)
    return status_move(order, by=actor, to=to_status)


def order_mark_delivered(*, actor: User, order: Order, delivered_date: date | None = None) -> Order:
    _check_can_edit(actor, order.account, "orders")
    delivered_date = delivered_date or timezone.localdate()
    if delivered_date > timezone.localdate():
        raise ValidationError({"delivered_date": _("A delivery date cannot be in the future.")})
    return status_move(order, by=actor, to=OrderStatus.DELIVERED, delivered_date=delivered_date)


# --- Returns ----------------------------------------------------------------------------------


def return_record(
    *,
    actor: User,
    order_line: OrderLine,
    quantity: Decimal,
    reason: str,
    returned_on: date | None = None,
    note: str = "",
) -> Return:
    """Goods sent back or refused; worth the quantity at the line's unit price."""
    order = order_line.order
    _check_can_edit(actor, order.account, "returns")
    if order.status not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise ValidationError(
            _("Only goods of a shipped or delivered order can be returned or refused.")
        )
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero.")})
    if returned_on is not None and returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("A return date cannot be in the future.")})
    with transaction.atomic():
        OrderLine.objects.select_for_update().filter(pk=order_line.pk).first()
        returned = order_line.returns.aggregate(q=Sum("quantity"))["q"] or 0
        left = order_line.quantity - returned
        if quantity > left:
            raise ValidationError(
                {
                    "quantity": _(
                        "Only %(normalize)s of %(normalize2)s can still be returned from this line."
                    )
                    % {
                        "normalize": format(left.normalize(), "f"),
                        "normalize2": format(order_line.quantity.normalize(), "f"),
                    }
                }
            )
        item = Return(
            order_line=order_line,
            quantity=quantity,
            reason=reason,
            note=note,
            returned_on=returned_on or timezone.localdate(),
            recorded_by=actor,
            value=money_round(quantity * order_line.unit_price, order.currency),
        )
        item.full_clean()
        item.save()
    return item


def return_delete(*, actor: User, item: Return) -> None:
    _check_can_edit(actor, item.order_line.order.account, "returns")
    item.delete()


# --- Complaints -------------------------------------------------------------------------------


def complaint_open(*, actor: User, account: Account, data: dict[str, Any]) -> Complaint:
    _check_can_edit(actor, account, "complaints")
    complaint = _fill(Complaint(account=account, created_by=actor), COMPLAINT_FIELDS, data)
    if not complaint.opened_on:
        complaint.opened_on = timezone.localdate()
    _check_contact(complaint.contact, account)
    return save_validated(complaint)


def _check_contact(contact: Contact | None, account: Account) -> None:
    if contact is not None and contact.account_id != account.pk:
        raise ValidationError({"contact": _("Choose a person who works at this account.")})


def complaint_update(
    *, actor: User, complaint: Complaint, data: dict[str, Any], version: int | None = None
) -> Complaint:
    _check_can_edit(actor, complaint.account, "complaints")
    return model_update(
        instance=complaint,
        fields=COMPLAINT_FIELDS,
        data=data,
        version=version,
        check=lambda c: _check_contact(c.contact, c.account),
    )[0]


def complaint_move(*, actor: User, complaint: Complaint, to_status: str) -> Complaint:
    """Start work on a complaint or reopen it (resolving has its own service)."""
    _check_can_edit(actor, complaint.account, "complaints")
    if to_status == Complaint.Status.RESOLVED:
        return complaint_resolve(actor=actor, complaint=complaint, resolution=complaint.resolution)
    return status_move(complaint, by=actor, to=to_status, resolved_on=None)


def complaint_resolve(
    *, actor: User, complaint: Complaint, resolution: str, resolved_on: date | None = None
) -> Complaint:
    _check_can_edit(actor, complaint.account, "complaints")
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the complaint was resolved.")})
    return status_move(
        complaint,
        by=actor,
        to=Complaint.Status.RESOLVED,
        resolution=resolution.strip(),
        resolved_on=resolved_on or timezone.localdate(),
    )


def complaint_delete(*, actor: User, complaint: Complaint) -> None:
    if not access.account_can_reassign(actor, complaint.account):
        raise PermissionDenied(_("Only a director or an admin can delete a complaint."))
    complaint.delete()
