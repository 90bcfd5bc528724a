"""The words the accounts demo builds its clients from: Polish places, company names, people,
industries, jobs and the dossier's phrases."""

from dataclasses import dataclass
from decimal import Decimal

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
    "Grupa",
    "Zaopatrzenie",
    "Dystrybucja",
    "Logistyka",
    "Serwis",
    "Invest",
    "Partner",
    "Systemy",
    "Technika",
    "Handel",
    "Produkcja",
    "Rozwiązania",
    "Holding",
    "Eksport",
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
    Industry("Przetwórstwo spożywcze", 14, ("Zakłady Mięsne", "Mleczarnia", "Przetwórnia Owoców")),
    Industry("Sieci handlowe", 8, ("Sieć Sklepów", "Delikatesy"), Account.Segment.DISTRIBUTOR),
    Industry(
        "Dystrybucja hurtowa",
        10,
        ("Hurtownia", "Centrum Dystrybucji"),
        Account.Segment.DISTRIBUTOR,
    ),
    Industry("Farmacja", 6, ("Laboratorium Farmaceutyczne", "Apteki")),
    Industry("Budownictwo", 10, ("Przedsiębiorstwo Budowlane", "Budownictwo")),
    Industry("Motoryzacja", 7, ("Auto Części", "Zakład Motoryzacyjny")),
    Industry("Logistyka", 9, ("Spedycja", "Transport")),
    Industry("Chemia", 5, ("Zakłady Chemiczne",)),
    Industry("Energetyka", 4, ("Energetyka", "Ciepłownia")),
    Industry("Rolnictwo", 6, ("Spółdzielnia Rolnicza", "Gospodarstwo Rolne")),
    Industry("Ochrona zdrowia", 5, ("Centrum Medyczne", "Przychodnia")),
    Industry("Meblarstwo", 6, ("Fabryka Mebli", "Meble")),
    Industry("Opakowania", 5, ("Opakowania",)),
    Industry("Usługi IT", 4, ("Systemy Informatyczne",)),
    Industry(
        "Sektor publiczny", 3, ("MPK", "MPWiK", "ZGK", "Szpital Miejski"), Account.Segment.PUBLIC
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
    "Vistula Logistyka",
    "Wielkopolska Grupa Handlowa",
]

