"""Reading an `.xlsx` workbook into the sheets of the format (python-calamine).

The reader checks the file as a whole (size, a readable `.xlsx`, the number of rows), finds
the format's sheets and columns by their names (case-insensitive, trimmed, ё = е) and hands
over the non-blank data rows with their Excel row numbers. Cell values stay raw; a cell of
only spaces becomes `None`.
"""

import io
import os
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from python_calamine import CalamineWorkbook

from profdev.text import match_key
from profdev.workbook.rules import shown
from profdev.workbook.sheets import DELETE_HEADER, REQUIRED_SHEET, SHEETS, Sheet

# An .xlsx compresses its XML about tenfold; far more means a zip bomb.
UNPACKED_RATIO = 20

Source = str | os.PathLike | IO[bytes]


@dataclass(frozen=True, order=True)
class Issue:
    """An error: of the whole file (no sheet), of a sheet's header (row 1) or of a cell."""

    sheet_order: int
    row: int
    sheet: str = field(compare=False)
    column: str = field(compare=False)
    message: str = field(compare=False)

    def __str__(self) -> str:
        if not self.sheet:
            return f"Файл: {self.message}"
        return f"Лист «{self.sheet}», строка {self.row}, столбец «{self.column}»: {self.message}"


def file_issue(message: str) -> Issue:
    return Issue(-1, 0, "", "", message)


@dataclass
class SheetData:
    sheet: Sheet
    order: int
    columns: dict[str, int]  # field → index of its cell
    delete_at: int | None  # index of the `Удалить` cell
    rows: list[tuple[int, list[Any]]]  # (Excel row number, cells)

    def issue(self, row: int, column: str, message: str) -> Issue:
        return Issue(self.order, row, self.sheet.name, column, message)


class UnreadableWorkbook(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.issue = file_issue(message)


@dataclass
class ReadResult:
    sheets: list[SheetData]
    errors: list[Issue]
    warnings: list[str]


def read_bytes(source: Source) -> bytes:
    limit = settings.WORKBOOK_MAX_BYTES
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as f:
                data = f.read(limit + 1)
        except OSError as exc:
            raise UnreadableWorkbook(f"не удаётся открыть файл ({exc.strerror})") from None
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(limit + 1)
    if len(data) > limit:
        raise UnreadableWorkbook(
            f"файл больше {_megabytes(limit)}: разделите книгу на несколько файлов"
        )
    return data


def read_workbook(data: bytes) -> ReadResult:
    """The format's sheets of an `.xlsx` file's bytes; raises UnreadableWorkbook."""
    book = _open(data)
    by_name = {match_key(s.name): (order, s) for order, s in enumerate(SHEETS)}
    found: dict[str, SheetData] = {}
    errors: list[Issue] = []
    warnings: list[str] = []
    rows_left = settings.WORKBOOK_MAX_ROWS
    for title in book.sheet_names:
        order, sheet = by_name.get(match_key(title), (None, None))
        if sheet is None:
            warnings.append(f"лист «{title}» не входит в формат книги и пропущен")
            continue
        if sheet.name in found:
            errors.append(file_issue(f"лист «{sheet.name}» встречается в книге дважды"))
            continue
        try:
            cells = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception:
            raise UnreadableWorkbook(f"лист «{title}» не удаётся прочитать") from None
        rows_left -= len(cells)
        if rows_left < 0:
            raise UnreadableWorkbook(
                f"в книге больше {settings.WORKBOOK_MAX_ROWS} строк: разделите её на части"
            )
        found[sheet.name] = _sheet_data(sheet, order, cells, errors, warnings)
    if REQUIRED_SHEET.name not in found:
        raise UnreadableWorkbook(f"в книге нет листа «{REQUIRED_SHEET.name}»")
    sheets = sorted(found.values(), key=lambda s: s.order)
    return ReadResult(sheets, errors, warnings)


def _open(data: bytes) -> CalamineWorkbook:
    if not data:
        raise UnreadableWorkbook("файл пустой")
    not_xlsx = "файл не является книгой Excel (.xlsx) или повреждён"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableWorkbook(not_xlsx) from None
    if unpacked > UNPACKED_RATIO * settings.WORKBOOK_MAX_BYTES:
        raise UnreadableWorkbook(
            f"после распаковки файл занимает больше "
            f"{_megabytes(UNPACKED_RATIO * settings.WORKBOOK_MAX_BYTES)}: "
            "разделите книгу на несколько файлов"
        )
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:
        raise UnreadableWorkbook(not_xlsx) from None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} МБ"


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _sheet_data(sheet: Sheet, order: int, cells, errors, warnings) -> SheetData:
    data = SheetData(sheet, order, {}, None, [])
    header = cells[0] if cells else []
    by_header = {match_key(c.header): c for c in sheet.columns}
    for index, raw in enumerate(header):
        title = shown(raw) if raw is not None else ""
        if not title:
            continue
        key = match_key(title)
        if key == match_key(DELETE_HEADER):
            target = DELETE_HEADER
        elif key in by_header:
            target = by_header[key].field
        else:
            warnings.append(f"лист «{sheet.name}»: столбец «{title}» не входит в формат и пропущен")
            continue
        if target in data.columns or (target == DELETE_HEADER and data.delete_at is not None):
            errors.append(data.issue(1, title, "столбец повторяется"))
            continue
        if target == DELETE_HEADER:
            data.delete_at = index
        else:
            data.columns[target] = index
    for column in sheet.columns:
        if column.required and column.field not in data.columns:
            errors.append(data.issue(1, column.header, "нет обязательного столбца"))
    for number, row in enumerate(cells[1:], start=2):
        values = [_clean(v) for v in row]
        if any(v is not None for v in values):
            data.rows.append((number, values))
    return data
