"""Demo data for receivables: 24 months of invoices for the demo accounts (their delivered orders
and monthly sales whose revenue follows the accounts' potential), payments that differ per
account (most on time, some late, a few chronic, some partial), credit notes for returns, credit
limits with a few accounts on watch or hold, offers blocked by credit waiting for a director,
and collection actions with promises to pay (one broken).

Rows are built in memory with their running totals and inserted in bulk; the ledger they make
is the one the services would (tests/receivables/test_demo.py checks it adds up).
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Account
from core.models import ExchangeRate
from core.money import DEFAULT_CURRENCY, money_round, rate_to_reporting
from deals.models import OPEN_STAGES, Deal, Offer, OfferLine, Order, OrderLine, Product, Return
from deals.pricing import line_price
from team.demo import DemoOptions
from team.models import Role, User

from .models import (
    Allocation,
    CollectionAction,
    CreditNote,
    CreditOverride,
    CreditProfile,
    CreditStatus,
    DunningLevel,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    VatRate,
)
from .services.collection import dunning_run
from .services.ledger_days import ledger_days_rebuild

CHUNK = 2000
MONTHS = 24
VAT = Decimal("23.00")
# How accounts pay: share of accounts, days after the due date (negative = early), and the
# chance that a payment covers only part of the invoice.
BEHAVIOURS = {
    "on_time": (0.83, (-8, 0), 0.0),
    "late": (0.13, (2, 18), 0.05),
    "chronic": (0.04, (20, 70), 0.3),
}
# Invoices a month by tier (a C client buys every few months).
INVOICES_PER_MONTH = {"A": 2.0, "B": 1.0, "C": 0.35}
TERMS = [14, 30, 30, 30, 45, 60]
# Supplies to a client in another EU country: VAT 0 % (intra-Community supply).
FOREIGN_VAT = ("0", Decimal("0.00"))


@dataclass
class _Book:
    invoices: list[tuple[Invoice, list[InvoiceLine]]] = field(default_factory=list)
    payments: list[tuple[Payment, list[tuple[int, Decimal]]]] = field(default_factory=list)
    credits: list[tuple[int, CreditNote]] = field(default_factory=list)
    actions: list[tuple[int | None, CollectionAction]] = field(default_factory=list)


class _Numbers:
    def __init__(self):
        self.last: dict[str, int] = {}

    def next(self, prefix: str, day: date) -> str:
        stem = f"{prefix}/{day.year}/"
        self.last[stem] = self.last.get(stem, 0) + 1
        return f"{stem}{self.last[stem]:06d}"


# The migration seeds the collection ladder and the VAT labels in neutral English; a Polish
# finance team writes them so (the dunning letter prints the level's text).
DEMO_DUNNING_LEVELS = {
    1: (
        "Przypomnienie o płatności",
        "Szanowni Państwo,\n\nw naszej ewidencji poniższe faktury pozostają nieopłacone po "
        "terminie płatności. Jeśli płatność została już dokonana, prosimy uznać to "
        "przypomnienie za nieaktualne.",
    ),
    2: (
        "Wezwanie do zapłaty",
        "Szanowni Państwo,\n\nponiższe faktury są już dwa tygodnie po terminie. Prosimy o "
        "zapłatę w ciągu 7 dni lub o informację, dlaczego płatność jest wstrzymana.",
    ),
    3: (
        "Ostateczne wezwanie do zapłaty",
        "Szanowni Państwo,\n\nmimo naszych przypomnień poniższe faktury pozostają "
        "nieopłacone. Jeśli nie zostaną opłacone w ciągu 7 dni od otrzymania tego pisma, "
        "wstrzymamy dostawy i przekażemy należność do windykacji.",
    ),
    4: (
        "Przekazanie do działu prawnego",
        "Szanowni Państwo,\n\nwobec braku zapłaty poniższych faktur przekazujemy należność "
        "naszemu działowi prawnemu do windykacji.",
    ),
}
DEMO_VAT_LABELS = {"zw": "zw (zwolniony)"}


def _polish_reference_data() -> None:
    for rank, (name, letter_text) in DEMO_DUNNING_LEVELS.items():
        DunningLevel.objects.filter(rank=rank).update(name=name, letter_text=letter_text)
    for code, label in DEMO_VAT_LABELS.items():
        VatRate.objects.filter(code=code).update(label=label)


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    _polish_reference_data()
    rng = options.rng
    today = timezone.localdate()
    finance = User.objects.filter(role=Role.FINANCE).order_by("pk").first()
    accounts = list(
        Account.objects.exclude(status=Account.Status.PROSPECT)
        .select_related("owner")
        .order_by("pk")
    )
    products = list(Product.objects.filter(is_active=True, currency="PLN").order_by("pk"))
    if finance is None or not products:
        return {}
    totals = {"exchange rates": _exchange_rates(today=today)}
    orders = _delivered_orders(today=today)
    returns = _returns_by_line()
    numbers = _Numbers()
    behaviour = {a.pk: _behaviour(rng) for a in accounts}
    profiles = _profiles(
        rng=rng, accounts=accounts, behaviour=behaviour, finance=finance, today=today
    )
    totals |= dict.fromkeys(["invoices", "payments", "credit notes", "collection actions"], 0)
    for start in range(0, len(accounts), CHUNK // 10):
        book = _Book()
        for account in accounts[start : start + CHUNK // 10]:
            _account_book(
                rng=rng,
                book=book,
                account=account,
                kind=behaviour[account.pk],
                terms=profiles[account.pk].payment_terms_days or 30,
                products=products,
                orders=orders.get(account.pk, []),
                returns=returns,
                numbers=numbers,
                finance=finance,
                today=today,
            )
        _insert(book=book)
        totals["invoices"] += len(book.invoices)
        totals["payments"] += len(book.payments)
        totals["credit notes"] += len(book.credits)
        totals["collection actions"] += len(book.actions)
    _limits_from_history(profiles=profiles, behaviour=behaviour, rng=rng)
    overrides = _blocked_offers(rng=rng, profiles=profiles, today=today)
    bulk_create_with_history(list(profiles.values()), CreditProfile, batch_size=CHUNK)
    bulk_create_with_history(overrides, CreditOverride, batch_size=CHUNK)
    totals["credit overrides"] = len(overrides)
    totals["ledger days"] = ledger_days_rebuild()  # the ledger was written past the services
    # Three nights of the dunning run, so overdue invoices have reached their first levels.
    for night in (2, 1, 0):
        dunning_run(today=today - timedelta(days=night))
    return totals


def _exchange_rates(*, today: date) -> int:
    """NBP-like mid rates of the euro for every working day of the demo's months, numbered as
    NBP numbers its tables. Drawn from a formula, not from the random stream, so the rest of
    the demo is the same with or without them."""
    rows, number, year = [], 0, None
    day = today - timedelta(days=MONTHS * 31 + 10)
    while day <= today:
        if day.weekday() < 5:
            number = 1 if day.year != year else number + 1
            year = day.year
            wave = 0.09 * math.sin(day.toordinal() / 37) + 0.025 * math.sin(day.toordinal() / 5.3)
            rows.append(
                ExchangeRate(
                    day=day,
                    currency="EUR",
                    rate=Decimal(str(round(4.30 + wave, 4))),
                    source=f"NBP A {number:03d}/A/NBP/{day.year}",
                )
            )
        day += timedelta(days=1)
    ExchangeRate.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def _behaviour(rng: random.Random) -> str:
    names = list(BEHAVIOURS)
    return rng.choices(names, weights=[BEHAVIOURS[n][0] for n in names])[0]


def _delivered_orders(*, today: date) -> dict[int, list[tuple[Order, list[OrderLine]]]]:
    """The demo's delivered orders (a week or more ago) with their lines, by account."""
    lines: dict[int, list[OrderLine]] = {}
    for line in OrderLine.objects.filter(
        order__status=Order.Status.DELIVERED, order__delivered_date__lte=today - timedelta(days=7)
    ).select_related("product", "order__contract"):
        lines.setdefault(line.order_id, []).append(line)
    by_account: dict[int, list] = {}
    for order_lines in lines.values():
        order = order_lines[0].order
        by_account.setdefault(order.account_id, []).append((order, order_lines))
    return by_account


