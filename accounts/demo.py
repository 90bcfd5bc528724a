"""Demo data for the accounts app: Polish B2B clients with dossiers, contacts and influence maps."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import NormalDist

from django.db.models import Model
from django.utils import timezone

from team.demo import DemoOptions, ascii_fold
from team.models import Role, User

from .demo_words import (
    BRAND_ENDINGS,
    BRAND_STEMS,
    CHANNELS,
    CITIES,
    COMPETITOR_NAMES,
    DESCRIPTORS,
    FEMALE_NAMES,
    FOREIGN_CLIENTS,
    FOREIGN_POTENTIAL_RATE,
    INDUSTRIES,
    LANGUAGES,
    LEGAL_FORMS,
    MALE_NAMES,
    NEEDS,
    NOTE_SOURCE_WEIGHTS,
    NOTES,
    PARTNERS,
    PERSONAL_NOTES,
    PLANS,
    POSITIONS,
    PUBLIC_FULL_NAMES,
    REGIONS,
    RELATION_NOTES,
    STREETS,
    SURNAMES,
    Industry,
)
from .models import (
    Account,
    AccountFinancials,
    Competitor,
    Contact,
    ContactRelation,
    DossierNote,
)

ACCOUNTS_PER_SCALE = 600
# Accounts are drafted and inserted this many at a time, so memory stays flat at --scale 30.
CHUNK = 1000
CENTS = Decimal("0.01")

# Potentials are lognormal; at this spread the top 20 % of accounts hold 80 % of the total
# (share of the top p = 1 - Phi(Phi^-1(1 - p) - sigma)). Drawing one value per quantile
# stratum keeps the sample on that curve for any seed instead of letting one outlier swallow
# the total.
POTENTIAL_SIGMA = 1.7
POTENTIAL_MEDIAN = 250_000  # PLN a year
# Below this a client would not be in a KAM's book; the floor lifts about 1 % of accounts.
POTENTIAL_FLOOR = 5_000
TIER_LIMITS = [(Decimal("0.80"), Account.Tier.A), (Decimal("0.95"), Account.Tier.B)]
R = Contact.DecisionRole
STATUS_WEIGHTS = {  # prospect, active, dormant, lost
    Account.Tier.A: [4, 90, 4, 2],
    Account.Tier.B: [10, 78, 8, 4],
    Account.Tier.C: [18, 62, 12, 8],
}
STATUSES = [
    Account.Status.PROSPECT,
    Account.Status.ACTIVE,
    Account.Status.DORMANT,
    Account.Status.LOST,
]
TOP_POSITIONS = POSITIONS[:2]
CONTACT_COUNTS = {Account.Tier.A: (4, 8), Account.Tier.B: (3, 6), Account.Tier.C: (2, 5)}
NOTE_COUNTS = {Account.Tier.A: (3, 6), Account.Tier.B: (2, 4), Account.Tier.C: (1, 3)}


@dataclass
class _Drafts:
    """Unsaved rows for one chunk of accounts, in the order they are inserted."""

    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    relations: list[ContactRelation] = field(default_factory=list)
    notes: list[DossierNote] = field(default_factory=list)
    financials: list[AccountFinancials] = field(default_factory=list)
    competitor_links: list[Model] = field(default_factory=list)


def _potentials_draw(*, rng: random.Random, count: int) -> list[Decimal]:
    """Annual potentials in PLN on a Pareto curve, rounded to 100 PLN, in random order."""
    normal = NormalDist()
    values = [
        POTENTIAL_MEDIAN
        * math.exp(POTENTIAL_SIGMA * normal.inv_cdf((i + 0.25 + 0.5 * rng.random()) / count))
        for i in range(count)
    ]
    rng.shuffle(values)
    return [Decimal(round(max(value, POTENTIAL_FLOOR), -2)).quantize(CENTS) for value in values]


def _tiers_by_cumulative_share(*, potentials: list[Decimal]) -> list[str]:
    """A while the accounts from the largest down to this one hold ≤ 80 % of the total, B ≤ 95 %."""
    total = sum(potentials)
    tiers = [Account.Tier.C] * len(potentials)
    running = Decimal(0)
    for index in sorted(range(len(potentials)), key=lambda i: (-potentials[i], i)):
        running += potentials[index]
        share = running / total
        tiers[index] = next((tier for limit, tier in TIER_LIMITS if share <= limit), Account.Tier.C)
    return tiers


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    """Create accounts for every KAM, with contacts, influence maps, notes and financials."""
    rng = options.rng
    count = options.accounts if options.accounts is not None else ACCOUNTS_PER_SCALE * options.scale
    competitors = Competitor.objects.bulk_create([Competitor(name=n) for n in COMPETITOR_NAMES])
    kams = list(User.objects.filter(role=Role.KAM).select_related("territory").order_by("pk"))
    potentials = _potentials_draw(rng=rng, count=count)
    tiers = _tiers_by_cumulative_share(potentials=potentials)
    # Every KAM gets at least one account; the rest go to portfolios of uneven size.
    portfolio_weights = [rng.uniform(0.7, 1.3) for _ in kams]
    extra = rng.choices(kams, weights=portfolio_weights, k=max(0, count - len(kams)))
    owners = [*kams, *extra][:count]
    names: set[str] = set()
    tax_ids: set[str] = set()
    today = timezone.localdate()
    totals = {
        "competitors": len(competitors),
        "accounts": 0,
        "contacts": 0,
        "contact relations": 0,
        "dossier notes": 0,
        "financial years": 0,
    }
    for start in range(0, count, CHUNK):
        drafts = _Drafts()
        for index in range(start, min(start + CHUNK, count)):
            _draft_account(
                rng=rng,
                drafts=drafts,
                owner=owners[index],
                potential=potentials[index],
                tier=tiers[index],
                competitors=competitors,
                names=names,
                tax_ids=tax_ids,
                today=today,
            )
        _insert(drafts=drafts)
        totals["accounts"] += len(drafts.accounts)
        totals["contacts"] += len(drafts.contacts)
        totals["contact relations"] += len(drafts.relations)
        totals["dossier notes"] += len(drafts.notes)
        totals["financial years"] += len(drafts.financials)
    totals["foreign clients"] = _foreign_clients()
    return totals


def _foreign_clients() -> int:
    """In each territory one B client becomes a company abroad that buys in euro; drawn after
    the others, so the Polish clients are the same with or without them."""
    made = 0
    for client in FOREIGN_CLIENTS:
        account = (
            Account.objects.filter(
                territory__code=client.territory,
                tier=Account.Tier.B,
                status=Account.Status.ACTIVE,
            )
            .order_by("pk")
            .first()
        )
        if account is None:
            continue
        rate = FOREIGN_POTENTIAL_RATE[client.currency]
        account.name = client.name
        account.legal_name = f"{client.name} {client.legal_form}"
        account.country, account.city = client.country, client.city
        account.postal_code, account.address = client.postal_code, client.address
        account.tax_id, account.currency = client.tax_id, client.currency
        account.website = f"https://www.{_domain(name=client.name).removesuffix('.pl')}."
        account.website += client.country.lower()
        potential = account.potential_amount / rate
        account.potential_amount = (potential / 100).quantize(Decimal(1)) * 100
        account.save()
        made += 1
    return made


def _insert(*, drafts: _Drafts) -> None:
    # Accounts and contacts first: bulk_create sets their primary keys, which the rows
    # pointing at them pick up when they are inserted.
    Account.objects.bulk_create(drafts.accounts, batch_size=CHUNK)
    Contact.objects.bulk_create(drafts.contacts, batch_size=CHUNK)
    ContactRelation.objects.bulk_create(drafts.relations, batch_size=CHUNK)
    DossierNote.objects.bulk_create(drafts.notes, batch_size=CHUNK)
    AccountFinancials.objects.bulk_create(drafts.financials, batch_size=CHUNK)
    Account.competitors.through.objects.bulk_create(drafts.competitor_links, batch_size=CHUNK)


def _draft_account(
    *,
    rng: random.Random,
    drafts: _Drafts,
    owner: User,
    potential: Decimal,
    tier: str,
    competitors: list[Competitor],
    names: set[str],
    tax_ids: set[str],
    today: date,
) -> None:
    territory_code = owner.territory.code
    city, postcode = rng.choice(CITIES[territory_code])
    region = rng.choice(REGIONS[territory_code])
    industry = rng.choices(INDUSTRIES, weights=[i.weight for i in INDUSTRIES])[0]
    name, legal_name = _company_name(
        rng=rng, industry=industry, city=city, region=region, taken=names
    )
    domain = _domain(name=name)
    status = rng.choices(STATUSES, weights=STATUS_WEIGHTS[tier])[0]
    context = {"city": city, "region": region, "year": today.year + 1, "quarter": rng.randint(1, 4)}
    account = Account(
        name=name,
        legal_name=legal_name,
        tax_id=_tax_id(rng=rng, taken=tax_ids),
        industry=industry.name,
        segment=_segment(rng=rng, industry=industry, potential=potential),
        territory=owner.territory,
        owner=owner,
        status=status,
        tier=tier,
        website=f"https://www.{domain}" if rng.random() < 0.85 else "",
        address=f"ul. {rng.choice(STREETS)} {rng.randint(1, 180)}",
        postal_code=f"{postcode}-{rng.randint(0, 999):03d}",
        city=city,
        potential_amount=potential,
        share_of_wallet=_share_of_wallet(rng=rng, status=status),
        needs=" ".join(rng.sample(NEEDS, rng.randint(1, 2))).format(**context)
        if rng.random() < 0.9
        else "",
        development_plans=rng.choice(PLANS).format(**context) if rng.random() < 0.75 else "",
    )
    drafts.accounts.append(account)
    present = rng.sample(competitors, rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0])
    drafts.competitor_links.extend(
        Account.competitors.through(account=account, competitor=competitor)
        for competitor in present
    )
    contacts = _draft_contacts(rng=rng, account=account, tier=tier, domain=domain)
    drafts.contacts.extend(contact for contact, _ in contacts)
    drafts.relations.extend(_draft_relations(rng=rng, contacts=contacts))
    drafts.notes.extend(
        _draft_notes(
            rng=rng,
            account=account,
            contacts=contacts,
            competitors=present or competitors,
            context=context,
            today=today,
        )
    )
    if rng.random() < 0.65:
        drafts.financials.extend(_draft_financials(rng=rng, account=account, today=today))


def _company_name(
    *, rng: random.Random, industry: Industry, city: str, region: str, taken: set[str]
) -> tuple[str, str]:
    """A trading name not in `taken`, and the legal name with its company form."""
    # Redraw a few times before numbering: "Agromex 7" reads like a generator, not a client.
    for _attempt in range(10):
        name = _name_draw(rng=rng, industry=industry, city=city, region=region)
        if name not in taken:
            break
    name = _unique(name=name, taken=taken)
    if industry.segment == Account.Segment.PUBLIC:
        prefix = next(p for p in industry.prefixes if name.startswith(p))
        return name, f"{PUBLIC_FULL_NAMES[prefix]}{name.removeprefix(prefix)} Sp. z o.o."
    return name, f"{name} {_weighted(rng=rng, pairs=LEGAL_FORMS)}"


def _name_draw(*, rng: random.Random, industry: Industry, city: str, region: str) -> str:
    if industry.segment == Account.Segment.PUBLIC:
        return f"{rng.choice(industry.prefixes)} {city}"
    brand = rng.choice(BRAND_STEMS) + rng.choice(BRAND_ENDINGS)
    pattern = rng.random()
    if pattern < 0.3:
        return brand
    if pattern < 0.55:
        return f"{brand} {rng.choice(DESCRIPTORS)}"
    if pattern < 0.75:
        return f"{brand} {region}"
    if pattern < 0.95:
        return f"{rng.choice(industry.prefixes)} {rng.choice(SURNAMES)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(PARTNERS)}"


def _unique(*, name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} {number}"
    taken.add(candidate)
    return candidate


def _domain(*, name: str) -> str:
    return "".join(ch for ch in ascii_fold(text=name).lower() if ch.isalnum()) + ".pl"


NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
NIP_OFFICES = ["526", "527", "521", "583", "584", "586", "677", "676", "634", "954", "779", "778"]


def _tax_id(*, rng: random.Random, taken: set[str]) -> str:
    """A Polish NIP with a valid check digit, as an EU VAT number (PL + 10 digits)."""
    while True:
        digits = [int(d) for d in rng.choice(NIP_OFFICES)] + [rng.randrange(10) for _ in range(6)]
        check = sum(w * d for w, d in zip(NIP_WEIGHTS, digits, strict=True)) % 11
        nip = "PL" + "".join(map(str, digits)) + str(check)
        if check != 10 and nip not in taken:
            taken.add(nip)
            return nip


def _segment(*, rng: random.Random, industry: Industry, potential: Decimal) -> str:
    if industry.segment and rng.random() < 0.8:
        return industry.segment
    if potential >= 2_000_000:
        return Account.Segment.ENTERPRISE
    if potential >= 300_000:
        return Account.Segment.MID_MARKET
    return Account.Segment.SMB


def _share_of_wallet(*, rng: random.Random, status: str) -> Decimal | None:
    if status == Account.Status.PROSPECT:
        return None
    if status == Account.Status.LOST:
        return Decimal("0.00")
    high = 70 if status == Account.Status.ACTIVE else 15
    return Decimal(rng.randint(10, high * 10)) / 10


def _draft_contacts(
    *, rng: random.Random, account: Account, tier: str, domain: str
) -> list[tuple[Contact, int]]:
    """2 to 8 people, each with their org-chart level, the most senior first."""
    low, high = CONTACT_COUNTS[tier]
    top = rng.choice(TOP_POSITIONS)
    others = rng.sample([p for p in POSITIONS if p is not top], rng.randint(low, high) - 1)
    contacts = []
    for position in [top, *sorted(others, key=lambda p: p.level)]:
        female = rng.random() < 0.45
        first_name = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last_name = rng.choice(SURNAMES)
        if female and last_name.endswith("ki"):
            last_name = last_name[:-1] + "a"
        role = position.roles[0] if rng.random() < 0.7 else rng.choice(position.roles)
        influence = rng.randint(*position.influence)
        attitude = _attitude(rng=rng, role=role)
        contact = Contact(
            account=account,
            first_name=first_name,
            last_name=last_name,
            position=position.title,
            department=position.department,
            email=ascii_fold(text=f"{first_name}.{last_name}@{domain}").lower()
            if rng.random() < 0.9
            else "",
            phone=f"+48 {rng.randint(500, 899)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
            if rng.random() < 0.8
            else "",
            decision_role=role,
            is_vip=rng.random() < (0.35 if influence >= 4 else 0.03),
            is_kol=rng.random() < 0.06,
            influence=influence,
            attitude=attitude,
            relationship_stage=_stage(rng=rng, attitude=attitude),
            personal_notes=rng.choice(PERSONAL_NOTES) if rng.random() < 0.3 else "",
            birthday=date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.45
            else None,
            preferred_channel=_weighted(rng=rng, pairs=CHANNELS),
            languages=_weighted(rng=rng, pairs=LANGUAGES),
        )
        contacts.append((contact, position.level))
    return contacts


def _draft_relations(
    *, rng: random.Random, contacts: list[tuple[Contact, int]]
) -> list[ContactRelation]:
    """A reporting tree under the most senior person, plus a few influence, ally and rival ties."""
    edges: dict[tuple[int, int, str], str] = {}
    for index, (_, level) in enumerate(contacts):
        above = [(lvl, i) for i, (_, lvl) in enumerate(contacts[:index]) if lvl < level]
        if above:
            nearest = max(lvl for lvl, _ in above)
            boss = rng.choice([i for lvl, i in above if lvl == nearest])
            edges[(index, boss, ContactRelation.Kind.REPORTS_TO)] = ""
    if len(contacts) >= 3:
        for _ in range(rng.choices([0, 1, 2, 3], weights=[30, 35, 25, 10])[0]):
            source, target = rng.sample(range(len(contacts)), 2)
            kind = rng.choice(list(RELATION_NOTES))
            mutual = kind != ContactRelation.Kind.INFLUENCES
            if not (mutual and (target, source, kind) in edges):
                edges.setdefault((source, target, kind), rng.choice(RELATION_NOTES[kind]))
    return [
        ContactRelation(
            from_contact=contacts[source][0], to_contact=contacts[target][0], kind=kind, note=note
        )
        for (source, target, kind), note in edges.items()
    ]


def _draft_notes(
    *,
    rng: random.Random,
    account: Account,
    contacts: list[tuple[Contact, int]],
    competitors: list[Competitor],
    context: dict[str, object],
    today: date,
) -> list[DossierNote]:
    """Dated observations by the owner over the last 18 months."""
    notes = []
    for _ in range(rng.randint(*NOTE_COUNTS[account.tier])):
        source = rng.choices(list(NOTES), weights=NOTE_SOURCE_WEIGHTS)[0]
        text = rng.choice(NOTES[source]).format(
            contact=rng.choice(contacts)[0].full_name,
            competitor=rng.choice(competitors).name,
            pct=rng.randint(3, 25),
            pct2=rng.randint(85, 96),
            **context,
        )
        notes.append(
            DossierNote(
                account=account,
                author=account.owner,
                noted_on=today - timedelta(days=rng.randint(0, 547)),
                source=source,
                text=text,
            )
        )
    return notes


def _draft_financials(
    *, rng: random.Random, account: Account, today: date
) -> list[AccountFinancials]:
    """The last 2 or 3 closed years; the client's revenue dwarfs what it could spend with us."""
    revenue = float(account.potential_amount) * rng.uniform(6, 30)
    rows = []
    for year in range(today.year - 1, today.year - 1 - rng.randint(2, 3), -1):
        rows.append(
            AccountFinancials(
                account=account,
                year=year,
                revenue=Decimal(round(revenue, -3)).quantize(CENTS),
                profit=Decimal(round(revenue * rng.uniform(-0.04, 0.11), -3)).quantize(CENTS),
                employees=max(5, round(revenue / rng.uniform(250_000, 900_000))),
            )
        )
        revenue /= 1 + rng.uniform(-0.08, 0.18)
    return rows


def _weighted(*, rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _attitude(*, rng: random.Random, role: str) -> str:
    weights = {R.CHAMPION: [90, 10, 0], R.BLOCKER: [5, 35, 60]}.get(role, [40, 48, 12])
    return rng.choices(
        [Contact.Attitude.SUPPORTER, Contact.Attitude.NEUTRAL, Contact.Attitude.OPPONENT],
        weights=weights,
    )[0]


def _stage(*, rng: random.Random, attitude: str) -> str:
    weights = [40, 50, 10, 0] if attitude == Contact.Attitude.OPPONENT else [12, 38, 32, 18]
    return rng.choices(
        [
            Contact.Stage.UNKNOWN,
            Contact.Stage.ACQUAINTED,
            Contact.Stage.LOYAL,
            Contact.Stage.TRUSTED,
        ],
        weights=weights,
    )[0]
