"""The money side's cases for bench/run.py: receivables, dashboards, commissions, PDFs.

Each is a page (a path) or a function case (a service or selector called in-process), and,
where the issues ask for it, a reference: the same figure computed by one hand-written SQL
statement on the raw connection, `COPY ... TO STDOUT` of the same rows, the app's own single
ranking statement, or WeasyPrint alone on the same frozen HTML. `cases(Case)` returns them as
`run.Case`s.
"""

import io
import logging
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

OPEN = "('issued', 'partially_paid')"


def _raw():
    connection.ensure_connection()
    return connection.connection


def sql_reference(sql: str, params=()):
    """A reference: `sql` run on the raw connection, its rows fetched."""

    def run():
        with _raw().cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def copy_reference(sql: str):
    """A reference: `COPY (sql) TO STDOUT` as CSV, read to the end; the bytes."""

    def run():
        buffer = io.StringIO()
        with _raw().cursor() as cursor:
            cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH CSV HEADER", buffer)
        return buffer.getvalue()

    return run


def aging_sql(*, today: date, owner_id: int | None = None) -> tuple[str, list]:
    """The aging totals (not due, then the settings' day buckets) per currency, as of today,
    in one statement over the invoices' running totals."""
    edges = settings.RECEIVABLES_AGING_EDGES
    columns = ["SUM(i.gross_total - i.credited_total - i.paid_total) FILTER "
               "(WHERE i.due_date >= %s)"]  # fmt: skip
    params: list = [today]
    low = 1
    for edge in edges:
        columns.append(
            "SUM(i.gross_total - i.credited_total - i.paid_total) FILTER "
            "(WHERE i.due_date <= %s AND i.due_date >= %s)"
        )
        params += [today - timedelta(days=low), today - timedelta(days=edge)]
        low = edge + 1
    columns.append(
        "SUM(i.gross_total - i.credited_total - i.paid_total) FILTER (WHERE i.due_date <= %s)"
    )
    params.append(today - timedelta(days=low))
    join, where = "", ""
    if owner_id is not None:
        join = " JOIN accounts_account a ON a.id = i.account_id"
        where = " AND a.owner_id = %s"
    sql = (
        f"SELECT i.currency, {', '.join(columns)} FROM receivables_invoice i{join} "  # noqa: S608
        f"WHERE i.status IN {OPEN} AND i.issue_date <= %s{where} GROUP BY i.currency"
    )
    params.append(today)
    if owner_id is not None:
        params.append(owner_id)
    return sql, params


def open_items_sql(*, today: date) -> str:
    """The open items export's rows (same columns, same order) for COPY, which takes no
    parameters: the date is a literal."""
    day = f"DATE '{today.isoformat()}'"
    return (
        "SELECT i.number, a.name, a.tax_id, u.username, i.issue_date, i.due_date, "  # noqa: S608
        f"GREATEST(0, {day} - i.due_date), i.currency, i.gross_total, "
        "i.gross_total - i.credited_total - i.paid_total "
        "FROM receivables_invoice i JOIN accounts_account a ON a.id = i.account_id "
        "LEFT JOIN team_user u ON u.id = a.owner_id "
        f"WHERE i.status IN {OPEN} AND i.issue_date <= {day} "
        "ORDER BY a.name, i.due_date, i.id"
    )


class _Repeatable:
    """The monthly calculation as a function case that also checks it is repeatable: every
    run must leave the same entries (source, amount) and statements as the first."""

    def __init__(self, *, period, actor):
        self.period, self.actor, self.first = period, actor, None

    def _state(self):
        from commissions.models import CommissionEntry, Statement

        entries = sorted(
            CommissionEntry.objects.filter(period=self.period).values_list("source_key", "amount")
        )
        statements = sorted(
            Statement.objects.filter(period=self.period).values_list("kam_id", "total")
        )
        return entries, statements

    def __call__(self):
        from commissions.services import periods

        periods.period_calculate(actor=self.actor, period=self.period)
        state = self._state()
        if self.first is None:
            self.first = state
            print(
                f"  commission calculation: {len(state[0])} entries, {len(state[1])} statements",
                flush=True,
            )
        assert state == self.first, "a second calculation changed the entries"


