"""Demo data for the team app: three territories, their directors and KAMs, finance and admin."""

import functools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from .models import Role, Territory, User

DEMO_PASSWORD = "demo"  # noqa: S105
KAMS_PER_DIRECTOR = 4

# (name, code) per territory, in the order of director1..director3.
TERRITORIES = [("Północ", "north"), ("Południe", "south"), ("Zachód", "west")]

# Fixed rather than drawn from the seed: a demo login is the same person in every database.
DIRECTOR_NAMES = [("Katarzyna", "Wiśniewska"), ("Marek", "Zieliński"), ("Agnieszka", "Nowak")]
KAM_NAMES = [
    ("Piotr", "Kowalski"),
    ("Anna", "Lewandowska"),
    ("Tomasz", "Kamiński"),
    ("Magdalena", "Wójcik"),
    ("Krzysztof", "Mazur"),
    ("Joanna", "Kwiatkowska"),
    ("Paweł", "Krawczyk"),
    ("Ewa", "Piotrowska"),
    ("Michał", "Grabowski"),
    ("Monika", "Pawłowska"),
    ("Łukasz", "Michalski"),
    ("Barbara", "Jabłońska"),
]
FINANCE_NAME = ("Beata", "Szymańska")
# A Polish team, with one English-speaking director, so the demo shows both languages (every
# page, e-mail and reminder in its reader's). The admin's comes from the browser at sign-in.
DEMO_LANGUAGE = "pl"
ENGLISH_SPEAKERS = {"director3"}
ADMIN_NAME = ("Adam", "Dąbrowski")

_ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


@dataclass(frozen=True)
class DemoOptions:
    """What one `seed_demo` run asks of every app's demo builder."""

    rng: random.Random
    scale: int = 1
    # Overrides the account count that `scale` gives; only tests use it, to stay fast.
    accounts: int | None = None


def ascii_fold(*, text: str) -> str:
    """Polish letters folded to ASCII, for e-mail addresses and domain names."""
    return text.translate(_ASCII)


def _email(*, first_name: str, last_name: str) -> str:
    return ascii_fold(text=f"{first_name}.{last_name}@kam-crm.example").lower()


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow (~0.5 s); one hash shared by all demo users keeps
    # `make run`'s first start quick. Demo data only.
    return make_password(DEMO_PASSWORD)


def _create_user(*, username: str, name: tuple[str, str], role: Role, **fields: object) -> User:
    first_name, last_name = name
    fields.setdefault("language", "en" if username in ENGLISH_SPEAKERS else DEMO_LANGUAGE)
    return User.objects.create(
        username=username,
        email=_email(first_name=first_name, last_name=last_name),
        password=_demo_password_hash(),
        first_name=first_name,
        last_name=last_name,
        role=role,
        **fields,
    )


def demo_build(*, options: DemoOptions) -> dict[str, int]:
    """Create the territories and the 17 demo users; every password is `demo`."""
    users = 0
    for number, ((name, code), director_name) in enumerate(
        zip(TERRITORIES, DIRECTOR_NAMES, strict=True), start=1
    ):
        territory = Territory.objects.create(name=name, code=code)
        director = _create_user(
            username=f"director{number}",
            name=director_name,
            role=Role.DIRECTOR,
            territory=territory,
        )
        first_kam = (number - 1) * KAMS_PER_DIRECTOR
        for kam_number in range(first_kam + 1, first_kam + KAMS_PER_DIRECTOR + 1):
            _create_user(
                username=f"kam{kam_number}",
                name=KAM_NAMES[kam_number - 1],
                role=Role.KAM,
                territory=territory,
                reports_to=director,
            )
        users += 1 + KAMS_PER_DIRECTOR
    _create_user(username="finance", name=FINANCE_NAME, role=Role.FINANCE)
    _create_user(
        username="admin",
        name=ADMIN_NAME,
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        language="",
    )
    return {"territories": len(TERRITORIES), "users": users + 2}


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, territory) of every user, directors first, for the command to print."""
    order = [Role.DIRECTOR, Role.KAM, Role.FINANCE, Role.ADMIN]
    users = sorted(
        User.objects.select_related("territory"), key=lambda u: (order.index(u.role), u.pk)
    )
    return [
        (user.username, user.get_role_display(), user.territory.name if user.territory else "—")
        for user in users
    ]
