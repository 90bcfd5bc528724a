"""Deals' reminder rules (core/reminders.py): offers about to expire, contracts about to end."""

from collections.abc import Iterator
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.i18n import WEEKDAY_AND_DATE, date_later, lazy_message, lowercase_later
from core.reminders import Reminder, Rule, RuleContext, days_ahead

from .models import LIVE_CONTRACT_STATUSES, Contract, Offer

OFFER_EXPIRING = "offer_expiring"
CONTRACT_ENDING = "contract_ending"
OFFER_NOTICE_DAYS = 3
# Reminded when a live contract has this many days left, or fewer (once per threshold).
CONTRACT_NOTICE_DAYS = (60, 30, 7)
# Offers the client still holds in hand (approved ones are about to be sent).
OPEN_OFFER_STATUSES = [Offer.Status.APPROVED, Offer.Status.SENT]


def offer_expiring(*, ctx: RuleContext) -> Iterator[Reminder]:
    """An offer the client holds that runs out within 3 days, once per offer and end date."""
    offers = Offer.objects.filter(
        ctx.by_local_day("deal__owner", days_ahead("valid_until", OFFER_NOTICE_DAYS)),
        status__in=OPEN_OFFER_STATUSES,
        deal__owner__is_active=True,
    ).select_related("deal__account", "deal__owner")
    for offer in offers:
        yield Reminder(
            recipient_id=offer.deal.owner_id,
            kind=OFFER_EXPIRING,
            subject_type="offer",
            subject_id=offer.pk,
            occasion=offer.valid_until,
            title=lazy_message(
                _("Offer v%(version)s to %(account)s expires on %(date)s"),
                version=offer.version,
                account=offer.deal.account,
                date=date_later(offer.valid_until, WEEKDAY_AND_DATE),
            ),
            body=offer.deal.title,
            url=reverse("deals:offer_detail", args=[offer.pk]),
        )


def contract_ending(*, ctx: RuleContext) -> Iterator[Reminder]:
    """A live contract 60, 30 and 7 days before it ends: once per threshold, even if a run
    is missed (the occasion is the day the threshold was reached)."""
    contracts = Contract.objects.filter(
        ctx.by_local_day("account__owner", days_ahead("end_date", max(CONTRACT_NOTICE_DAYS))),
        status__in=LIVE_CONTRACT_STATUSES,
        account__owner__is_active=True,
    ).select_related("account__owner")
    for contract in contracts:
        today = ctx.local_date(ctx.now, contract.account.owner)
        days_left = (contract.end_date - today).days
        threshold = min(days for days in CONTRACT_NOTICE_DAYS if days >= days_left)
        yield Reminder(
            recipient_id=contract.account.owner_id,
            kind=CONTRACT_ENDING,
            subject_type="contract",
            subject_id=contract.pk,
            occasion=contract.end_date - timedelta(days=threshold),
            title=lazy_message(
                _("Contract %(number)s with %(account)s ends on %(date)s (%(days_left)s days)"),
                number=contract.number,
                account=contract.account,
                date=date_later(contract.end_date, "DATE_FORMAT"),
                days_left=days_left,
            ),
            body=lazy_message(
                _("Renewal: %(renewal)s."),
                renewal=lowercase_later(Contract.Renewal(contract.renewal).label),
            ),
            url=reverse("deals:contract_detail", args=[contract.pk]),
        )


RULES: list[Rule] = [offer_expiring, contract_ending]
