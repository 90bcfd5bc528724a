"""The waiting commission (earned on payment, not paid yet) from the invoice's totals against
the line-by-line sale book it replaced.

`statements.waiting_by_currency` takes an invoice's commission as `commission_delta` from its
sale's base before it to the base after it, instead of reading and computing every line in
`salebook_load`; the lines telescope, so both must give the same figure to the cent. The data
is `two_months` (brackets crossed inside a line, a rule change inside a sale, a sale invoiced
by order and by contract, a cancelled invoice, a reversal, two currencies, flat and margin
schemes, a line sold below cost, a credit note) with every scheme earning on payment, and
then with the data's own schemes (some on invoice: nothing waits there).
"""

from datetime import date
from decimal import Decimal

import pytest

from commissions.models import SchemeVersion
from commissions.selectors import statements
from commissions.selectors.earnings import kam_earnings
from commissions.selectors.statements import Waiting, waiting_by_currency, waiting_commission
from commissions.services.ledger import salebook_load, share_delta
from commissions.services.schemes import rulebook_load
from receivables import services
from receivables.models import OPEN_INVOICE_STATUSES, Invoice
from tests.commissions import ledger_helpers
from tests.commissions.ledger_helpers import invoice_lines, pay_invoice
from tests.commissions.test_ledger_salebook import two_months

default_schemes = ledger_helpers.default_schemes

D = Decimal
TODAY = date(2026, 10, 1)


def line_by_line(*, kam_id: int, currency: str, today: date) -> list[Waiting]:
    """The computation before: every open invoice's lines through `salebook_load`."""
    invoices = list(
        Invoice.objects.filter(
            credited_to_id=kam_id, currency=currency, status__in=OPEN_INVOICE_STATUSES
        )
        .select_related("account")
        .order_by("due_date", "pk")
    )
    if not invoices:
        return []
    sales = salebook_load(book=rulebook_load(), invoice_ids=[i.pk for i in invoices])
    rows = []
    for invoice in invoices:
        rules = sales.invoice_rules(invoice.pk)
        if rules is None or rules.earned_on != "payment":
            continue
        commission = sales.invoice_commission(invoice.pk)
        payable = invoice.gross_total - invoice.credited_total
        waiting = share_delta(
            commission, invoice.paid_total, payable, invoice.gross_total, currency
        )
        if waiting:
            rows.append(Waiting(invoice, commission, waiting, invoice.due_date < today))
    return rows


def plain(rows):
    """Each row as its figures and what the pages show of its invoice (the new rows carry a
    plain `InvoiceRef`, the old ones the model instance)."""
    return [
        (
            w.invoice.pk,
            w.invoice.number,
            w.invoice.account.name,
            w.invoice.due_date,
            w.invoice.open_amount,
            w.commission,
            w.waiting,
            w.overdue,
        )
        for w in rows
    ]


def both_ways(kams, today=TODAY):
    """Per KAM and currency (of every invoice there is), the rows both ways."""
    currencies = sorted(set(Invoice.objects.values_list("currency", flat=True)))
    new, old = {}, {}
    for kam in kams:
        by_currency = waiting_by_currency(kam_id=kam.pk, today=today)
        for currency in currencies:
            new[kam.username, currency] = plain(by_currency.get(currency, []))
            old[kam.username, currency] = plain(
                line_by_line(kam_id=kam.pk, currency=currency, today=today)
            )
            assert (
                plain(waiting_commission(kam_id=kam.pk, currency=currency, today=today))
                == (new[kam.username, currency])
            )
    return new, old


@pytest.mark.django_db
def test_every_scheme_on_payment_waits_what_the_line_by_line_sale_book_gives(
    fiona, pay, alice, bob, charlie
):
    made = two_months(fiona, pay, alice, bob, charlie)
    SchemeVersion.objects.update(earned_on="payment")
    # An invoice of the margin KAM credited in part and paid in part.
    services.credit_note_issue(
        actor=fiona,
        invoice=made.later,
        issue_date=date(2026, 9, 20),
        reason="price",
        net_amount=D(7),
    )
    pay_invoice(fiona, pay, made.later, "333.33", date(2026, 9, 21))

    new, old = both_ways([alice, bob, charlie], today=date(2026, 9, 12))

    assert new == old
    waiting = {key: rows for key, rows in new.items() if rows}
    # The edge cases wait: the sale by order and by contract, a margin invoice sold below
    # cost, flat invoices in two currencies, an overdue and a not yet due invoice.
    assert set(waiting) == {
        ("alice", "PLN"),
        ("bob", "PLN"),
        ("charlie", "EUR"),
        ("charlie", "PLN"),
    }
    assert {pk for rows in waiting.values() for pk, *_ in rows} >= {
        made.old.pk, made.by_order.pk, made.big.pk, made.later.pk, made.spare.pk, made.euros.pk,
    }  # fmt: skip
    assert {overdue for rows in waiting.values() for *_, overdue in rows} == {True, False}


@pytest.mark.django_db
def test_the_datas_own_schemes_wait_only_on_payment_and_show_every_open_currency(
    fiona, pay, alice, bob, charlie
):
    made = two_months(fiona, pay, alice, bob, charlie)
    new, old = both_ways([alice, bob, charlie])
    assert new == old
    assert new["alice", "PLN"] and not new["bob", "PLN"] and not new["charlie", "EUR"]
    # A currency with open invoices and nothing waiting is still a key (the dashboard's row).
    assert waiting_by_currency(kam_id=charlie.pk, today=TODAY) == {"EUR": [], "PLN": []}
    # The dashboard reads it once for every currency: its rows are the same as one by one.
    earnings = kam_earnings(reader=alice, kam=alice, today=TODAY)
    assert [(r.currency, plain(r.waiting)) for r in earnings.rows] == [("PLN", old["alice", "PLN"])]
    assert made.big.pk in {pk for pk, *_ in old["alice", "PLN"]}


@pytest.mark.django_db
def test_an_invoice_of_no_deal_with_no_lines_in_the_rule_book_passed_in(fiona, pay, alice):
    from tests.factories import AccountFactory

    account = AccountFactory(owner=alice)
    first = invoice_lines(fiona, account, ("120000.00", "0"), ("0.01", "0"), issued=TODAY)
    pay_invoice(fiona, pay, first, "0.01", TODAY)
    book = rulebook_load()
    rows = waiting_by_currency(kam_id=alice.pk, today=TODAY, currency="PLN", book=book)
    assert plain(rows["PLN"]) == plain(line_by_line(kam_id=alice.pk, currency="PLN", today=TODAY))
    assert statements.waiting_by_currency(kam_id=alice.pk, today=TODAY, currency="EUR") == {}
