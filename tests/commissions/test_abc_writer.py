"""The ABC run on PostgreSQL compares and writes the classes in one statement; on SQLite it
does so in Python. The Python writer is the reference: the same days played both ways from
the same start leave the same classes, class changes, tiers, trail, manual tiers,
concentration and alerts, down to the last digit of every share."""

import random
from datetime import timedelta
from decimal import Decimal, localcontext
from unittest import mock

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Account, AccountEvent
from activities.models import Notification
from commissions.models import AbcRun, AccountClass, Concentration, TierChange, TierOverride
from commissions.selectors.abc import half_even
from commissions.services.abc import CLASS_FIGURES, abc_run, tier_override_set
from receivables import services as money
from tests.commissions.test_abc_currencies import sell
from tests.factories import AccountFactory

D = Decimal
ISSUED = timezone.localdate() - timedelta(days=40)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the writer in SQL is PostgreSQL's"
    ),
]


@pytest.fixture
def book(fiona, alice, charlie, dora):
    """Revenue of 400,000.00 in all, so that shares fall on halves of the fourth decimal,
    rounded to even (half up would give one more): Hundred 100,000.00 (25 %), Almost
    99,999.40 (24.99985 %: 24.9998; cumulative 49.99985: 49.9998), South 77,777.80
    (19.44445 %: 19.4444), Loss 42,222.60 at a cost above its price (10.55565 %: 10.5556;
    cumulative 79.99995: 80.0000, class A), two tied at 40,000.00 (exactly 10 %: key
    clients; the first crosses 80 %: B, the second 95 %: C), Cent 0.20 (0.00005 %: 0.0000);
    Nothing bought nothing, Refunded's credit note outweighs its window's invoices. Tiers
    as they were before any run: some A, some B, some C."""
    accounts = {}
    sold = [
        ("Hundred", alice, "100000.00", "40000.00", "C"),
        ("Almost", alice, "99999.40", "0", "A"),
        ("South", charlie, "77777.80", "11111.11", "C"),
        ("Loss", alice, "42222.60", "50000.00", "C"),
        ("Tie one", alice, "40000.00", "5000.00", "B"),
        ("Tie two", alice, "40000.00", "5000.00", "C"),
        ("Cent", alice, "0.20", "0", "A"),
    ]
    for name, owner, price, cost, tier in sold:
        accounts[name] = AccountFactory(owner=owner, name=name, tier=tier)
        sell(fiona, accounts[name], price, cost=cost, issued=ISSUED)
    accounts["Nothing"] = AccountFactory(owner=alice, name="Nothing", tier="A")
    accounts["Refunded"] = AccountFactory(owner=charlie, name="Refunded", tier="B")
    old = sell(fiona, accounts["Refunded"], "900.00", issued=ISSUED - timedelta(days=400))
    money.credit_note_issue(
        actor=fiona, invoice=old, issue_date=ISSUED, reason="price", net_amount=D("800.00")
    )
    return accounts


def snapshot():
    """Everything the run leaves, ids replaced by names and by the runs' order."""
    names = dict(Account.objects.values_list("pk", "name"))
    runs = {
        pk: i for i, pk in enumerate(AbcRun.objects.order_by("pk").values_list("pk", flat=True))
    }
    return {
        "runs": list(
            AbcRun.objects.order_by("pk").values_list(
                "as_of", "currency", "total_revenue", "accounts", "changes", "unrated_documents"
            )
        ),
        "classes": {
            names[row[0]]: (runs[row[1]], *row[2:])
            for row in AccountClass.objects.values_list("account_id", "run_id", *CLASS_FIGURES)
        },
        "changes": [
            (names[row[0]], runs.get(row[1]), *row[2:])
            for row in TierChange.objects.order_by("pk").values_list(
                "account_id",
                "run_id",
                "changed_on",
                "from_tier",
                "to_tier",
                "share",
                "rank",
                "source",
                "by_id",
                "note",
            )
        ],
        "tiers": {
            names[pk]: rest for pk, *rest in Account.objects.values_list("pk", "tier", "version")
        },
        "trail": [
            (names[row[0]], *row[1:])
            for row in AccountEvent.objects.filter(kind="tier_changed")
            .order_by("pk")
            .values_list("account_id", "from_value", "to_value", "detail", "actor_id")
        ],
        "manual": [
            (account_id, tier, expires_on, lifted_at is None)
            for account_id, tier, expires_on, lifted_at in TierOverride.objects.order_by(
                "pk"
            ).values_list("account_id", "tier", "expires_on", "lifted_at")
        ],
        "concentration": list(
            Concentration.objects.order_by("month", "territory_id").values_list(
                "month",
                "territory_id",
                "currency",
                "total_revenue",
                "accounts",
                "top1_share",
                "top5_share",
                "top20_share",
                "hhi",
            )
        ),
        "alerts": [
            (r, kind, st, names.get(sid) if st == "account" else sid, occasion, title, body)
            for r, kind, st, sid, occasion, title, body in Notification.objects.order_by(
                "pk"
            ).values_list(
                "recipient_id", "kind", "subject_type", "subject_id", "occasion", "title", "body"
            )
        ],
    }


