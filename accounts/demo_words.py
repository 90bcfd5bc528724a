"""The words the accounts demo builds its clients from: Polish places, company names, people,
industries, jobs and the dossier's phrases."""

from dataclasses import dataclass

from .models import Account, Contact, ContactRelation, DossierNote

CITIES = {
    "north": [
        ("Gdańsk", "80"),
        ("Gdynia", "81"),
        ("Szczecin", "70"),
        ("Bydgoszcz", "85"),
        ("Toruń", "87"),
        ("Olsztyn", "10"),
        ("Koszalin", "75"),
        ("Elbląg", "82"),
        ("Słupsk", "76"),
        ("Białystok", "15"),
    ],
    "south": [
        ("Kraków", "31"),
        ("Katowice", "40"),
        ("Rzeszów", "35"),
        ("Kielce", "25"),
        ("Gliwice", "44"),
        ("Tarnów", "33"),
        ("Bielsko-Biała", "43"),
        ("Częstochowa", "42"),
        ("Sosnowiec", "41"),
        ("Nowy Sącz", "33"),
    ],
    "west": [
        ("Poznań", "61"),
        ("Wrocław", "53"),
        ("Zielona Góra", "65"),
        ("Gorzów Wielkopolski", "66"),
        ("Opole", "45"),
        ("Legnica", "59"),
        ("Kalisz", "62"),
        ("Leszno", "64"),
        ("Wałbrzych", "58"),
        ("Jelenia Góra", "58"),
    ],
}
REGIONS = {
    "north": ["Pomorze", "Kaszuby", "Warmia", "Bałtyk"],
    "south": ["Małopolska", "Śląsk", "Podkarpacie", "Beskidy"],
    "west": ["Wielkopolska", "Dolny Śląsk", "Lubusz", "Odra"],
}
STREETS = [
    "Przemysłowa",
    "Fabryczna",
    "Składowa",
    "Magazynowa",
    "Logistyczna",
    "Kościuszki",
    "Mickiewicza",
    "Piłsudskiego",
    "Sienkiewicza",
    "Grunwaldzka",
    "Długa",
    "Polna",
    "Kolejowa",
    "Portowa",
    "Targowa",
    "Rzemieślnicza",
]

BRAND_STEMS = [
    "Agro",
    "Bud",
    "Elektro",
    "Farm",
    "Trans",
    "Mleko",
    "Drew",
    "Stal",
    "Chem",
    "Med",
    "Inter",
    "Euro",
    "Pol",
    "Tech",
    "Metal",
    "Eko",
    "Hydro",
    "Termo",
    "Auto",
    "Print",
    "Kom",
    "Mar",
    "Wis",
    "Bal",
    "Kar",
    "Sil",
    "Mazo",
    "Pom",
    "Nor",
    "Lech",
    "Ster",
    "Gal",
    "Rol",
    "Pak",
    "Dom",
    "Ener",
    "Vita",
    "Opt",
    "Geo",
    "Prim",
]
BRAND_ENDINGS = [
    "pol",
    "mex",
    "bud",
    "max",
    "tech",
    "plast",
    "trans",
    "met",
    "san",
    "kom",
    "lux",
    "med",
    "rol",
    "tex",
    "gaz",
    "chem",
    "mar",
    "vit",
    "pak",
    "net",
    "sped",
    "hurt",
    "serwis",
    "tel",
    "styl",
    "land",
    "bis",
    "ex",
    "gum",
    "drob",
]
DESCRIPTORS = [
    "Polska",
    "Group",
    "Trade",
    "Dystrybucja",
    "Logistyka",
    "Serwis",
    "Invest",
    "Partner",
    "Systemy",
    "Technika",
    "Handel",
    "Produkcja",
    "Solutions",
    "Holding",
    "Export",
    "Centrum",
]
PARTNERS = ["i Synowie", "i Wspólnicy", "i Córki"]
LEGAL_FORMS = [("Sp. z o.o.", 60), ("S.A.", 20), ("sp.k.", 9), ("sp.j.", 8), ("s.c.", 3)]

