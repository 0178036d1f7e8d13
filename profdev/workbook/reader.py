"""Reading an `.xlsx` workbook into the sheets of the format (python-calamine).

The reader checks the file as a whole (size, a readable `.xlsx`, the number of rows), finds
the format's sheets and columns by their names (case-insensitive, trimmed, ё = е) and hands
over the non-blank data rows with their Excel row numbers. Cell values stay raw; a cell of
only spaces becomes `None`.

The cells are read by a child process (`sheet_process`) under memory and CPU limits, which
refuses a sheet spanning more than MAX_CELLS cells before loading it: a hostile file costs
the child at most its limits, never the portal's process.
"""

import contextlib
import io
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import weakref
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from profdev.text import match_key
from profdev.workbook import sheet_process
from profdev.workbook.rules import shown
from profdev.workbook.sheets import DELETE_HEADER, INSTRUCTIONS, REQUIRED_SHEET, SHEETS, Sheet

# An .xlsx compresses its XML about tenfold; far more means a zip bomb.
UNPACKED_RATIO = 20
# The cells (rows × columns from A1) a sheet may span: the child holds them all at once
# (32 bytes each), well within its memory limit (WORKBOOK_READER_MEMORY_MB).
MAX_CELLS = 20_000_000
MAX_FRAME = 512 * 2**20  # a frame of rows from the child is a few hundred kilobytes
LOOKAHEAD = 64  # frames the child may be ahead of the importer
NOT_XLSX = "файл не является книгой Excel (.xlsx) или повреждён"
TRIM = (
    "удалите лишние строки и столбцы (в том числе пустые, но оформленные) "
    "или разделите книгу на части"
)

Source = str | os.PathLike | IO[bytes]
Batch = tuple[list[int], list[tuple[Any, ...]]]  # row numbers, the rows' cells by column


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


@dataclass
class SheetData:
    """A sheet of the format found in the book. Its cells are read by `read_batches` from the
    child process, so that a large book holds one sheet's raw cells at a time at most."""

    sheet: Sheet
    order: int
    title: str
    book: "_SheetProcess"
    result: ReadResult
    columns: dict[str, int] = field(default_factory=dict)  # field → index of its cell
    delete_at: int | None = None  # index of the `Удалить` cell
    names: dict[str, int] = field(default_factory=dict)  # person field → index of its «ФИО»

    def issue(self, row: int, column: str, message: str) -> Issue:
        return Issue(self.order, row, self.sheet.name, column, message)

    def read_batches(self) -> Iterator[Batch]:
        """Match the header row (`columns` and `delete_at` are set on return), then yield the
        non-blank data rows in batches: their Excel row numbers and their cells a column at
        a time (a tuple per column of the sheet, a cell per row; blank cells are None)."""
        header, batches = self.book.sheet(self.title)
        self._match_header(header)
        return batches

    def _match_header(self, header: list[Any]) -> None:
        sheet = self.sheet
        by_header = {match_key(c.header): c.field for c in sheet.columns}
        by_header[match_key(DELETE_HEADER)] = DELETE_HEADER
        names = {match_key(h): f for f, h in sheet.name_headers.items()}
        for index, raw in enumerate(header):
            title = shown(raw) if raw is not None else ""
            if not title:
                continue
            key = match_key(title)
            target = by_header.get(key)
            if key in names:
                if names[key] in self.names:
                    self.result.errors.append(self.issue(1, title, "столбец повторяется"))
                self.names[names[key]] = index
            elif target is None:
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
    _check_archive(data)
    keys = [match_key(s.name) for s in SHEETS]
    book = _SheetProcess(data, keys)
    by_name = dict(zip(keys, enumerate(SHEETS), strict=True))
    result = ReadResult([], [], [])
    found: set[str] = set()
    for title in book.titles():
        order, sheet = by_name.get(match_key(title), (None, None))
        if match_key(title) == match_key(INSTRUCTIONS):
            continue  # the exported book's own help, not data
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


