"""Commissions' section of the account page (core/panels.py): its ABC class, the manual tier
and the class changes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.panels import BOTTOM, Panel

from . import access
from .forms import TierOverrideForm
from .models import AccountClass
from .selectors.abc import live_overrides, tier_history


def account_panels(request, account):
    computed = AccountClass.objects.filter(account=account).first()
    override = live_overrides(account_ids=[account.pk], today=timezone.localdate()).get(account.pk)
    can_override = access.can_override_tier(request.user, account)
    yield Panel(
        title=_("ABC class"),
        template="commissions/plans/partials/account_abc.html",
        context={
            "account": account,
            "computed": computed,
            "override": override,
            "differs": computed is not None and computed.computed != account.tier,
            "changes": list(tier_history(account_ids=[account.pk])[:10]),
            "form": TierOverrideForm() if can_override else None,
        },
        order=60,
        slot=BOTTOM,
        anchor="abc",
    )