NEEDS = [
    "Krótsze terminy dostaw na asortymencie podstawowym; dziś czekają do trzech tygodni.",
    "Jeden dostawca dla wszystkich zakładów w regionie {region}, z jedną fakturą zbiorczą "
    "w miesiącu.",
    "Lepsze warunki płatności: proszą o 60 dni zamiast 30.",
    "Wsparcie techniczne na miejscu w jesiennym szczycie produkcji.",
    "Opakowania pod ich własną markę (private label).",
    "Zamówienia przez EDI połączone z ich systemem ERP.",
    "Stabilne ceny: stały cennik na cały rok.",
    "Szkolenie dla nowego działu zakupów.",
    "Niższy całkowity koszt zakupu; co kwartał porównują dostawców.",
    "Dostawy z certyfikatami (ISO 9001, BRC) dokumentowanymi przy każdej dostawie.",
    "Towar w konsygnacji w ich magazynie ({city}).",
]
PLANS = [
    "Otwarcie drugiego zakładu w okolicy ({city}) w {year} r.",
    "Centralizacja zakupów w centrali do końca {year} r.",
    "Ekspansja do Niemiec i Czech; udział eksportu ma dojść do 30 %.",
    "Inwestycja w automatyczny magazyn; przetarg spodziewany w {quarter}. kwartale.",
    "Wprowadzenie nowej linii produktów zaplanowane na {year} r.",
    "Ograniczenie liczby dostawców o jedną trzecią w ciągu dwóch lat.",
    "Przejście na umowy ramowe z dwoma dostawcami w każdej kategorii.",
    "Przygotowania do debiutu na Giełdzie Papierów Wartościowych w Warszawie.",
    "Przejęcie mniejszego konkurenta w regionie {region}.",
]
NOTES = {
    DossierNote.Source.MEETING: [
        "Spotkanie z: {contact} ({city}) \u2013 przeglądają dostawców i chcą oferty do {quarter}. "
        "kwartału.",
        "Przegląd kwartalny z: {contact} \u2013 terminowość dostaw {pct2} %, oczekują 97 %.",
        "Plan nowego magazynu od: {contact}; wolumeny mogą wzrosnąć o {pct} %.",
        "Lunch z: {contact}. Budżet na {year} r. zatwierdzony, ale zarząd chce drugiej oferty.",
    ],
    DossierNote.Source.CALL: [
        "Telefon od: {contact} w sprawie spóźnionej dostawy; zwróciliśmy koszt transportu.",
        "Rozmowa z: {contact} \u2013 {competitor} dał im cenę o {pct} % niższą od naszej na "
        "asortymencie podstawowym.",
        "{contact} prosi o termin płatności 60 dni zamiast 30.",
        "Telefon kontrolny, {contact}: próbki dotarły, testy ruszają w przyszłym miesiącu.",
    ],
    DossierNote.Source.PUBLIC_INFO: [
        "Raport roczny: przychody wyższe o {pct} % rok do roku; planują nowy zakład w okolicy "
        "({city}).",
        "Prasa: wygrali przetarg publiczny na {year} r.; spodziewamy się większych wolumenów.",
        "W KRS nowy członek zarządu; warto umówić się na spotkanie zapoznawcze.",
        "Ogłoszenia o pracę w centralnym dziale zakupów ({city}): zakupy mogą zostać "
        "scentralizowane.",
    ],
    DossierNote.Source.FEEDBACK: [
        "{contact} chwali nasze wsparcie techniczne po zatrzymaniu linii.",
        "Reklamacja uszkodzonych opakowań przekazana przez: {contact}; dział jakości "
        "poinformowany.",
        "Ankieta klienta: obsługa 4 na 5; słabym punktem jest cena w porównaniu z: {competitor}.",
    ],
    DossierNote.Source.OTHER: [
        "Spotkanie z: {contact} na targach w Poznaniu; zainteresowanie nową linią produktów.",
        "{contact} w przyszłym kwartale przechodzi do innej firmy; potrzebny nowy sojusznik "
        "u klienta.",
        "Zaproszenie na galę z okazji 25-lecia firmy ({city}).",
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
    Position("Prezes zarządu", "Zarząd", 0, (R.DECISION_MAKER,), (4, 5)),
    Position("Dyrektor zakupów", "Zakupy", 1, (R.DECISION_MAKER, R.INFLUENCER), (4, 5)),
    Position("Dyrektor finansowy", "Finanse", 1, (R.DECISION_MAKER, R.BLOCKER), (4, 5)),
    Position("Dyrektor operacyjny", "Operacje", 1, (R.INFLUENCER, R.DECISION_MAKER), (3, 5)),
    Position("Dyrektor techniczny", "Dział techniczny", 1, (R.INFLUENCER, R.BLOCKER), (3, 4)),
    Position("Kierownik kategorii", "Zakupy", 2, (R.CHAMPION, R.INFLUENCER, R.USER), (3, 4)),
    Position("Kierownik jakości", "Jakość", 2, (R.BLOCKER, R.INFLUENCER), (2, 4)),
    Position("Kierownik logistyki", "Logistyka", 2, (R.USER, R.INFLUENCER), (2, 3)),
    Position("Kierownik marketingu", "Marketing", 2, (R.INFLUENCER, R.CHAMPION), (2, 3)),
    Position("Kierownik produkcji", "Produkcja", 2, (R.USER, R.BLOCKER), (2, 3)),
    Position("Kierownik IT", "IT", 2, (R.INFLUENCER, R.USER), (2, 3)),
    Position("Kontroler finansowy", "Finanse", 2, (R.USER, R.GATEKEEPER), (1, 3)),
    Position("Specjalista ds. zakupów", "Zakupy", 3, (R.USER, R.GATEKEEPER, R.CHAMPION), (1, 3)),
    Position("Kierownik magazynu", "Logistyka", 3, (R.USER,), (1, 2)),
    Position("Kierownik biura", "Zarząd", 3, (R.GATEKEEPER,), (1, 2)),
    Position("Asystentka zarządu", "Zarząd", 3, (R.GATEKEEPER,), (1, 2)),
]
LANGUAGES = [
    ("polski", 40),
    ("polski, angielski", 40),
    ("polski, niemiecki", 10),
    ("polski, angielski, niemiecki", 8),
    ("polski, ukraiński", 2),
]
CHANNELS = [
    (Contact.Channel.EMAIL, 35),
    (Contact.Channel.PHONE, 25),
    (Contact.Channel.MEETING, 20),
    (Contact.Channel.MESSAGING, 10),
    ("", 10),
]
PERSONAL_NOTES = [
    "Biega maratony; zapytać o najbliższy start.",
    "Dwoje dzieci; starsze studiuje we Wrocławiu.",
    "Woli spotkania przed 10:00.",
    "Co lato żegluje po Mazurach.",
    "Kolekcjonuje wino; lubi węgierskie tokaje.",
    "Ma karnet na mecze miejscowego klubu piłkarskiego.",
    "Nie pije alkoholu; restaurację dobrać odpowiednio.",
    "Zna naszego prezesa z poprzedniej pracy.",
    "Nie lubi długich e-maili: jedna strona, najpierw liczby.",
    "Gra w golfa; członek klubu niedaleko biura.",
]
RELATION_NOTES = {
    ContactRelation.Kind.INFLUENCES: ["Zatwierdza budżet", "Zaufany doradca", ""],
    ContactRelation.Kind.ALLIED: ["Dawni współpracownicy", "Grają razem w tenisa", ""],
    ContactRelation.Kind.RIVAL: ["Walczą o ten sam awans", "Różnią się co do dostawców", ""],
}


@dataclass(frozen=True)
class ForeignClient:
    """A client abroad, invoiced in its own currency: one per territory, so every team sees
    amounts converted at the day's rate."""

    territory: str
    name: str
    legal_form: str
    country: str
    city: str
    postal_code: str
    address: str
    tax_id: str
    currency: str = "EUR"


FOREIGN_CLIENTS = [
    ForeignClient(
        "north",
        "Nordsee Logistik",
        "GmbH",
        "DE",
        "Rostock",
        "18055",
        "Hafenstraße 12",
        "DE287654321",
    ),
    ForeignClient(
        "south",
        "Moravia Strojírny",
        "s.r.o.",
        "CZ",
        "Ostrawa",
        "702 00",
        "Nádražní 48",
        "CZ25874136",
    ),
    ForeignClient(
        "west",
        "Baumann Industrietechnik",
        "GmbH",
        "DE",
        "Lipsk",
        "04109",
        "Industriestraße 7",
        "DE312456789",
    ),
]
# What a zloty of the drawn potential is worth in the client's currency (demo only; the
# documents convert at the rate table's rates).
FOREIGN_POTENTIAL_RATE = {"EUR": Decimal("4.30")}
