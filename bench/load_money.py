"""The money side of the benchmark's organisation, written with COPY like the rest of bench/load.py.

Invoices for every delivered order (its lines, unit cost frozen) and monthly sales invoices on
top, ~300,000 in all over 24 months; credit notes for the returns; payments with their
allocations the way the accounts pay (most on time, some late, a few chronic, some in two
parts), so that a tenth or less of what is open is overdue; the dunning levels the nightly run
would have reached, calls and promises on the late payers; a credit profile (limit, terms,
status) per client; and a sales plan per KAM and month. The rows are the ones the services
would write: totals add up, paid + credited never exceeds gross, an invoice is credited to the
account's owner, and PLN documents carry the reporting rate 1.

What is computed from these rows (the ABC classes, a month of commission entries, health
scores) is left to the app's own services: see `derived()`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from commissions.models import SalesPlan
from receivables.models import (
    Allocation,
    CollectionAction,
    CreditNote,
    CreditProfile,
    DunningLevel,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
)
from receivables.services.ledger_days import ledger_days_rebuild

CENTS = Decimal("0.01")
VAT = Decimal("23.00")
RATE_ONE = Decimal(1)
MONTHS = 24
# How accounts pay: share of accounts, days after the due date (negative = early), and the
# chance that a payment covers only part of the invoice (the rest follows 20-60 days later).
BEHAVIOURS = {
    "on_time": (0.83, (-8, 0), 0.0),
    "late": (0.13, (2, 18), 0.05),
    "chronic": (0.04, (20, 70), 0.3),
}
TERMS = [14, 30, 30, 30, 45, 60]
# Sales invoices a month by tier (on top of the orders'), as weights.
TIER_WEIGHTS = {"A": 2.0, "B": 1.0, "C": 0.35}
PLAN_FACTORS = [Decimal(x) for x in ("0.85", "1.10", "0.95", "1.25", "1.00", "0.90")]
# The tables written here, whose id sequences bench/load.py resets.
MODELS = [
    Invoice,
    InvoiceLine,
    CreditNote,
    Payment,
    Allocation,
    CollectionAction,
    CreditProfile,
    SalesPlan,
]


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_back(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class _Invoice:
    row: dict
    owed: Decimal  # gross less credited


class _Numbers:
    def __init__(self):
        self.last: dict[str, int] = {}

    def next(self, prefix: str, day: date) -> str:
        stem = f"{prefix}/{day.year}/"
        self.last[stem] = self.last.get(stem, 0) + 1
        return f"{stem}{self.last[stem]:06d}"


def load_money(
    *, rng, ids, copier, accounts, kams, finance, products, orders, today, invoices_target
) -> dict[str, int]:
    """Write the money side; `orders` holds the order and line rows bench/load.py wrote,
    `copier(model)` a Copier for a model. Returns row counts."""
    by_product = {p.pk: p for p in products}
    clients = [a for a in accounts if a.row["status"] != "prospect"]
    behaviour = {
        a.id: rng.choices(list(BEHAVIOURS), [b[0] for b in BEHAVIOURS.values()])[0] for a in clients
    }
    terms = {a.id: rng.choice(TERMS) for a in clients}
    numbers = _Numbers()
    lines_of: dict[int, list[dict]] = {}
    for line in orders["lines"]:
        lines_of.setdefault(line["order_id"], []).append(line)
    returned = {r["order_line_id"]: r for r in orders["returns"]}
    client_ids = set(behaviour)

    # The documents each client gets: one per delivered order, then monthly sales invoices.
    drafts: dict[int, list[tuple[date, int, list[tuple]]]] = {a.id: [] for a in clients}
    delivered = 0
    for order in orders["orders"]:
        if order["delivered_date"] is None or order["account_id"] not in client_ids:
            continue
        day = min(order["delivered_date"] + timedelta(days=rng.randint(0, 3)), today)
        lines = [
            (by_product[ol["product_id"]], ol["quantity"], ol["unit_price"], ol)
            for ol in lines_of[order["id"]]
        ]
        drafts[order["account_id"]].append((day, order["id"], lines, order["contract_id"]))
        delivered += 1
    weights = {a.id: TIER_WEIGHTS[a.tier] for a in clients}
    extra = max(0, invoices_target - delivered)
    per_weight = extra / sum(weights.values())
    for account in clients:
        expected = per_weight * weights[account.id]
        count = int(expected) + (rng.random() < expected - int(expected))
        yearly = account.potential * Decimal("0.3")
        per_invoice = float(yearly) * MONTHS / 12 / max(1, count)
        for _ in range(count):
            day = today - timedelta(days=rng.randrange(MONTHS * 30))
            target = per_invoice * rng.uniform(0.6, 1.4)
            lines = []
            chosen = rng.sample(products, rng.randint(1, 3))
            for product in chosen:
                quantity = Decimal(max(1, int(target / len(chosen) / float(product.list_price))))
                lines.append((product, quantity, product.list_price, None))
            drafts[account.id].append((day, None, lines, None))

    invoice_rows, line_rows, credit_rows, payment_rows, allocation_rows = [], [], [], [], []
    open_invoices: list[tuple[dict, int]] = []  # (invoice row, account id), open and overdue
    late_accounts: dict[int, list[dict]] = {}
    monthly_net: dict[tuple[int, date], Decimal] = {}
    invoiced_gross: dict[int, Decimal] = {}
    for account in clients:
        kind = behaviour[account.id]
        _share, (early, late), partial = BEHAVIOURS[kind]
        for day, order_id, lines, contract_id in sorted(drafts[account.id], key=lambda d: d[0]):
            invoice_id = ids.next(Invoice)
            net_total = vat_total = cost_total = Decimal(0)
            credit_net = credit_cost = Decimal(0)
            credit_return = None
            returned_on = None
            for product, quantity, unit_price, order_line in lines:
                net = _round(quantity * unit_price)
                vat = _round(net * VAT / 100)
                cost = _round(quantity * product.unit_cost)
                net_total, vat_total, cost_total = (
                    net_total + net,
                    vat_total + vat,
                    cost_total + cost,
                )
                line_rows.append(
                    {
                        "id": ids.next(InvoiceLine),
                        "invoice_id": invoice_id,
                        "product_id": product.pk,
                        "order_line_id": order_line["id"] if order_line else None,
                        "description": product.name,
                        "quantity": quantity,
                        "unit_price": unit_price,
                        "unit_cost": product.unit_cost,
                        "vat_code": "23",
                        "vat_percent": VAT,
                        "net_amount": net,
                        "vat_amount": vat,
                        "gross_amount": net + vat,
                        "cost_amount": cost,
                    }
                )
                back = returned.get(order_line["id"]) if order_line else None
                if back is not None:
                    credit_net += _round(back["quantity"] * unit_price)
                    credit_cost += _round(back["quantity"] * product.unit_cost)
                    credit_return = back if credit_return is None else credit_return
                    returned_on = max(returned_on or back["returned_on"], back["returned_on"])
            gross = net_total + vat_total
            due = day + timedelta(days=30 if contract_id else terms[account.id])
            row = {
                "id": invoice_id,
                "number": numbers.next("FV", day),
                "account_id": account.id,
                "order_id": order_id,
                "contract_id": contract_id,
                "issue_date": day,
                "due_date": due,
                "currency": "PLN",
                "net_total": net_total,
                "vat_total": vat_total,
                "gross_total": gross,
                "cost_total": cost_total,
                "credited_total": Decimal(0),
                "paid_total": Decimal(0),
                "reporting_rate": RATE_ONE,
                "reporting_rate_day": day,
                "credited_to_id": account.owner_id,
                "created_by_id": finance.pk,
            }
            key = (account.owner_id, _month(day))
            monthly_net[key] = monthly_net.get(key, Decimal(0)) + net_total
            invoiced_gross[account.id] = invoiced_gross.get(account.id, Decimal(0)) + gross
            if credit_net:
                credit_vat = _round(credit_net * VAT / 100)
                credit_day = max(min(returned_on, today), day)
                credit_rows.append(
                    {
                        "id": ids.next(CreditNote),
                        "number": numbers.next("KOR", credit_day),
                        "invoice_id": invoice_id,
                        "account_id": account.id,
                        "issue_date": credit_day,
                        "reason": CreditNote.Reason.RETURN,
                        # One credit note per return: a second returned line shares it.
                        "return_record_id": credit_return["id"],
                        "currency": "PLN",
                        "net_amount": credit_net,
                        "vat_amount": credit_vat,
                        "gross_amount": credit_net + credit_vat,
                        "cost_amount": credit_cost,
                        "note": "Goods returned.",
                        "reporting_rate": RATE_ONE,
                        "reporting_rate_day": credit_day,
                        "created_by_id": finance.pk,
                    }
                )
                row["credited_total"] = credit_net + credit_vat
                monthly_net[key] -= credit_net
            owed = gross - row["credited_total"]
            _pay(
                rng=rng,
                row=row,
                owed=owed,
                window=(early, late),
                partial=partial,
                today=today,
                ids=ids,
                finance=finance,
                payments=payment_rows,
                allocations=allocation_rows,
            )
            invoice_rows.append(row)
            if row["status"] in (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID) and (
                due < today
            ):
                open_invoices.append((row, account.id))
                if kind != "on_time":
                    late_accounts.setdefault(account.id, []).append(row)
    actions = _collection(
        rng=rng,
        ids=ids,
        overdue=open_invoices,
        late_accounts=late_accounts,
        owners={a.id: a.owner_id for a in clients},
        finance=finance,
        today=today,
    )
    counts = {
        "invoices": copier(Invoice).copy(invoice_rows),
        "invoice lines": copier(InvoiceLine).copy(line_rows),
        "credit notes": copier(CreditNote).copy(credit_rows),
        "payments": copier(Payment).copy(payment_rows),
        "allocations": copier(Allocation).copy(allocation_rows),
        "collection actions": copier(CollectionAction).copy(actions),
    }
    # The ledger's daily sums, which the services keep as they write (COPY went past them).
    counts["ledger days"] = ledger_days_rebuild()
    counts["credit profiles"] = copier(CreditProfile).copy(
        _profiles(
            rng=rng,
            ids=ids,
            clients=clients,
            behaviour=behaviour,
            terms=terms,
            invoiced=invoiced_gross,
            finance=finance,
            today=today,
        )
    )
    counts["sales plans"] = copier(SalesPlan).copy(
        _plans(rng=rng, ids=ids, kams=kams, actual=monthly_net, today=today)
    )
    return counts


def _pay(*, rng, row, owed, window, partial, today, ids, finance, payments, allocations):
    """Payments of one invoice, the way its account pays; sets its status and paid total."""
    paid_on = max(row["due_date"] + timedelta(days=rng.randint(*window)), row["issue_date"])
    if owed <= 0:
        row["status"] = InvoiceStatus.CREDITED
        return
    if paid_on > today:
        row["status"] = InvoiceStatus.ISSUED
        return
    amount = owed
    if rng.random() < partial:
        amount = _round(owed * Decimal(rng.choice(["0.3", "0.5", "0.7"])))
    parts = [(paid_on, amount)]
    rest_on = paid_on + timedelta(days=rng.randint(20, 60))
    if amount < owed and rest_on <= today:
        parts.append((rest_on, owed - amount))
    for number, (on, part) in enumerate(parts, start=1):
        payment_id = ids.next(Payment)
        payments.append(
            {
                "id": payment_id,
                "account_id": row["account_id"],
                "received_on": on,
                "amount": part,
                "currency": "PLN",
                "payer_reference": f"Przelew {row['number']}",
                "external_ref": f"BENCH-{row['number']}-{number}",
                "source": Payment.Source.BANK,
                "allocated_total": part,
                "created_by_id": finance.pk,
            }
        )
        allocations.append(
            {
                "id": ids.next(Allocation),
                "payment_id": payment_id,
                "invoice_id": row["id"],
                "amount": part,
                "effective_on": on,
                "days_late": max(0, (on - row["due_date"]).days),
                "created_by_id": finance.pk,
            }
        )
    row["paid_total"] = sum(part for _on, part in parts)
    row["status"] = (
        InvoiceStatus.PAID if row["paid_total"] == owed else InvoiceStatus.PARTIALLY_PAID
    )


def _collection(*, rng, ids, overdue, late_accounts, owners, finance, today) -> list[dict]:
    """The dunning levels the nightly run would have reached on each overdue invoice (one
    level a night), and a call, sometimes a promise, on each late payer's oldest one."""
    levels = list(DunningLevel.objects.order_by("days_after_due"))
    actions = []
    for row, account_id in overdue:
        late_by = (today - row["due_date"]).days
        for night, level in enumerate(lv for lv in levels if lv.days_after_due <= late_by):
            actions.append(
                {
                    "id": ids.next(CollectionAction),
                    "account_id": account_id,
                    "invoice_id": row["id"],
                    "kind": CollectionAction.Kind.LEVEL,
                    "level_id": level.pk,
                    "happened_on": row["due_date"] + timedelta(days=level.days_after_due + night),
                    "note": f"Proposed by the nightly run: {level.name}.",
                    "by_id": finance.pk,
                }
            )
            row["dunning_level_id"] = level.pk
    for account_id, rows in late_accounts.items():
        oldest = min(rows, key=lambda r: r["due_date"])
        called = min(today, oldest["due_date"] + timedelta(days=rng.randint(3, 10)))
        common = {"account_id": account_id, "invoice_id": oldest["id"], "by_id": owners[account_id]}
        actions.append(
            {
                "id": ids.next(CollectionAction),
                **common,
                "kind": CollectionAction.Kind.CALL,
                "happened_on": called,
                "note": "Accounts payable say the invoice is with the approver.",
            }
        )
        if rng.random() < 0.6:
            promised = min(today + timedelta(days=10), called + timedelta(days=rng.randint(5, 20)))
            actions.append(
                {
                    "id": ids.next(CollectionAction),
                    **common,
                    "kind": CollectionAction.Kind.PROMISE,
                    "happened_on": called,
                    "promised_on": promised,
                    "promised_amount": oldest["gross_total"]
                    - oldest["credited_total"]
                    - oldest["paid_total"],
                    "promise_state": CollectionAction.PromiseState.BROKEN
                    if promised < today
                    else CollectionAction.PromiseState.OPEN,
                    "note": "Promised on the phone by the CFO.",
                }
            )
    return actions


