"""Reading an `.xlsx` workbook into the sheets of the format (python-calamine).

The reader checks the file as a whole (size, a readable `.xlsx`, the number of rows), finds
the format's sheets and columns by their names (case-insensitive, trimmed, ё = е) and hands
over the non-blank data rows with their Excel row numbers. Cell values stay raw; a cell of
only spaces becomes `None`.
"""

import io
import os
import zipfile
from collections.abc import Iterator
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


class UnreadableWorkbook(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.issue = file_issue(message)


@dataclass
class ReadResult:
    sheets: list["SheetData"]
    errors: list[Issue]
    warnings: list[str]
    rows_left: int = 0


@dataclass
class SheetData:
    """A sheet of the format found in the book. Its cells are loaded by `read_rows` and
    not kept, so that a large book holds one sheet's raw cells at a time."""

    sheet: Sheet
    order: int
    title: str
    book: CalamineWorkbook
    result: ReadResult
    columns: dict[str, int] = field(default_factory=dict)  # field → index of its cell
    delete_at: int | None = None  # index of the `Удалить` cell

    def issue(self, row: int, column: str, message: str) -> Issue:
        return Issue(self.order, row, self.sheet.name, column, message)

    def read_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Match the header row (`columns` and `delete_at` are set on return), then yield
        (Excel row number, cells) of non-blank rows; blank cells are None."""
        try:
            cells = self.book.get_sheet_by_name(self.title).to_python(skip_empty_area=False)
        except Exception:
            raise UnreadableWorkbook(f"лист «{self.title}» не удаётся прочитать") from None
        self.result.rows_left -= len(cells)
        if self.result.rows_left < 0:
            raise UnreadableWorkbook(
                f"в книге больше {settings.WORKBOOK_MAX_ROWS} строк: разделите её на части"
            )
        self._match_header(cells[0] if cells else [])
        return _data_rows(cells)

    def _match_header(self, header: list[Any]) -> None:
        sheet = self.sheet
        by_header = {match_key(c.header): c.field for c in sheet.columns}
        by_header[match_key(DELETE_HEADER)] = DELETE_HEADER
        for index, raw in enumerate(header):
            title = shown(raw) if raw is not None else ""
            if not title:
                continue
            target = by_header.get(match_key(title))
            if target is None:
                self.result.warnings.append(
                    f"лист «{sheet.name}»: столбец «{title}» не входит в формат и пропущен"
                )
            elif target in self.columns or (target == DELETE_HEADER and self.delete_at is not None):
                self.result.errors.append(self.issue(1, title, "столбец повторяется"))
            elif target == DELETE_HEADER:
                self.delete_at = index
            else:
                self.columns[target] = index
        for column in sheet.columns:
            if column.required and column.field not in self.columns:
                self.result.errors.append(self.issue(1, column.header, "нет обязательного столбца"))


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
    result = ReadResult([], [], [], settings.WORKBOOK_MAX_ROWS)
    found: set[str] = set()
    for title in book.sheet_names:
        order, sheet = by_name.get(match_key(title), (None, None))
        if sheet is None:
            result.warnings.append(f"лист «{title}» не входит в формат книги и пропущен")
        elif sheet.name in found:
            result.errors.append(file_issue(f"лист «{sheet.name}» встречается в книге дважды"))
        else:
            found.add(sheet.name)
            result.sheets.append(SheetData(sheet, order, title, book, result))
    if REQUIRED_SHEET.name not in found:
        raise UnreadableWorkbook(f"в книге нет листа «{REQUIRED_SHEET.name}»")
    result.sheets.sort(key=lambda s: s.order)
    return result


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


def _data_rows(cells: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(cells[1:], start=2):
        values = [(v.strip() or None) if isinstance(v, str) else v for v in row]
        if any(v is not None for v in values):
            yield number, values
