"""Writing sheets of the workbook format to an `.xlsx` file (openpyxl, write-only mode).

`write_workbook({"ОО": (headers, rows), ...}, target)` writes the sheets in the order given.
Cell values: `str`, `int`, `float`, `bool`, `date`/`datetime` (written as Excel dates shown
ДД.ММ.ГГГГ) or `None` (an empty cell). Text is always written as text: a string starting
with `=` is never a formula, so it reads back exactly as written.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

DATE_FORMAT = "DD.MM.YYYY"
FORMULA_PREFIXES = ("=", "+", "-", "@")

Sheets = Mapping[str, tuple[list[str], Iterable[list[Any]]]]


def write_workbook(sheets: Sheets, target: str | IO[bytes]) -> None:
    """Write `{sheet_name: (headers, rows)}` to `target` (a path or a binary file)."""
    book = Workbook(write_only=True)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title=name)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    book.save(target)


def _cell(sheet, value: Any) -> Any:
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # openpyxl would store "=…" as a formula; force a text cell.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value
