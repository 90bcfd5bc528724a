"""Writes to contracts and their obligations."""

from datetime import date
from typing import Any

from django.utils import timezone

from accounts.models import Account
from core.services import model_update, save_validated
from core.status import status_move
from team.models import User

from ..models import (
    Contract,
    ContractObligation,
)
from .common import _check_can_edit, _check_same_account, _fill

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