def _returns_by_line() -> dict[int, Return]:
    return {r.order_line_id: r for r in Return.objects.order_by("pk")}


def _profiles(*, rng, accounts, behaviour, finance, today) -> dict[int, CreditProfile]:
    profiles = {}
    for account in accounts:
        kind = behaviour[account.pk]
        status = CreditStatus.OK
        if kind == "chronic":
            status = rng.choice([CreditStatus.WATCH, CreditStatus.WATCH, CreditStatus.HOLD])
        elif kind == "late" and rng.random() < 0.15:
            status = CreditStatus.WATCH
        last = today - timedelta(days=rng.randint(20, 330))
        profiles[account.pk] = CreditProfile(
            account=account,
            currency=account.currency,
            payment_terms_days=rng.choice(TERMS),
            status=status,
            last_review=last,
            next_review=last + timedelta(days=365),
            reason={
                CreditStatus.OK: "Przegląd roczny: płaci terminowo.",
                CreditStatus.WATCH: "Płatności się opóźniają; obserwować przed podniesieniem "
                "limitu.",
                CreditStatus.HOLD: "Notorycznie spóźnia się z płatnościami: bez nowego kredytu "
                "do spłaty starych faktur.",
            }[status],
            set_by=finance,
        )
    return profiles


def _invoice(
    *, account, day, terms, lines, numbers, finance, order=None
) -> tuple[Invoice, list[InvoiceLine]]:
    """An invoice in the account's currency. Our prices are in zloty: abroad they are
    converted at the day's rate, the lines name the product without linking the zloty one."""
    currency = account.currency
    used = rate_to_reporting(currency, on=day)
    local = currency == DEFAULT_CURRENCY
    vat_code, vat_percent = ("23", VAT) if local else FOREIGN_VAT
    invoice = Invoice(
        number=numbers.next("FV", day),
        account=account,
        order=order,
        contract=order.contract if order is not None else None,
        issue_date=day,
        due_date=day
        + timedelta(days=order.contract.payment_terms_days if order and order.contract else terms),
        currency=currency,
        credited_to_id=account.owner_id,
        created_by=finance,
        reporting_rate=used.rate if used else None,
        reporting_rate_day=used.day if used else None,
    )
    priced = []
    for product, quantity, unit_price, order_line in lines:
        rate = Decimal(1) if local else used.rate
        unit_cost = money_round(product.unit_cost / rate, currency)
        net = money_round(quantity * unit_price, currency)
        vat = money_round(net * vat_percent / 100, currency)
        priced.append(
            InvoiceLine(
                invoice=invoice,
                product=product if local else None,
                order_line=order_line,
                description=str(product) if local else product.name,
                quantity=quantity,
                unit_price=unit_price,
                unit_cost=unit_cost,
                vat_code=vat_code,
                vat_percent=vat_percent,
                net_amount=net,
                vat_amount=vat,
                gross_amount=net + vat,
                cost_amount=money_round(quantity * unit_cost, currency),
            )
        )
    invoice.net_total = sum(line.net_amount for line in priced)
    invoice.vat_total = sum(line.vat_amount for line in priced)
    invoice.gross_total = invoice.net_total + invoice.vat_total
    invoice.cost_total = sum(line.cost_amount for line in priced)
    return invoice, priced