def unpacked_size(data: bytes) -> int:
    """What the `.xlsx` archive holds once unpacked (its directory's sizes); raises
    UnreadableWorkbook for a file that is not one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableWorkbook(NOT_XLSX) from None


def _check_archive(data: bytes) -> None:
    if not data:
        raise UnreadableWorkbook("файл пустой")
    if unpacked_size(data) > UNPACKED_RATIO * settings.WORKBOOK_MAX_BYTES:
        raise UnreadableWorkbook(
            f"после распаковки файл занимает больше "
            f"{_megabytes(UNPACKED_RATIO * settings.WORKBOOK_MAX_BYTES)}: "
            "разделите книгу на несколько файлов"
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} МБ"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


class _PlainValues(pickle.Unpickler):
    """The child sends plain values only: a frame naming any other class is refused."""

    def find_class(self, module: str, name: str):
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


class _SheetProcess:
    """The child process reading the book (`sheet_process`) and its frames.

    The child reads the format's sheets in the format's order, as the importer asks for
    them; a thread keeps taking its frames (up to LOOKAHEAD ahead), so the child reads the
    next sheet while the importer checks this one. A refusal or the child's death becomes
    UnreadableWorkbook with a Russian message.
    """

    def __init__(self, data: bytes, keys: list[str]):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                sheet_process.__name__,
                str(settings.WORKBOOK_READER_MEMORY_MB),
                str(settings.WORKBOOK_READER_SECONDS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=settings.BASE_DIR,
        )
        self.frames: queue.Queue[bytes | None] = queue.Queue(LOOKAHEAD)
        self.drain = threading.Thread(
            target=_drain, args=(self.process.stdout, self.frames), daemon=True
        )
        self.drain.start()
        weakref.finalize(self, _stop, self.process, self.drain, self.frames)
        self.reading = ""  # the sheet asked for: the one a dying child was reading
        request = (keys, settings.WORKBOOK_MAX_ROWS, MAX_CELLS, data)
        try:
            with self.process.stdin as stdin:
                pickle.dump(request, stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            pass  # the child is dead: its exit status explains at the first frame

    def titles(self) -> list[str]:
        return self._next()[1]

    def sheet(self, title: str) -> tuple[list[Any], Iterator[Batch]]:
        """The sheet's header row and an iterator over its batches of data rows."""
        self.reading = title
        while (frame := self._next())[:2] != ("sheet", title):
            pass  # the rest of a sheet the importer stopped reading
        return frame[2], self._batches()

    def _batches(self) -> Iterator[Batch]:
        while (frame := self._next())[0] == "rows":
            yield frame[1:]

    def _next(self) -> tuple:
        payload = self.frames.get()
        try:
            frame = _PlainValues(io.BytesIO(payload)).load() if payload else None
        except (pickle.UnpicklingError, EOFError):
            frame = None
        if not frame:
            raise UnreadableWorkbook(self._death())
        if frame[0] == "refused":
            raise UnreadableWorkbook(self._refusal(*frame[1:]))
        return frame

    def _stop(self) -> int:
        return _stop(self.process, self.drain, self.frames)

    def _refusal(self, reason: str, title: str, detail: str) -> str:
        self._stop()
        return {
            "not_xlsx": NOT_XLSX,
            "unreadable": f"лист «{title}» не удаётся прочитать",
            "rows": f"в книге больше {settings.WORKBOOK_MAX_ROWS} строк: разделите её на части",
            "cells": (
                f"лист «{title}» занимает область {detail} — больше {_count(MAX_CELLS)} "
                f"ячеек: {TRIM}"
            ),
        }[reason]

    def _death(self) -> str:
        status = self._stop()
        what = f"лист «{self.reading}»" if self.reading else "книгу"
        if status in (-signal.SIGXCPU, -signal.SIGKILL):
            return (
                f"{what} не удалось прочитать за {settings.WORKBOOK_READER_SECONDS} с: "
                "разделите книгу на части"
            )
        return f"{what} не удалось прочитать: слишком много данных для проверки; {TRIM}"


def _drain(stream: IO[bytes], frames: queue.Queue) -> None:
    """Move the child's frames into the queue; None after the last (or a broken) one."""
    size = sheet_process.FRAME.size
    while len(head := stream.read(size)) == size:
        length = sheet_process.FRAME.unpack(head)[0]
        payload = stream.read(length) if 0 < length <= MAX_FRAME else b""
        if len(payload) != length or not payload:
            break
        frames.put(payload)
    frames.put(None)


def _stop(process: subprocess.Popen, drain: threading.Thread, frames: queue.Queue) -> int:
    """End the child (if still running), let the thread finish and collect the exit status."""
    if process.poll() is None:
        process.kill()
    while drain.is_alive():  # it may wait for room in the queue
        with contextlib.suppress(queue.Empty):
            frames.get(timeout=0.1)
    process.stdout.close()
    return process.wait()
