"""Reads for contracts and their obligations."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from core.history import HistoryEntry, history_entries
from team import access
from team.models import User

from ..models import (
    CONTRACT_FLOW,
    LIVE_CONTRACT_STATUSES,
    Contract,
    ContractObligation,
    Order,
)
from .common import _first_when
from .orders import _orders_annotated

EXPIRY_WINDOWS = (30, 60, 90)


def contracts_for_listing(*, user: User) -> QuerySet[Contract]:
    """Live contracts first, those ending soonest at the top."""
    return (
        Contract.objects.visible_to(user)
        .select_related("account", "deal")
        .order_by(_first_when(Q(status__in=LIVE_CONTRACT_STATUSES)), "end_date", "pk")
    )


def contracts_expiring(queryset: QuerySet[Contract], *, days: int) -> QuerySet[Contract]:
    """Live contracts whose end date falls in the next `days` days (today included)."""
    today = timezone.localdate()
    return queryset.filter(
        status__in=LIVE_CONTRACT_STATUSES,
        end_date__gte=today,
        end_date__lte=today + timedelta(days=days),
    )


@dataclass(frozen=True)
class ContractPage:
    contract: Contract
    obligations: list[ContractObligation]
    orders: list[Order]
    history: list[HistoryEntry]
    moves: list[tuple[str, str]]
    can_edit: bool
    today: date


def contract_page(*, user: User, contract: Contract) -> ContractPage:
    """Three queries after the contract: obligations, orders with totals, history."""
    return ContractPage(
        contract=contract,
        obligations=list(contract.obligations.all()),
        orders=list(_orders_annotated(contract.orders.all())),
        history=history_entries(instance=contract),
        moves=CONTRACT_FLOW.moves_from(contract.status),
        can_edit=access.account_can_edit(user, contract.account),
        today=timezone.localdate(),
    )


def obligations_for_listing(*, user: User) -> QuerySet[ContractObligation]:
    return (
        ContractObligation.objects.visible_to(user)
        .select_related("contract__account")
        .order_by("due_date", "pk")
    )
