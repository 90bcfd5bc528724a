"""Account dossier brief: one account on a few pages, for a KAM before a visit: the profile,
contacts and the influence map, money (balance, overdue, credit, how it pays), its owner's plan
this month and what it brought to it, open deals and complaints, the recent timeline."""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from accounts.selectors import account_dossier
from activities.selectors import account_activity
from commissions.selectors.fulfilment import period_of
from deals.selectors import account_panel
from receivables.selectors.pages import account_money
from team import access

from ..pdf import file_slug, pdf_render
from ..registry import ReportKind, register
from .plan_fulfilment import account_against_plan

TIMELINE_ENTRIES = 25


class AccountBriefForm(forms.Form):
    account = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def authorize(user, parameters):
    account = Account.objects.select_related("owner", "territory").get_for_user(
        user, parameters["account"]
    )
    # The brief is made of dossier notes, contacts and activities: private to sales.
    if not access.is_sales(user):
        raise PermissionDenied(
            _("The dossier brief holds private notes, which your role does not see.")
        )
    return account


def render(job, progress):
    user = job.requested_by
    account = Account.objects.select_related("owner", "territory").get_for_user(
        user, job.parameters["account"]
    )
    dossier = account_dossier(user=user, account=account)
    progress(30)
    activity = account_activity(
        user=user,
        account=dossier.account,
        zone=timezone.get_current_timezone(),
    )
    panel = account_panel(user=user, account=dossier.account)
    money = account_money(user=user, account=dossier.account)
    month = period_of(day=timezone.localdate(job.as_of))
    plan = account_against_plan(account=dossier.account, start=month.start, end=month.end)
    progress(60)
    return pdf_render(
        "reports/pdf/account_brief.html",
        {
            "dossier": dossier,
            "account": dossier.account,
            "timeline": activity.timeline[:TIMELINE_ENTRIES],
            "activity": activity,
            "panel": panel,
            "money": money,
            "plan": plan,
            "start": month.start,
            "last_day": month.end - timedelta(days=1),
            "job": job,
        },
        filename=f"dossier-brief-{file_slug(account.name, account.pk)}-"
        f"{timezone.localdate(job.as_of):%Y-%m-%d}.pdf",
    )


register(
    ReportKind(
        slug="account_brief",
        title=_("Dossier brief"),
        form=AccountBriefForm,
        authorize=authorize,
        describe=lambda account, parameters: account.name,
        render=render,
        button=lambda user, account: {"account": account.pk} if access.is_sales(user) else None,
    )
)
