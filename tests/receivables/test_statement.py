"""The statement of account and the dunning letter's context, which reports/ renders."""

from datetime import timedelta
from decimal import Decimal

from receivables import selectors, services
from receivables.models import DunningLevel
from tests.receivables.conftest import DAY

D = Decimal


def test_statement_runs_from_the_opening_to_the_closing_balance(fiona, alice_account, issue, pay):
    before = issue(
        alice_account, "100.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=10)
    )
    during = issue(
        alice_account, "250.00", issued=DAY - timedelta(days=5), due=DAY + timedelta(days=25)
    )
    services.payment_allocate(
        actor=fiona,
        payment=pay(alice_account, "100.00", on=DAY - timedelta(days=3)),
        allocations=[(before, D(100))],
    )
    services.credit_note_issue(
        actor=fiona,
        invoice=during,
        issue_date=DAY - timedelta(days=2),
        reason="price",
        net_amount=D("50.00"),
        vat_code="0",
    )
    bounced = pay(alice_account, "30.00", on=DAY - timedelta(days=2))
    services.payment_reverse(actor=fiona, payment=bounced, reversed_on=DAY, reason="Bounced")

    result = selectors.statement(
        account=alice_account, currency="PLN", start=DAY - timedelta(days=7), end=DAY
    )

    assert result.opening == D("100.00")
    assert [(e.kind, e.debit, e.credit) for e in result.entries] == [
        ("invoice", D("250.00"), D(0)),
        ("payment", D(0), D("100.00")),
        ("credit_note", D(0), D("50.00")),
        ("payment", D(0), D("30.00")),
        ("reversal", D("30.00"), D(0)),
    ]
    assert result.closing == D("200.00") == result.balances[-1]
    assert [i.number for i in result.open_items] == [during.number]
    assert result.aging.totals[0].total == D("200.00")


def test_dunning_letter_lists_the_overdue_items(alice_account, issue):
    overdue = issue(
        alice_account, "80.00", issued=DAY - timedelta(days=40), due=DAY - timedelta(days=20)
    )
    issue(alice_account, "10.00", issued=DAY, due=DAY + timedelta(days=30))
    letter = selectors.dunning_letter(
        account=alice_account, level=DunningLevel.objects.get(rank=2), day=DAY
    )
    assert [i.number for i in letter.items] == [overdue.number]
    assert letter.total_by_currency == {"PLN": D("80.00")}
    assert "two weeks overdue" in letter.level.letter_text
