"""Page data for the receivables pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.eu import vat
from stdnum.pl import nip

from accounts.models import Account
from core.history import HistoryEntry, history_entries
from core.money import money_round
from deals.models import Order, OrderStatus
from team.models import User

from ..access import can_log_collection, can_manage_money
from ..models import (
    OPEN_INVOICE_STATUSES,
    Allocation,
    CollectionAction,
    CreditNote,
    CreditOverride,
    CreditProfile,
    CreditProposal,
    DunningLevel,
    Invoice,
    InvoiceLine,
    Payment,
)
from .aging import Aging, aging, behaviour
from .credit import Exposure, exposure

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
PAYMENT_SCORE_OK = Decimal(80)  # % of the money paid on time that counts as a good history
ZERO = Decimal("0.00")


def invoices_for_listing(*, user: User) -> QuerySet[Invoice]:
    """Invoices `user` may see, with what the list shows: one query per page. Overdue ones
    first (what finance chases), then by due date, the oldest first."""
    overdue = When(status__in=OPEN_INVOICE_STATUSES, due_date__lt=timezone.localdate(), then=0)
    return (
        Invoice.objects.visible_to(user)
        .select_related("account__owner")
        .annotate(
            open_now=ExpressionWrapper(
                F("gross_total") - F("credited_total") - F("paid_total"), output_field=MONEY_FIELD
            )
        )
        .order_by(Case(overdue, default=Value(1)), "due_date", "pk")
    )


@dataclass
class InvoicePage:
    invoice: Invoice
    lines: list[InvoiceLine]
    allocations: list[Allocation]
    credit_notes: list[CreditNote]
    collection: list[CollectionAction]
    history: list[HistoryEntry]
    days_overdue: int
    margin: Decimal
    can_manage: bool
    can_log: bool


def invoice_page(*, user: User, pk: int) -> InvoicePage:
    """Seven queries: the invoice, its lines, allocations, credit notes, collection, history."""
    invoice = Invoice.objects.select_related(
        "account__owner", "order", "contract", "dunning_level", "disputed"
    ).get_for_user(user, pk)
    today = timezone.localdate()
    credits = list(invoice.credit_notes.order_by("issue_date", "pk"))
    credited_cost = sum((c.cost_amount for c in credits), ZERO)
    credited_net = sum((c.net_amount for c in credits), ZERO)
    return InvoicePage(
        invoice=invoice,
        lines=list(invoice.lines.select_related("product")),
        allocations=list(
            invoice.allocations.select_related("payment", "reversal").order_by("effective_on", "pk")
        ),
        credit_notes=credits,
        collection=list(invoice.collection.select_related("by", "level", "complaint")),
        history=history_entries(instance=invoice),
        days_overdue=max(0, (today - invoice.due_date).days)
        if invoice.status in OPEN_INVOICE_STATUSES
        else 0,
        margin=(invoice.net_total - credited_net) - (invoice.cost_total - credited_cost),
        can_manage=can_manage_money(user),
        can_log=can_log_collection(user, invoice.account),
    )


def payments_for_listing(*, user: User) -> QuerySet[Payment]:
    """Payments `user` may see, the newest first (the model's order)."""
    return Payment.objects.visible_to(user).select_related("account", "reversal")


@dataclass
class PaymentPage:
    payment: Payment
    allocations: list[Allocation]
    open_invoices: list[Invoice]
    can_manage: bool


def payment_page(*, user: User, pk: int) -> PaymentPage:
    """Three queries: the payment (with its reversal), its allocations, the account's open
    invoices in its currency (oldest due first), which the allocate form offers."""
    payment = Payment.objects.select_related("account", "reversal").get_for_user(user, pk)
    return PaymentPage(
        payment=payment,
        allocations=list(payment.allocations.select_related("invoice").order_by("pk")),
        open_invoices=list(
            Invoice.objects.filter(
                account_id=payment.account_id,
                currency=payment.currency,
                status__in=OPEN_INVOICE_STATUSES,
            ).order_by("due_date", "issue_date", "pk")[:100]
        ),
        can_manage=can_manage_money(user),
    )


@dataclass(frozen=True)
class ChaseRow:
    account: Account
    currency: str
    overdue: Decimal
    oldest_due: date
    invoices: int
    days: int
    next_level: DunningLevel | None
    open_promise: CollectionAction | None


def to_chase(*, user: User, today: date | None = None, limit: int = 200) -> list[ChaseRow]:
    """Accounts with overdue invoices, biggest and oldest first, with the next dunning step.
    Three queries: the grouped overdue amounts, their accounts, the dunning levels, plus the
    open promises to pay."""
    today = today or timezone.localdate()
    rows = list(
        Invoice.objects.visible_to(user)
        .filter(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today)
        .order_by()
        .values("account_id", "currency")
        .annotate(
            overdue=Sum(F("gross_total") - F("credited_total") - F("paid_total")),
            oldest=Min("due_date"),
            n=Count("pk"),
            level_rank=Max("dunning_level__rank"),
        )
        .order_by("-overdue", "oldest")[:limit]
    )
    accounts = Account.objects.select_related("owner").in_bulk({r["account_id"] for r in rows})
    levels = list(DunningLevel.objects.order_by("rank"))
    promises = {
        p.account_id: p
        for p in CollectionAction.objects.filter(
            account_id__in=accounts,
            kind=CollectionAction.Kind.PROMISE,
            promise_state=CollectionAction.PromiseState.OPEN,
        ).order_by("promised_on")
    }
    result = []
    for row in rows:
        days = (today - row["oldest"]).days
        reached = row["level_rank"] or 0
        due_next = next(
            (lv for lv in levels if lv.rank > reached and lv.days_after_due <= days), None
        ) or next((lv for lv in levels if lv.rank > reached), None)
        result.append(
            ChaseRow(
                account=accounts[row["account_id"]],
                currency=row["currency"],
                overdue=money_round(row["overdue"], row["currency"]),
                oldest_due=row["oldest"],
                invoices=row["n"],
                days=days,
                next_level=due_next,
                open_promise=promises.get(row["account_id"]),
            )
        )
    return result


def credit_profiles_for_listing(*, user: User) -> QuerySet[CreditProfile]:
    open_amount = (
        Invoice.objects.filter(
            account=OuterRef("account"),
            currency=OuterRef("currency"),
            status__in=OPEN_INVOICE_STATUSES,
        )
        .order_by()
        .values("account")
        .annotate(s=Sum(F("gross_total") - F("credited_total") - F("paid_total")))
        .values("s")
    )
    return (
        CreditProfile.objects.visible_to(user)
        .select_related("account__owner", "set_by")
        .annotate(open_invoices=Coalesce(Subquery(open_amount, output_field=MONEY_FIELD), ZERO))
        .order_by("account__name")
    )


def overrides_for_listing(*, user: User) -> QuerySet[CreditOverride]:
    return CreditOverride.objects.visible_to(user).select_related(
        "account", "offer__deal", "order", "requested_by", "decided_by"
    )


def orders_to_invoice(*, user: User) -> QuerySet[Order]:
    """Delivered orders with no invoice yet, oldest delivery first."""
    return (
        Order.objects.visible_to(user)
        .filter(status=OrderStatus.DELIVERED, invoices__isnull=True)
        .annotate(total=Sum("lines__line_total"))
        .order_by("delivered_date", "pk")
    )


def account_credit(*, account: Account) -> CreditProfile | None:
    return CreditProfile.objects.filter(account=account).select_related("set_by").first()


def account_unallocated(*, account: Account) -> dict[str, Decimal]:
    """The account's credit: payments not allocated (and not reversed), per currency."""
    rows = (
        Payment.objects.filter(account=account, reversal__isnull=True)
        .filter(allocated_total__lt=F("amount"))
        .order_by()
        .values("currency")
        .annotate(s=Sum(F("amount") - F("allocated_total")))
    )
    return {r["currency"]: money_round(r["s"], r["currency"]) for r in rows}


def last_payment(*, account: Account) -> Payment | None:
    return (
        Payment.objects.filter(account=account, reversal__isnull=True)
        .order_by("-received_on", "-pk")
        .first()
    )


@dataclass
class MoneyPanel:
    """The account page's Money panel: what the client owes, how it pays, its credit."""

    account: Account
    aging: Aging
    behaviour: dict
    profile: CreditProfile | None
    exposure: Exposure
    last_payment: Payment | None
    credit: dict[str, Decimal]
    next_level: DunningLevel | None
    oldest_overdue: date | None
    open_promise: CollectionAction | None
    can_manage: bool
    can_log: bool
    checklist: list["Check"] = field(default_factory=list)

    @property
    def available(self) -> Decimal | None:
        if self.profile is None or self.profile.credit_limit is None:
            return None
        return self.profile.credit_limit - self.exposure.total

    @property
    def figures(self):
        """The behaviour in the limit's currency (or the first there is)."""
        currency = self.profile.currency if self.profile else None
        return self.behaviour.get(currency) or next(iter(self.behaviour.values()), None)


@dataclass(frozen=True)
class Check:
    """One point of the creditworthiness checklist (duty 2.5)."""

    label: str
    ok: bool
    detail: str = ""


def tax_id_valid(tax_id: str | None) -> bool:
    """A Polish NIP (with or without "PL") or an EU VAT number with a valid check digit,
    checked offline with python-stdnum."""
    if not tax_id:
        return False
    compact = tax_id.replace(" ", "").replace("-", "").upper()
    return nip.is_valid(compact.removeprefix("PL")) or vat.is_valid(compact)


def creditworthiness(*, account: Account, figures, profile, today: date) -> list[Check]:
    """Tax ID, financial indicators of last year, payment history, review date. One query."""
    last_year = today.year - 1
    has_financials = account.financials.filter(year__gte=last_year).exists()
    share = figures.on_time_share if figures else None
    return [
        Check(_("Tax ID valid"), tax_id_valid(account.tax_id), account.tax_id or _("none")),
        Check(
            _("Financial indicators of %(y)s or later") % {"y": last_year},
            has_financials,
        ),
        Check(
            _("Payment history (on time, 12 months)"),
            share is not None and share >= PAYMENT_SCORE_OK,
            f"{share} %" if share is not None else _("no payments yet"),
        ),
        Check(
            _("Credit review up to date"),
            bool(profile and profile.next_review and profile.next_review > today),
            str(profile.next_review) if profile and profile.next_review else _("not set"),
        ),
    ]


def account_money(*, user: User, account: Account, today: date | None = None) -> MoneyPanel:
    """Fourteen queries whatever the number of invoices: the credit profile, the overdue
    invoices' oldest due date and level reached, the dunning levels, aging (1), DSO and
    payment behaviour (3), exposure (3), the last payment, the unallocated credit, the open
    promise to pay, the financial indicators (checklist)."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.filter(account=account)
    profile = account_credit(account=account)
    overdue = invoices.filter(status__in=OPEN_INVOICE_STATUSES, due_date__lt=today).aggregate(
        oldest=Min("due_date"), reached=Max("dunning_level__rank")
    )
    levels = list(DunningLevel.objects.order_by("rank"))
    next_level = None
    if overdue["oldest"]:
        days = (today - overdue["oldest"]).days
        reached = overdue["reached"] or 0
        next_level = next(
            (lv for lv in levels if lv.rank > reached and lv.days_after_due <= days), None
        )
    figures = behaviour(invoices=invoices, as_of=today)
    limit_currency = profile.currency if profile else account.currency
    panel = MoneyPanel(
        account=account,
        aging=aging(invoices=invoices, as_of=today),
        behaviour=figures,
        profile=profile,
        exposure=exposure(account=account, currency=limit_currency, as_of=today),
        last_payment=last_payment(account=account),
        credit=account_unallocated(account=account),
        next_level=next_level,
        oldest_overdue=overdue["oldest"],
        open_promise=CollectionAction.objects.filter(
            account=account,
            kind=CollectionAction.Kind.PROMISE,
            promise_state=CollectionAction.PromiseState.OPEN,
        )
        .order_by("promised_on")
        .first(),
        can_manage=can_manage_money(user),
        can_log=can_log_collection(user, account),
    )
    panel.checklist = creditworthiness(
        account=account, figures=panel.figures, profile=profile, today=today
    )
    return panel


def holds_awaiting(*, user) -> list[CollectionAction]:
    """Holds the sales side asked for that finance has not decided, oldest first (finance and
    admins only: they decide). One query."""
    if not can_manage_money(user):
        return []
    return list(
        CollectionAction.objects.visible_to(user)
        .filter(kind=CollectionAction.Kind.HOLD, hold_state=CollectionAction.HoldState.REQUESTED)
        .select_related("account", "invoice", "by")
        .order_by("created_at", "pk")
    )


def proposals_awaiting(*, user) -> list[CreditProposal]:
    """Credit limits directors proposed, waiting for finance (finance and admins see them to
    decide; a director sees their own). One query."""
    proposals = CreditProposal.objects.visible_to(user).filter(status=CreditProposal.Status.PENDING)
    if not can_manage_money(user):
        proposals = proposals.filter(proposed_by=user)
    return list(proposals.select_related("account", "proposed_by").order_by("proposed_at"))