def _account_book(
    *, rng, book, account, kind, terms, products, orders, returns, numbers, finance, today
) -> None:
    drafts: list[tuple[Invoice, list[InvoiceLine]]] = []
    for order, order_lines in orders:
        day = min(order.delivered_date + timedelta(days=rng.randint(0, 3)), today)
        drafts.append(
            _invoice(
                account=account,
                day=day,
                terms=terms,
                numbers=numbers,
                finance=finance,
                order=order,
                lines=[(ol.product, ol.quantity, ol.unit_price, ol) for ol in order_lines],
            )
        )
    monthly = float(account.potential_amount or 50_000) / 12 * rng.uniform(0.2, 0.45)
    rate = INVOICES_PER_MONTH.get(account.tier, 0.35)
    for month in range(MONTHS):
        count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        for _ in range(count):
            day = today - timedelta(days=month * 30 + rng.randint(0, 29))
            target = monthly / max(rate, 1) * rng.uniform(0.6, 1.4)
            lines = []
            used = rate_to_reporting(account.currency, on=day)
            for product in rng.sample(products, rng.randint(1, 3)):
                price = money_round(product.list_price / used.rate, account.currency)
                quantity = Decimal(max(1, int(target / 2 / float(price) + 0.5)))
                lines.append((product, quantity, price, None))
            drafts.append(
                _invoice(
                    account=account,
                    day=day,
                    terms=terms,
                    lines=lines,
                    numbers=numbers,
                    finance=finance,
                )
            )
    drafts.sort(key=lambda d: (d[0].issue_date, d[0].number))
    for invoice, lines in drafts:
        credit = _credit_for_returns(
            invoice=invoice,
            lines=lines,
            returns=returns,
            numbers=numbers,
            finance=finance,
            today=today,
        )
        if credit is not None:
            invoice.credited_total = credit.gross_amount
            book.credits.append((len(book.invoices), credit))
        book.invoices.append((invoice, lines))
        _pay(rng=rng, book=book, invoice=invoice, kind=kind, finance=finance, today=today)
    _collection(rng=rng, book=book, account=account, kind=kind, today=today)