SURNAMES = [
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
    "Kwiatkowski",
    "Krawczyk",
    "Piotrowski",
    "Grabowski",
    "Nowakowski",
    "Pawłowski",
    "Michalski",
    "Nowicki",
    "Adamczyk",
    "Dudek",
    "Zając",
    "Wieczorek",
    "Jabłoński",
    "Król",
    "Majewski",
    "Olszewski",
    "Jaworski",
    "Wróbel",
    "Malinowski",
    "Pawlak",
    "Witkowski",
    "Walczak",
    "Stępień",
    "Górski",
    "Rutkowski",
    "Michalak",
    "Sikora",
    "Ostrowski",
    "Baran",
    "Duda",
    "Szewczyk",
    "Tomaszewski",
    "Pietrzak",
    "Marciniak",
    "Wróblewski",
    "Zalewski",
    "Jakubowski",
    "Jasiński",
    "Zawadzki",
    "Sadowski",
    "Bąk",
    "Chmielewski",
    "Włodarczyk",
    "Borkowski",
    "Czarnecki",
    "Sawicki",
]
MALE_NAMES = [
    "Piotr",
    "Krzysztof",
    "Andrzej",
    "Tomasz",
    "Paweł",
    "Jan",
    "Michał",
    "Marcin",
    "Jakub",
    "Adam",
    "Marek",
    "Łukasz",
    "Grzegorz",
    "Mateusz",
    "Wojciech",
    "Mariusz",
    "Dariusz",
    "Zbigniew",
    "Rafał",
    "Robert",
    "Kamil",
    "Jacek",
    "Sławomir",
    "Bartosz",
    "Artur",
]
FEMALE_NAMES = [
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Magdalena",
    "Elżbieta",
    "Joanna",
    "Aleksandra",
    "Monika",
    "Zofia",
    "Teresa",
    "Danuta",
    "Natalia",
    "Karolina",
    "Marta",
    "Beata",
    "Dorota",
    "Justyna",
    "Paulina",
    "Iwona",
    "Sylwia",
    "Agata",
]


@dataclass(frozen=True)
class Industry:
    """An industry with the Polish name stems its companies are called by."""

    name: str
    weight: int
    prefixes: tuple[str, ...]
    segment: str = ""


INDUSTRIES = [
    Industry("Food processing", 14, ("Zakłady Mięsne", "Mleczarnia", "Przetwórnia Owoców")),
    Industry("Retail chains", 8, ("Sieć Sklepów", "Delikatesy"), Account.Segment.DISTRIBUTOR),
    Industry(
        "Wholesale distribution",
        10,
        ("Hurtownia", "Centrum Dystrybucji"),
        Account.Segment.DISTRIBUTOR,
    ),
    Industry("Pharmaceuticals", 6, ("Laboratorium Farmaceutyczne", "Apteki")),
    Industry("Construction", 10, ("Przedsiębiorstwo Budowlane", "Budownictwo")),
    Industry("Automotive", 7, ("Auto Części", "Zakład Motoryzacyjny")),
    Industry("Logistics", 9, ("Spedycja", "Transport")),
    Industry("Chemicals", 5, ("Zakłady Chemiczne",)),
    Industry("Energy", 4, ("Energetyka", "Ciepłownia")),
    Industry("Agriculture", 6, ("Spółdzielnia Rolnicza", "Gospodarstwo Rolne")),
    Industry("Healthcare", 5, ("Centrum Medyczne", "Przychodnia")),
    Industry("Furniture", 6, ("Fabryka Mebli", "Meble")),
    Industry("Packaging", 5, ("Opakowania",)),
    Industry("IT services", 4, ("Systemy Informatyczne",)),
    Industry(
        "Public sector", 3, ("MPK", "MPWiK", "ZGK", "Szpital Miejski"), Account.Segment.PUBLIC
    ),
]
PUBLIC_FULL_NAMES = {
    "MPK": "Miejskie Przedsiębiorstwo Komunikacyjne",
    "MPWiK": "Miejskie Przedsiębiorstwo Wodociągów i Kanalizacji",
    "ZGK": "Zakład Gospodarki Komunalnej",
    "Szpital Miejski": "Szpital Miejski",
}

COMPETITOR_NAMES = [
    "Baltic Supply Sp. z o.o.",
    "Delta Polska S.A.",
    "Hurtpol",
    "Medivia",
    "NordTrade",
    "Omega Serwis",
    "Promax Dystrybucja",
    "Silesia Partners",
    "Vistula Logistics",
    "Wielkopolska Grupa Handlowa",
]

