"""The child process that reads a workbook's sheets (python-calamine) under memory and CPU limits.

calamine turns a sheet into a full rectangle from A1 to its farthest filled cell, so one cell
at XFD1048576 in a 5 KB file asks for 512 GiB. Here, before loading a sheet, its XML is
streamed to find the farthest filled cell (`<c r="…">` with content): a sheet larger than
the limits is refused without loading it. What the scan cannot see (cells without a
reference) ends at the process's memory limit (RLIMIT_AS) or CPU limit (RLIMIT_CPU): the
child dies, the portal's process does not (`reader` tells the user).

    python -m profdev.workbook.sheet_process MEMORY_MB CPU_SECONDS

stdin: the pickled request `(keys, max_rows, max_cells, data)` — the match keys of the
format's sheets in the format's order, the row limit of the whole book, the cell limit of a
sheet, the file's bytes. stdout: frames (4-byte length, pickle of plain values):

    ("titles", [title, …])                       every sheet of the book, in its order
    ("sheet", title, header)                     a format's sheet (first title per key)
    ("rows", [row number, …], [column, …])       its non-blank data rows: their numbers and
                                                 their cells a column (tuple) at a time,
                                                 texts stripped, blank cells None
    ("end",)
    ("refused", reason, title, detail)           and the child stops
"""

import io
import itertools
import pickle
import posixpath
import re
import resource
import struct
import sys
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from profdev.text import match_key

FRAME = struct.Struct(">I")
BATCH = 2000  # rows per frame
BLANK = {"": None}  # an empty cell (calamine gives "") or one of spaces once stripped
# Values that compare equal across types (1 == 1.0 == True) are never made one object.
NUMBERS = frozenset({bool, int, float})
CHUNK = 1 << 20  # bytes of a sheet's XML scanned at a time
LONGEST_TAG = 4096  # a cell's start tag is far shorter: longer ones are not cells
# A cell with content and an explicit reference: not `<c r="…" s="1"/>` (formatting only).
FILLED = rb'<c r="%s"(?:[^>]*[^/])?>'
FILLED_CELL = re.compile(FILLED % rb"([A-Z]+)([0-9]+)")
DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')
DIMENSION_WITHIN = 1 << 16  # bytes at the start of a sheet's XML, before its cells
WIDE = 26  # columns (A–Z) of the rectangle a sheet is first scanned for: the format needs 17
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its XML part in the archive (what calamine reads)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        link.get("Id"): link.get("Target", "")
        for link in links.iter(f"{RELATIONSHIPS}Relationship")
    }
    paths = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP_ID), "")
        absolute = target.startswith("/")
        paths[sheet.get("name", "")] = posixpath.normpath(
            target.lstrip("/") if absolute else posixpath.join("xl", target)
        )
    return paths


def claimed_extent(archive: zipfile.ZipFile, path: str) -> tuple[int, int] | None:
    """The farthest row and column as the sheet's `<dimension>` claims (Excel and LibreOffice
    write it; it may count cells with formatting only, and a hostile file may lie)."""
    try:
        with archive.open(path) as xml:
            head = xml.read(DIMENSION_WITHIN)
    except KeyError:
        return None
    head = head.split(b"<sheetData", 1)[0]
    claim = DIMENSION.search(head)
    return (int(claim[2]), column_number(claim[1])) if claim else None


def extent(archive: zipfile.ZipFile, path: str) -> tuple[int, int]:
    """The farthest row and column (1-based) of the sheet's filled cells, streaming its XML."""
    rows, columns = 0, set()
    for text in _pieces(archive, path):
        rows, columns = _farthest(text, rows, columns)
    return rows, max(map(column_number, columns), default=0)


def within(archive: zipfile.ZipFile, path: str, rows: int, columns: int) -> bool:
    """Whether the sheet's filled cells all lie within rows × columns from A1: one search
    for a cell beyond, far quicker than `extent` (which sees the same cells)."""
    letters = _greater(column_letters(columns), LETTERS, LETTERS)
    numbers = _greater(str(rows), DIGITS, DIGITS[1:])
    beyond = re.compile(FILLED % f"(?:{letters}[0-9]+|[A-Z]+0*{numbers})".encode())
    return not any(map(beyond.search, _pieces(archive, path)))


def _greater(limit: str, digits: str, leading: str) -> str:
    """A pattern of the numerals written with `digits` (in their order) greater than
    `limit`: longer ones (starting with one of `leading`), or as long ones greater at their
    first difference."""
    patterns = [f"[{leading}][{digits}]{{{len(limit)},}}"]
    for i, digit in enumerate(limit):
        if greater := digits[digits.index(digit) + 1 :]:
            patterns.append(f"{limit[:i]}[{greater}][{digits}]{{{len(limit) - i - 1}}}")
    return "(?:" + "|".join(patterns) + ")"


