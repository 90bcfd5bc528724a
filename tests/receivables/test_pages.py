"""Who may open and do what on the receivables pages, bad input, and flat query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from receivables import services
from receivables.models import Allocation, CreditProfile, Payment
from tests.deals.factories import OrderFactory, OrderLineFactory
from tests.factories import AccountFactory

D = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def money(fiona, alice_account, charlie_account, issue, pay):
    """Alice's account: an overdue invoice, one due later, a payment on it. Charlie's: one."""
    overdue = issue(
        alice_account, "100.00", issued=TODAY - timedelta(days=40), due=TODAY - timedelta(days=10)
    )
    later = issue(alice_account, "50.00", issued=TODAY, due=TODAY + timedelta(days=20))
    payment = pay(alice_account, "30.00", on=TODAY)
    services.payment_allocate(actor=fiona, payment=payment, allocations=[(overdue, D(30))])
    other = issue(charlie_account, "70.00", issued=TODAY, due=TODAY)
    return {"overdue": overdue, "later": later, "payment": payment, "other": other}


def login(client, user):
    client.force_login(user)
    return client


LIST_PAGES = [
    "receivables:invoice_list",
    "receivables:payment_list",
    "receivables:aging",
    "receivables:to_chase",
    "receivables:credit_list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("persona", ["alice", "dora", "fiona", "adam"])
def test_list_pages_open_for_the_sales_side_and_finance(client, personas, money, name, persona):
    assert login(client, personas[persona]).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_kam_sees_only_their_accounts_invoices(client, alice, money):
    page = login(client, alice).get(reverse("receivables:invoice_list")).content.decode()
    assert money["overdue"].number in page and money["other"].number not in page


def test_a_director_sees_the_territory_and_finance_everything(client, dora, fiona, money):
    page = login(client, dora).get(reverse("receivables:invoice_list")).content.decode()
    assert money["overdue"].number in page and money["other"].number not in page
    page = login(client, fiona).get(reverse("receivables:invoice_list")).content.decode()
    assert money["other"].number in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("overdue=true", "overdue", "later"),
        ("overdue=false", "later", "overdue"),
        ("status=partially_paid", "overdue", "later"),
        ("q=000002", "later", "overdue"),
        ("amount_min=60", "overdue", "later"),
        (f"due_from={TODAY.isoformat()}", "later", "overdue"),
    ],
)
def test_invoice_filters(client, fiona, money, query, shown, hidden):
    page = login(client, fiona).get(reverse("receivables:invoice_list") + "?" + query)
    text = page.content.decode()
    assert money[shown].number in text and money[hidden].number not in text


def test_a_filter_that_makes_no_sense_is_said_and_ignored(client, fiona, money):
    page = login(client, fiona).get(reverse("receivables:invoice_list") + "?account=abc")
    assert page.status_code == 200 and "not understood" in page.content.decode()


@pytest.mark.parametrize("persona", ["bob", "charlie", "sam"])
def test_another_kams_invoice_and_payment_are_404(client, personas, money, persona):
    client = login(client, personas[persona])
    assert (
        client.get(reverse("receivables:invoice_detail", args=[money["overdue"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("receivables:payment_detail", args=[money["payment"].pk])).status_code
        == 404
    )


def test_invoice_page_shows_lines_payments_and_history(client, alice, money):
    page = login(client, alice).get(
        reverse("receivables:invoice_detail", args=[money["overdue"].pk])
    )
    text = page.content.decode()
    assert "10 days overdue" in text and "Partially paid" in text and "30.00" in text


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        (
            "receivables:credit_note_create",
            {"issue_date": TODAY, "reason": "price", "net_amount": "1", "vat_code": "0"},
        ),
        ("receivables:invoice_cancel", {"reason": "x"}),
    ],
)
def test_a_kam_cannot_change_invoices(client, alice, money, url_name, data):
    response = login(client, alice).post(reverse(url_name, args=[money["later"].pk]), data)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "receivables:credit_note_create",
        "receivables:invoice_cancel",
        "receivables:collection_log",
        "receivables:payment_allocate",
        "receivables:payment_reverse",
    ],
)
def test_writes_refuse_get(client, fiona, money, url_name):
    target = money["payment"] if "payment" in url_name else money["later"]
    assert login(client, fiona).get(reverse(url_name, args=[target.pk])).status_code == 405


def test_finance_records_a_payment_and_allocates_it_oldest_first(
    client, fiona, alice_account, money
):
    client = login(client, fiona)
    response = client.post(
        reverse("receivables:payment_create"),
        {
            "account": alice_account.tax_id,
            "received_on": TODAY,
            "amount": "100.00",
            "currency": "PLN",
        },
    )
    payment = Payment.objects.latest("pk")
    assert response.status_code == 302 and payment.amount == D("100.00")
    client.post(reverse("receivables:payment_allocate", args=[payment.pk]), {"oldest_first": "1"})
    payment.refresh_from_db()
    assert payment.allocated_total == D("100.00")  # 70 left on the overdue one, then 30
    assert list(payment.allocations.values_list("invoice__number", "amount")) == [
        (money["overdue"].number, D("70.00")),
        (money["later"].number, D("30.00")),
    ]


def test_finance_allocates_chosen_amounts_and_an_over_allocation_is_explained(
    client, fiona, alice_account, money, pay
):
    payment = pay(alice_account, "500.00", on=TODAY)
    url = reverse("receivables:payment_allocate", args=[payment.pk])
    field = f"invoice_{money['later'].pk}"
    response = login(client, fiona).post(url, {field: "50.01"})
    assert response.status_code == 400
    assert "more than" in response.content.decode()
    assert 'value="50.01"' in response.content.decode()  # the input is kept
    assert not Allocation.objects.filter(payment=payment).exists()
    client.post(url, {field: "20.00"})
    assert Allocation.objects.get(payment=payment).amount == D("20.00")


def test_an_unknown_account_on_a_payment_is_a_field_error(client, fiona, money):
    response = login(client, fiona).post(
        reverse("receivables:payment_create"),
        {"account": "nobody", "received_on": TODAY, "amount": "1", "currency": "PLN"},
    )
    assert response.status_code == 400 and "No account matches" in response.content.decode()


def test_a_kam_cannot_record_payments(client, alice):
    assert login(client, alice).get(reverse("receivables:payment_create")).status_code == 403


def test_a_kam_logs_a_promise_to_pay(client, alice, money):
    response = login(client, alice).post(
        reverse("receivables:collection_log", args=[money["overdue"].pk]),
        {
            "kind": "promise",
            "happened_on": TODAY,
            "promised_on": TODAY + timedelta(days=5),
            "promised_amount": "70.00",
            "note": "Call with the CFO",
        },
    )
    assert response.status_code == 302
    assert money["overdue"].collection.get().promise_state == "open"


def test_a_promise_without_an_amount_is_refused_naming_the_field(client, alice, money):
    response = login(client, alice).post(
        reverse("receivables:collection_log", args=[money["overdue"].pk]),
        {"kind": "promise", "happened_on": TODAY, "promised_on": TODAY},
    )
    assert response.status_code == 400 and "How much did they promise?" in response.content.decode()


def test_finance_sets_a_credit_limit_and_a_director_cannot(client, fiona, dora, alice_account):
    url = reverse("receivables:credit_edit", args=[alice_account.pk])
    assert login(client, dora).get(url).status_code == 403
    response = login(client, fiona).post(
        url, {"credit_limit": "50000", "currency": "PLN", "status": "watch", "why": "Annual review"}
    )
    assert response.status_code == 302
    assert CreditProfile.objects.get(account=alice_account).status == "watch"


def test_finance_invoices_a_delivered_order_in_one_click(client, fiona, alice_account):
    order = OrderFactory(account=alice_account, status="delivered")
    OrderLineFactory(order=order)
    client = login(client, fiona)
    assert str(order.pk) in client.get(reverse("receivables:orders_to_invoice")).content.decode()
    response = client.post(reverse("receivables:invoice_from_order", args=[order.pk]))
    assert response.status_code == 302 and order.invoices.count() == 1
    client.post(reverse("receivables:invoice_from_order", args=[order.pk]))
    assert order.invoices.count() == 1


def test_exports_neutralise_formulas_and_keep_amounts_as_numbers(client, fiona, issue):
    account = AccountFactory(name='=HYPERLINK("evil")')
    issue(account, "12.50", issued=TODAY, due=TODAY)
    client = login(client, fiona)
    response = client.get(reverse("receivables:open_items_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text and ",12.50,12.50" in text
    response = client.get(reverse("receivables:open_items_export", args=["xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1].startswith("'=") and rows[1][-1] == 12.5


def test_a_kam_exports_only_their_open_items(client, alice, money):
    response = login(client, alice).get(reverse("receivables:open_items_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode()
    assert money["overdue"].number in text and money["other"].number not in text


def test_the_open_items_csv_streams_whole_rows_in_chunks(client, fiona, issue, monkeypatch):
    from receivables import exports

    monkeypatch.setattr(exports, "CSV_CHUNK_ROWS", 2)
    for n in range(5):
        issue(AccountFactory(name=f"Client {n}"), "10.00", issued=TODAY, due=TODAY)
    response = login(client, fiona).get(reverse("receivables:open_items_export", args=["csv"]))
    chunks = [chunk.decode() for chunk in response.streaming_content]
    # The header and rows 1-2, rows 3-4, row 5: three sends, not six.
    assert [chunk.count("\r\n") for chunk in chunks] == [3, 2, 1]
    lines = "".join(chunks).splitlines()
    assert lines[0].startswith("Invoice,Account") and len(lines) == 6
    assert [line.split(",")[1] for line in lines[1:]] == [f"Client {n}" for n in range(5)]


def _grow(fiona, issue, pay, owner):
    account = AccountFactory(owner=owner)
    invoice = issue(
        account, "40.00", issued=TODAY - timedelta(days=50), due=TODAY - timedelta(days=20)
    )
    issue(account, "60.00", issued=TODAY, due=TODAY + timedelta(days=10))
    payment = pay(account, "10.00", on=TODAY)
    services.payment_allocate(actor=fiona, payment=payment, allocations=[(invoice, D(10))])


@pytest.mark.parametrize(
    ("name", "params", "queries"),
    [
        # Every page: session, user, the bell's unread count.
        # + count, the page of invoices with accounts and owners, totals per currency, the
        # list's saved views (the KAM and account pickers read no choices until one is chosen)
        ("receivables:invoice_list", {}, 7),
        # sorted by a column (the account's name: the join is already there): the same
        ("receivables:invoice_list", {"ordering": "-account"}, 7),
        # + count, the page of payments with accounts and reversals, totals per currency, the
        # list's saved views
        ("receivables:payment_list", {}, 7),
        ("receivables:payment_list", {"ordering": "account"}, 7),
        # + aging (1), behaviour from the ledger's daily sums: invoiced and paid (1; what is
        # open is the aging's totals, no second statement for it). 6 before the daily sums.
        ("receivables:aging", {}, 5),
        # + grouped overdue, their accounts, dunning levels, open promises
        ("receivables:to_chase", {}, 7),
        # + count, profiles with open amounts, overrides waiting, recent overrides, holds
        # waiting, limits proposed
        ("receivables:credit_list", {}, 9),
    ],
)
def test_list_pages_take_the_same_queries_however_many_rows(
    client, django_assert_num_queries, fiona, alice, bob, issue, pay, name, params, queries
):
    client = login(client, fiona)
    for owner in (alice, bob):
        _grow(fiona, issue, pay, owner)
        services.credit_profile_set(
            actor=fiona,
            account=owner.owned_accounts.first(),
            data={"credit_limit": D(1)},
            reason="x",
        )
    with django_assert_num_queries(queries):
        assert client.get(reverse(name), params).status_code == 200
    for owner in (alice, bob):
        _grow(fiona, issue, pay, owner)
    with django_assert_num_queries(queries):
        client.get(reverse(name), params)


def test_the_account_page_shows_the_money_panel(client, alice, money):
    page = login(client, alice).get(reverse("accounts:detail", args=[money["overdue"].account_id]))
    text = page.content.decode()
    assert 'id="money-panel"' in text and "120.00 PLN" in text  # 70 + 50 open
    assert "Friendly reminder" in text  # the next step: 10 days overdue, nothing sent yet
    # The aging bar: 50 not due and 70 overdue 1-30 days, as shares of the 120 open.
    assert '<rect class="b0" x="0" y="0" width="41.67"' in text
    assert '<rect class="b1" x="41.67" y="0" width="58.33"' in text


def test_finance_sees_the_money_panel_but_no_dossier_notes(client, fiona, money):
    page = login(client, fiona).get(reverse("accounts:detail", args=[money["overdue"].account_id]))
    assert 'id="money-panel"' in page.content.decode()


def test_a_kam_logs_a_promise_from_the_account_page(client, alice, alice_account, money):
    url = reverse("receivables:account_collection_log", args=[alice_account.pk])
    response = login(client, alice).post(
        url,
        {
            "kind": "promise",
            "happened_on": TODAY,
            "promised_on": TODAY + timedelta(days=7),
            "promised_amount": "120.00",
        },
    )
    assert response.status_code == 302
    assert alice_account.collection.get().promised_amount == D("120.00")
    assert client.get(url).status_code == 405


def test_another_kam_cannot_log_on_the_account(client, bob, alice_account, money):
    url = reverse("receivables:account_collection_log", args=[alice_account.pk])
    assert login(client, bob).post(url, {"kind": "call", "happened_on": TODAY}).status_code == 404


def test_the_money_panel_takes_the_same_queries_however_many_invoices(
    client, django_assert_num_queries, fiona, alice, alice_account, issue, pay
):
    from receivables.selectors.pages import account_money

    def grow():
        for _ in range(2):
            invoice = issue(
                alice_account,
                "40.00",
                issued=TODAY - timedelta(days=50),
                due=TODAY - timedelta(days=20),
            )
            payment = pay(alice_account, "10.00", on=TODAY)
            services.payment_allocate(actor=fiona, payment=payment, allocations=[(invoice, D(10))])

    grow()
    with django_assert_num_queries(14):  # see account_money's docstring
        account_money(user=alice, account=alice_account)
    grow()
    with django_assert_num_queries(14):
        account_money(user=alice, account=alice_account)


def test_the_creditworthiness_checklist(alice, alice_account):
    from receivables.selectors.pages import account_money, tax_id_valid

    assert tax_id_valid("PL5260250274") and tax_id_valid("526-025-02-74")
    assert tax_id_valid("DE136695976") and not tax_id_valid("PL1234567890")
    checks = {c.label: c.ok for c in account_money(user=alice, account=alice_account).checklist}
    assert checks["Credit review up to date"] is False