NEEDS = [
    "Shorter lead times on the core range; today they wait up to three weeks.",
    "One supplier for all sites in {region}, with consolidated monthly invoicing.",
    "Better payment terms: they ask for 60 days instead of 30.",
    "Technical support on site during the autumn production peak.",
    "Private-label packaging for their own brand.",
    "EDI ordering connected to their ERP.",
    "Price stability: a fixed price list for the whole year.",
    "Training for the new purchasing team.",
    "Lower total cost of ownership; they benchmark every quarter.",
    "Certified supply (ISO 9001, BRC) documented per delivery.",
    "Consignment stock in their warehouse in {city}.",
]
PLANS = [
    "Opening a second site near {city} in {year}.",
    "Centralising purchasing at the head office by the end of {year}.",
    "Expanding to Germany and Czechia; export share to reach 30 %.",
    "Investing in an automated warehouse; tender expected in Q{quarter}.",
    "New product line launch planned for {year}.",
    "Cutting the supplier base by a third over two years.",
    "Moving to a framework agreement with two suppliers per category.",
    "Preparing an IPO on the Warsaw Stock Exchange.",
    "Acquiring a smaller competitor in {region}.",
]
NOTES = {
    DossierNote.Source.MEETING: [
        "Met {contact} in {city}: they are reviewing suppliers and want a proposal by Q{quarter}.",
        "Quarterly review with {contact}: on-time delivery at {pct2} %, they expect 97 %.",
        "{contact} showed us the new warehouse plan; volumes could grow by {pct} %.",
        "Lunch with {contact}. The {year} budget is approved but the board wants a second quote.",
    ],
    DossierNote.Source.CALL: [
        "{contact} called about a late delivery; we credited the transport cost.",
        "Call with {contact}: {competitor} offered them {pct} % below our price on the core range.",
        "{contact} asked for 60-day payment terms instead of 30.",
        "Follow-up call with {contact}: samples arrived, the trial starts next month.",
    ],
    DossierNote.Source.PUBLIC_INFO: [
        "Annual report: revenue up {pct} % year on year; a new plant is planned near {city}.",
        "Press: they won a public tender for {year}; expect higher volumes.",
        "KRS shows a new management board member; worth arranging an introduction.",
        "Job ads for a central purchasing team in {city}: procurement may be centralised.",
    ],
    DossierNote.Source.FEEDBACK: [
        "{contact} praised our technical support after the line stoppage.",
        "Complaint about damaged packaging forwarded by {contact}; quality team informed.",
        "Customer survey: 4 of 5 for service; price is the weak point against {competitor}.",
    ],
    DossierNote.Source.OTHER: [
        "Met {contact} at a trade fair in Poznań; interested in the new product line.",
        "{contact} moves to another company next quarter; we need a new champion there.",
        "Invitation to their 25th anniversary gala in {city}.",
    ],
}
NOTE_SOURCE_WEIGHTS = [35, 30, 15, 12, 8]  # in the order of NOTES


@dataclass(frozen=True)
class Position:
    """A job at a client: where it sits in the org chart and how it usually buys."""

    title: str
    department: str
    level: int  # 0 = top of the company
    roles: tuple[str, ...]  # the first is the usual one
    influence: tuple[int, int]


R = Contact.DecisionRole
POSITIONS = [
    Position("Chief executive officer", "Management board", 0, (R.DECISION_MAKER,), (4, 5)),
    Position("Purchasing director", "Purchasing", 1, (R.DECISION_MAKER, R.INFLUENCER), (4, 5)),
    Position("Chief financial officer", "Finance", 1, (R.DECISION_MAKER, R.BLOCKER), (4, 5)),
    Position("Operations director", "Operations", 1, (R.INFLUENCER, R.DECISION_MAKER), (3, 5)),
    Position("Technical director", "Engineering", 1, (R.INFLUENCER, R.BLOCKER), (3, 4)),
    Position("Category manager", "Purchasing", 2, (R.CHAMPION, R.INFLUENCER, R.USER), (3, 4)),
    Position("Quality manager", "Quality", 2, (R.BLOCKER, R.INFLUENCER), (2, 4)),
    Position("Logistics manager", "Logistics", 2, (R.USER, R.INFLUENCER), (2, 3)),
    Position("Marketing manager", "Marketing", 2, (R.INFLUENCER, R.CHAMPION), (2, 3)),
    Position("Production manager", "Production", 2, (R.USER, R.BLOCKER), (2, 3)),
    Position("Head of IT", "IT", 2, (R.INFLUENCER, R.USER), (2, 3)),
    Position("Controller", "Finance", 2, (R.USER, R.GATEKEEPER), (1, 3)),
    Position("Purchasing specialist", "Purchasing", 3, (R.USER, R.GATEKEEPER, R.CHAMPION), (1, 3)),
    Position("Warehouse manager", "Logistics", 3, (R.USER,), (1, 2)),
    Position("Office manager", "Management board", 3, (R.GATEKEEPER,), (1, 2)),
    Position("Assistant to the board", "Management board", 3, (R.GATEKEEPER,), (1, 2)),
]
LANGUAGES = [
    ("Polish", 40),
    ("Polish, English", 40),
    ("Polish, German", 10),
    ("Polish, English, German", 8),
    ("Polish, Ukrainian", 2),
]
CHANNELS = [
    (Contact.Channel.EMAIL, 35),
    (Contact.Channel.PHONE, 25),
    (Contact.Channel.MEETING, 20),
    (Contact.Channel.MESSAGING, 10),
    ("", 10),
]
PERSONAL_NOTES = [
    "Runs marathons; ask about the next race.",
    "Two children; the elder studies in Wrocław.",
    "Prefers meetings before 10:00.",
    "Sails on the Masurian lakes every summer.",
    "Collects wine; likes Hungarian Tokaji.",
    "Season ticket holder at the local football club.",
    "Does not drink alcohol; choose the restaurant accordingly.",
    "Former colleague of our CEO at a previous employer.",
    "Dislikes long e-mails: one page, numbers first.",
    "Plays golf; member of the club near the office.",
]
RELATION_NOTES = {
    ContactRelation.Kind.INFLUENCES: ["Signs off the budget", "Trusted adviser", ""],
    ContactRelation.Kind.ALLIED: ["Former colleagues", "Play tennis together", ""],
    ContactRelation.Kind.RIVAL: ["Competing for the same promotion", "Disagree on suppliers", ""],
}
