"""Credit exposure, available credit and the credit check's verdict, in a fixed few queries.

Exposure, in the limit's currency:
- open invoices (gross, not yet due + overdue);
- orders received, confirmed, shipped or delivered that have no invoice yet (net line totals);
- offers approved or sent, on deals neither won nor lost (net line totals, the latest such
  version per deal only, so a revised offer is not counted twice).
Available credit = limit - exposure. Documents in another currency than the limit are not
converted: they are listed apart, and a document in another currency cannot pass the limit rule
(the check says so, and an override decides).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, F, Min, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from core.money import money_round
from deals.models import CLOSED_STAGES, Offer, OfferLine, OfferStatus, OrderLine, OrderStatus
from team import access

from ..models import OPEN_INVOICE_STATUSES, CreditOverride, CreditProfile, CreditStatus, Invoice

ZERO = Decimal("0.00")
EXPOSED_ORDER_STATUSES = [
    OrderStatus.RECEIVED,
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
]
EXPOSED_OFFER_STATUSES = [OfferStatus.APPROVED, OfferStatus.SENT]
WATCH_HEADROOM = Decimal("0.2")  # amber when less than 20 % of the limit would be left


@dataclass(frozen=True)
class Component:
    label: str
    amount: Decimal
    url: str


@dataclass
class Exposure:
    currency: str
    not_due: Decimal
    overdue: Decimal
    orders: Decimal
    offers: Decimal
    oldest_due: date | None = None  # of any open invoice, in any currency
    components: list[Component] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.not_due + self.overdue + self.orders + self.offers


def _profile(account: Account) -> CreditProfile | None:
    return CreditProfile.objects.filter(account=account).select_related("set_by").first()


def _open_invoice_sums(*, account: Account, currency: str, today: date) -> dict:
    """Open amounts not due and overdue, and the oldest overdue due date (any currency, for
    the overdue rule): one query."""
    open_amount = F("gross_total") - F("credited_total") - F("paid_total")
    in_currency = Q(currency=currency)
    return Invoice.objects.filter(account=account, status__in=OPEN_INVOICE_STATUSES).aggregate(
        not_due=Sum(open_amount, filter=in_currency & Q(due_date__gte=today)),
        overdue=Sum(open_amount, filter=in_currency & Q(due_date__lt=today)),
        oldest_due=Min("due_date"),
    )


def exposure(
    *,
    account: Account,
    currency: str,
    as_of: date | None = None,
    without_offer: Offer | None = None,
    without_order=None,
) -> Exposure:
    """What `account` owes or has committed to in `currency`. Three queries."""
    today = as_of or timezone.localdate()
    invoices = _open_invoice_sums(account=account, currency=currency, today=today)
    order_lines = OrderLine.objects.filter(
        order__account=account,
        order__currency=currency,
        order__status__in=EXPOSED_ORDER_STATUSES,
        order__invoices__isnull=True,
    )
    if without_order is not None:
        order_lines = order_lines.exclude(order=without_order)
    newer_exposed = Offer.objects.filter(
        deal=OuterRef("offer__deal"),
        version__gt=OuterRef("offer__version"),
        status__in=EXPOSED_OFFER_STATUSES,
    )
    offer_lines = OfferLine.objects.filter(
        offer__deal__account=account,
        offer__currency=currency,
        offer__status__in=EXPOSED_OFFER_STATUSES,
    ).exclude(offer__deal__stage__in=CLOSED_STAGES)
    offer_lines = offer_lines.exclude(Exists(newer_exposed))
    if without_offer is not None:
        offer_lines = offer_lines.exclude(offer__deal=without_offer.deal_id)
    result = Exposure(
        currency=currency,
        oldest_due=invoices["oldest_due"],
        not_due=money_round(invoices["not_due"] or ZERO, currency),
        overdue=money_round(invoices["overdue"] or ZERO, currency),
        orders=money_round(order_lines.aggregate(s=Sum("line_total"))["s"] or ZERO, currency),
        offers=money_round(offer_lines.aggregate(s=Sum("line_total"))["s"] or ZERO, currency),
    )
    invoices_url = reverse("receivables:invoice_list") + f"?account={account.pk}&open=true"
    result.components = [
        Component(_("Invoices not yet due"), result.not_due, invoices_url + "&overdue=false"),
        Component(_("Overdue invoices"), result.overdue, invoices_url + "&overdue=true"),
        Component(
            _("Orders not yet invoiced"),
            result.orders,
            reverse("deals:order_list") + f"?account={account.pk}",
        ),
        Component(
            _("Offers sent or approved"),
            result.offers,
            reverse("deals:deal_list") + f"?account={account.pk}",
        ),
    ]
    return result


@dataclass(frozen=True)
class Freeing:
    """Invoices whose payment would bring the account back under its limit."""

    numbers: list[str]
    amount: Decimal
    currency: str


@dataclass
class CreditPicture:
    """Limit, exposure, this document and what would be left: the offer page and the check."""

    profile: CreditProfile | None
    exposure: Exposure
    document: Decimal
    currency: str
    reasons: list[str]
    freeing: Freeing | None = None

    @property
    def limit(self) -> Decimal | None:
        return self.profile.credit_limit if self.profile else None

    @property
    def available(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.exposure.total

    @property
    def available_after(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.exposure.total - self.document

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)

    @property
    def light(self) -> str:
        """red = blocked; amber = on watch or little headroom left; green otherwise."""
        if self.blocked:
            return "red"
        if self.profile and self.profile.status == CreditStatus.WATCH:
            return "amber"
        if self.limit and self.available_after < self.limit * WATCH_HEADROOM:
            return "amber"
        return "green"


def credit_picture(
    *,
    account: Account,
    amount: Decimal,
    currency: str,
    offer: Offer | None = None,
    order=None,
    today: date | None = None,
) -> CreditPicture:
    """The credit check's verdict on a document of `amount` for `account`. Four queries (one
    more to name the oldest invoice when one is too long overdue, one more to say which
    invoices would free headroom when over the limit).

    Blocked when the account is on hold, when exposure + this document is over the limit, or
    when any invoice is more than RECEIVABLES_CREDIT_BLOCK_OVERDUE_DAYS days overdue.
    """
    today = today or timezone.localdate()
    profile = _profile(account)
    limit_currency = profile.currency if profile else currency
    current = exposure(
        account=account,
        currency=limit_currency,
        as_of=today,
        without_offer=offer,
        without_order=order,
    )
    reasons = []
    if profile and profile.status == CreditStatus.HOLD:
        reasons.append(_("The account is on credit hold."))
    if profile and profile.credit_limit is not None:
        if currency != profile.currency:
            reasons.append(
                _("This document is in %(doc)s; the credit limit is in %(limit)s.")
                % {"doc": currency, "limit": profile.currency}
            )
        elif current.total + amount > profile.credit_limit:
            reasons.append(
                _(
                    "Exposure %(exp)s + this document %(doc)s = %(sum)s %(cur)s, over the "
                    "credit limit of %(limit)s %(cur)s."
                )
                % {
                    "exp": current.total,
                    "doc": amount,
                    "sum": current.total + amount,
                    "limit": profile.credit_limit,
                    "cur": currency,
                }
            )
    days = settings.RECEIVABLES_CREDIT_BLOCK_OVERDUE_DAYS
    oldest = None
    if current.oldest_due and current.oldest_due < today - timedelta(days=days):
        oldest = (
            Invoice.objects.filter(
                account=account, status__in=OPEN_INVOICE_STATUSES, due_date=current.oldest_due
            )
            .order_by("pk")
            .values_list("number", "due_date")
            .first()
        )
    if oldest:
        reasons.append(
            _("Invoice %(n)s is %(d)s days overdue (more than %(max)s).")
            % {"n": oldest[0], "d": (today - oldest[1]).days, "max": days}
        )
    picture = CreditPicture(
        profile=profile,
        exposure=current,
        document=amount,
        currency=limit_currency,
        reasons=reasons,
    )
    if picture.available_after is not None and picture.available_after < 0:
        picture.freeing = _freeing(
            account=account, currency=limit_currency, need=-picture.available_after
        )
    return picture


def _freeing(*, account: Account, currency: str, need: Decimal) -> Freeing | None:
    """The oldest open invoices whose payment frees at least `need`. One query, capped."""
    rows = (
        Invoice.objects.filter(account=account, currency=currency, status__in=OPEN_INVOICE_STATUSES)
        .order_by("due_date", "pk")
        .values_list("number", "gross_total", "credited_total", "paid_total")[:50]
    )
    numbers, freed = [], ZERO
    for number, gross, credited, paid in rows:
        numbers.append(number)
        freed += gross - credited - paid
        if freed >= need:
            return Freeing(numbers=numbers, amount=freed, currency=currency)
    return None


def approved_override(*, offer: Offer | None, order, amount: Decimal) -> CreditOverride | None:
    """An approved override for this very document at no less than `amount`."""
    overrides = CreditOverride.objects.filter(
        status=CreditOverride.Status.APPROVED, amount__gte=amount
    )
    overrides = (
        overrides.filter(offer=offer) if offer is not None else overrides.filter(order=order)
    )
    return overrides.order_by("-decided_at").first()


def pending_override(*, offer: Offer | None, order) -> CreditOverride | None:
    overrides = CreditOverride.objects.filter(status=CreditOverride.Status.PENDING)
    overrides = (
        overrides.filter(offer=offer) if offer is not None else overrides.filter(order=order)
    )
    return overrides.first()


# --- Where deals shows offers (deals.credit hooks) --------------------------------------------

PRE_SEND_STATUSES = [OfferStatus.DRAFT, OfferStatus.PENDING_APPROVAL, OfferStatus.APPROVED]


def overrides_awaiting(user):
    """Overrides `user` may decide: a director their territory's, finance and admins all;
    never their own request."""
    if not (user.is_director or user.is_finance or user.is_admin_role):
        return CreditOverride.objects.none()
    return (
        CreditOverride.objects.visible_to(user)
        .filter(status=CreditOverride.Status.PENDING)
        .exclude(requested_by=user)
        .select_related("account", "offer__deal", "order", "requested_by")
        .order_by("requested_at")
    )


def approval_credit_count(*, user):
    """What the menu counts beside the offers: the overrides waiting for `user` (ids only)."""
    return overrides_awaiting(user).order_by().values("pk")


def approval_credit_panel(*, user):
    if not (user.is_director or user.is_finance or user.is_admin_role):
        return None
    overrides = list(overrides_awaiting(user))
    return {
        "template": "receivables/partials/override_queue.html",
        "overrides": overrides,
        "count": len(overrides),
        "next": "approvals",
    }


def offer_credit_panel(*, user, offer):
    """The credit picture on an offer not sent yet: limit, exposure, this offer, what is left.
    Six queries: the offer's total, the credit picture (four), its overrides."""
    if offer.status not in PRE_SEND_STATUSES:
        return None
    amount = sum(offer.lines.values_list("line_total", flat=True), ZERO)
    picture = credit_picture(
        account=offer.deal.account, amount=amount, currency=offer.currency, offer=offer
    )
    overrides = list(
        CreditOverride.objects.filter(offer=offer)
        .exclude(status=CreditOverride.Status.REJECTED)
        .select_related("decided_by")
        .order_by("-requested_at")
    )
    approved = next(
        (o for o in overrides if o.status == CreditOverride.Status.APPROVED and o.amount >= amount),
        None,
    )
    pending = next((o for o in overrides if o.status == CreditOverride.Status.PENDING), None)
    return {
        "template": "receivables/partials/offer_credit.html",
        "picture": picture,
        "offer": offer,
        "approved": approved,
        "pending": pending,
        "can_request": picture.blocked
        and not approved
        and not pending
        and access.account_can_edit(user, offer.deal.account),
    }