def _credit_for_returns(*, invoice, lines, returns, numbers, finance, today) -> CreditNote | None:
    returned = [
        (line, returns[line.order_line.pk])
        for line in lines
        if line.order_line and line.order_line.pk in returns
    ]
    if not returned:
        return None
    net = sum(money_round(r.quantity * line.unit_price) for line, r in returned)
    vat = money_round(net * VAT / 100)
    day = max(min(max(r.returned_on for _, r in returned), today), invoice.issue_date)
    return CreditNote(
        number=numbers.next("KOR", day),
        account_id=invoice.account_id,
        issue_date=day,
        reason=CreditNote.Reason.RETURN,
        return_record=returned[0][1] if len(returned) == 1 else None,
        currency="PLN",
        net_amount=net,
        vat_amount=vat,
        gross_amount=net + vat,
        cost_amount=sum(money_round(r.quantity * line.unit_cost) for line, r in returned),
        reporting_rate=Decimal(1),
        reporting_rate_day=day,
        note="Zwrot towaru, ilość: " + ", ".join(str(r.quantity.normalize()) for _, r in returned),
        created_by=finance,
    )


def _pay(*, rng, book, invoice, kind, finance, today) -> None:
    _share, (early, late), partial = BEHAVIOURS[kind]
    paid_on = invoice.due_date + timedelta(days=rng.randint(early, late))
    paid_on = max(paid_on, invoice.issue_date)
    owed = invoice.gross_total - invoice.credited_total
    if paid_on > today or owed <= 0:
        invoice.status = InvoiceStatus.ISSUED if owed > 0 else InvoiceStatus.CREDITED
        return
    amount = owed
    if rng.random() < partial:
        amount = money_round(owed * Decimal(rng.choice(["0.3", "0.5", "0.7"])))
    payment = Payment(
        account_id=invoice.account_id,
        received_on=paid_on,
        amount=amount,
        currency=invoice.currency,
        payer_reference=f"Przelew {invoice.number}",
        external_ref=f"DEMO-{invoice.number}",
        source=Payment.Source.BANK,
        allocated_total=amount,
        created_by=finance,
    )
    invoice.paid_total = amount
    invoice.status = InvoiceStatus.PAID if amount == owed else InvoiceStatus.PARTIALLY_PAID
    book.payments.append((payment, [(len(book.invoices) - 1, amount)]))
    rest_on = paid_on + timedelta(days=rng.randint(20, 60))
    if amount < owed and rest_on <= today:
        rest = owed - amount
        book.payments.append(
            (
                Payment(
                    account_id=invoice.account_id,
                    received_on=rest_on,
                    amount=rest,
                    currency=invoice.currency,
                    payer_reference=f"Przelew {invoice.number} reszta",
                    external_ref=f"DEMO-{invoice.number}-2",
                    source=Payment.Source.BANK,
                    allocated_total=rest,
                    created_by=finance,
                ),
                [(len(book.invoices) - 1, rest)],
            )
        )
        invoice.paid_total = owed
        invoice.status = InvoiceStatus.PAID


def _collection(*, rng, book, account, kind, today) -> None:
    """Calls and promises on the account's overdue invoices (late and chronic payers)."""
    overdue = [
        (i, inv)
        for i, (inv, _) in enumerate(book.invoices)
        if inv.account_id == account.pk
        and inv.status in (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID)
        and inv.due_date < today
    ]
    if kind == "on_time" or not overdue:
        return
    index, invoice = overdue[0]
    called = min(today, invoice.due_date + timedelta(days=rng.randint(3, 10)))
    book.actions.append(
        (
            index,
            CollectionAction(
                account=account,
                kind=CollectionAction.Kind.CALL,
                happened_on=called,
                note="Księgowość klienta: faktura czeka na akceptację.",
                by=account.owner,
            ),
        )
    )
    if invoice.due_date >= today - timedelta(days=30) and rng.random() < 0.6:
        promised = min(today + timedelta(days=10), called + timedelta(days=rng.randint(5, 20)))
        open_amount = invoice.gross_total - invoice.credited_total - invoice.paid_total
        state = (
            CollectionAction.PromiseState.BROKEN
            if promised < today
            else CollectionAction.PromiseState.OPEN
        )
        book.actions.append(
            (
                index,
                CollectionAction(
                    account=account,
                    kind=CollectionAction.Kind.PROMISE,
                    happened_on=called,
                    promised_on=promised,
                    promised_amount=open_amount,
                    promise_state=state,
                    note="Dyrektor finansowy obiecał zapłatę przez telefon.",
                    by=account.owner,
                ),
            )
        )


