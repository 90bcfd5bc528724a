"""Signals receivables sends so apps above it can act without being imported."""

from django.dispatch import Signal

# Sent after the nightly dunning run commits, with `letters`: a list of (account_id, level_id,
# day, send_to) for each account that reached a level whose channel is a letter or an e-mail,
# `send_to` the billing contact's id when the letter is e-mailed (else None: finance sends it),
# and `actor`, who the run acts for. Reports prepares and sends them (reports/handlers.py).
dunning_letters_due = Signal()

# Sent inside the transaction that cancels an invoice, with `invoice_id` and `cancelled_on` (the
# local date): commissions claws back what the invoice earned, in the period of that date.
invoice_cancelled = Signal()