class _Pdf:
    """A report kind's render (what the worker does for a job), and its frozen HTML kept from
    the first run so the reference renders exactly that with WeasyPrint."""

    def __init__(self, *, kind: str, user, parameters: dict):
        from reports import registry

        registry.autodiscover()
        # WeasyPrint warns on every document that it subsets fonts with fontTools.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        self.kind = registry.kind_get(kind)
        self.job = SimpleNamespace(
            pk=0, requested_by=user, parameters=parameters, as_of=timezone.now()
        )
        self.html = None
        self.printed = False

    def __call__(self) -> bytes:
        from reports import pdf

        real = pdf.html_render

        def keep(template, context):
            html = real(template, context)
            self.html = self.html or html
            return html

        with mock.patch.object(pdf, "html_render", keep):
            content = self.kind.render(self.job, lambda percent: None).content
        if not self.printed:
            self.printed = True
            print(f"  {self.kind.slug}: {len(content):,} bytes", flush=True)
        return content

    def weasyprint_only(self) -> bytes:
        from weasyprint import HTML

        from reports import pdf

        fonts = pdf._font_dir()
        document = HTML(
            string=self.html,
            base_url=fonts.as_uri() + "/",
            url_fetcher=pdf._shipped_files_only(fonts),
        )
        return document.write_pdf()


