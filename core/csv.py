"""The one CSV writer every download uses.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and some read a
leading tab or carriage return the same way) as a formula, so a label such as
`=HYPERLINK(...)` typed into an imported scheme could run on a commissioner's computer
(OWASP, "CSV injection"). Text cells that start with one of those characters get a
leading apostrophe, which spreadsheets show as text and never run. Numbers written as
numbers (int, Decimal) are left alone, so −12.50 stays a number.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_FIRST):
        return "'" + text
    return text


def write_rows(stream, header: Sequence | None, rows: Iterable[Sequence]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    if header is not None:
        writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])


def csv_text(header: Sequence | None, rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    write_rows(out, header, rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence | None, rows: Iterable[Sequence]):
    """A download: UTF-8 with a byte-order mark so Excel reads £ and names correctly."""
    from django.http import HttpResponse

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    write_rows(response, header, rows)
    return response
