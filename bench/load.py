"""The benchmark's own loader: a sales organisation at the target scale, written with COPY.

`seed_demo` builds rich, hand-shaped demo data through the ORM, which is right for a demo and
far too slow for 3 million rows. This module writes the same kinds of rows straight into
PostgreSQL with `COPY ... FROM STDIN` (ids assigned here, sequences reset afterwards), then
runs `VACUUM ANALYZE` as autovacuum would in production. It is only used by `bench/run.py`.
The money side (invoices, payments, credit, plans) is in `bench/load_money.py`; what the app
computes from those rows (ABC classes, a month of commissions, health scores) its own
services compute afterwards (`derived`).

Not loaded: simple_history's history rows, notifications and calendar feeds (no benchmarked
page lists them at scale).
"""

import io
import math
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from accounts.models import (
    Account,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)
from activities.models import Activity, ActivityStatus, ActivityType
from deals.models import (
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
    OfferStatus,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductCategory,
    Return,
)
from team.models import Role, Territory, User

from . import load_money

CHUNK = 50_000  # rows per COPY
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Profile:
    """How big an organisation to load."""

    territories: int
    kams_per_territory: int
    accounts: int
    contacts_per_account: int
    # Offer lines, and as many order lines.
    lines: int
    activities: int
    # Invoices in all: one per delivered order, sales invoices for the rest.
    invoices: int


PROFILES = {
    # The target of issue 14: 50 KAMs in 5 territories, 20,000 accounts, 200,000 contacts,
    # 1,000,000 offer and order lines, 500,000 activities, 300,000 invoices.
    "large": Profile(5, 10, 20_000, 10, 500_000, 500_000, 300_000),
    # A tenth of it, to try the benchmark quickly.
    "medium": Profile(5, 10, 2_000, 10, 50_000, 50_000, 30_000),
}

TERRITORIES = ["North", "South", "West", "East", "Central"]
CITIES = [
    "Gdańsk",
    "Kraków",
    "Poznań",
    "Lublin",
    "Warszawa",
    "Szczecin",
    "Katowice",
    "Wrocław",
    "Białystok",
    "Łódź",
]
STEMS = ["Agro", "Bud", "Elektro", "Farm", "Trans", "Mleko", "Stal", "Chem", "Med", "Euro"]
ENDINGS = ["pol", "mex", "max", "tech", "plast", "met", "san", "kom", "lux", "rol"]
DESCRIPTORS = ["Polska", "Group", "Trade", "Logistyka", "Serwis", "Partner", "Handel", "Holding"]
INDUSTRIES = ["Food processing", "Retail chains", "Construction", "Logistics", "Chemicals"]
FIRST_NAMES = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marek", "Ewa", "Jan"]
LAST_NAMES = ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Zieliński", "Mazur"]
POSITIONS = ["Purchasing director", "Buyer", "CFO", "Plant manager", "CEO", "Logistics lead"]
CATEGORIES = ["Fasteners", "Packaging", "Electrical", "Safety", "Cleaning", "Services"]
TIER_DISCOUNTS = {"A": 12, "B": 8, "C": 5}
OPEN_DEAL_STAGES = [
    DealStage.RESEARCH,
    DealStage.FIRST_CONTACT,
    DealStage.OFFER,
    DealStage.MEETING,
    DealStage.NEGOTIATION,
]
ACTIVITY_TYPES = [ActivityType.VISIT, ActivityType.CALL, ActivityType.MEETING, ActivityType.EMAIL]
YEARS_OF_ACTIVITY = 3


