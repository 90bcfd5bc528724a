"""CSV and XLSX exports of aging and open items: streamed, amounts as numbers, and any text cell
that a spreadsheet would read as a formula (starting with = + - @, or a tab or carriage return)
neutralised with a leading apostrophe."""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.exports import Column

from .selectors import Aging, open_items

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A value as a spreadsheet should receive it: numbers and dates as they are, text made
    harmless."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


CSV_CHUNK_ROWS = 500
OPEN_ITEM_TEXT_COLUMNS = (0, 1, 2, 3, 7)


def _csv_stream(
    header: list[str], rows: Iterable[Iterable], text_columns: tuple[int, ...] | None = None
) -> Iterator[str]:
    """The CSV in chunks of CSV_CHUNK_ROWS rows: one chunk a row cost the response a write
    (and the WSGI server a send) per row, 14,490 of them for the company's open items.
    With `text_columns` (the indexes of the only columns that can hold text), the other
    cells go to the writer as they are (numbers and dates, which `cell` returns unchanged;
    the writer writes None as "" like `cell`): a tenth of the calls for the open items."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for i, row in enumerate(rows, start=1):
        if text_columns is None:
            writer.writerow([cell(v) for v in row])
        else:
            row = list(row)
            for index in text_columns:
                row[index] = cell(row[index])
            writer.writerow(row)
        if i % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _respond(
    *,
    header: list[str],
    rows: Iterable[Iterable],
    fmt: str,
    name: str,
    text_columns: tuple[int, ...] | None = None,
):
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(header, rows, text_columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([cell(v) for v in row])
        # Written row by row to a temporary file (openpyxl's write-only mode keeps no rows in
        # memory), then streamed from it.
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
        book.save(spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)
    raise Http404("Unknown format.")


def aging_response(*, report: Aging, fmt: str):
    header = [
        _("Group"),
        _("Currency"),
        *[b.label for b in report.buckets],
        _("Total"),
        _("Overdue"),
    ]
    rows = [
        [row.label, row.currency, *row.amounts, row.total, row.overdue]
        for row in [*report.rows, *report.totals]
    ]
    return _respond(header=header, rows=rows, fmt=fmt, name=f"aging-{report.as_of.isoformat()}")


def open_items_response(*, invoices, as_of: date, fmt: str):
    header = [
        _("Invoice"),
        _("Account"),
        _("Tax ID"),
        _("KAM"),
        _("Issued"),
        _("Due"),
        _("Days past due"),
        _("Currency"),
        _("Gross"),
        _("Open"),
    ]
    return _respond(
        header=header,
        rows=open_items(invoices=invoices, as_of=as_of),
        fmt=fmt,
        name=f"open-items-{as_of.isoformat()}",
        # number, account, tax ID, KAM, currency; the rest are dates and numbers
        text_columns=OPEN_ITEM_TEXT_COLUMNS,
    )


# The invoice and payment lists' exports (core/listing.list_page): the list's filters, scope.
INVOICE_COLUMNS = [
    Column(_("Number"), "number"),
    Column(_("Account"), "account.name"),
    Column(_("KAM"), lambda invoice: str(invoice.account.owner)),
    Column(_("Issued"), "issue_date"),
    Column(_("Due"), "due_date"),
    Column(_("Status"), lambda invoice: invoice.get_status_display()),
    Column(_("Gross"), "gross_total"),
    Column(_("Open"), "open_now"),
    Column(_("Currency"), "currency"),
]
PAYMENT_COLUMNS = [
    Column(_("Received"), "received_on"),
    Column(_("Account"), "account.name"),
    Column(_("Reference"), "payer_reference"),
    Column(_("Amount"), "amount"),
    Column(_("Allocated"), "allocated_total"),
    Column(_("Currency"), "currency"),
    Column(_("Reversed"), lambda payment: hasattr(payment, "reversal")),
]
