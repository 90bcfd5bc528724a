"""Signals lower apps send so higher ones can react without being imported (Oscar's
`order_status_changed`)."""

from dataclasses import dataclass

from django.dispatch import Signal

# Sent by accounts inside the transaction that gives an account a new owner, with
# `account`, `from_user_id`, `to_user_id` and `actor`. Every app with open work on accounts
# (deals: open deals; activities: planned visits and calls) moves it to the new owner and
# returns a `HandedOver` saying what it moved.
account_handed_over = Signal()

# Sent by core.rates inside the transaction that saved exchange rates (one entered by hand, or
# a whole import), with `rates`: (currency, quote_currency, day) tuples. An app whose
# documents freeze a rate fills the ones that had none for that currency and date yet; a rate
# already frozen is never changed.
exchange_rates_saved = Signal()


@dataclass(frozen=True)
class HandedOver:
    what: str  # e.g. "open deals"
    count: int
