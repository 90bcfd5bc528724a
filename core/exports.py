"""Exports of a list as CSV or XLSX, with the list's current filters (shared by every app).

A list declares its columns once (`Column`); `export_response` streams the rows it is given,
which come from the same filtered, access-scoped queryset the page shows, so an export never
holds a row the user could not open. Amounts and counts are written as numbers; text that a
spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return) is
prefixed with an apostrophe, the neutralisation OWASP recommends against CSV injection.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and how to read it from a row (a dotted attribute
    path, or a function of the row)."""

    header: str
    value: str | Callable[[Any], Any]

    def read(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        for part in self.value.split("."):
            row = None if row is None else getattr(row, part)
        return row


def cell_value(value: Any) -> Any:
    """`value` as a spreadsheet should hold it: numbers as numbers, dates as dates, text safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int | Decimal | float | date):
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None)
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def export_response(
    *, rows: Iterable, columns: list[Column], filename: str, fmt: str
) -> HttpResponse:
    """The rows as a download named `filename`.csv or .xlsx."""
    if fmt == "xlsx":
        return _xlsx(rows, columns, f"{filename}.xlsx")
    return _csv(rows, columns, f"{filename}.csv")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(rows, columns, filename) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
        yield writer.writerow([str(column.header) for column in columns])
        for row in rows:
            yield writer.writerow([_csv_cell(column.read(row)) for column in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_cell(value: Any) -> Any:
    value = cell_value(value)
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


def _xlsx(rows, columns, filename) -> FileResponse:
    # Write-only mode keeps one row in memory; the finished file is spooled to disk and
    # streamed from there (an XLSX is a zip, complete only once every row is written).
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(column.header) for column in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column.read(row)) for column in columns])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[list]]]) -> bytes:
    """A workbook of (sheet title, rows) as bytes, each cell written as the exports write them
    (numbers as numbers, dates as dates, text never a formula), for documents kept as files."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        workbook.save(spool)
        spool.seek(0)
        return spool.read()


def _xlsx_cell(sheet, value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        # Typed as text, so that even a text the apostrophe missed is never read as a formula.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_format(request) -> str | None:
    """The format asked for with `?export=csv|xlsx`, or None for the page itself."""
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None
