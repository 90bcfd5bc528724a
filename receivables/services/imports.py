"""Imports of invoices and payments from the accounting system (CSV or XLSX).

The file is read by tablib (django-import-export's reader) and every cell cleaned by
import-export's widgets; `import_preview` checks each row and says what would happen to it
(new, already there, or an error naming the column), writing nothing; `import_apply` does the
same checks and, only if no row has an error, writes everything in one transaction through
the ledger services. Idempotent: an invoice whose number is already there, or a payment whose
external reference is, is skipped, so importing the same file twice changes nothing.

Invoices: one row per line, rows of the same `number` make one invoice; columns `number`,
`account_tax_id`, `issue_date`, `due_date` (optional: the terms decide), `currency`,
`description`, `quantity`, `unit_price`, `vat_code`. Payments: `external_ref`,
`account_tax_id`, `received_on`, `amount`, `currency`, `payer_reference` (optional),
`invoice_number` (optional: the payment is then allocated to it; else it stays the account's
credit).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import widgets

from accounts.models import Account
from core.money import CURRENCIES
from team.models import User

from ..access import check_can_manage_money
from ..models import Invoice, Payment, PaymentSource, VatRate
from .ledger import LineInput, invoice_issue, payment_allocate, payment_record
from .ledger_days import ledger_days_batched

INVOICES, PAYMENTS = "invoices", "payments"
COLUMNS = {
    INVOICES: [
        "number",
        "account_tax_id",
        "issue_date",
        "due_date",
        "currency",
        "description",
        "quantity",
        "unit_price",
        "vat_code",
    ],
    PAYMENTS: [
        "external_ref",
        "account_tax_id",
        "received_on",
        "amount",
        "currency",
        "payer_reference",
        "invoice_number",
    ],
}
OPTIONAL = {"due_date", "payer_reference", "invoice_number"}
DATES = {"issue_date", "due_date", "received_on"}
NUMBERS = {"quantity", "unit_price", "amount"}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
MAX_ROWS = 20_000


@dataclass
class Row:
    line: int  # the row's line in the file (the header is line 1)
    values: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    action: str = "new"  # new / skip (already imported) / error

    @property
    def summary(self) -> str:
        v = self.values
        parts = (
            v.get("number") or v.get("external_ref"),
            v.get("account_tax_id"),
            v.get("description"),
            v.get("unit_price") if v.get("unit_price") is not None else v.get("amount"),
        )
        return " · ".join(str(p) for p in parts if p not in (None, ""))


@dataclass
class Preview:
    kind: str
    rows: list[Row]

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def import_read(*, content: bytes, filename: str) -> tablib.Dataset:
    """The file as a dataset, by its extension (.csv or .xlsx)."""
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except Exception as error:  # tablib and openpyxl raise many kinds on a damaged file
        raise ValidationError({"file": _("The file could not be read: %s") % error}) from None
    raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})


def _clean(column: str, raw) -> Any:
    if raw in (None, ""):
        if column in OPTIONAL:
            return None
        raise ValueError(_("is empty"))
    if column in DATES:
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        for fmt in DATE_FORMATS:
            try:
                return widgets.DateWidget(format=fmt).clean(str(raw).strip())
            except ValueError:
                continue
        raise ValueError(_("%r is not a date (YYYY-MM-DD)") % raw)
    if column in NUMBERS:
        try:
            value = widgets.DecimalWidget().clean(str(raw).strip().replace(" ", ""))
        except (ArithmeticError, ValueError):
            raise ValueError(_("%r is not a number") % raw) from None
        if value is None or not value.is_finite():
            raise ValueError(_("%r is not a number") % raw)
        return value
    return str(raw).strip()


def import_preview(*, kind: str, dataset: tablib.Dataset) -> Preview:
    """What importing `dataset` would do, row by row. A handful of queries whatever its size."""
    if kind not in COLUMNS:
        raise ValidationError({"kind": _("Choose invoices or payments.")})
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    missing = [c for c in COLUMNS[kind] if c not in headers and c not in OPTIONAL]
    if missing:
        raise ValidationError({"file": _("Missing columns: %s") % ", ".join(missing)})
    if dataset.height > MAX_ROWS:
        raise ValidationError({"file": _("At most %s rows per file.") % MAX_ROWS})
    rows = []
    for n, raw in enumerate(dataset, start=2):
        cells = dict(zip(headers, raw, strict=False))
        row = Row(line=n, values={})
        for column in COLUMNS[kind]:
            try:
                row.values[column] = _clean(column, cells.get(column))
            except ValueError as error:
                row.errors.append(f"{column}: {error}")
        rows.append(row)
    accounts = Account.objects.in_bulk(
        {r.values.get("account_tax_id") for r in rows} - {None}, field_name="tax_id"
    )
    for row in rows:
        tax_id = row.values.get("account_tax_id")
        if tax_id and tax_id not in accounts:
            row.errors.append(_("account_tax_id: no account has tax ID %s") % tax_id)
        currency = row.values.get("currency")
        if currency and currency not in CURRENCIES:
            row.errors.append(_("currency: %s is not one we use") % currency)
        row.values["account"] = accounts.get(tax_id)
    (_check_invoices if kind == INVOICES else _check_payments)(rows)
    for row in rows:
        if row.errors:
            row.action = "error"
    return Preview(kind=kind, rows=rows)


def _check_invoices(rows: list[Row]) -> None:
    codes = set(VatRate.objects.filter(is_active=True).values_list("code", flat=True))
    numbers = {r.values.get("number") for r in rows} - {None}
    there = set(Invoice.objects.filter(number__in=numbers).values_list("number", flat=True))
    heads: dict[str, Row] = {}
    for row in rows:
        v = row.values
        if v.get("vat_code") and v["vat_code"] not in codes:
            row.errors.append(_("vat_code: unknown VAT rate %s") % v["vat_code"])
        if v.get("quantity") is not None and v["quantity"] <= 0:
            row.errors.append(_("quantity: must be above zero"))
        if v.get("unit_price") is not None and v["unit_price"] < 0:
            row.errors.append(_("unit_price: cannot be negative"))
        if v.get("due_date") and v.get("issue_date") and v["due_date"] < v["issue_date"]:
            row.errors.append(_("due_date: before the issue date"))
        head = heads.setdefault(v.get("number"), row)
        if head is not row and any(
            head.values.get(c) != v.get(c) for c in ("account_tax_id", "issue_date", "currency")
        ):
            row.errors.append(
                _("number: line %(l)s gives this invoice another account, date or currency")
                % {"l": head.line}
            )
        if v.get("number") in there and not row.errors:
            row.action = "skip"


def _check_payments(rows: list[Row]) -> None:
    refs = [r.values.get("external_ref") for r in rows]
    there = set(
        Payment.objects.filter(external_ref__in=refs).values_list("external_ref", flat=True)
    )
    invoices = Invoice.objects.in_bulk(
        {r.values.get("invoice_number") for r in rows} - {None}, field_name="number"
    )
    seen: set[str] = set()
    for row in rows:
        v = row.values
        if v.get("amount") is not None and v["amount"] <= 0:
            row.errors.append(_("amount: must be above zero"))
        if v.get("external_ref") in seen:
            row.errors.append(_("external_ref: twice in this file"))
        seen.add(v.get("external_ref"))
        number = v.get("invoice_number")
        if number:
            invoice = invoices.get(number)
            if invoice is None:
                row.errors.append(_("invoice_number: no invoice %s") % number)
            elif v.get("account") is not None and invoice.account_id != v["account"].pk:
                row.errors.append(_("invoice_number: %s is another account's invoice") % number)
            v["invoice"] = invoice
        if v.get("external_ref") in there and not row.errors:
            row.action = "skip"


def import_apply(*, actor: User, kind: str, dataset: tablib.Dataset) -> Preview:
    """Import `dataset` if no row has an error: everything or nothing, in one transaction."""
    check_can_manage_money(actor)
    preview = import_preview(kind=kind, dataset=dataset)
    if not preview.ok:
        raise ValidationError(
            {"file": _("%s rows have errors; nothing was imported.") % preview.count("error")}
        )
    with transaction.atomic(), ledger_days_batched():
        if kind == INVOICES:
            _apply_invoices(actor=actor, rows=[r for r in preview.rows if r.action == "new"])
        else:
            _apply_payments(actor=actor, rows=[r for r in preview.rows if r.action == "new"])
    return preview


def _apply_invoices(*, actor: User, rows: list[Row]) -> None:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.values["number"], []).append(row)
    for number, lines in grouped.items():
        head = lines[0].values
        invoice_issue(
            actor=actor,
            account=head["account"],
            number=number,
            issue_date=head["issue_date"],
            due_date=head["due_date"],
            currency=head["currency"],
            lines=[
                LineInput(
                    description=r.values["description"],
                    quantity=r.values["quantity"],
                    unit_price=r.values["unit_price"],
                    vat_code=r.values["vat_code"],
                )
                for r in lines
            ],
        )


def _apply_payments(*, actor: User, rows: list[Row]) -> None:
    for row in rows:
        v = row.values
        payment = payment_record(
            actor=actor,
            account=v["account"],
            received_on=v["received_on"],
            amount=v["amount"],
            currency=v["currency"],
            payer_reference=v.get("payer_reference") or "",
            external_ref=v["external_ref"],
            source=PaymentSource.IMPORT,
        )
        invoice = v.get("invoice")
        if invoice is not None:
            open_amount = Invoice.objects.get(pk=invoice.pk).open_amount
            if open_amount > 0:
                payment_allocate(
                    actor=actor,
                    payment=payment,
                    allocations=[(invoice, min(open_amount, payment.amount))],
                )
