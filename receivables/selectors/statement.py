"""Open items and the statement of account: rows and context ready for a template, an export or
a PDF report (the reports app renders the PDFs from these)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import F, QuerySet, Sum

from accounts.models import Account
from core.money import money_round

from ..models import CreditNote, DunningLevel, Invoice, InvoiceStatus, Payment
from .aging import Aging, _amount, _open_rows, aging, open_as_of

ZERO = Decimal("0.00")
# Within a day: what was asked first, then what lowered it, then what undid a payment.
KIND_ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "reversal": 3}


# The open items' columns, as `_open_rows` names them, and the invoice's field each reads.
ITEM_PATHS = {
    "g_id": "id",
    "g_number": "number",
    "g_account": "account__name",
    "g_tax_id": "account__tax_id",
    "g_kam": "account__owner__username",
    "g_due": "due_date",
    "g_currency": "currency",
    "g_gross": "gross_total",
}


def open_items(*, invoices: QuerySet[Invoice], as_of: date) -> Iterator[list]:
    """One row per invoice open on `as_of`, streamed from the database (for exports):
    number, account, tax ID, KAM, issued, due, days past due, currency, gross, open.

    One statement, the aging's (`_open_rows`): the invoices open now with what they have open,
    and the ledger entries after the day, summed per invoice; as of today there are none, so
    it reads the open invoices through their (status, due_date) index like a plain SELECT of
    them (the `open_as_of` form it replaced scanned every invoice and ran two subqueries for
    each row)."""
    rows_sql, params = _open_rows(invoices, issued_by=as_of, after=as_of, paths=ITEM_PATHS)
    if not rows_sql:
        return
    columns = "g_id, g_number, g_account, g_tax_id, g_kam, g_issue, g_due, g_currency, g_gross"
    sql = (
        f"SELECT {columns}, SUM(g_amount) FROM ({rows_sql}) r "  # noqa: S608 - our own SQL
        f"GROUP BY {columns} HAVING SUM(g_amount) <> 0 ORDER BY g_account, g_due, g_id"
    )
    # A server-side cursor, as QuerySet.iterator() uses, unless the settings turn them off
    # (a transaction-pooling pgbouncer).
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(2000):
            for _id, number, account, tax_id, kam, issued, due, currency, gross, amount in chunk:
                yield [
                    number,
                    account,
                    tax_id,
                    kam,
                    issued,
                    due,
                    max(0, (as_of - due).days),
                    currency,
                    gross,
                    money_round(_amount(amount), currency),
                ]


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str  # invoice / credit_note / payment / reversal
    reference: str
    debit: Decimal
    credit: Decimal


@dataclass
class Statement:
    """An account's statement in one currency for a period: what the client owed at the
    start, what happened, what it owes at the end, and the items still open."""

    account: Account
    currency: str
    start: date
    end: date
    opening: Decimal
    entries: list[Entry]
    closing: Decimal
    open_items: list[Invoice]
    aging: Aging
    unallocated: Decimal = ZERO
    balances: list[Decimal] = field(default_factory=list)

    @property
    def rows(self):
        return list(zip(self.entries, self.balances, strict=True))


def _balance(account: Account, currency: str, day: date) -> Decimal:
    """What the account owed on `day` (invoices less credit notes less payments received, a
    reversed payment counting until its reversal). Four aggregate queries."""
    invoiced = (
        Invoice.objects.filter(account=account, currency=currency, issue_date__lte=day)
        .exclude(status=InvoiceStatus.CANCELLED)
        .aggregate(s=Sum("gross_total"))["s"]
        or ZERO
    )
    credited = (
        CreditNote.objects.filter(
            account=account, currency=currency, issue_date__lte=day
        ).aggregate(s=Sum("gross_amount"))["s"]
        or ZERO
    )
    received = (
        Payment.objects.filter(account=account, currency=currency, received_on__lte=day).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    reversed_ = (
        Payment.objects.filter(
            account=account, currency=currency, reversal__reversed_on__lte=day
        ).aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return money_round(invoiced - credited - received + reversed_, currency)


def statement_balance(*, account: Account, currency: str, day: date) -> Decimal:
    """What the account owed on `day` by our books (the statement's closing balance)."""
    return _balance(account, currency, day)


def statement(*, account: Account, currency: str, start: date, end: date) -> Statement:
    """The statement of account from `start` to `end` (inclusive). A fixed dozen queries."""
    opening = _balance(account, currency, date.fromordinal(start.toordinal() - 1))
    entries = [
        Entry(i.issue_date, "invoice", i.number, i.gross_total, ZERO)
        for i in Invoice.objects.filter(
            account=account, currency=currency, issue_date__range=(start, end)
        ).exclude(status=InvoiceStatus.CANCELLED)
    ]
    entries += [
        Entry(c.issue_date, "credit_note", c.number, ZERO, c.gross_amount)
        for c in CreditNote.objects.filter(
            account=account, currency=currency, issue_date__range=(start, end)
        )
    ]
    entries += [
        Entry(p.received_on, "payment", p.payer_reference or str(p.pk), ZERO, p.amount)
        for p in Payment.objects.filter(
            account=account, currency=currency, received_on__range=(start, end)
        )
    ]
    entries += [
        Entry(p.reversal.reversed_on, "reversal", p.payer_reference or str(p.pk), p.amount, ZERO)
        for p in Payment.objects.filter(
            account=account, currency=currency, reversal__reversed_on__range=(start, end)
        ).select_related("reversal")
    ]
    entries.sort(key=lambda e: (e.day, KIND_ORDER[e.kind], e.reference))
    balances, running = [], opening
    for entry in entries:
        running += entry.debit - entry.credit
        balances.append(running)
    invoices = Invoice.objects.filter(account=account, currency=currency)
    items = list(open_as_of(invoices, end).filter(open_on__gt=0).order_by("due_date", "pk"))
    unallocated = (
        Payment.objects.filter(
            account=account, currency=currency, received_on__lte=end, reversal__isnull=True
        ).aggregate(s=Sum(F("amount") - F("allocated_total")))["s"]
        or ZERO
    )
    return Statement(
        account=account,
        currency=currency,
        start=start,
        end=end,
        opening=opening,
        entries=entries,
        closing=running,
        open_items=items,
        aging=aging(invoices=invoices, as_of=end),
        unallocated=money_round(unallocated, currency),
        balances=balances,
    )


@dataclass
class Letter:
    """A dunning letter: the level's text and the account's overdue items on the day."""

    account: Account
    level: DunningLevel
    day: date
    items: list[Invoice]
    total_by_currency: dict[str, Decimal]


def dunning_letter(*, account: Account, level: DunningLevel, day: date) -> Letter:
    """Context for a dunning letter of `level` to `account`: its overdue open invoices. Two
    queries."""
    items = list(
        open_as_of(Invoice.objects.filter(account=account), day)
        .filter(open_on__gt=0, due_date__lt=day)
        .order_by("currency", "due_date", "pk")
    )
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.currency] = totals.get(item.currency, ZERO) + item.open_on
    return Letter(account=account, level=level, day=day, items=items, total_by_currency=totals)
