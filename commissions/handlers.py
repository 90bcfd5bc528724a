"""Commissions' receivers of lower apps' signals, connected in CommissionsConfig.ready()."""

from datetime import date

from .services.periods import invoice_cancellation_record


def invoice_cancelled(sender, *, invoice_id: int, cancelled_on: date, **kwargs) -> None:
    """Receivables cancelled an invoice: remember when, inside the same transaction, so the
    calculation of that month claws back what the invoice earned."""
    invoice_cancellation_record(invoice_id=invoice_id, on=cancelled_on)
