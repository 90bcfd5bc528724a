"""Writes to deals: create, edit, move through the stages, delete."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from core.concurrency import EditConflict, version_claim
from core.services import model_update
from core.status import status_move
from team import access
from team.models import User

from ..access import (
    deal_can_delete,
    deal_can_edit,
)
from ..models import (
    CLOSED_STAGES,
    STAGE_PROBABILITY,
    Deal,
    DealStage,
    DealStageChange,
)
from .common import _check_can_edit, _fill

DEAL_ASSIGNMENT_FIELDS = ("owner",)


# What a won or lost deal keeps: its figures stay as they were when it closed. Its title, notes
# and next step may still change.
CLOSED_DEAL_FIXED_FIELDS = ("owner", "amount", "currency", "probability", "expected_close_date")


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