def play(*, in_database: bool, book, fiona, dora, alice, today) -> list[dict]:
    """The days: a first run on a fresh database (every class new), a second the same day,
    a manual tier set, a credit note (an A account falls to C) and a new account before a
    third, the manual tier expired before a fourth; what each leaves."""
    seen = []
    with mock.patch("commissions.services.abc._in_database", return_value=in_database):
        abc_run(as_of=today)
        seen.append(snapshot())
        abc_run(as_of=today, actor=None)
        seen.append(snapshot())
        tier_override_set(
            actor=dora,
            account=book["Loss"],
            tier="C",
            reason="strategic",
            expires_on=today + timedelta(days=30),
        )
        tier_override_set(
            actor=dora,
            account=book["Cent"],
            tier="A",
            reason="held",
            expires_on=today + timedelta(days=30),
        )
        money.credit_note_issue(
            actor=fiona,
            invoice=book["Almost"].invoices.get(),
            issue_date=ISSUED,
            reason="price",
            net_amount=D("99990.00"),
        )  # 99,999.40 -> 9.40: from A to C
        newcomer = AccountFactory(owner=alice, name="Newcomer", tier="A")
        sell(fiona, newcomer, "5000.00", issued=ISSUED)
        abc_run(as_of=today)
        seen.append(snapshot())
        TierOverride.objects.filter(account=book["Loss"]).update(
            expires_on=today - timedelta(days=1)
        )
        abc_run(as_of=today)
        seen.append(snapshot())
    return seen


def test_the_statement_leaves_what_the_python_writer_leaves(book, fiona, dora, alice):
    today = timezone.localdate()
    start = transaction.savepoint()
    by_python = play(in_database=False, book=book, fiona=fiona, dora=dora, alice=alice, today=today)
    transaction.savepoint_rollback(start)
    by_sql = play(in_database=True, book=book, fiona=fiona, dora=dora, alice=alice, today=today)

    for day, (python, sql) in enumerate(zip(by_python, by_sql, strict=True)):
        for part in python:
            assert sql[part] == python[part], (day, part)
    # The edge cases are really there. A class: run, class, revenue, margin, rank, share,
    # cumulative share, rank by margin, share of margin, class by margin, key.
    first, second, third, fourth = by_sql
    classes = first["classes"]
    assert classes["Almost"][5:7] == (D("24.9998"), D("49.9998"))
    assert classes["South"][5] == D("19.4444") and classes["Cent"][5] == 0
    assert classes["Loss"][1] == "A" and classes["Loss"][5:7] == (D("10.5556"), D("80.0000"))
    assert classes["Loss"][8] == 0  # a negative margin has no share of the margin
    assert classes["Tie one"][2] == classes["Tie two"][2] == D("40000.00")
    assert (classes["Tie one"][1], classes["Tie two"][1]) == ("B", "C")
    assert classes["Tie two"][10] is True and classes["Tie two"][5] == 10
    assert (classes["Nothing"][1], classes["Refunded"][1], classes["Refunded"][5]) == ("C", "C", 0)
    assert second["changes"] == first["changes"] and second["runs"][1][4] == 0
    assert second["classes"] == first["classes"]  # every row still names the first run
    assert any(c[:2] == ("Almost", 2) and c[3:5] == ("A", "C") for c in third["changes"])
    assert any(a[1] == "abc_a_to_c" and a[3] == "Almost" for a in third["alerts"])
    assert any(a[1] == "abc_top_account" for a in first["alerts"])
    assert third["classes"]["Newcomer"][0] == 2
    assert third["tiers"]["Cent"][0] == "A"  # the live manual tier wins over class C
    assert third["tiers"]["Loss"][0] == "C" and fourth["tiers"]["Loss"][0] == "A"
    assert any(c[0] == "Loss" and c[7] == "expired" for c in fourth["changes"])


def test_half_to_even_in_sql_rounds_as_decimal_quantize():
    rng = random.Random(10)
    pairs = [(D("0.01"), D("200000.00")), (D("99999.99"), D("200000.00")), (D(1), D(8))]
    for _ in range(3000):
        total = D(rng.randint(1, 10**12)) / 100
        pairs.append((D(rng.randint(0, int(total * 100))) / 100, total))
    # Ties at the fourth decimal: part / total = k / 200,000 with k odd.
    for _ in range(500):
        total = D(rng.randint(1, 10**6) * 200000) / 100
        pairs.append((total * rng.randrange(1, 200000, 2) / 200000, total))
    values = ", ".join(f"({p}::numeric, {t}::numeric)" for p, t in pairs)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {half_even('p * 100', 't', 4)}, {half_even('p * p * 10000', 't * t', 2)} "  # noqa: S608
            f"FROM (VALUES {values}) v(p, t)"
        )
        got = cursor.fetchall()
    with localcontext(prec=60):  # as the concentration's HHI is computed
        for (part, total), (share, squares) in zip(pairs, got, strict=True):
            assert share == (part * 100 / total).quantize(D("0.0001")), (part, total)
            hhi = (part * part * 10000 / (total * total)).quantize(D("0.01"))
            assert squares == hhi, (part, total)
