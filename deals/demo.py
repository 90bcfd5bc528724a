"""Demo data for the deals app: a price list of ~60 products in 6 categories with a discount
matrix; deals in every stage; two years of won deals whose revenue follows the accounts'
potential (so the top fifth of clients brings about 80 %); offers, some waiting for the
directors; contracts, some ending soon; orders, some late; returns and complaints."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Account, Contact
from core.money import DEFAULT_CURRENCY, freeze_reporting_rate, money_round
from team.demo import DemoOptions
from team.models import Role, User

from .models import (
    OPEN_STAGES,
    STAGE_PROBABILITY,
    Complaint,
    Contract,
    ContractObligation,
    Deal,
    DealStage,
    DealStageChange,
    DiscountLimit,
    Offer,
    OfferLine,
    Order,
    OrderLine,
    Product,
    ProductCategory,
    Return,
)
from .pricing import line_price

CHUNK = 1000
WON_MONTHS = 24
# Won revenue over two years, as a share of a year's potential: we hold part of the wallet.
WON_SHARE = (0.6, 1.0)
WON_DEALS = {"A": (5, 9), "B": (2, 4), "C": (1, 2)}
OPEN_DEALS = {"A": (1, 3), "B": (0, 2), "C": (0, 1)}
ORDER_LEAD_DAYS = (3, 14)  # an order comes in this many days before the delivery asked for

# name, KAM's own discount limit by tier (A, B, C), margin floor, unit, price range, products
CATEGORIES = [
    (
        "Elementy złączne",
        (12, 8, 5),
        15,
        "opak.",
        (40, 400),
        [
            "Śruba sześciokątna M8 ocynk",
            "Śruba sześciokątna M12 nierdzewna",
            "Kotwa stalowa M10",
            "Wkręt do drewna 5x60",
            "Wkręt samowiercący 4,2x19",
            "Podkładka M10 DIN 125",
            "Nakrętka samokontrująca M12",
            "Pręt gwintowany M16",
            "Nit zrywalny 4,8 aluminiowy",
            "Kotwa chemiczna 300 ml",
        ],
    ),
    (
        "Materiały opakowaniowe",
        (15, 10, 6),
        12,
        "rolka",
        (30, 600),
        [
            "Folia stretch 23 µm",
            "Karton 600x400x400",
            "Folia maszynowa do owijarki",
            "Folia bąbelkowa 1 m",
            "Taśma pakowa 48 mm",
            "Narożnik ochronny 35 mm",
            "Taśma PET 16 mm",
            "Papier wypełniający",
            "Etykiety w rolce 100x150",
            "Kaptur termokurczliwy 1200",
        ],
    ),
    (
        "Osprzęt elektryczny",
        (10, 7, 4),
        18,
        "szt.",
        (15, 900),
        [
            "Wyłącznik nadprądowy B16",
            "Wyłącznik różnicowoprądowy 40A 30 mA",
            "Panel LED 60x60",
            "Przewód YDY 3x2,5 100 m",
            "Stycznik 25A",
            "Złączka szynowa 4 mm²",
            "Rozdzielnica 24-modułowa",
            "Czujnik ruchu 360°",
            "Gniazdo przemysłowe 32A",
            "Ogranicznik przepięć T2",
        ],
    ),
    (
        "Sprzęt BHP",
        (12, 8, 5),
        20,
        "szt.",
        (8, 450),
        [
            "Kask ochronny EN397",
            "Rękawice antyprzecięciowe",
            "Okulary ochronne bezbarwne",
            "Nauszniki przeciwhałasowe 30 dB",
            "Kamizelka odblaskowa",
            "Obuwie robocze S3",
            "Szelki bezpieczeństwa",
            "Półmaska FFP2 (20 szt.)",
            "Apteczka DIN 13157",
            "Stacja do płukania oczu",
        ],
    ),
    (
        "Chemia profesjonalna",
        (18, 12, 8),
        25,
        "l",
        (12, 300),
        [
            "Płyn do mycia podłóg 10 l",
            "Odtłuszczacz alkaliczny 5 l",
            "Środek dezynfekujący 5 l",
            "Mydło w płynie 5 l",
            "Płyn do szyb 1 l",
            "Odkamieniacz kwasowy 10 l",
            "Płyn do zmywarek 20 l",
            "Żel do dezynfekcji rąk 1 l",
            "Szampon do wykładzin 5 l",
            "Preparat do stali nierdzewnej",
        ],
    ),
    (
        "Serwis i utrzymanie ruchu",
        (8, 5, 3),
        30,
        "godz.",
        (120, 2500),
        [
            "Przegląd prewencyjny",
            "Wyjazd awaryjny",
            "Badanie termowizyjne",
            "Serwis sprężarki",
            "Przegląd wózka widłowego UDT",
            "Pomiary elektryczne",
            "Serwis klimatyzacji",
            "Szkolenie (dzień)",
            "Wzorcowanie",
            "Audyt części zamiennych",
        ],
    ),
]
COMPETITOR_REASONS = [
    "Konkurencja zeszła o 12 % niżej na asortymencie podstawowym.",
    "Zarząd klienta zamroził budżet do przyszłego roku.",
    "Przegrany przetarg \u2013 za długi termin dostawy.",
    "Klient wybrał jednego dostawcę na wszystkie kategorie.",
    "Nasz sojusznik odszedł z firmy; nowy kupiec woli dotychczasowego dostawcę.",
]
NEXT_STEPS = [
    "Zadzwonić do dyrektora zakupów w sprawie budżetu.",
    "Wysłać próbki do zakładu w mieście {city}.",
    "Przygotować prezentację dla zarządu.",
    "Odwiedzić magazyn razem z działem technicznym.",
    "Wysłać zaktualizowany cennik.",
    "Uzgodnić termin dostawy pilotażowej.",
]
DEAL_TITLES = [
    "{category} \u2013 zakład {city}",
    "Umowa ramowa: {category}",
    "{category} \u2013 nowa lokalizacja",
    "Przejęcie od konkurencji: {category}",
    "{category} \u2013 pilotaż",
    "Przetarg: {category} {year}",
]
COMPLAINTS = [
    ("Uszkodzone palety przy dostawie", "high"),
    ("Faktura niezgodna z zamówieniem", "medium"),
    ("Dostawa spóźniona o dwa dni", "high"),
    ("Dostarczono niewłaściwy wariant produktu", "medium"),
    ("Serwisant nie przyjechał", "critical"),
    ("Brak certyfikatów zgodności", "low"),
]


@dataclass
class _Drafts:
    deals: list[Deal] = field(default_factory=list)
    changes: list[tuple[Deal, list[tuple[str, str, datetime]]]] = field(default_factory=list)
    offers: list[tuple[Offer, list[OfferLine]]] = field(default_factory=list)
    contracts: list[tuple[Contract, list[ContractObligation]]] = field(default_factory=list)
    orders: list[tuple[Order, list[OrderLine], list[tuple[int, Return]]]] = field(
        default_factory=list
    )
    complaints: list[Complaint] = field(default_factory=list)
    # When each order of `orders` came in (its `created_at` is set by the database on insert).
    ordered_at: list[datetime] = field(default_factory=list)


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    rng = options.rng
    today = timezone.localdate()
    products = _price_list(rng=rng)
    directors = {u.territory_id: u for u in User.objects.filter(role=Role.DIRECTOR)}
    accounts = list(Account.objects.select_related("owner", "territory").order_by("pk"))
    contacts: dict[int, int] = dict(
        Contact.objects.order_by("account_id", "pk").values_list("account_id", "pk").distinct()
    )
    totals = dict.fromkeys(
        ["products", "deals", "offers", "contracts", "orders", "returns", "complaints"], 0
    )
    totals["products"] = len(products)
    pending_per_kam: dict[int, int] = {}
    for start in range(0, len(accounts), CHUNK):
        drafts = _Drafts()
        for account in accounts[start : start + CHUNK]:
            _draft_account(
                rng=rng,
                drafts=drafts,
                account=account,
                products=products,
                today=today,
                pending_per_kam=pending_per_kam,
                contact_id=contacts.get(account.pk),
                director=directors.get(account.territory_id),
            )
        _insert(drafts=drafts)
        totals["deals"] += len(drafts.deals)
        totals["offers"] += len(drafts.offers)
        totals["contracts"] += len(drafts.contracts)
        totals["orders"] += len(drafts.orders)
        totals["returns"] += sum(len(returns) for _, _, returns in drafts.orders)
        totals["complaints"] += len(drafts.complaints)
    return totals


def _price_list(*, rng: random.Random) -> list[Product]:
    products = []
    for index, (name, limits, floor, unit, (low, high), items) in enumerate(CATEGORIES, start=1):
        category = ProductCategory.objects.create(
            name=name, max_discount=Decimal(limits[1]), margin_floor=Decimal(floor)
        )
        DiscountLimit.objects.bulk_create(
            DiscountLimit(category=category, tier=tier, max_discount=Decimal(limit))
            for tier, limit in zip("ABC", limits, strict=True)
        )
        for number, item in enumerate(items, start=1):
            price = Decimal(rng.randint(low * 100, high * 100)) / 100
            cost = money_round(price * Decimal(str(round(rng.uniform(0.5, 0.72), 2))))
            products.append(
                Product(
                    sku=f"{name[:3].upper()}-{index}{number:02d}",
                    name=item,
                    category=category,
                    unit=unit,
                    list_price=price,
                    unit_cost=cost,
                    is_active=number != len(items) or index % 2 == 0,
                )
            )
    return Product.objects.bulk_create(products)


def _draft_account(
    *,
    rng: random.Random,
    drafts: _Drafts,
    account: Account,
    products: list[Product],
    today: date,
    pending_per_kam: dict[int, int],
    contact_id: int | None,
    director: User | None,
) -> None:
    tier = account.tier
    potential = account.potential_amount or Decimal(50_000)
    city = account.city or "Warszawa"
    sold = [p for p in products if p.is_active]
    won: list[Deal] = []
    # Our price list is in zloty: a client abroad gets deals and a contract in its currency,
    # and no offers or orders priced from the list.
    priced_from_list = account.currency == DEFAULT_CURRENCY
    if account.status != Account.Status.PROSPECT:
        revenue = float(potential) * rng.uniform(*WON_SHARE)
        count = rng.randint(*WON_DEALS[tier])
        weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
        for weight in weights:
            closed = today - timedelta(days=rng.randint(1, WON_MONTHS * 30))
            amount = money_round(Decimal(revenue * weight / sum(weights)))
            won.append(
                _deal(
                    rng=rng,
                    drafts=drafts,
                    account=account,
                    stage=DealStage.WON,
                    amount=amount,
                    closed=closed,
                    city=city,
                    today=today,
                )
            )
    for _ in range(rng.randint(*OPEN_DEALS[tier])):
        stage = rng.choice(OPEN_STAGES)
        amount = money_round(Decimal(float(potential) * rng.uniform(0.05, 0.35)))
        deal = _deal(
            rng=rng,
            drafts=drafts,
            account=account,
            stage=stage,
            amount=amount,
            closed=None,
            city=city,
            today=today,
        )
        if priced_from_list and stage in (
            DealStage.OFFER,
            DealStage.MEETING,
            DealStage.NEGOTIATION,
        ):
            waiting = pending_per_kam.get(account.owner_id, 0)
            pending = waiting < 2 and director is not None and rng.random() < 0.5
            pending_per_kam[account.owner_id] = waiting + pending
            _offer(rng=rng, drafts=drafts, deal=deal, products=sold, today=today, pending=pending)
    if rng.random() < 0.12:
        _deal(
            rng=rng,
            drafts=drafts,
            account=account,
            stage=DealStage.LOST,
            amount=money_round(Decimal(float(potential) * rng.uniform(0.05, 0.3))),
            closed=today - timedelta(days=rng.randint(1, 300)),
            city=city,
            today=today,
        )
    for deal in won[-2:]:
        if priced_from_list and deal.closed_on > today - timedelta(days=120):
            _offer(rng=rng, drafts=drafts, deal=deal, products=sold, today=today, accepted=True)
    if won:
        contract = _contract(
            rng=rng,
            drafts=drafts,
            account=account,
            deal=max(won, key=lambda d: d.closed_on),
            today=today,
        )
        for _ in range(rng.randint(1, 4 if tier == "A" else 2) if priced_from_list else 0):
            _order(
                rng=rng,
                drafts=drafts,
                account=account,
                contract=contract,
                products=sold,
                today=today,
            )
    if rng.random() < 0.1:
        subject, severity = rng.choice(COMPLAINTS)
        status = rng.choice(list(Complaint.Status.values))
        opened = today - timedelta(days=rng.randint(0, 120))
        resolved = status == Complaint.Status.RESOLVED
        drafts.complaints.append(
            Complaint(
                account=account,
                contact_id=contact_id,
                subject=subject,
                description="Zgłoszone telefonicznie; zdjęcia przesłane e-mailem.",
                severity=severity,
                status=status,
                resolution="Wystawiono korektę i zmieniono przewoźnika." if resolved else "",
                opened_on=opened,
                resolved_on=opened + timedelta(days=rng.randint(1, 20)) if resolved else None,
                created_by=account.owner,
            )
        )


def _deal(
    *,
    rng: random.Random,
    drafts: _Drafts,
    account: Account,
    stage: str,
    amount: Decimal,
    closed: date | None,
    city: str,
    today: date,
) -> Deal:
    category = rng.choice(CATEGORIES)[0]
    year = (closed or today).year
    deal = Deal(
        account=account,
        owner=account.owner,
        title=rng.choice(DEAL_TITLES).format(category=category, city=city, year=year),
        stage=stage,
        amount=amount,
        currency=account.currency,
        expected_margin=money_round(amount * Decimal(str(round(rng.uniform(0.18, 0.35), 2)))),
        probability=STAGE_PROBABILITY[stage],
        expected_close_date=closed or today + timedelta(days=rng.randint(-10, 150)),
        lost_reason=rng.choice(COMPETITOR_REASONS) if stage == DealStage.LOST else "",
        next_step="" if closed else rng.choice(NEXT_STEPS).format(city=city),
        closed_on=closed,
    )
    drafts.deals.append(deal)
    started = (closed or today) - timedelta(days=rng.randint(20, 120))
    path = [("", DealStage.RESEARCH, started)]
    if stage != DealStage.RESEARCH:
        middle = rng.choice([DealStage.FIRST_CONTACT, DealStage.OFFER, DealStage.NEGOTIATION])
        if middle != stage:
            path.append((DealStage.RESEARCH, middle, started + timedelta(days=10)))
        end = closed or today - timedelta(days=rng.randint(0, 9))
        path.append((path[-1][1], stage, max(end, started + timedelta(days=11))))
    drafts.changes.append(
        (deal, [(f, t, timezone.make_aware(datetime.combine(d, time(10)))) for f, t, d in path])
    )
    return deal


def _offer(
    *,
    rng: random.Random,
    drafts: _Drafts,
    deal: Deal,
    products: list[Product],
    today: date,
    pending: bool = False,
    accepted: bool = False,
) -> None:
    tier = deal.account.tier
    lines = []
    for product in rng.sample(products, rng.randint(1, 4)):
        limit = next(c[1] for c in CATEGORIES if c[0] == product.category.name)["ABC".index(tier)]
        discount = (
            Decimal(limit + rng.randint(5, 15))
            if pending and not lines
            else Decimal(rng.randint(0, limit))
        )
        quantity = Decimal(rng.randint(5, 200))
        price = line_price(
            quantity=quantity,
            list_price=product.list_price,
            unit_cost=product.unit_cost,
            discount=discount,
            currency=DEFAULT_CURRENCY,
        )
        lines.append(
            OfferLine(
                product=product,
                quantity=quantity,
                discount=discount,
                list_price=product.list_price,
                unit_cost=product.unit_cost,
                net_price=price.net_price,
                line_total=price.line_total,
                line_cost=price.line_cost,
            )
        )
    day = deal.closed_on or today
    moment = timezone.make_aware(
        datetime.combine(day - timedelta(days=rng.randint(1, 14)), time(9))
    )
    status = (
        Offer.Status.ACCEPTED
        if accepted
        else (Offer.Status.PENDING_APPROVAL if pending else Offer.Status.SENT)
    )
    offer = Offer(
        deal=deal,
        version=1,
        status=status,
        valid_until=day + timedelta(days=30),
        terms="Dostawa do 14 dni od zamówienia. Płatność 30 dni od daty faktury.",
        created_by=deal.owner,
        submitted_at=moment if pending else None,
        sent_at=None if pending else moment,
        closed_at=moment + timedelta(days=5) if accepted else None,
    )
    if pending:
        first = lines[0]
        offer.approval_reason = (
            f"{first.product.sku} {first.product.name}: rabat {first.discount:f} % przekracza "
            f"limit, który KAM może sam przyznać w kategorii {first.product.category.name} "
            f"klientom klasy {tier}."
        )
    drafts.offers.append((offer, lines))


def _contract(
    *, rng: random.Random, drafts: _Drafts, account: Account, deal: Deal, today: date
) -> Contract:
    start = deal.closed_on + timedelta(days=rng.randint(3, 20))
    end = start + timedelta(days=rng.choice([365, 730]) - 1)
    if rng.random() < 0.15:  # some end within the next three months (not before they start)
        end = max(today + timedelta(days=rng.randint(5, 90)), start + timedelta(days=30))
    status = Contract.Status.ACTIVE if end >= today else Contract.Status.EXPIRED
    if status == Contract.Status.ACTIVE and end <= today + timedelta(days=60):
        status = Contract.Status.EXPIRING
    contract = Contract(
        account=account,
        deal=deal,
        number=f"UM/{start.year}/{len(drafts.contracts) + 1:04d}-{account.pk}",
        signed_on=min(start - timedelta(days=2), today),
        start_date=start,
        end_date=end,
        value=deal.amount,
        currency=deal.currency,
        payment_terms_days=rng.choice([14, 30, 45, 60]),
        renewal=rng.choice(list(Contract.Renewal.values)),
        status=status,
    )
    obligations = [
        ContractObligation(
            contract=contract,
            party=party,
            kind=kind,
            description=text,
            due_date=today + timedelta(days=rng.randint(-20, 60)),
            done_on=None if rng.random() < 0.7 else today - timedelta(days=rng.randint(0, 10)),
        )
        for party, kind, text in rng.sample(
            [
                ("us", "deliver", "Kwartalna dostawa uzgodnionego wolumenu"),
                ("client", "pay", "Zapłata faktury zaliczkowej"),
                ("us", "report", "Miesięczny raport poziomu obsługi (SLA)"),
                ("client", "report", "Prognoza zapotrzebowania na kolejny kwartał"),
            ],
            rng.randint(1, 3),
        )
    ]
    drafts.contracts.append((contract, obligations))
    return contract


def _order(
    *,
    rng: random.Random,
    drafts: _Drafts,
    account: Account,
    contract: Contract,
    products: list[Product],
    today: date,
) -> None:
    # Ordered under the contract: a few days to two weeks before the delivery asked for, never
    # before the contract was signed.
    back = max(-20, min(180, (today - contract.signed_on).days - ORDER_LEAD_DAYS[1]))
    requested = today - timedelta(days=rng.randint(-20, back))
    ordered_on = requested - timedelta(days=rng.randint(*ORDER_LEAD_DAYS))
    ordered_on = min(max(ordered_on, contract.signed_on), today)
    promised = requested + timedelta(days=rng.randint(0, 3))
    if requested > today:
        status, delivered = rng.choice([Order.Status.RECEIVED, Order.Status.CONFIRMED]), None
    elif promised < today - timedelta(days=5) or rng.random() < 0.8:
        status = Order.Status.DELIVERED
        # Most arrive on time or early; about one in five is late.
        late_by = rng.choices([0, -1, -2, 1, 2, 5], weights=[58, 12, 10, 10, 6, 4])[0]
        delivered = promised + timedelta(days=late_by)
        delivered = min(delivered, today)
    else:
        status, delivered = rng.choice([Order.Status.CONFIRMED, Order.Status.SHIPPED]), None
    order = Order(
        account=account,
        contract=contract,
        reference=f"PO-{rng.randint(10000, 99999)}",
        requested_date=requested,
        promised_date=promised,
        delivered_date=delivered,
        status=status,
        created_by=account.owner,
    )
    lines, returns = [], []
    for product in rng.sample(products, rng.randint(1, 4)):
        quantity = Decimal(rng.randint(5, 120))
        unit_price = money_round(product.list_price * Decimal(str(1 - rng.randint(0, 12) / 100)))
        lines.append(
            OrderLine(
                order=order,
                product=product,
                quantity=quantity,
                unit_price=unit_price,
                line_total=money_round(quantity * unit_price),
            )
        )
        if status == Order.Status.DELIVERED and rng.random() < 0.08:
            back = Decimal(rng.randint(1, int(quantity) // 3 + 1))
            returns.append(
                (
                    len(lines) - 1,
                    Return(
                        quantity=back,
                        reason=rng.choice(list(Return.Reason.values)),
                        note="Zgłoszone przy przyjęciu towaru.",
                        returned_on=min(delivered + timedelta(days=rng.randint(0, 10)), today),
                        value=money_round(back * unit_price),
                        recorded_by=account.owner,
                    ),
                )
            )
    drafts.orders.append((order, lines, returns))
    drafts.ordered_at.append(
        timezone.make_aware(datetime.combine(ordered_on, time(rng.randint(8, 15), 0)))
    )


def _insert(*, drafts: _Drafts) -> None:
    # Parents first: bulk_create sets their primary keys, which the children then pick up.
    bulk_create_with_history(drafts.deals, Deal, batch_size=CHUNK)
    DealStageChange.objects.bulk_create(
        (
            DealStageChange(
                deal=deal,
                from_stage=from_stage,
                to_stage=to_stage,
                changed_by_id=deal.owner_id,
                changed_at=when,
            )
            for deal, path in drafts.changes
            for from_stage, to_stage, when in path
        ),
        batch_size=CHUNK,
    )
    bulk_create_with_history([offer for offer, _ in drafts.offers], Offer, batch_size=CHUNK)
    OfferLine.objects.bulk_create(
        (_attach(line, offer=offer) for offer, lines in drafts.offers for line in lines),
        batch_size=CHUNK,
    )
    bulk_create_with_history([c for c, _ in drafts.contracts], Contract, batch_size=CHUNK)
    ContractObligation.objects.bulk_create(
        (_attach(o, contract=c) for c, obligations in drafts.contracts for o in obligations),
        batch_size=CHUNK,
    )
    orders = [order for order, _, _ in drafts.orders]
    bulk_create_with_history(orders, Order, batch_size=CHUNK)
    # The plan's "booked" basis counts an order in the month it came in.
    for order, ordered_at in zip(orders, drafts.ordered_at, strict=True):
        order.created_at = ordered_at
        freeze_reporting_rate(order, on=timezone.localdate(ordered_at))
    Order.objects.bulk_update(
        orders, ["created_at", "reporting_rate", "reporting_rate_day"], batch_size=CHUNK
    )
    order_lines = [
        _attach(line, order=order) for order, lines, _ in drafts.orders for line in lines
    ]
    OrderLine.objects.bulk_create(order_lines, batch_size=CHUNK)
    Return.objects.bulk_create(
        (
            _attach(item, order_line=lines[index])
            for _, lines, returns in drafts.orders
            for index, item in returns
        ),
        batch_size=CHUNK,
    )
    Complaint.objects.bulk_create(drafts.complaints, batch_size=CHUNK)


def _attach(child, **parents):
    """Point `child` at parents saved since it was drafted (their ids exist only now)."""
    for name, parent in parents.items():
        setattr(child, name, parent)
    return child
