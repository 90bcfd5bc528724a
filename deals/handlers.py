"""Deals' answers to lower apps' signals (core/signals.py); connected in DealsConfig.ready."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from core.signals import HandedOver, account_handed_over, exchange_rates_saved

from .models import OPEN_STAGES, Deal
from .services import order_rates_fill


@receiver(account_handed_over, dispatch_uid="deals_open_deals_follow_the_account")
def open_deals_follow_the_account(*, account, from_user_id, to_user_id, actor, **kwargs):
    """The new owner takes over the account's open deals, so approvals and reminders follow
    the account, not the KAM who left it. Each save writes the deal's history row."""
    deals = list(
        Deal.objects.select_for_update().filter(
            account=account, owner_id=from_user_id, stage__in=OPEN_STAGES
        )
    )
    for deal in deals:
        deal.owner_id = to_user_id
        deal.version += 1  # an edit form opened before the handover must not undo it
        deal.save(update_fields=["owner", "version"])
    return HandedOver(what=_("open deals"), count=len(deals))


@receiver(exchange_rates_saved, dispatch_uid="deals_orders_take_a_rate_entered_later")
def orders_take_a_rate_entered_later(*, rates, **kwargs) -> None:
    order_rates_fill(rates=rates)