def _text(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class Copier:
    """Writes rows of one model with COPY, in chunks; fields a row leaves out get the
    model's default (or '' / NULL, or now for timestamps)."""

    def __init__(self, model: type[Model], *, now: datetime):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.defaults = {}
        for field in self.fields:
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.null:
                value = None
            else:
                value = ""
            self.defaults[field.attname] = value
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        self.rows = 0

    def copy(self, rows: Iterable[dict]) -> int:
        names = [f.attname for f in self.fields]
        buffer = io.StringIO()
        pending = 0
        for row in rows:
            values = {**self.defaults, **row}
            buffer.write("\t".join(_text(values[name]) for name in names))
            buffer.write("\n")
            pending += 1
            if pending == CHUNK:
                self._flush(buffer)
                buffer, pending = io.StringIO(), 0
        if pending:
            self._flush(buffer)
        return self.rows

    def _flush(self, buffer: io.StringIO) -> None:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(self.sql, buffer)
        self.rows += buffer.getvalue().count("\n")


class Ids:
    """Primary keys handed out here, so children can point at parents before COPY."""

    def __init__(self):
        self.last: dict[type[Model], int] = {}

    def next(self, model: type[Model]) -> int:
        self.last[model] = self.last.get(model, 0) + 1
        return self.last[model]


def load(*, profile: Profile, seed: int = 14) -> dict[str, int]:
    """Load `profile` into an empty, migrated PostgreSQL database; return row counts."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # The rows are generated consistent; skipping the per-row foreign-key triggers makes
        # COPY several times faster. Needs a superuser, as the bench database's owner is.
        cursor.execute("SET session_replication_role = replica")
    try:
        counts = _load(rng=rng, profile=profile, now=now, today=today)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    models = [
        Account,
        AccountFinancials,
        DossierNote,
        Contact,
        ContactRelation,
        Deal,
        DealStageChange,
        Offer,
        OfferLine,
        Contract,
        ContractObligation,
        Order,
        OrderLine,
        Return,
        Complaint,
        Activity,
        Activity.contacts.through,
        *load_money.MODELS,
    ]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    return counts


def derived(*, today=None) -> dict[str, float]:
    """The rows the app computes from the loaded ones, by its own services (after `load`,
    with the foreign-key triggers back on); seconds per step."""
    finance = User.objects.get(username="finance")
    return load_money.derived(finance=finance, today=today or timezone.localdate())


def derived_counts() -> dict[str, int]:
    from commissions.models import AccountClass, CommissionEntry
    from health.models import HealthScore

    return {
        "account classes": AccountClass.objects.count(),
        "commission entries": CommissionEntry.objects.count(),
        "health scores": HealthScore.objects.count(),
    }


def _load(*, rng, profile, now, today) -> dict[str, int]:
    kams, directors = _team(profile=profile)
    competitors = list(
        Competitor.objects.bulk_create(Competitor(name=f"Competitor {n}") for n in range(1, 11))
    )
    products = _catalogue(rng=rng)
    ids = Ids()
    accounts = _accounts(rng=rng, profile=profile, kams=kams)
    counts = {"users": len(kams) + len(directors) + 2, "products": len(products)}
    counts["accounts"] = Copier(Account, now=now).copy(a.row for a in accounts)
    through = Account.competitors.through
    counts["account competitors"] = Copier(through, now=now).copy(
        {"id": ids.next(through), "account_id": a.id, "competitor_id": c.pk}
        for a in accounts
        for c in rng.sample(competitors, rng.randint(0, 2))
    )
    counts["financials"] = Copier(AccountFinancials, now=now).copy(
        {
            "id": ids.next(AccountFinancials),
            "account_id": a.id,
            "year": today.year - back,
            "revenue": (a.potential * rng.randint(4, 12)).quantize(CENTS),
            "employees": rng.randint(20, 3000),
        }
        for a in accounts
        for back in (1, 2)
    )
    counts["dossier notes"] = Copier(DossierNote, now=now).copy(
        {
            "id": ids.next(DossierNote),
            "account_id": a.id,
            "noted_on": today - timedelta(days=rng.randint(0, 700)),
            "text": "Met the purchasing team; they plan to consolidate suppliers next year.",
            "author_id": a.owner_id,
        }
        for a in accounts
        for _ in range(3)
    )
    contacts = {a.id: [] for a in accounts}
    counts["contacts"] = Copier(Contact, now=now).copy(
        _contacts(
            rng=rng, ids=ids, accounts=accounts, per=profile.contacts_per_account, out=contacts
        )
    )
    counts["contact relations"] = Copier(ContactRelation, now=now).copy(
        _relations(rng=rng, ids=ids, contacts=contacts)
    )
    deals = _deals(rng=rng, ids=ids, accounts=accounts, today=today)
    counts["deals"] = Copier(Deal, now=now).copy(d.row for d in deals)
    counts["deal stage changes"] = Copier(DealStageChange, now=now).copy(
        _stage_changes(ids=ids, deals=deals)
    )
    counts.update(
        _offers(rng=rng, ids=ids, deals=deals, products=products, profile=profile, now=now)
    )
    orders = {}
    counts.update(
        _contracts_and_orders(
            out=orders,
            rng=rng,
            ids=ids,
            accounts=accounts,
            deals=deals,
            products=products,
            profile=profile,
            now=now,
            today=today,
        )
    )
    counts["complaints"] = Copier(Complaint, now=now).copy(
        {
            "id": ids.next(Complaint),
            "account_id": a.id,
            "contact_id": contacts[a.id][0] if contacts[a.id] else None,
            "subject": "Delivery two days late",
            "description": "Reported by phone.",
            "severity": rng.choice(["low", "medium", "high"]),
            "status": "open" if n % 3 else "resolved",
            "resolution": "" if n % 3 else "Credit note issued.",
            "opened_on": today - timedelta(days=rng.randint(0, 200)),
            "created_by_id": a.owner_id,
        }
        for n, a in enumerate(a for a in accounts if rng.random() < 0.1)
    )
    counts.update(
        _activities(
            rng=rng,
            ids=ids,
            accounts=accounts,
            contacts=contacts,
            kams=kams,
            profile=profile,
            now=now,
        )
    )
    counts.update(
        load_money.load_money(
            rng=rng,
            ids=ids,
            copier=lambda model: Copier(model, now=now),
            accounts=accounts,
            kams=kams,
            finance=User.objects.get(username="finance"),
            products=products,
            orders=orders,
            today=today,
            invoices_target=profile.invoices,
        )
    )
    return counts


def _team(*, profile: Profile) -> tuple[list[User], list[User]]:
    password = make_password("demo")
    kams, directors = [], []
    for number in range(1, profile.territories + 1):
        name = TERRITORIES[number - 1] if number <= len(TERRITORIES) else f"Territory {number}"
        territory = Territory.objects.create(name=name, code=name.lower().replace(" ", "-"))
        director = User.objects.create(
            username=f"director{number}",
            first_name="Director",
            last_name=name,
            role=Role.DIRECTOR,
            territory=territory,
            password=password,
        )
        directors.append(director)
        first = (number - 1) * profile.kams_per_territory
        kams += User.objects.bulk_create(
            User(
                username=f"kam{n}",
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[n % len(LAST_NAMES)]} {n}",
                role=Role.KAM,
                territory=territory,
                reports_to=director,
                password=password,
            )
            for n in range(first + 1, first + profile.kams_per_territory + 1)
        )
    User.objects.create(username="finance", role=Role.FINANCE, password=password)
    User.objects.create(
        username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True, password=password
    )
    return kams, directors


def _catalogue(*, rng: random.Random) -> list[Product]:
    products = []
    for index, name in enumerate(CATEGORIES, start=1):
        category = ProductCategory.objects.create(name=name, max_discount=10, margin_floor=15)
        DiscountLimit.objects.bulk_create(
            DiscountLimit(category=category, tier=tier, max_discount=limit)
            for tier, limit in TIER_DISCOUNTS.items()
        )
        for number in range(1, 11):
            price = Decimal(rng.randint(1_000, 90_000)) / 100
            products.append(
                Product(
                    sku=f"{name[:3].upper()}-{index}{number:02d}",
                    name=f"{name} item {number}",
                    category=category,
                    list_price=price,
                    unit_cost=(price * Decimal("0.6")).quantize(CENTS),
                )
            )
    return Product.objects.bulk_create(products)


@dataclass
class _Account:
    id: int
    owner_id: int
    tier: str
    potential: Decimal
    row: dict


def _accounts(*, rng: random.Random, profile: Profile, kams: list[User]) -> list[_Account]:
    # Lognormal potentials: the top fifth holds about 80 % of the total, as in seed_demo.
    potentials = sorted(
        (Decimal(round(250_000 * math.exp(rng.gauss(0, 1.7)))) for _ in range(profile.accounts)),
        reverse=True,
    )
    total, running, tiers = sum(potentials), Decimal(0), []
    for potential in potentials:
        running += potential
        share = running / total
        tiers.append("A" if share <= Decimal("0.8") else "B" if share <= Decimal("0.95") else "C")
    order = list(range(profile.accounts))
    rng.shuffle(order)
    accounts = []
    for number in range(1, profile.accounts + 1):
        slot = order[number - 1]
        owner = kams[number % len(kams)]
        tier = tiers[slot]
        name = f"{rng.choice(STEMS)}{rng.choice(ENDINGS)} {rng.choice(DESCRIPTORS)} {number}"
        status = rng.choices(["prospect", "active", "dormant", "lost"], [10, 78, 8, 4])[0]
        accounts.append(
            _Account(
                id=number,
                owner_id=owner.pk,
                tier=tier,
                potential=potentials[slot],
                row={
                    "id": number,
                    "name": name,
                    "legal_name": f"{name} Sp. z o.o.",
                    "tax_id": f"{5_000_000_000 + number * 7}",
                    "industry": rng.choice(INDUSTRIES),
                    "territory_id": owner.territory_id,
                    "owner_id": owner.pk,
                    "status": status,
                    "tier": tier,
                    "city": rng.choice(CITIES),
                    "postal_code": f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
                    "address": f"ul. Przemysłowa {rng.randint(1, 200)}",
                    "potential_amount": potentials[slot],
                    "share_of_wallet": Decimal(rng.randint(5, 80)),
                    "needs": "Shorter lead times on the core range.",
                },
            )
        )
    return accounts


def _contacts(*, rng, ids, accounts, per, out) -> Iterator[dict]:
    roles = ["decision_maker", "influencer", "user", "gatekeeper", "champion", "blocker"]
    for account in accounts:
        for _ in range(per):
            contact_id = ids.next(Contact)
            out[account.id].append(contact_id)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            yield {
                "id": contact_id,
                "account_id": account.id,
                "first_name": first,
                "last_name": last,
                "position": rng.choice(POSITIONS),
                "email": f"{first}.{last}.{contact_id}@example.com".lower(),
                "decision_role": rng.choice(roles),
                "is_vip": rng.random() < 0.1,
                "influence": rng.randint(1, 5),
                "attitude": rng.choice(["supporter", "neutral", "opponent"]),
                "relationship_stage": rng.choice(["unknown", "acquainted", "loyal", "trusted"]),
            }


def _relations(*, rng, ids, contacts) -> Iterator[dict]:
    for people in contacts.values():
        if len(people) < 3:
            continue
        boss = people[0]
        for person in people[1:3]:
            yield {
                "id": ids.next(ContactRelation),
                "from_contact_id": person,
                "to_contact_id": boss,
                "kind": "reports_to",
            }
        yield {
            "id": ids.next(ContactRelation),
            "from_contact_id": people[1],
            "to_contact_id": people[2],
            "kind": rng.choice(["influences", "allied", "rival"]),
        }


@dataclass
class _Deal:
    id: int
    account: _Account
    stage: str
    amount: Decimal
    changed: datetime
    row: dict


def _deals(*, rng, ids, accounts, today) -> list[_Deal]:
    deals = []
    for account in accounts:
        plan = [DealStage.WON] * rng.randint(1, 5) + [
            rng.choice(OPEN_DEAL_STAGES) for _ in range(rng.choice([0, 1, 1, 2, 3]))
        ]
        if rng.random() < 0.5:
            plan.append(DealStage.LOST)
        for stage in plan:
            closed = stage in (DealStage.WON, DealStage.LOST)
            closed_on = today - timedelta(days=rng.randint(1, 720)) if closed else None
            amount = (account.potential * Decimal(rng.uniform(0.05, 0.4))).quantize(CENTS)
            deal_id = ids.next(Deal)
            deals.append(
                _Deal(
                    id=deal_id,
                    account=account,
                    stage=stage,
                    amount=amount,
                    changed=timezone.make_aware(
                        datetime.combine(
                            closed_on or today - timedelta(days=rng.randint(0, 60)), clock(10)
                        )
                    ),
                    row={
                        "id": deal_id,
                        "account_id": account.id,
                        "owner_id": account.owner_id,
                        "title": f"{rng.choice(CATEGORIES)} framework {deal_id}",
                        "stage": stage,
                        "amount": amount,
                        "expected_margin": (amount * Decimal("0.25")).quantize(CENTS),
                        "probability": STAGE_PROBABILITY[stage],
                        "expected_close_date": closed_on
                        or today + timedelta(days=rng.randint(-10, 150)),
                        "lost_reason": "Lost on price." if stage == DealStage.LOST else "",
                        "next_step": "" if closed else "Call the purchasing director.",
                        "closed_on": closed_on,
                    },
                )
            )
    return deals


def _stage_changes(*, ids, deals) -> Iterator[dict]:
    for deal in deals:
        started = deal.changed - timedelta(days=30)
        yield {
            "id": ids.next(DealStageChange),
            "deal_id": deal.id,
            "from_stage": "",
            "to_stage": DealStage.RESEARCH,
            "changed_by_id": deal.account.owner_id,
            "changed_at": started,
        }
        if deal.stage != DealStage.RESEARCH:
            yield {
                "id": ids.next(DealStageChange),
                "deal_id": deal.id,
                "from_stage": DealStage.RESEARCH,
                "to_stage": deal.stage,
                "changed_by_id": deal.account.owner_id,
                "changed_at": deal.changed,
            }


LINES_PER_DOCUMENT = 5.5  # the mean of randint(3, 8)


def _line_count(*, rng: random.Random) -> int:
    return rng.randint(3, 8)


def _offers(*, rng, ids, deals, products, profile, now) -> dict[str, int]:
    offer_rows, line_rows = [], []
    target = profile.lines
    # Enough offers, spread over all deals, for their lines to reach the target.
    # (A little over, as the draws vary: the loop stops at the target.)
    share = min(1.0, 1.02 * target / LINES_PER_DOCUMENT / max(1, len(deals)))
    pending_per_owner: dict[int, int] = {}
    for deal in deals:
        if len(line_rows) >= target or rng.random() > share:
            continue
        if deal.stage == DealStage.WON:
            status = OfferStatus.ACCEPTED
        elif deal.stage == DealStage.LOST:
            status = OfferStatus.REJECTED
        else:
            waiting = pending_per_owner.get(deal.account.owner_id, 0)
            pending = waiting < 3 and rng.random() < 0.2
            pending_per_owner[deal.account.owner_id] = waiting + pending
            status = OfferStatus.PENDING_APPROVAL if pending else OfferStatus.SENT
        offer_id = ids.next(Offer)
        offer_rows.append(
            {
                "id": offer_id,
                "deal_id": deal.id,
                "status": status,
                "valid_until": (deal.changed + timedelta(days=30)).date(),
                "created_by_id": deal.account.owner_id,
                "created_at": deal.changed - timedelta(days=5),
                "submitted_at": deal.changed - timedelta(days=4),
                "approval_reason": "Discount above the KAM's limit."
                if status == OfferStatus.PENDING_APPROVAL
                else "",
                "sent_at": None if status == OfferStatus.PENDING_APPROVAL else deal.changed,
                "closed_at": deal.changed
                if status in (OfferStatus.ACCEPTED, OfferStatus.REJECTED)
                else None,
            }
        )
        for product in rng.sample(products, _line_count(rng=rng)):
            quantity = Decimal(rng.randint(5, 200))
            discount = Decimal(rng.randint(0, 12))
            net = (product.list_price * (1 - discount / 100)).quantize(CENTS)
            line_rows.append(
                {
                    "id": ids.next(OfferLine),
                    "offer_id": offer_id,
                    "product_id": product.pk,
                    "quantity": quantity,
                    "list_price": product.list_price,
                    "unit_cost": product.unit_cost,
                    "discount": discount,
                    "net_price": net,
                    "line_total": (net * quantity).quantize(CENTS),
                    "line_cost": (product.unit_cost * quantity).quantize(CENTS),
                }
            )
    return {
        "offers": Copier(Offer, now=now).copy(offer_rows),
        "offer lines": Copier(OfferLine, now=now).copy(line_rows),
    }


def _contracts_and_orders(*, out, rng, ids, accounts, deals, products, profile, now, today):
    latest_won: dict[int, _Deal] = {}
    for deal in deals:
        if deal.stage == DealStage.WON:
            latest_won[deal.account.id] = deal
    contract_rows, obligation_rows, order_rows, line_rows, return_rows = [], [], [], [], []
    contracts: list[tuple[int, _Account]] = []
    for account_id, deal in latest_won.items():
        start = deal.changed.date()
        end = start + timedelta(days=365 * rng.choice([1, 2]))
        status = "active" if end > today + timedelta(days=60) else "expiring"
        status = "expired" if end < today else status
        contract_id = ids.next(Contract)
        contracts.append((contract_id, deal.account))
        contract_rows.append(
            {
                "id": contract_id,
                "account_id": account_id,
                "deal_id": deal.id,
                "number": f"UM/{start.year}/{contract_id:06d}",
                "signed_on": start - timedelta(days=2),
                "start_date": start,
                "end_date": end,
                "value": deal.amount,
                "status": status,
            }
        )
        for kind in rng.sample(["deliver", "pay", "report"], 2):
            obligation_rows.append(
                {
                    "id": ids.next(ContractObligation),
                    "contract_id": contract_id,
                    "party": "us" if kind != "pay" else "client",
                    "kind": kind,
                    "description": "Quarterly delivery of the agreed volume",
                    "due_date": today + timedelta(days=rng.randint(-20, 60)),
                }
            )
    per_contract = 1.02 * profile.lines / LINES_PER_DOCUMENT / max(1, len(contracts))
    for contract_id, account in contracts:
        for _ in range(max(0, round(rng.gauss(per_contract, per_contract / 3)))):
            if len(line_rows) >= profile.lines:
                break
            requested = today - timedelta(days=rng.randint(-20, 700))
            promised = requested + timedelta(days=rng.randint(0, 3))
            if requested > today:
                status, delivered = OrderStatus.CONFIRMED, None
            elif rng.random() < 0.9:
                status = OrderStatus.DELIVERED
                delivered = min(today, promised + timedelta(days=rng.choice([0, 0, 0, -1, 2])))
            else:
                status, delivered = OrderStatus.SHIPPED, None
            order_id = ids.next(Order)
            order_rows.append(
                {
                    "id": order_id,
                    "account_id": account.id,
                    "contract_id": contract_id,
                    "reference": f"PO-{order_id}",
                    "requested_date": requested,
                    "promised_date": promised,
                    "delivered_date": delivered,
                    "status": status,
                    "created_by_id": account.owner_id,
                }
            )
            for product in rng.sample(products, _line_count(rng=rng)):
                quantity = Decimal(rng.randint(5, 120))
                line_id = ids.next(OrderLine)
                line_rows.append(
                    {
                        "id": line_id,
                        "order_id": order_id,
                        "product_id": product.pk,
                        "quantity": quantity,
                        "unit_price": product.list_price,
                        "line_total": (product.list_price * quantity).quantize(CENTS),
                    }
                )
                if delivered and rng.random() < 0.02:
                    return_rows.append(
                        {
                            "id": ids.next(Return),
                            "order_line_id": line_id,
                            "quantity": Decimal(1),
                            "reason": rng.choice(["quality", "wrong_item", "late"]),
                            "returned_on": delivered,
                            "value": product.list_price,
                            "recorded_by_id": account.owner_id,
                        }
                    )
    out.update(orders=order_rows, lines=line_rows, returns=return_rows)
    return {
        "contracts": Copier(Contract, now=now).copy(contract_rows),
        "obligations": Copier(ContractObligation, now=now).copy(obligation_rows),
        "orders": Copier(Order, now=now).copy(order_rows),
        "order lines": Copier(OrderLine, now=now).copy(line_rows),
        "returns": Copier(Return, now=now).copy(return_rows),
    }


def _activities(*, rng, ids, accounts, contacts, kams, profile, now) -> dict[str, int]:
    books: dict[int, list[_Account]] = {}
    for account in accounts:
        books.setdefault(account.owner_id, []).append(account)
    weights = {"A": 6, "B": 2, "C": 1}
    first_day = now - timedelta(days=365 * YEARS_OF_ACTIVITY)
    span_minutes = int((now + timedelta(days=21) - first_day).total_seconds() // 60)
    links = []

    def rows() -> Iterator[dict]:
        per_kam = profile.activities // len(kams)
        for kam in kams:
            book = books.get(kam.pk, [])
            if not book:
                continue
            chosen = rng.choices(book, weights=[weights[a.tier] for a in book], k=per_kam)
            for account in chosen:
                starts_at = first_day + timedelta(minutes=rng.randrange(span_minutes))
                starts_at = starts_at.replace(minute=starts_at.minute // 30 * 30, second=0)
                kind = rng.choice(ACTIVITY_TYPES)
                activity_id = ids.next(Activity)
                row = {
                    "id": activity_id,
                    "type": kind,
                    "account_id": account.id,
                    "owner_id": kam.pk,
                    "starts_at": starts_at,
                    "duration_minutes": 30 if kind in ("call", "email") else 60,
                    "purpose": "Quarterly business review",
                }
                if starts_at < now:
                    roll = rng.random()
                    if roll < 0.89:
                        row["status"] = ActivityStatus.DONE
                        row["outcome"] = "Positive; they asked for a written offer."
                        row["completed_at"] = starts_at + timedelta(minutes=60)
                        if now - starts_at < timedelta(days=10) and rng.random() < 0.3:
                            row["next_step"] = "Send the written offer"
                            row["next_step_due"] = (now + timedelta(days=rng.randint(-3, 6))).date()
                    else:
                        row["status"] = (
                            ActivityStatus.CANCELLED if roll < 0.95 else ActivityStatus.MISSED
                        )
                people = contacts[account.id]
                if people:
                    links.append((activity_id, rng.choice(people)))
                yield row

    through = Activity.contacts.through
    counts = {"activities": Copier(Activity, now=now).copy(rows())}
    counts["activity contacts"] = Copier(through, now=now).copy(
        {"id": ids.next(through), "activity_id": activity, "contact_id": contact}
        for activity, contact in links
    )
    return counts


def vacuum_analyze() -> float:
    """VACUUM ANALYZE the whole database, as autovacuum would; seconds taken."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started
