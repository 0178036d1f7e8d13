"""The dashboards' tables as formatted `.xlsx`: statuses filled as on screen, numbers as numbers.

Each export builds `Sheet`s from the same table its page renders, and `workbook(*sheets)`
writes them: bold frozen header rows, column widths, text never read as a formula. A value
short of its target says so in words, by the indicator's direction, in the cell's comment.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from monitoring.models import Indicator
from monitoring.reports import ProvidersReport
from monitoring.tables import INFORMATIONAL, Overview, Row, SchoolPage, ValueCell
from monitoring.wording import target_phrase
from profdev.workbook.writer import FORMULA_PREFIXES

# The screen's status colours (static/css/portal.css, monitoring.css).
FILLS = {
    "green": "D1E7DD",
    "yellow": "FFF3CD",
    "red": "F8D7DA",
    "no_data": "E9ECEF",
    "n/a": "E9ECEF",
    INFORMATIONAL: "E7F1FF",
}
SHARE_FORMAT = '0.0" %"'
COUNT_FORMAT = "0"
COMMENT_AUTHOR = "Мониторинг"


@dataclass(frozen=True)
class Cell:
    value: Any
    number_format: str | None = None
    fill: str | None = None  # a status key of FILLS
    bold: bool = False
    comment: str = ""


@dataclass
class Sheet:
    title: str
    headers: list[list[str]]  # one or more header rows
    widths: list[int]
    rows: list[list[Any]] = field(default_factory=list)


def number_format(indicator: Indicator) -> str:
    return COUNT_FORMAT if indicator.kind == Indicator.Kind.COUNT else SHARE_FORMAT


def target_format(indicator: Indicator) -> str:
    """A target as a bound, still a number: «не менее 80,0 %», «не более 0»."""
    return f'"{target_phrase(indicator, "")}"{number_format(indicator)}'


def status_cell(indicator: Indicator, cell: ValueCell) -> Cell:
    """A dashboard cell as an export cell: the number, filled by its status; short of the
    target, the status in words as its comment."""
    comment = cell.status_text if cell.breach else ""
    return Cell(_number(cell.value), number_format(indicator), cell.status, comment=comment)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def workbook(*sheets: Sheet) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        # Excel refuses these characters in a sheet's name (a school's code is part of it).
        title = "".join("_" if c in "[]:*?/\\" else c for c in sheet.title)
        _write(book.create_sheet(title[:31]), sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(ws, sheet: Sheet) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, header in enumerate(sheet.headers, start=1):
        for c, text in enumerate(header, start=1):
            cell = ws.cell(row=r, column=c)
            _set(cell, text)
            cell.font = bold
            cell.alignment = wrap
    first = len(sheet.headers) + 1
    fills = {key: PatternFill("solid", fgColor=color) for key, color in FILLS.items()}
    for r, row in enumerate(sheet.rows, start=first):
        for c, item in enumerate(row, start=1):
            spec = item if isinstance(item, Cell) else Cell(item)
            cell = ws.cell(row=r, column=c)
            _set(cell, spec.value)
            if spec.number_format:
                cell.number_format = spec.number_format
            if spec.fill in fills:
                cell.fill = fills[spec.fill]
            if spec.bold:
                cell.font = bold
            if spec.comment:
                cell.comment = Comment(spec.comment, COMMENT_AUTHOR, width=220, height=60)
    for c, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=first, column=2)


def _set(cell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # A name like "=SUM(…)" from a record is text, never a formula.
        cell.data_type = "s"
        cell.quotePrefix = True


def _values_row(indicators, row: Row, *, bold: bool = False) -> list:
    return [
        Cell(row.name, bold=bold),
        *(status_cell(i, c) for i, c in zip(indicators, row.cells, strict=True)),
    ]


def overview_workbook(overview: Overview) -> bytes:
    table = overview.table
    year = overview.years.year
    sheet = Sheet(
        f"Мониторинг {year}-{year + 1}",  # «/» is not allowed in a sheet name
        [
            ["", *(i.group for i in table.indicators)],
            ["ОО", *(i.short_name for i in table.indicators)],
        ],
        [40, *(14 for _ in table.indicators)],
    )
    sheet.rows.append(_values_row(table.indicators, table.total, bold=True))
    sheet.rows.extend(_values_row(table.indicators, row) for row in table.rows)
    return workbook(sheet)


def school_workbook(page: SchoolPage) -> bytes:
    years = [m.label for m in reversed(page.years.on_record)]
    sheet = Sheet(
        page.school.code,
        [
            [
                "Показатель",
                "Группа",
                f"ОО, {page.years.label}",
                "Статус ОО",
                "Числитель",
                "Знаменатель",
                "Целевое",
                "Муниципалитет",
                *years,
            ]
        ],
        [60, 28, 14, 40, 11, 12, 16, 15, *(12 for _ in years)],
    )
    for line in page.lines:
        indicator, stored = line.indicator, line.stored
        sheet.rows.append(
            [
                indicator.name,
                indicator.group,
                status_cell(indicator, line.school),
                line.school.status_text,
                stored.numerator if stored else None,
                stored.denominator if stored else None,
                Cell(_number(stored.target) if stored else None, target_format(indicator)),
                status_cell(indicator, line.district),
                *(status_cell(indicator, t.cell) for t in line.trend),
            ]
        )
    return workbook(sheet)


def providers_workbook(report: ProvidersReport) -> bytes:
    sheet = Sheet(
        "Организации ДПО",
        [
            [
                "Организация",
                "Вид",
                "Лицензия",
                "Прохождений",
                "Педагогов",
                "Часов",
                "Доля программ 16–36 ч",
                "Доля с ДОТ",
            ]
        ],
        [50, 16, 18, 13, 12, 10, 14, 12],
    )
    for row in [*report.rows, report.totals]:
        provider = row.provider
        unlicensed = row.unlicensed
        sheet.rows.append(
            [
                Cell(provider.name if provider else "Итого", bold=provider is None),
                provider.get_kind_display() if provider else "",
                Cell("нет лицензии", fill="red")
                if unlicensed
                else (provider.licence if provider else ""),
                row.completions,
                row.teachers,
                row.total_hours,
                Cell(_number(row.short_share), SHARE_FORMAT),
                Cell(_number(row.distance_share), SHARE_FORMAT),
            ]
        )
    return workbook(sheet)
