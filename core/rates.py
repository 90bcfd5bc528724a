"""Entering exchange rates: one by hand, or many from a CSV (NBP table A or day,currency,rate).

Who may: finance and administrators (`may_enter_rates`); everyone signed in may read them.
A rate entered again for the same day and pair replaces the old one; figures already stored
with a rate (a report, a document) keep the rate they were made with. Documents made while the
table had no rate for their date get it now (`core.signals.exchange_rates_saved`).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ExchangeRate
from .money import CURRENCIES
from .signals import exchange_rates_saved

MAX_IMPORT_ROWS = 20_000


def may_enter_rates(user) -> bool:
    return user.is_authenticated and getattr(user, "role", "") in ("finance", "admin")


def _check(user) -> None:
    if not may_enter_rates(user):
        raise PermissionDenied(_("Only finance enters exchange rates."))


def _rate_write(*, actor, day, currency, rate, quote_currency, source) -> ExchangeRate:
    obj, _created = ExchangeRate.objects.update_or_create(
        day=day,
        currency=currency,
        quote_currency=quote_currency,
        defaults={"rate": rate, "source": source[:60], "entered_by": actor},
    )
    return obj


def _announce(rates: list[tuple[str, str, date]]) -> None:
    exchange_rates_saved.send(sender=ExchangeRate, rates=rates)


@transaction.atomic
def rate_save(
    *, actor, day: date, currency: str, rate: Decimal, quote_currency: str = "PLN", source=""
) -> ExchangeRate:
    _check(actor)
    if currency == quote_currency:
        raise ValidationError({"currency": _("A rate is between two different currencies.")})
    if rate <= 0:
        raise ValidationError({"rate": _("A rate is more than zero.")})
    obj = _rate_write(
        actor=actor,
        day=day,
        currency=currency,
        rate=rate,
        quote_currency=quote_currency,
        source=source,
    )
    _announce([(currency, quote_currency, day)])
    return obj


@dataclass
class RateImport:
    saved: int = 0
    errors: list[str] = field(default_factory=list)


def _decimal(text: str) -> Decimal:
    """A rate as NBP writes it (4,2655) or with a decimal point (4.2655); never grouped."""
    text = text.strip().replace("\xa0", "").replace(" ", "")
    if "," in text and "." in text:
        raise InvalidOperation
    return Decimal(text.replace(",", "."))


def _day(text: str) -> date:
    text = text.strip()
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a day, no time)
        except ValueError:
            continue
    raise ValueError(text)


def _nbp_rows(rows: list[list[str]]):
    """NBP table A archive: `data;1USD;1EUR;100HUF;...;nr tabeli;...`, one row per day."""
    header = rows[0]
    columns = []
    for index, name in enumerate(header[1:], start=1):
        digits = "".join(ch for ch in name if ch.isdigit())
        code = name.strip()[len(digits) :].upper()
        if digits and code in CURRENCIES and code != "PLN":
            columns.append((index, code, Decimal(digits)))
    table_at = next(
        (i for i, name in enumerate(header) if name.strip().lower() == "nr tabeli"), None
    )
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip()[:1].isdigit():
            continue  # the second header line (names of currencies) and blank lines
        source = "NBP A"
        if table_at is not None and table_at < len(row):
            source = f"NBP A {row[table_at].strip()}"
        for index, code, units in columns:
            if index < len(row) and row[index].strip():
                yield number, row[0], code, row[index], units, "PLN", source


def _plain_rows(rows: list[list[str]]):
    """`day,currency,rate[,quote_currency]` with a header line."""
    header = [name.strip().lower() for name in rows[0]]
    try:
        at = {key: header.index(key) for key in ("day", "currency", "rate")}
    except ValueError as error:
        raise ValidationError(
            _("The file needs the columns day, currency and rate (or is an NBP table A).")
        ) from error
    quote_at = header.index("quote_currency") if "quote_currency" in header else None
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        quote = row[quote_at].strip().upper() if quote_at is not None else "PLN"
        cells = [row[at[key]] if at[key] < len(row) else "" for key in ("day", "currency", "rate")]
        yield number, cells[0], cells[1].strip().upper(), cells[2], Decimal(1), quote, "CSV"


def rates_import(*, actor, content: bytes) -> RateImport:
    """Every rate of the file, or none: a file with a bad row is refused whole, row numbers
    named, so nothing is half imported."""
    _check(actor)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1250")  # NBP's own files
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ValidationError(_("The file is empty."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(_("The file has more than %(max)s rows.") % {"max": MAX_IMPORT_ROWS})
    nbp = rows[0] and rows[0][0].strip().lower() == "data"
    result = RateImport()
    parsed = []
    for number, day, code, rate, units, quote, source in (
        _nbp_rows(rows) if nbp else _plain_rows(rows)
    ):
        try:
            value = _decimal(rate) / units
            when = _day(day)
        except (InvalidOperation, ValueError, ArithmeticError):
            result.errors.append(
                _("Row %(row)s: %(day)s %(currency)s %(rate)s is not a date and a rate.")
                % {"row": number, "day": day, "currency": code, "rate": rate}
            )
            continue
        if code not in CURRENCIES or quote not in CURRENCIES or code == quote or value <= 0:
            result.errors.append(
                _("Row %(row)s: %(currency)s in %(quote)s is not a rate this CRM keeps.")
                % {"row": number, "currency": code, "quote": quote}
            )
            continue
        parsed.append((when, code, quote, value.quantize(Decimal("0.000001")), source))
    if result.errors:
        return result
    with transaction.atomic():
        for when, code, quote, value, source in parsed:
            _rate_write(
                actor=actor,
                day=when,
                currency=code,
                rate=value,
                quote_currency=quote,
                source=source,
            )
        _announce([(code, quote, when) for when, code, quote, _value, _source in parsed])
    result.saved = len(parsed)
    return result
