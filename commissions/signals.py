"""Signals commissions sends so the apps above it (reports) can react without being imported."""

from django.dispatch import Signal

# Sent after the transaction that closes a period commits, with `period_id`, `actor_id` and
# `statement_ids`: reports prepares each KAM's statement PDF and e-mails it to them.
period_closed = Signal()
