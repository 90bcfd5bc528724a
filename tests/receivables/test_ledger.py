"""The worked cases of the money ledger: issuing, allocating, crediting and reversing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from receivables import services
from receivables.models import Allocation, Invoice, InvoiceStatus
from tests.deals.factories import ContractFactory, OrderFactory, OrderLineFactory, ProductFactory
from tests.receivables.conftest import DAY

D = Decimal


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def test_invoice_lines_freeze_cost_and_vat_and_add_up(fiona, alice_account):
    product = ProductFactory(list_price=D("100.00"), unit_cost=D("61.37"))
    invoice = services.invoice_issue(
        actor=fiona,
        account=alice_account,
        issue_date=DAY,
        currency="PLN",
        lines=[
            services.LineInput(
                description="Cable",
                product=product,
                quantity=D("3"),
                unit_price=D("33.33"),
                vat_code="23",
            ),
            services.LineInput(
                description="Book", quantity=D("1"), unit_price=D("10.00"), vat_code="5"
            ),
        ],
    )
    product.unit_cost = D("99.00")
    product.save()
    line = invoice.lines.get(product=product)
    assert (line.net_amount, line.vat_amount, line.gross_amount) == (
        D("99.99"),
        D("23.00"),
        D("122.99"),
    )
    assert line.unit_cost == D("61.37") and line.cost_amount == D("184.11")
    invoice = refreshed(invoice)
    assert (invoice.net_total, invoice.vat_total, invoice.gross_total) == (
        D("109.99"),
        D("23.50"),
        D("133.49"),
    )
    assert invoice.number == "FV/2026/000001"
    assert invoice.status == InvoiceStatus.ISSUED


def test_due_date_comes_from_contract_then_account_then_company_default(
    fiona, alice_account, issue
):
    line = [services.LineInput(description="x", quantity=D(1), unit_price=D(10), vat_code="0")]
    plain = services.invoice_issue(
        actor=fiona, account=alice_account, issue_date=DAY, currency="PLN", lines=line
    )
    assert plain.due_date == DAY + timedelta(days=30)
    contract = ContractFactory(account=alice_account, payment_terms_days=45)
    by_contract = services.invoice_issue(
        actor=fiona,
        account=alice_account,
        issue_date=DAY,
        currency="PLN",
        lines=line,
        contract=contract,
    )
    assert by_contract.due_date == DAY + timedelta(days=45)
    services.credit_profile_set(
        actor=fiona, account=alice_account, data={"payment_terms_days": 14}, reason="New terms"
    )
    by_account = services.invoice_issue(
        actor=fiona, account=alice_account, issue_date=DAY, currency="PLN", lines=line
    )
    assert by_account.due_date == DAY + timedelta(days=14)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": DAY - timedelta(days=1)}, "due_date"),
        ({"lines": []}, "lines"),
        ({"lines": [services.LineInput("x", D(0), D(1), "23")]}, "lines"),
        ({"lines": [services.LineInput("x", D(1), D(1), "17")]}, "lines"),
    ],
)
def test_bad_invoice_input_is_refused_naming_the_field(fiona, alice_account, change, field):
    args = {
        "actor": fiona,
        "account": alice_account,
        "issue_date": DAY,
        "currency": "PLN",
        "lines": [services.LineInput("x", D(1), D(10), "23")],
        **change,
    }
    with pytest.raises(ValidationError) as error:
        services.invoice_issue(**args)
    assert field in error.value.message_dict
    assert not Invoice.objects.exists()


def test_only_finance_issues_invoices(alice, alice_account):
    with pytest.raises(PermissionDenied):
        services.invoice_issue(
            actor=alice,
            account=alice_account,
            issue_date=DAY,
            currency="PLN",
            lines=[services.LineInput("x", D(1), D(10), "23")],
        )


def test_payment_goes_to_the_oldest_invoices_first_and_the_rest_is_credit(
    fiona, alice_account, issue, pay
):
    newer = issue(alice_account, "300.00", due=DAY + timedelta(days=20))
    older = issue(alice_account, "200.00", due=DAY + timedelta(days=10))
    payment = pay(alice_account, "600.00")
    services.payment_allocate(actor=fiona, payment=payment)
    assert refreshed(older).status == InvoiceStatus.PAID
    assert refreshed(newer).status == InvoiceStatus.PAID
    assert refreshed(payment).unallocated == D("100.00")


def test_partial_payment_leaves_the_newer_invoice_partly_open(fiona, alice_account, issue, pay):
    older = issue(alice_account, "200.00", due=DAY)
    newer = issue(alice_account, "300.00", due=DAY + timedelta(days=5))
    services.payment_allocate(actor=fiona, payment=pay(alice_account, "250.00"))
    assert refreshed(older).open_amount == 0
    newer = refreshed(newer)
    assert newer.open_amount == D("250.00") and newer.status == InvoiceStatus.PARTIALLY_PAID


def test_chosen_allocation_over_the_open_amount_is_refused_and_writes_nothing(
    fiona, alice_account, issue, pay
):
    invoice = issue(alice_account, "100.00")
    payment = pay(alice_account, "500.00")
    with pytest.raises(ValidationError) as error:
        services.payment_allocate(
            actor=fiona, payment=payment, allocations=[(invoice, D("100.01"))]
        )
    assert "amount" in error.value.message_dict
    assert not Allocation.objects.exists()
    assert refreshed(payment).allocated_total == 0


def test_the_same_invoice_chosen_twice_counts_once_against_its_open_amount(
    fiona, alice_account, issue, pay
):
    invoice = issue(alice_account, "100.00")
    payment = pay(alice_account, "500.00")
    with pytest.raises(ValidationError):
        services.payment_allocate(
            actor=fiona,
            payment=payment,
            allocations=[(invoice, D("60.00")), (invoice, D("60.00"))],
        )


def test_allocating_more_than_the_payment_is_refused(fiona, alice_account, issue, pay):
    first, second = issue(alice_account, "100.00"), issue(alice_account, "100.00")
    payment = pay(alice_account, "150.00")
    with pytest.raises(ValidationError) as error:
        services.payment_allocate(
            actor=fiona, payment=payment, allocations=[(first, D(100)), (second, D(100))]
        )
    assert "amount" in error.value.message_dict


def test_payment_in_another_currency_or_account_is_refused(
    fiona, alice_account, bob_account, issue, pay
):
    pln = issue(alice_account, "100.00")
    with pytest.raises(ValidationError) as error:
        services.payment_allocate(
            actor=fiona,
            payment=pay(alice_account, "100.00", currency="EUR"),
            allocations=[(pln, D(100))],
        )
    assert "EUR" in str(error.value)
    with pytest.raises(ValidationError):
        services.payment_allocate(
            actor=fiona, payment=pay(bob_account, "100.00"), allocations=[(pln, D(100))]
        )


def test_credit_note_lowers_the_open_amount_and_cannot_exceed_the_invoice(
    fiona, alice_account, issue
):
    invoice = issue(alice_account, "100.00", vat="23")  # 100 net + 23 VAT
    services.credit_note_issue(
        actor=fiona, invoice=invoice, issue_date=DAY, reason="price", net_amount=D("40.00")
    )
    invoice = refreshed(invoice)
    assert invoice.credited_total == D("49.20") and invoice.open_amount == D("73.80")
    with pytest.raises(ValidationError) as error:
        services.credit_note_issue(
            actor=fiona, invoice=invoice, issue_date=DAY, reason="price", net_amount=D("60.01")
        )
    assert "net_amount" in error.value.message_dict


def test_credit_note_on_a_paid_invoice_turns_the_excess_into_account_credit(
    fiona, alice_account, issue, pay
):
    invoice = issue(alice_account, "100.00")
    payment = pay(alice_account, "100.00")
    services.payment_allocate(actor=fiona, payment=payment)
    services.credit_note_issue(
        actor=fiona,
        invoice=invoice,
        issue_date=DAY + timedelta(days=3),
        reason="price",
        net_amount=D("30.00"),
        vat_code="0",
    )
    invoice = refreshed(invoice)
    assert invoice.open_amount == 0 and invoice.paid_total == D("70.00")
    assert refreshed(payment).unallocated == D("30.00")


def test_credit_note_for_a_return_takes_back_its_value_and_cost(fiona, alice_account):
    order = OrderFactory(account=alice_account, status="delivered")
    line = OrderLineFactory(order=order, quantity=D(10), unit_price=D("50.00"))
    invoice = services.invoice_from_order(actor=fiona, order=order, issue_date=DAY)
    from tests.deals.factories import ReturnFactory

    returned = ReturnFactory(order_line=line, quantity=D(2))
    credit = services.credit_note_issue(
        actor=fiona, invoice=invoice, issue_date=DAY, reason="return", return_record=returned
    )
    assert (credit.net_amount, credit.vat_amount, credit.gross_amount) == (
        D("100.00"),
        D("23.00"),
        D("123.00"),
    )
    assert credit.cost_amount == D("120.00")  # 2 x the product's 60.00 cost frozen on the line
    with pytest.raises(ValidationError):
        services.credit_note_issue(
            actor=fiona, invoice=invoice, issue_date=DAY, reason="return", return_record=returned
        )


def test_reversed_payment_reopens_its_invoices_from_the_reversal_date(
    fiona, alice_account, issue, pay
):
    invoice = issue(alice_account, "100.00")
    payment = pay(alice_account, "100.00")
    services.payment_allocate(actor=fiona, payment=payment)
    services.payment_reverse(
        actor=fiona, payment=payment, reversed_on=DAY + timedelta(days=2), reason="Bounced"
    )
    invoice = refreshed(invoice)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.open_amount == D("100.00")
    assert list(payment.allocations.values_list("amount", flat=True)) == [D("100.00"), D("-100.00")]
    with pytest.raises(ValidationError):
        services.payment_reverse(actor=fiona, payment=payment, reversed_on=DAY, reason="Again")
    with pytest.raises(ValidationError):
        services.payment_allocate(actor=fiona, payment=payment)


def test_invoice_from_a_delivered_order_copies_lines_once(fiona, alice_account):
    order = OrderFactory(account=alice_account, status="delivered")
    OrderLineFactory(order=order, quantity=D(20), unit_price=D("95.00"))
    OrderLineFactory(order=order, quantity=D(1), unit_price=D("10.00"))
    invoice = services.invoice_from_order(actor=fiona, order=order, issue_date=DAY)
    assert invoice.net_total == D("1910.00") and invoice.gross_total == D("2349.30")
    assert invoice.order == order
    with pytest.raises(ValidationError) as error:
        services.invoice_from_order(actor=fiona, order=order, issue_date=DAY)
    assert "order" in error.value.message_dict


def test_a_cancelled_invoice_frees_its_order_lines(fiona, alice_account):
    order = OrderFactory(account=alice_account, status="delivered")
    OrderLineFactory(order=order)
    first = services.invoice_from_order(actor=fiona, order=order, issue_date=DAY)
    services.invoice_cancel(actor=fiona, invoice=first, reason="Wrong buyer")
    again = services.invoice_from_order(actor=fiona, order=order, issue_date=DAY)
    assert again.gross_total == first.gross_total


def test_an_undelivered_order_is_not_invoiced(fiona, alice_account):
    order = OrderFactory(account=alice_account, status="confirmed")
    OrderLineFactory(order=order)
    with pytest.raises(ValidationError):
        services.invoice_from_order(actor=fiona, order=order)


def test_a_paid_invoice_cannot_be_cancelled(fiona, alice_account, issue, pay):
    invoice = issue(alice_account, "10.00")
    services.payment_allocate(actor=fiona, payment=pay(alice_account, "10.00"))
    with pytest.raises(ValidationError):
        services.invoice_cancel(actor=fiona, invoice=invoice, reason="x")


def test_a_future_payment_is_refused(fiona, alice_account):
    with pytest.raises(ValidationError) as error:
        services.payment_record(
            actor=fiona,
            account=alice_account,
            received_on=timezone.localdate() + timedelta(days=2),
            amount=D(1),
            currency="PLN",
        )
    assert "received_on" in error.value.message_dict
