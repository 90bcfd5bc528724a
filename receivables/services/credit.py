"""Credit control: limits and terms per account, the credit check, and overrides."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from deals.credit import CreditBlocked
from deals.models import Offer, Order
from team import access
from team.models import User

from ..access import check_can_manage_money, override_can_decide, proposal_can_make
from ..models import CreditOverride, CreditProfile, CreditProposal
from ..selectors.credit import approved_override, credit_picture, pending_override

CREDIT_PROFILE_FIELDS = (
    "credit_limit",
    "currency",
    "payment_terms_days",
    "status",
    "last_review",
    "next_review",
)


def credit_profile_set(
    *, actor: User, account: Account, data: dict[str, Any], reason: str
) -> CreditProfile:
    """Set an account's credit limit, terms, status or review dates (finance only), saying why.

    Only the fields in `CREDIT_PROFILE_FIELDS` are taken from `data`; every change is kept in
    the profile's history with who made it and the reason.
    """
    check_can_manage_money(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the credit terms change.")})
    unknown = set(data) - set(CREDIT_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be set here: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        # The account row serialises the first profile of an account as well as later changes.
        Account.objects.select_for_update().filter(pk=account.pk).first()
        profile = CreditProfile.objects.filter(account=account).first() or CreditProfile(
            account=account, currency=account.currency
        )
        for field, value in data.items():
            setattr(profile, field, value)
        profile.reason = reason.strip()
        profile.set_by = actor
        if (
            profile.last_review
            and profile.next_review
            and profile.next_review < profile.last_review
        ):
            raise ValidationError(
                {"next_review": _("The next review cannot come before the last one.")}
            )
        profile.full_clean(exclude=["account", "set_by"])
        profile._change_reason = profile.reason
        profile.save()
    return profile


# --- A director proposes, finance decides ---------------------------------------------------


def credit_proposal_create(
    *, actor: User, account: Account, credit_limit: Decimal, currency: str, reason: str
) -> CreditProposal:
    """The director of the account's territory (or an admin) proposes a credit limit; finance
    decides. One proposal waits per account."""
    if not proposal_can_make(actor, account):
        raise PermissionDenied(_("The director of the account's territory proposes limits."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the limit should change.")})
    if credit_limit is None or credit_limit < 0:
        raise ValidationError({"credit_limit": _("Give a limit of zero or more.")})
    proposal = CreditProposal(
        account=account,
        credit_limit=credit_limit,
        currency=currency,
        reason=reason.strip(),
        proposed_by=actor,
    )
    proposal.full_clean(exclude=["account", "proposed_by", "decided_by"])
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        raise ValidationError(_("A proposal for this account is waiting already.")) from None
    return proposal


def credit_proposal_decide(
    *, actor: User, proposal: CreditProposal, approve: bool, comment: str = ""
) -> CreditProposal:
    """Finance approves (the limit is set, audited with the proposal's reason) or rejects."""
    check_can_manage_money(actor)
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Tell the director why the proposal is rejected.")})
    with transaction.atomic():
        locked = CreditProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != CreditProposal.Status.PENDING:
            raise ValidationError(_("This proposal is decided already."))
        locked.status = (
            CreditProposal.Status.APPROVED if approve else CreditProposal.Status.REJECTED
        )
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_comment = comment.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        if approve:
            credit_profile_set(
                actor=actor,
                account=locked.account,
                data={"credit_limit": locked.credit_limit, "currency": locked.currency},
                reason=_("Proposed by %(who)s: %(why)s")
                % {"who": locked.proposed_by, "why": locked.reason},
            )
    return locked


# --- The credit check and overrides -----------------------------------------------------------


def credit_check(*, actor: User, account: Account, offer, order, amount, currency) -> None:
    """Registered with deals (deals.credit): refuses sending an offer or confirming an order
    that the credit rules block, unless finance or the director approved an override for it."""
    picture = credit_picture(
        account=account, amount=amount, currency=currency, offer=offer, order=order
    )
    if not picture.blocked or approved_override(offer=offer, order=order, amount=amount):
        return
    raise CreditBlocked(
        [
            *picture.reasons,
            _("Ask for a credit override: the director of the territory or finance decides."),
        ]
    )


def credit_override_request(
    *, actor: User, reason: str, offer: Offer | None = None, order: Order | None = None
) -> CreditOverride:
    """The KAM asks to let a blocked offer or order through, saying why."""
    document = offer or order
    account = offer.deal.account if offer is not None else order.account
    if not access.account_can_edit(actor, account):
        raise PermissionDenied(_("Only the account's sales team asks for a credit override."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it should go ahead.")})
    lines = document.lines
    amount = sum(lines.values_list("line_total", flat=True), Decimal(0))
    picture = credit_picture(
        account=account, amount=amount, currency=document.currency, offer=offer, order=order
    )
    if not picture.blocked:
        raise ValidationError(_("The credit check does not block this; no override is needed."))
    if approved_override(offer=offer, order=order, amount=amount):
        raise ValidationError(_("An override for this is approved already."))
    with transaction.atomic():
        if pending_override(offer=offer, order=order):
            raise ValidationError(_("An override for this is waiting for a decision already."))
        override = CreditOverride(
            account=account,
            offer=offer,
            order=order,
            amount=amount,
            currency=document.currency,
            blocked_because="\n".join(picture.reasons),
            reason=reason.strip(),
            requested_by=actor,
        )
        override.save()
    return override


def credit_override_decide(
    *, actor: User, override: CreditOverride, approve: bool, comment: str = ""
) -> CreditOverride:
    """The director of the territory or finance approves or rejects an override (audited)."""
    if not override_can_decide(actor, override):
        raise PermissionDenied(
            _("The director of the territory or finance decides; never the one who asked.")
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Tell the KAM why the override is rejected.")})
    with transaction.atomic():
        locked = CreditOverride.objects.select_for_update().get(pk=override.pk)
        if locked.status != CreditOverride.Status.PENDING:
            raise ValidationError(
                {
                    "status": _("This override is decided already (%s).")
                    % locked.get_status_display()
                }
            )
        locked.status = (
            CreditOverride.Status.APPROVED if approve else CreditOverride.Status.REJECTED
        )
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_comment = comment.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    return locked
