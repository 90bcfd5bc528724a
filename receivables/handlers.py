"""Receivables' answers to lower apps' signals (core/signals.py); connected in
ReceivablesConfig.ready."""

from django.dispatch import receiver

from core.signals import exchange_rates_saved

from .services.ledger import reporting_rates_fill


@receiver(exchange_rates_saved, dispatch_uid="receivables_documents_take_a_rate_entered_later")
def documents_take_a_rate_entered_later(*, rates, **kwargs) -> None:
    reporting_rates_fill(rates=rates)
