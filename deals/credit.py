"""The credit check hook: apps above deals (receivables) may refuse an offer or an order.

Deals knows nothing of invoices or credit limits. It calls `credit_checks_run` when an offer is
sent and when an order is confirmed — every path to those two moves goes through
`deals.services.offer_send` and `deals.services.order_move` — and each registered check may
raise `CreditBlocked`. A check is registered once, from its app's `AppConfig.ready()`:

    from deals.credit import credit_check_register
    credit_check_register(my_check)

and is called with keyword arguments: `actor`, `account`, `offer` or `order` (the other None),
`amount` and `currency` (the document's total).

Two page hooks let the same app show its side where deals shows offers, each a callable that
returns a dict with a `template` to include (and its own context), or None:
- `offer_panel_register(fn)`: `fn(user=, offer=)` on the offer page (the credit picture before
  sending);
- `approval_panel_register(fn, count=)`: `fn(user=)` on "Offers to approve" (credit overrides
  waiting beside the discounts, so a director decides both in one place); `count(user=)`
  returns a queryset of ids of what waits, which the menu counts with the offers in one query.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

_checks: list[Callable[..., None]] = []
_offer_panels: list[Callable[..., dict[str, Any] | None]] = []
_approval_panels: list[Callable[..., dict[str, Any] | None]] = []
_approval_counts: list[Callable[..., Any]] = []


class CreditBlocked(ValidationError):
    """The document may not go ahead on credit grounds; the messages say why and what to do."""

    def __init__(self, messages: list[str]):
        super().__init__(messages, code="credit_blocked")


def credit_check_register(check: Callable[..., None]) -> Callable[..., None]:
    if check not in _checks:
        _checks.append(check)
    return check


def offer_panel_register(panel: Callable[..., dict[str, Any] | None]):
    if panel not in _offer_panels:
        _offer_panels.append(panel)
    return panel


def approval_panel_register(panel: Callable[..., dict[str, Any] | None], *, count=None):
    if panel not in _approval_panels:
        _approval_panels.append(panel)
    if count is not None and count not in _approval_counts:
        _approval_counts.append(count)
    return panel


def credit_checks_run(
    *, actor, account, amount: Decimal, currency: str, offer=None, order=None
) -> None:
    for check in _checks:
        check(
            actor=actor, account=account, offer=offer, order=order, amount=amount, currency=currency
        )


def offer_panels(*, user, offer) -> list[dict[str, Any]]:
    return [p for p in (panel(user=user, offer=offer) for panel in _offer_panels) if p]


def approval_panels(*, user) -> list[dict[str, Any]]:
    return [p for p in (panel(user=user) for panel in _approval_panels) if p]


def approval_count_querysets(*, user) -> list:
    return [count(user=user) for count in _approval_counts]