def _profiles(*, rng, ids, clients, behaviour, terms, invoiced, finance, today):
    """A limit of about three months of the account's invoicing, tighter for poor payers."""
    factor = {"on_time": Decimal(3), "late": Decimal(2), "chronic": Decimal("1.2")}
    for account in clients:
        kind = behaviour[account.id]
        status = "ok"
        if kind == "chronic":
            status = rng.choice(["watch", "watch", "hold"])
        elif kind == "late" and rng.random() < 0.15:
            status = "watch"
        monthly = invoiced.get(account.id, Decimal(0)) / MONTHS
        limit = _round(monthly * factor[kind] * Decimal(str(round(rng.uniform(0.8, 1.2), 3))))
        last = today - timedelta(days=rng.randint(20, 330))
        yield {
            "id": ids.next(CreditProfile),
            "account_id": account.id,
            "credit_limit": max(Decimal(10_000), (limit // 1000) * 1000),
            "currency": "PLN",
            "payment_terms_days": terms[account.id],
            "status": status,
            "last_review": last,
            "next_review": last + timedelta(days=365),
            "reason": "Annual review.",
            "set_by_id": finance.pk,
        }


def _plans(*, rng, ids, kams, actual, today):
    """Every KAM's plan for the last 24 months and the rest of this year: what they invoiced
    (net less credit notes), scaled per KAM so that some beat it and some fall short."""
    this_month = _month(today)
    months = [_months_back(today, back) for back in range(MONTHS, 0, -1)]
    months += [date(today.year, m, 1) for m in range(today.month, 13)]
    for index, kam in enumerate(kams):
        factor = PLAN_FACTORS[index % len(PLAN_FACTORS)]
        for month in months:
            done = actual.get((kam.pk, month))
            if done is None or month >= this_month:
                done = actual.get((kam.pk, _months_back(month, 12)), Decimal(0)) * Decimal("1.08")
            wobble = Decimal(str(round(rng.uniform(0.95, 1.05), 3)))
            revenue = (max(done, Decimal(0)) * factor * wobble / 100).quantize(Decimal(1)) * 100
            yield {
                "id": ids.next(SalesPlan),
                "kam_id": kam.pk,
                "month": month,
                "currency": "PLN",
                "revenue_target": revenue,
                "margin_target": _round(revenue * Decimal("0.28")),
                "new_clients_target": 1 if month.month % 3 == 0 else 0,
            }


def derived(*, finance, today: date) -> dict[str, float]:
    """What the app computes from the loaded rows, by its own services, timed: the ABC
    classification (which also sets the tiers), last month's commission entries and
    statements, and this month's health scores. Returns seconds per step."""
    import time

    from commissions.services import periods
    from commissions.services.abc import abc_run
    from health.services import health_scores_compute

    seconds = {}
    started = time.perf_counter()
    abc_run(as_of=today)
    seconds["ABC run"] = time.perf_counter() - started
    started = time.perf_counter()
    period = periods.period_get_or_create(month=_months_back(today, 1))
    periods.period_calculate(actor=finance, period=period)
    seconds["commission calculation"] = time.perf_counter() - started
    started = time.perf_counter()
    health_scores_compute(notify=False)
    seconds["health scores"] = time.perf_counter() - started
    return seconds