def _insert(*, book: _Book) -> None:
    invoices = [inv for inv, _ in book.invoices]
    Invoice.objects.bulk_create(invoices, batch_size=CHUNK)
    InvoiceLine.objects.bulk_create(
        [_attach(line, invoice=inv) for inv, lines in book.invoices for line in lines],
        batch_size=CHUNK,
    )
    CreditNote.objects.bulk_create(
        [_attach(credit, invoice=invoices[i]) for i, credit in book.credits], batch_size=CHUNK
    )
    Payment.objects.bulk_create([p for p, _ in book.payments], batch_size=CHUNK)
    allocations = []
    for payment, shares in book.payments:
        for index, amount in shares:
            invoice = invoices[index]
            allocations.append(
                Allocation(
                    payment=payment,
                    invoice=invoice,
                    amount=amount,
                    effective_on=payment.received_on,
                    days_late=max(0, (payment.received_on - invoice.due_date).days),
                    created_by=payment.created_by,
                )
            )
    Allocation.objects.bulk_create(allocations, batch_size=CHUNK)
    CollectionAction.objects.bulk_create(
        [_attach(a, invoice=invoices[i] if i is not None else None) for i, a in book.actions],
        batch_size=CHUNK,
    )


def _attach(child, **parents):
    for name, parent in parents.items():
        setattr(child, name, parent)
    return child


def _limits_from_history(*, profiles, behaviour, rng) -> None:
    """A limit of about three months of the account's invoicing, tighter for poor payers."""
    monthly = dict(
        Invoice.objects.filter(account_id__in=profiles)
        .values("account_id")
        .annotate(s=Sum("gross_total"))
        .values_list("account_id", "s")
    )
    for account_id, profile in profiles.items():
        base = Decimal(monthly.get(account_id) or 0) / MONTHS
        factor = {"on_time": Decimal(3), "late": Decimal(2), "chronic": Decimal("1.2")}[
            behaviour[account_id]
        ]
        limit = money_round(base * factor * Decimal(str(rng.uniform(0.8, 1.2))))
        profile.credit_limit = max(Decimal(10_000), (limit // 1000) * 1000)


def _blocked_offers(*, rng, profiles, today) -> list[CreditOverride]:
    """In each territory one client goes on hold while its KAM prepares an offer on an open
    deal: the KAM has asked for a credit override, and it waits for the director."""
    deals = (
        Deal.objects.filter(account_id__in=profiles, stage__in=OPEN_STAGES, currency="PLN")
        .select_related("account", "owner")
        .order_by("account__territory_id", "-amount", "pk")
    )
    products = list(Product.objects.filter(is_active=True, currency="PLN").order_by("pk"))
    asked, territories = [], set()
    for deal in deals:
        if deal.account.territory_id in territories:
            continue
        territories.add(deal.account.territory_id)
        version = deal.offers.order_by("-version").values_list("version", flat=True).first() or 0
        offer = Offer.objects.create(
            deal=deal,
            version=version + 1,
            valid_until=today + timedelta(days=20),
            created_by=deal.owner,
            terms="Dostawa do 14 dni; płatność 30 dni od daty faktury.",
        )
        lines = []
        for product in rng.sample(products, 2):
            quantity = Decimal(rng.randint(50, 200))
            price = line_price(
                quantity=quantity,
                list_price=product.list_price,
                unit_cost=product.unit_cost,
                discount=Decimal(0),
                currency="PLN",
            )
            lines.append(
                OfferLine(
                    offer=offer,
                    product=product,
                    quantity=quantity,
                    list_price=product.list_price,
                    unit_cost=product.unit_cost,
                    discount=Decimal(0),
                    net_price=price.net_price,
                    line_total=price.line_total,
                    line_cost=price.line_cost,
                )
            )
        OfferLine.objects.bulk_create(lines)
        profile = profiles[deal.account_id]
        profile.status = CreditStatus.HOLD
        profile.reason = "Faktury dawno po terminie; wstrzymane do czasu zapłaty."
        asked.append(
            CreditOverride(
                account=deal.account,
                offer=offer,
                amount=sum(line.line_total for line in lines),
                currency="PLN",
                blocked_because="Klient ma wstrzymany kredyt kupiecki.",
                reason=rng.choice(
                    [
                        "Wczoraj zapłacili najstarszą fakturę; resztę obiecują w tym tygodniu.",
                        "Zamówienie sezonowe potwierdzone przez ich dyrektora finansowego; "
                        "dostawa za przedpłatą.",
                    ]
                ),
                requested_by=deal.owner,
            )
        )
    return asked
