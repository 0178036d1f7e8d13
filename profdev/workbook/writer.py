"""Writing sheets of the workbook format to an `.xlsx` file (openpyxl, write-only mode).

`write_workbook({"ОО": (headers, rows), ...}, target)` writes the sheets in the order given,
each with its header row frozen. Cell values: `str`, `int`, `float`, `bool`,
`date`/`datetime` (written as Excel dates shown ДД.ММ.ГГГГ) or `None` (an empty cell). Text
is always written as text: a string starting with `=` is never a formula, so it reads back
exactly as written.

A sheet's `Layout` sets its columns' widths and the drop-down lists of the columns that take
one of a few values; `instructions` go first, on a sheet of their own that no import reads.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from profdev.workbook.sheets import INSTRUCTIONS

DATE_FORMAT = "DD.MM.YYYY"
FORMULA_PREFIXES = ("=", "+", "-", "@")
LAST_ROW = 1_048_576  # Excel's: a drop-down serves every row a user may add

Sheets = Mapping[str, tuple[list[str], Iterable[list[Any]]]]


@dataclass(frozen=True)
class Layout:
    """How a sheet helps the person filling it in: each column's width in characters and,
    by column index, the values its drop-down list offers."""

    widths: Sequence[int] = ()
    lists: Mapping[int, Sequence[str]] = field(default_factory=dict)


def write_workbook(
    sheets: Sheets,
    target: str | IO[bytes],
    *,
    layouts: Mapping[str, Layout] | None = None,
    instructions: Sequence[str] = (),
) -> None:
    """Write `{sheet_name: (headers, rows)}` to `target` (a path or a binary file)."""
    book = Workbook(write_only=True)
    if instructions:
        _write_instructions(book, instructions)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        _lay_out(sheet, (layouts or {}).get(name, Layout()))
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    book.save(target)


def _lay_out(sheet, layout: Layout) -> None:
    for index, width in enumerate(layout.widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for index, values in layout.lists.items():
        letter = get_column_letter(index + 1)
        listed = DataValidation(
            type="list",
            formula1='"{}"'.format(",".join(values)),
            allow_blank=True,
            # A warning, not a refusal: the import also reads other spellings («дистанционная»).
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="Значение не из списка",
            error="Выберите значение из списка: " + ", ".join(values) + ".",
        )
        listed.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.data_validations.append(listed)


def _write_instructions(book: Workbook, lines: Sequence[str]) -> None:
    sheet = book.create_sheet(title=INSTRUCTIONS)
    sheet.column_dimensions["A"].width = 120
    for n, line in enumerate(lines):
        cell = WriteOnlyCell(sheet, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n == 0:
            cell.font = Font(bold=True)
        sheet.append([cell])


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
