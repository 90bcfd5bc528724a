"""The ledger summed by day (receivables.models.LedgerDay), kept with the ledger.

The ledger services call `invoice_counted`, `allocations_counted` and `payment_uncounted` inside
the transaction that writes the ledger, so the sums commit (or roll back) with it and are never
stale: the payment behaviour read from them is exact "as of" any day. Each call adds to the
rows of its account and to the company's with one upsert per row (`INSERT ... ON CONFLICT DO
UPDATE`), in a fixed order (accounts, then the company; by day and currency), so two writers
of the same day queue on the row and neither loses the other's amount. A file import writes
many days in one transaction: inside `ledger_days_batched()` its sums are gathered and added
in one sorted pass at its end, so it does not hold a day's company row (which every writer of
that day needs) from its first line while it goes on locking invoices, the order in which two
writers could deadlock. `ledger_days_rebuild`
recomputes every row from the ledger in two statements (the migration that made the table,
the bench loader, the demo, a repair after a fix made by hand in the database).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from ..models import LEDGER_DAY_SUMS, Allocation, Invoice, InvoiceStatus, LedgerDay, PaymentReversal

ZERO = Decimal("0.00")
COLUMNS = LEDGER_DAY_SUMS

# (account id, day, currency) -> the four sums to add, in COLUMNS' order.
Changes = dict[tuple[int, date, str], list[Decimal]]

_gathered: ContextVar[Changes | None] = ContextVar("ledger_day_changes", default=None)


@contextmanager
def ledger_days_batched() -> Iterator[None]:
    """Gather the sums written inside and add them on leaving, inside the caller's
    transaction (enter it within `transaction.atomic()`); nothing is added if it raises."""
    if _gathered.get() is not None:
        yield
        return
    changes: Changes = {}
    token = _gathered.set(changes)
    try:
        yield
    finally:
        _gathered.reset(token)
    _add(changes)


def _upsert_sql(*, company: bool) -> str:
    table = LedgerDay._meta.db_table
    target = "(day, currency) WHERE account_id IS NULL"
    if not company:
        target = "(account_id, day, currency) WHERE account_id IS NOT NULL"
    added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    return (
        f"INSERT INTO {table} (account_id, day, currency, {', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT {target} DO UPDATE SET {added}"
    )


def _add(changes: Changes) -> None:
    """Add `changes` to their accounts' rows and to the company's; nothing for all-zero sums.
    Inside `ledger_days_batched()`, kept for its end instead."""
    gathered = _gathered.get()
    if gathered is not None:
        for key, sums in changes.items():
            kept = gathered.setdefault(key, [ZERO] * len(COLUMNS))
            gathered[key] = [a + b for a, b in zip(kept, sums, strict=True)]
        return
    company: Changes = defaultdict(lambda: [ZERO] * len(COLUMNS))
    rows = []
    for (account_id, day, currency), sums in sorted(changes.items()):
        if any(sums):
            rows.append((account_id, day, currency, *sums))
            company[(None, day, currency)] = [
                a + b for a, b in zip(company[(None, day, currency)], sums, strict=True)
            ]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(company=False), rows)
        cursor.executemany(
            _upsert_sql(company=True), [(None, d, c, *s) for (_a, d, c), s in company.items()]
        )


def invoice_counted(invoice: Invoice, *, sign: int = 1) -> None:
    """An invoice issued (or, with `sign=-1`, cancelled): its gross on its issue day."""
    gross = invoice.gross_total * sign
    _add({(invoice.account_id, invoice.issue_date, invoice.currency): [gross, ZERO, ZERO, ZERO]})


def _paid(changes: Changes, *, account_id, day, currency, amount, days_late, sign) -> None:
    if amount <= 0:  # what a reversal or a credit note took back is not a payment
        return
    sums = changes.setdefault((account_id, day, currency), [ZERO] * len(COLUMNS))
    sums[1] += amount * sign
    sums[2] += amount * days_late * sign
    sums[3] += (amount if days_late == 0 else ZERO) * sign


def allocations_counted(allocations: Iterable[Allocation]) -> None:
    """Allocations just made (with their invoices loaded): the money paid, on its day."""
    changes: Changes = {}
    for a in allocations:
        _paid(
            changes,
            account_id=a.invoice.account_id,
            day=a.effective_on,
            currency=a.invoice.currency,
            amount=a.amount,
            days_late=a.days_late,
            sign=1,
        )
    _add(changes)


def payment_uncounted(payment_id: int) -> None:
    """A payment reversed: what it paid is taken back from the days it was counted on (the
    payment behaviour leaves reversed payments out whenever they were reversed)."""
    changes: Changes = {}
    rows = Allocation.objects.filter(payment_id=payment_id, amount__gt=0).values_list(
        "invoice__account_id", "effective_on", "invoice__currency", "amount", "days_late"
    )
    for account_id, day, currency, amount, days_late in rows:
        _paid(
            changes,
            account_id=account_id,
            day=day,
            currency=currency,
            amount=amount,
            days_late=days_late,
            sign=-1,
        )
    _add(changes)


def ledger_days_rebuild() -> int:
    """Recompute every row from the ledger; the number of rows. Two statements: the accounts'
    rows from the invoices and the allocations, then the company's from those."""
    table = LedgerDay._meta.db_table
    invoice, allocation = Invoice._meta.db_table, Allocation._meta.db_table
    reversal = PaymentReversal._meta.db_table
    columns = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers of the ledger wait (their upserts need the table) until this commits:
            # what they wrote before is in the sums below, what they write after is added.
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own SQL
        cursor.execute(
            f"INSERT INTO {table} (account_id, day, currency, {columns}) "  # noqa: S608
            "SELECT account_id, day, currency, SUM(invoiced), SUM(paid), SUM(late), SUM(on_time) "
            "FROM ("
            "  SELECT i.account_id, i.issue_date AS day, i.currency, i.gross_total AS invoiced,"
            "    0 AS paid, 0 AS late, 0 AS on_time"
            f"  FROM {invoice} i WHERE i.status <> %s"
            "  UNION ALL"
            "  SELECT i.account_id, a.effective_on, i.currency, 0, a.amount,"
            "    a.amount * a.days_late, CASE WHEN a.days_late = 0 THEN a.amount ELSE 0 END"
            f"  FROM {allocation} a JOIN {invoice} i ON i.id = a.invoice_id"
            "  WHERE a.amount > 0"
            f"  AND NOT EXISTS (SELECT 1 FROM {reversal} r WHERE r.payment_id = a.payment_id)"
            ") ledger GROUP BY account_id, day, currency",
            [InvoiceStatus.CANCELLED],
        )
        cursor.execute(
            f"INSERT INTO {table} (account_id, day, currency, {columns}) "  # noqa: S608
            f"SELECT NULL, day, currency, {', '.join(f'SUM({c})' for c in COLUMNS)} "
            f"FROM {table} WHERE account_id IS NOT NULL GROUP BY day, currency"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]
