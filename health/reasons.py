"""The reason behind a component, in words, in the reader's language (the score stores codes
and figures, so a score computed at night reads in Polish to a Polish user)."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

COMPONENT_LABELS = {
    "revenue_trend": gettext_lazy("Revenue trend"),
    "share_of_wallet": gettext_lazy("Share of wallet"),
    "relationship": gettext_lazy("Relationship"),
    "payment": gettext_lazy("Payment behaviour"),
    "service": gettext_lazy("Service"),
    "pipeline": gettext_lazy("Pipeline"),
}


def _n(value) -> str:
    """A share or a number of days: one decimal."""
    return number_format(Decimal(str(value)), 1, force_grouping=True)


def _money(value) -> str:
    return number_format(Decimal(str(value)), 2, force_grouping=True)


def reason_text(reason: dict, currency: str = "") -> str:
    code = reason.get("code", "")
    days = reason.get("days")
    if code == "no_revenue":
        return _("no revenue in the last 24 months")
    if code == "new_revenue":
        return _("%(amount)s %(currency)s in the last 12 months, none in the 12 before") % {
            "amount": _money(reason["recent"]),
            "currency": currency,
        }
    if code == "revenue_change":
        return _(
            "%(change)s %% against the 12 months before (%(recent)s vs %(before)s %(currency)s)"
        ) % {
            "change": ("+" if Decimal(reason["change"]) > 0 else "") + _n(reason["change"]),
            "recent": _money(reason["recent"]),
            "before": _money(reason["before"]),
            "currency": currency,
        }
    if code == "wallet_share":
        return _("%(share)s %% of the estimated potential") % {"share": _n(reason["share"])}
    if code == "wallet_stated":
        return _("share of wallet noted on the account: %(share)s %%") % {
            "share": _n(reason["share"])
        }
    if code == "no_potential":
        return _("potential not estimated")
    if code == "no_decision_maker":
        return _("no decision-maker known")
    if code == "dm_never_contacted":
        return _("no contact with the decision-maker logged")
    if code == "dm_not_contacted":
        return ngettext(
            "no contact with the decision-maker in %(days)d day",
            "no contact with the decision-maker in %(days)d days",
            days,
        ) % {"days": days}
    if code == "no_champion":
        return _("no champion known")
    if code == "cadence_missed":
        if days is None:
            return _("no contact logged")
        return ngettext(
            "last contact %(days)d day ago, cadence %(cadence)d",
            "last contact %(days)d days ago, cadence %(cadence)d",
            days,
        ) % {"days": days, "cadence": reason["cadence"]}
    if code == "relationship_ok":
        return _("champion and decision-maker known, in touch within the cadence")
    if code == "no_payments":
        return _("no payments or open invoices to judge by")
    if code == "overdue_now":
        if days:
            return ngettext(
                "%(amount)s %(currency)s overdue now, the oldest %(days)d day",
                "%(amount)s %(currency)s overdue now, the oldest %(days)d days",
                days,
            ) % {"amount": _money(reason["amount"]), "currency": currency, "days": days}
        return _("%(amount)s %(currency)s overdue now") % {
            "amount": _money(reason["amount"]),
            "currency": currency,
        }
    if code == "paid_record":
        return _("%(on_time)s %% paid on time, %(days)s days late on average") % {
            "on_time": _n(reason["on_time"]),
            "days": _n(reason["days_late"]),
        }
    if code == "complaints_open":
        count = reason["count"]
        return ngettext("%(count)d complaint open", "%(count)d complaints open", count) % {
            "count": count
        }
    if code == "returns_share":
        return _("returns %(share)s %% of revenue") % {"share": _n(reason["share"])}
    if code == "service_ok":
        return _("no open complaints, no returns")
    if code == "pipeline_no_revenue":
        return _("open pipeline but no revenue yet")
    if code == "no_pipeline":
        return _("no open pipeline and no revenue")
    if code == "pipeline_ratio":
        return _("weighted pipeline %(ratio)s %% of last year's revenue") % {
            "ratio": _n(reason["ratio"])
        }
    return ""
