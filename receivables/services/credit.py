"""Credit control: limits and terms per account, the credit check, and overrides."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account
from team.models import User

from ..access import check_can_manage_money
from ..models import CreditProfile

CREDIT_PROFILE_FIELDS = (
    "credit_limit",
    "currency",
    "payment_terms_days",
    "status",
    "last_review",
    "next_review",
)


def credit_profile_set(
    *, actor: User, account: Account, data: dict[str, Any], reason: str
) -> CreditProfile:
    """Set an account's credit limit, terms, status or review dates (finance only), saying why.

    Only the fields in `CREDIT_PROFILE_FIELDS` are taken from `data`; every change is kept in
    the profile's history with who made it and the reason.
    """
    check_can_manage_money(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the credit terms change.")})
    unknown = set(data) - set(CREDIT_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("These cannot be set here: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        profile, _created = CreditProfile.objects.select_for_update().get_or_create(
            account=account, defaults={"currency": account.currency}
        )
        for field, value in data.items():
            setattr(profile, field, value)
        profile.reason = reason.strip()
        profile.set_by = actor
        if (
            profile.last_review
            and profile.next_review
            and profile.next_review < profile.last_review
        ):
            raise ValidationError(
                {"next_review": _("The next review cannot come before the last one.")}
            )
        profile.full_clean(exclude=["account", "set_by"])
        profile._change_reason = profile.reason
        profile.save()
    return profile