def cases(case) -> list:
    from accounts.models import Account
    from commissions.models import CommissionPeriod, Statement
    from commissions.selectors.abc import ABC_SQL, thresholds, trailing_year
    from commissions.services.abc import abc_run
    from receivables.models import Invoice, Payment
    from receivables.selectors.credit import credit_picture
    from reports.kinds.qbr_pack import button as qbr_button
    from team.models import User

    today = timezone.localdate()
    finance, kam = (User.objects.get(username=n) for n in ("finance", "kam1"))
    biggest_id = (
        Invoice.objects.values("account_id")
        .annotate(s=Sum("gross_total"))
        .order_by("-s")
        .values_list("account_id", flat=True)
        .first()
    )
    biggest = Account.objects.select_related("owner").get(pk=biggest_id)
    kams_biggest = (
        Account.objects.filter(owner=kam)
        .annotate(s=Sum("invoices__gross_total"))
        .order_by("-s", "pk")
        .first()
    )
    last_invoices = -(-Invoice.objects.count() // 25)
    limits = thresholds()
    start, end = trailing_year(as_of=today)
    abc_params = [start, end] * 2 + [limits.a, limits.a + limits.b] * 2
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    period = CommissionPeriod.objects.get(month=last_month)
    busiest = Statement.objects.filter(period=period).order_by("-entry_count", "kam_id").first()
    statement_pdf = _Pdf(
        kind="commission_statement", user=finance, parameters={"statement": busiest.pk}
    )
    # The quarter just finished, as the account page's button asks for it.
    qbr_pdf = _Pdf(kind="qbr_pack", user=kam, parameters=qbr_button(kam, kams_biggest))
    commission = commission_params(month=last_month)
    by_sql, by_service, same = commission_sql_compare(period=period, params=commission)
    print(
        f"  COMMISSION_SQL: {by_sql} entries, the service {by_service}; {same} identical",
        flush=True,
    )
    amount = Decimal("50000.00")
    aging_all, aging_all_params = aging_sql(today=today)
    aging_kam, aging_kam_params = aging_sql(today=today, owner_id=kam.pk)
    print(
        f"  biggest account {biggest.pk} ({biggest.owner}); kam1's biggest {kams_biggest.pk}; "
        f"busiest statement {busiest.pk}: {busiest.kam}, {busiest.entry_count} entries; "
        f"{Payment.objects.count():,} payments",
        flush=True,
    )
    return [
        case(
            label="aging, finance (company)",
            username="finance",
            path="/receivables/aging/",
            reference=sql_reference(aging_all, aging_all_params),
        ),
        case(
            label="aging, kam1",
            username="kam1",
            path="/receivables/aging/",
            reference=sql_reference(aging_kam, aging_kam_params),
        ),
        case(label="invoice list, finance", username="finance", path="/receivables/invoices/"),
        case(
            label="invoice list, finance, last page",
            username="finance",
            path=f"/receivables/invoices/?page={last_invoices}",
        ),
        case(label="payment list, finance", username="finance", path="/receivables/payments/"),
        case(
            label="account page (Money panel), biggest account",
            username=biggest.owner.username,
            path=f"/accounts/{biggest.pk}/",
        ),
        case(
            label="credit check, biggest account (selector)",
            username="finance",
            call=lambda: credit_picture(account=biggest, amount=amount, currency="PLN"),
        ),
        case(
            label="open items CSV, finance",
            username="finance",
            path="/receivables/open-items/export.csv",
            reference=copy_reference(open_items_sql(today=today)),
            requests=5,
        ),
        case(
            label="director cockpit, director1", username="director1", path="/dashboards/cockpit/"
        ),
        case(label="KAM dashboard, kam1", username="kam1", path="/dashboards/kam/"),
        case(label="finance dashboard, finance", username="finance", path="/dashboards/finance/"),
        case(label="fulfilment, director1", username="director1", path="/commissions/fulfilment/"),
        case(
            label="ABC run, all accounts (service)",
            username="admin",
            call=lambda: abc_run(as_of=today),
            reference=sql_reference(ABC_SQL, abc_params),
            requests=5,
        ),
        case(
            label="commission calculation, all KAMs (service)",
            username="finance",
            call=_Repeatable(period=period, actor=finance),
            reference=sql_reference(COMMISSION_SQL, commission),
            requests=3,
        ),
        case(
            label=f"commission statement PDF, busiest KAM ({busiest.entry_count} entries)",
            username="finance",
            call=statement_pdf,
            reference=statement_pdf.weasyprint_only,
            requests=3,
        ),
        case(
            label="QBR pack PDF, kam1's biggest account",
            username="kam1",
            call=qbr_pdf,
            reference=qbr_pdf.weasyprint_only,
            requests=3,
        ),
    ]


# The earned-on-payment entries of one month for KAMs on a marginal, amount-based scheme (the
# default the bench's KAMs are all on), in one statement, written the way one would tune it by
# hand: the month's allocations first, then only their invoices; each touched sale (integer
# deal ids, by the invoice's order's contract, else its own contract) gives each of those
# invoices the base its earlier invoices reached (a window sum of their totals, which are the
# sums of their lines); the touched invoices' lines add to it in line order, each the rounded
# commission its part of the base adds (the brackets joined once per line); each allocation
# its rounded share of its invoice's commission, times its KAM's plan multiplier (the month's
# fulfilment per KAM, one grouped read each of invoices, credit notes and plans, joined to the
# bands once per KAM), rounded along the invoice's stream as the service does. The brackets
# and bands are the scheme version's, passed as JSON.
COMMISSION_SQL = """
WITH brackets AS (
    SELECT (b->>0)::numeric AS lower, (b->>1)::numeric AS upper, (b->>2)::numeric AS rate
    FROM jsonb_array_elements(%(brackets)s::jsonb) AS b
), bands AS (
    SELECT (b->>0)::numeric AS lower, (b->>1)::numeric AS upper, (b->>2)::numeric AS factor
    FROM jsonb_array_elements(%(bands)s::jsonb) AS b
), touched AS (
    SELECT i.id, i.gross_total, i.credited_to_id, COALESCE(oc.deal_id, c.deal_id) AS deal_id
    FROM receivables_invoice i
    LEFT JOIN deals_order o ON o.id = i.order_id
    LEFT JOIN deals_contract oc ON oc.id = o.contract_id
    LEFT JOIN deals_contract c ON c.id = i.contract_id
    WHERE i.id IN (SELECT a.invoice_id FROM receivables_allocation a
                   WHERE a.effective_on >= %(start)s AND a.effective_on < %(end)s)
      AND i.status <> 'cancelled' AND i.credited_to_id IS NOT NULL
), sale_invoices AS (
    SELECT i.id, i.issue_date, i.net_total, c.deal_id
    FROM deals_contract c
    JOIN deals_order o ON o.contract_id = c.id
    JOIN receivables_invoice i ON i.order_id = o.id
    WHERE c.deal_id IN (SELECT deal_id FROM touched) AND i.status <> 'cancelled'
    UNION ALL
    SELECT i.id, i.issue_date, i.net_total, c.deal_id
    FROM deals_contract c
    JOIN receivables_invoice i ON i.contract_id = c.id
    LEFT JOIN deals_order o ON o.id = i.order_id
    LEFT JOIN deals_contract oc ON oc.id = o.contract_id
    WHERE c.deal_id IN (SELECT deal_id FROM touched) AND oc.deal_id IS NULL
      AND i.status <> 'cancelled'
), invoice_before AS (
    SELECT id, SUM(net_total) OVER (
               PARTITION BY deal_id ORDER BY issue_date, id ROWS UNBOUNDED PRECEDING
           ) - net_total AS before
    FROM sale_invoices
), lines AS (
    SELECT l.invoice_id, l.id, l.net_amount,
           COALESCE(b.before, 0) + SUM(l.net_amount) OVER (
               PARTITION BY l.invoice_id ORDER BY l.id ROWS UNBOUNDED PRECEDING
           ) AS after
    FROM receivables_invoiceline l
    JOIN touched t ON t.id = l.invoice_id
    LEFT JOIN invoice_before b ON b.id = l.invoice_id
), invoice_commission AS (
    SELECT l.invoice_id, t.gross_total, t.credited_to_id, SUM(l.commission) AS commission
    FROM (
        SELECT l.invoice_id,
               ROUND(SUM(k.rate / 100 * GREATEST(0, LEAST(GREATEST(l.after, 0),
                         COALESCE(k.upper, GREATEST(l.after, 0))) - k.lower)), 2)
             - ROUND(SUM(k.rate / 100 * GREATEST(0, LEAST(GREATEST(l.after - l.net_amount, 0),
                         COALESCE(k.upper, GREATEST(l.after - l.net_amount, 0))) - k.lower)), 2)
               AS commission
        FROM lines l CROSS JOIN brackets k
        GROUP BY l.invoice_id, l.id
    ) l
    JOIN touched t ON t.id = l.invoice_id
    GROUP BY l.invoice_id, t.gross_total, t.credited_to_id
), paid AS (
    SELECT a.id, a.invoice_id, a.amount, a.effective_on,
           SUM(a.amount) OVER (
               PARTITION BY a.invoice_id ORDER BY a.effective_on, a.id ROWS UNBOUNDED PRECEDING
           ) AS paid
    FROM receivables_allocation a
    WHERE a.invoice_id IN (SELECT b.invoice_id FROM receivables_allocation b
                           WHERE b.effective_on >= %(start)s AND b.effective_on < %(end)s)
), factors AS (
    SELECT p.kam_id, b.factor
    FROM (SELECT kam_id, SUM(revenue_target) AS target FROM commissions_salesplan
          WHERE month >= %(start)s AND month < %(end)s GROUP BY kam_id) p
    LEFT JOIN (SELECT credited_to_id AS kam_id, SUM(net_total) AS net FROM receivables_invoice
               WHERE status <> 'cancelled' AND issue_date >= %(start)s AND issue_date < %(end)s
               GROUP BY credited_to_id) i ON i.kam_id = p.kam_id
    LEFT JOIN (SELECT i.credited_to_id AS kam_id, SUM(n.net_amount) AS net
               FROM receivables_creditnote n JOIN receivables_invoice i ON i.id = n.invoice_id
               WHERE n.issue_date >= %(start)s AND n.issue_date < %(end)s
               GROUP BY i.credited_to_id) n ON n.kam_id = p.kam_id
    JOIN bands b
      ON ROUND(COALESCE(i.net, 0) - COALESCE(n.net, 0), 2) * 100 / NULLIF(p.target, 0)
         >= b.lower
     AND (b.upper IS NULL OR ROUND(COALESCE(i.net, 0) - COALESCE(n.net, 0), 2) * 100
                             / NULLIF(p.target, 0) < b.upper)
), earned AS (
    SELECT p.id AS allocation_id, ic.credited_to_id AS kam_id, p.invoice_id, p.effective_on,
           ROUND(ic.commission * p.paid / ic.gross_total, 2)
         - ROUND(ic.commission * (p.paid - p.amount) / ic.gross_total, 2) AS commission,
           COALESCE(f.factor, 1) AS multiplier
    FROM invoice_commission ic
    JOIN paid p ON p.invoice_id = ic.invoice_id
    LEFT JOIN factors f ON f.kam_id = ic.credited_to_id
    WHERE p.effective_on >= %(start)s AND p.effective_on < %(end)s
), streamed AS (
    SELECT e.*, SUM(e.commission) OVER (
               PARTITION BY e.kam_id, e.invoice_id, e.multiplier
               ORDER BY e.effective_on, e.allocation_id ROWS UNBOUNDED PRECEDING
           ) AS running
    FROM earned e
)
SELECT allocation_id, kam_id, commission, multiplier,
       ROUND(running * multiplier, 2) - ROUND((running - commission) * multiplier, 2) AS amount
FROM streamed ORDER BY allocation_id
"""


def commission_params(*, month: date) -> dict:
    """COMMISSION_SQL's parameters for `month`: the default scheme's version then."""
    import json

    from commissions.services.ledger import month_end
    from commissions.services.schemes import rulebook_load

    rules = rulebook_load().rules_for(kam_id=None, territory_id=None, on=month_end(month))
    assert rules.mode == "marginal" and rules.basis == "amount" and rules.earned_on == "payment"

    def pairs(rows):
        return json.dumps([[str(a), None if b is None else str(b), str(c)] for a, b, c in rows])

    return {
        "brackets": pairs(rules.brackets),
        "bands": pairs(rules.bands),
        "start": month,
        "end": month_end(month),
    }


def commission_sql_compare(*, period, params: dict) -> tuple[int, int, int]:
    """COMMISSION_SQL beside the service's entries of `period`: how many entries each has, and
    how many are identical (kam, commission, multiplier, amount per allocation)."""
    from commissions.models import CommissionEntry

    with _raw().cursor() as cursor:
        cursor.execute(COMMISSION_SQL, params)
        by_sql = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
    by_service = {
        e[0]: tuple(e[1:])
        for e in CommissionEntry.objects.filter(
            period=period, allocation__isnull=False
        ).values_list("allocation_id", "kam_id", "commission", "multiplier", "amount")
    }
    same = sum(1 for k, v in by_sql.items() if by_service.get(k) == v)
    return len(by_sql), len(by_service), same
