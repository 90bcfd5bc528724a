"""Receivables' reminder rules (core/reminders.py): overdue invoices, broken promises to pay,
credit reviews coming due."""

from collections.abc import Iterator
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import lazy_message
from core.reminders import Reminder, Rule, RuleContext, reaches_finance
from team.models import Role, User

from .models import (
    OPEN_INVOICE_STATUSES,
    CollectionAction,
    CreditProfile,
    CreditProposal,
    DunningChannel,
)

INVOICE_OVERDUE = "invoice_overdue"
PROMISE_BROKEN = "promise_broken"
CREDIT_REVIEW = "credit_review"
HOLD_REQUESTED = "hold_requested"
CREDIT_PROPOSED = "credit_proposed"
# Levels and broken promises of the last days: a missed run still reminds, an old one does not.
LOOKBACK_DAYS = 3


def invoice_overdue(*, ctx: RuleContext) -> Iterator[Reminder]:
    """An overdue invoice reached a dunning level: its account's owner, once per invoice per
    level (the occasion is the day the nightly run proposed the level)."""
    since = ctx.now.date() - timedelta(days=LOOKBACK_DAYS)
    steps = CollectionAction.objects.filter(
        kind=CollectionAction.Kind.LEVEL,
        happened_on__gte=since,
        invoice__status__in=OPEN_INVOICE_STATUSES,
        account__owner__is_active=True,
    ).select_related("invoice", "level", "account")
    for step in steps:
        yield Reminder(
            recipient_id=step.account.owner_id,
            kind=INVOICE_OVERDUE,
            subject_type="invoice",
            subject_id=step.invoice_id,
            occasion=step.happened_on,
            title=lazy_message(
                _("Invoice %(n)s of %(a)s is overdue: %(l)s"),
                n=step.invoice.number,
                a=step.account.name,
                l=step.level.name,
            ),
            body=lazy_message(
                _("Due %(d)s; next step by %(c)s."),
                d=step.invoice.due_date.isoformat(),
                c=DunningChannel(step.level.channel).label,
            ),
            url=reverse("receivables:invoice_detail", args=[step.invoice_id]),
        )


@reaches_finance
def promise_broken(*, ctx: RuleContext) -> Iterator[Reminder]:
    """A promise to pay was broken: the account's owner and finance, once per promise."""
    since = ctx.now.date() - timedelta(days=LOOKBACK_DAYS + 1)
    promises = CollectionAction.objects.filter(
        kind=CollectionAction.Kind.PROMISE,
        promise_state=CollectionAction.PromiseState.BROKEN,
        promised_on__gte=since,
    ).select_related("account")
    finance = list(
        User.objects.filter(role=Role.FINANCE, is_active=True).values_list("pk", flat=True)
    )
    for promise in promises:
        for recipient in {promise.account.owner_id, *finance}:
            yield Reminder(
                recipient_id=recipient,
                kind=PROMISE_BROKEN,
                subject_type="collection_action",
                subject_id=promise.pk,
                occasion=promise.promised_on,
                title=lazy_message(
                    _("%(a)s broke its promise to pay %(m)s by %(d)s"),
                    a=promise.account.name,
                    m=promise.promised_amount,
                    d=promise.promised_on.isoformat(),
                ),
                url=reverse("accounts:detail", args=[promise.account_id]),
            )


@reaches_finance
def credit_review_due(*, ctx: RuleContext) -> Iterator[Reminder]:
    """An account's credit review date has come: its owner and finance, once per review
    date."""
    today = ctx.now.date()
    profiles = CreditProfile.objects.filter(
        next_review__lte=today, next_review__gte=today - timedelta(days=LOOKBACK_DAYS)
    ).select_related("account")
    finance = list(
        User.objects.filter(role=Role.FINANCE, is_active=True).values_list("pk", flat=True)
    )
    for profile in profiles:
        for recipient in {profile.account.owner_id, *finance}:
            yield Reminder(
                recipient_id=recipient,
                kind=CREDIT_REVIEW,
                subject_type="credit_profile",
                subject_id=profile.pk,
                occasion=profile.next_review,
                title=lazy_message(_("Credit review of %(a)s is due"), a=profile.account.name),
                url=reverse("receivables:credit_edit", args=[profile.account_id]),
            )


@reaches_finance
def hold_requested(*, ctx: RuleContext) -> Iterator[Reminder]:
    """The account's team asked to put an invoice on hold: finance decides, once per request."""
    holds = CollectionAction.objects.filter(
        kind=CollectionAction.Kind.HOLD, hold_state=CollectionAction.HoldState.REQUESTED
    ).select_related("invoice", "account")
    finance = list(
        User.objects.filter(role=Role.FINANCE, is_active=True).values_list("pk", flat=True)
    )
    for hold in holds:
        for recipient in finance:
            yield Reminder(
                recipient_id=recipient,
                kind=HOLD_REQUESTED,
                subject_type="collection_action",
                subject_id=hold.pk,
                occasion=hold.happened_on,
                title=lazy_message(
                    _("Hold asked for invoice %(n)s of %(a)s until %(d)s"),
                    n=hold.invoice.number,
                    a=hold.account.name,
                    d=hold.hold_until.isoformat(),
                ),
                url=reverse("receivables:invoice_detail", args=[hold.invoice_id]),
            )


@reaches_finance
def credit_proposed(*, ctx: RuleContext) -> Iterator[Reminder]:
    """A director proposed a credit limit: finance decides, once per proposal."""
    proposals = CreditProposal.objects.filter(status=CreditProposal.Status.PENDING).select_related(
        "account"
    )
    finance = list(
        User.objects.filter(role=Role.FINANCE, is_active=True).values_list("pk", flat=True)
    )
    for proposal in proposals:
        for recipient in finance:
            yield Reminder(
                recipient_id=recipient,
                kind=CREDIT_PROPOSED,
                subject_type="credit_proposal",
                subject_id=proposal.pk,
                occasion=timezone.localdate(proposal.proposed_at),
                title=lazy_message(
                    _("Credit limit of %(m)s %(c)s proposed for %(a)s"),
                    m=proposal.credit_limit,
                    c=proposal.currency,
                    a=proposal.account.name,
                ),
                url=reverse("receivables:credit_list") + "#proposals-waiting",
            )


RULES: list[Rule] = [
    invoice_overdue,
    promise_broken,
    credit_review_due,
    hold_requested,
    credit_proposed,
]
