"""The deals panel on the account page."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Account
from team import access
from team.models import User

from ..models import (
    LIVE_CONTRACT_STATUSES,
    OPEN_STAGES,
    Complaint,
    Contract,
    Deal,
    Order,
)
from .common import _weighted
from .orders import _orders_annotated, late_condition

ACCOUNT_PANEL_ORDERS = 10


@dataclass(frozen=True)
class AccountPanel:
    open_deals: list[Deal]
    contracts: list[Contract]
    orders: list[Order]
    complaints: list[Complaint]
    late_orders: int
    can_create: bool


def account_panel(*, user: User, account: Account) -> AccountPanel:
    """Open deals, contracts not yet ended (drafts too: signing is under way), recent orders
    (late ones flagged) and open complaints of one account, for its page. Five queries."""
    orders = list(
        _orders_annotated(Order.objects.filter(account=account)).order_by("-requested_date", "-pk")[
            :ACCOUNT_PANEL_ORDERS
        ]
    )
    return AccountPanel(
        open_deals=list(
            Deal.objects.filter(account=account, stage__in=OPEN_STAGES)
            .select_related("owner")
            .annotate(weighted=_weighted())
            .order_by("expected_close_date", "pk")
        ),
        contracts=list(
            Contract.objects.filter(
                account=account, status__in=[Contract.Status.DRAFT, *LIVE_CONTRACT_STATUSES]
            ).order_by("end_date")
        ),
        orders=orders,
        complaints=list(
            Complaint.objects.filter(account=account)
            .exclude(status=Complaint.Status.RESOLVED)
            .select_related("contact")
        ),
        late_orders=Order.objects.filter(
            late_condition(timezone.localdate()), account=account
        ).count(),
        can_create=access.account_can_edit(user, account),
    )