def _pieces(archive: zipfile.ZipFile, path: str) -> Iterator[bytes]:
    """The sheet's XML streamed in pieces cut before a tag (a piece too long to be a tag's
    start is left out)."""
    try:
        xml = archive.open(path)
    except KeyError:
        return
    with xml:
        tail = b""
        while chunk := xml.read(CHUNK):
            text = tail + chunk
            cut = text.rfind(b"<")
            text, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
            if len(tail) > LONGEST_TAG:
                tail = b""
            yield text
        yield tail


def _farthest(text: bytes, rows: int, columns: set) -> tuple[int, set]:
    refs = FILLED_CELL.findall(text)
    if refs:
        columns.update({letters for letters, _ in refs})
        rows = max(rows, *map(int, {number for _, number in refs}))
    return rows, columns


class Refused(Exception):
    def __init__(self, reason: str, title: str = "", detail: str = ""):
        super().__init__(reason)
        self.frame = ("refused", reason, title, detail)


def read(keys: list[str], max_rows: int, max_cells: int, data: bytes, send) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:
        raise Refused("not_xlsx") from None
    titles = book.sheet_names
    send(("titles", titles))
    by_key: dict[str, str] = {}
    for title in titles:
        by_key.setdefault(match_key(title), title)
    paths = sheet_paths(archive)
    rows_left = max_rows
    for key in keys:
        title = by_key.get(key)
        if title is None:
            continue
        # The claim is cheap and usually true; when it is missing or too large, the XML is
        # scanned (and whatever is loaded is checked again below): for a cell beyond a
        # rectangle within the limits, then, if there is one, for the farthest cell.
        path = paths.get(title, "")
        claimed = claimed_extent(archive, path)
        fits = claimed and claimed[0] * claimed[1] <= max_cells and claimed[0] <= rows_left
        if not (fits or within(archive, path, min(rows_left, max_cells // WIDE), WIDE)):
            _check_size(title, *extent(archive, path), rows_left, max_rows, max_cells)
        try:
            sheet = book.get_sheet_by_name(title)
        except Exception:
            raise Refused("unreadable", title) from None
        # The loaded rectangle counts (from A1, as the user sees the sheet): it includes
        # what the scan could not see, cells without references.
        top, left = sheet.start or (0, 0)
        rows = top + sheet.height
        _check_size(title, rows, left + sheet.width, rows_left, max_rows, max_cells)
        rows_left -= rows
        _send_sheet(title, sheet, left, send)


def _check_size(title, rows, columns, rows_left, max_rows, max_cells) -> None:
    if rows * columns > max_cells:
        raise Refused("cells", title, f"A1:{column_letters(columns)}{rows}")
    if rows > rows_left:
        raise Refused("rows", title, str(max_rows))


def _send_sheet(title, sheet, left: int, send) -> None:
    # The rows start at row 1; their cells at the first filled column (hence the padding).
    rows = sheet.iter_rows()
    send(("sheet", title, [None] * left + next(rows, [])))
    number = 2
    while block := list(itertools.islice(rows, BATCH)):
        pad = [(None,) * len(block)] * left
        columns = pad + [_column(cells) for cells in zip(*block, strict=True)]
        numbers = range(number, number + len(block))
        if all(None in cells for cells in columns):  # a row may be blank: left out
            kept = [
                i for i, row in enumerate(zip(*columns, strict=True)) if row.count(None) < len(row)
            ]
            columns = [tuple(map(cells.__getitem__, kept)) for cells in columns]
            numbers = map(numbers.__getitem__, kept)
        numbers = list(numbers)
        if numbers:
            send(("rows", numbers, columns))
        number += len(block)
    send(("end",))


def _column(cells: tuple) -> tuple:
    """A column of a batch of rows: texts stripped, blank cells None; in a column of texts
    and dates, equal values are one object (pickled once, unpickled once)."""
    types = set(map(type, cells))
    if types == {str}:
        stripped = list(map(str.strip, cells))
        cells = list(map(BLANK.get, stripped, stripped))
    else:
        cells = [(v.strip() or None) if type(v) is str else v for v in cells]
    if types.isdisjoint(NUMBERS):
        once: dict = {}
        cells = map(once.setdefault, cells, cells)
    return tuple(cells)


def main() -> None:
    memory_mb, cpu_seconds = (int(a) for a in sys.argv[1:3])
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    keys, max_rows, max_cells, data = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer

    def send(frame) -> None:
        payload = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(FRAME.pack(len(payload)) + payload)

    try:
        read(keys, max_rows, max_cells, data, send)
    except Refused as refused:
        send(refused.frame)
    out.flush()


if __name__ == "__main__":
    main()
