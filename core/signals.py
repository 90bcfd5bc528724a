"""Signals lower apps send so higher ones can react without being imported (Oscar's
`order_status_changed`)."""

from dataclasses import dataclass

from django.dispatch import Signal

# Sent by accounts inside the transaction that gives an account a new owner, with
# `account`, `from_user_id`, `to_user_id` and `actor`. Every app with open work on accounts
# (deals: open deals; activities: planned visits and calls) moves it to the new owner and
# returns a `HandedOver` saying what it moved.
account_handed_over = Signal()


@dataclass(frozen=True)
class HandedOver:
    what: str  # e.g. "open deals"
    count: int
