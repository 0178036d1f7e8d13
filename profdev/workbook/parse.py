"""Parsing: the cells of each sheet → clean records keyed by the sheet's key.

Every cell goes through its column's parser and every record through the sheet's row rules;
each failure is collected as an `Issue` (the row is left out), nothing stops at the first.
A row marked «Удалить» needs only its key. A key given twice on a sheet is an error.
"""

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType, NoneType
from typing import Any

from profdev.workbook import rules
from profdev.workbook.reader import Issue, SheetData
from profdev.workbook.sheets import DELETE_HEADER, REFERENCES, Column, Record, Sheet

NOTHING: Mapping[str, Any] = MappingProxyType({})  # no cell quoted, no «ФИО» column
# The «Удалить» cell: yes or no, empty is no.
DELETE_COLUMN = Column(DELETE_HEADER, "", rules.yes_no, default=False)


@dataclass(slots=True)
class Row:
    number: int  # the Excel row number
    delete: bool
    values: Record
    key: tuple
    # The cells as given (non-empty ones) of the columns whose messages quote the user's
    # text: references not spelled from their key and persons' own fields (only these: a
    # region's load holds every row).
    raw: Mapping[str, Any]
    names: Mapping[str, str]  # person field → the name written beside its СНИЛС («ФИО»)


@dataclass(frozen=True, slots=True)
class Problem:
    """What a cell that does not parse holds in place of its value."""

    message: str


class BookParser:
    def __init__(self, errors: list[Issue]):
        self.errors = errors
        # (parser, required, default) → raw value's type → raw value → clean value or
        # Problem: each distinct cell of the book is parsed once (of a type: 1, 1.0 and True
        # are parsed apart), and a value met on many rows is one object.
        self.parsed: dict[tuple, dict[type, dict[Any, Any]]] = {}

    def rows(self, data: SheetData) -> Iterator[Row]:
        """The sheet's valid rows, as they are read (the importer plans a large sheet a part
        at a time); read them in the format's order of sheets (the reader hands the sheets
        over so). A row's errors are collected when it is reached."""
        sheet = data.sheet
        batches = data.read_batches()
        fields = [(name, index, sheet.column(name)) for name, index in data.columns.items()]
        names = tuple(name for name, *_ in fields)
        quoted = [(name, index) for name, index, column in fields if _quoted(column)]
        seen = {}
        for numbers, columns in batches:
            count = len(numbers)
            parsed = [self._parsed(column, _cells(columns, i, count)) for _, i, column in fields]
            deletes = self._parsed(DELETE_COLUMN, _cells(columns, data.delete_at, count))
            faulty = _faulty(parsed)
            given = [(name, _cells(columns, i, count)) for name, i in quoted]
            written = [(name, _cells(columns, i, count)) for name, i in data.names.items()]
            by_row = zip(*parsed, strict=True) if parsed else itertools.repeat((), count)
            for i, (number, delete, cells) in enumerate(zip(numbers, deletes, by_row, strict=True)):
                if type(delete) is Problem:
                    self.errors.append(data.issue(number, DELETE_HEADER, delete.message))
                    continue
                if i in faulty:
                    values, issues = _faulty_row(sheet, names, cells, delete)
                else:
                    values, issues = dict(zip(names, cells, strict=True)), []
                if sheet.normalise:
                    sheet.normalise(values)
                if not delete:
                    for rule in sheet.row_rules:
                        issues += rule(values)
                if issues:
                    self.errors.extend(data.issue(number, sheet.header_of(n), m) for n, m in issues)
                    continue
                key = tuple(map(values.get, sheet.key))
                if None in key:
                    continue
                first = seen.setdefault(key, number)
                if first != number:
                    header = sheet.header_of(sheet.key_inputs[0])
                    message = f"повторяет строку {first}: тот же ключ записи"
                    self.errors.append(data.issue(number, header, message))
                    continue
                raw = {n: raws[i] for n, raws in given if raws[i] is not None} if given else NOTHING
                names_written = (
                    {n: rules.shown(raws[i]) for n, raws in written if raws[i] is not None}
                    if written
                    else NOTHING
                )
                yield Row(number, delete, values, key, raw, names_written)

    def _parsed(self, column: Column, cells: tuple) -> list:
        """The column's cells (of a batch of rows) parsed: each one's value, or its
        Problem; an empty cell is the column's default, or a problem if it is required."""
        types = set(map(type, cells))
        types.discard(NoneType)
        if len(types) <= 1:
            known = self._known(column, types.pop() if types else NoneType)
            self._parse_new(column, known, set(cells))
            return list(map(known.__getitem__, cells))
        # A column mixing texts, numbers or dates: each type's cells apart.
        by_type = {kind: self._known(column, kind) for kind in types}
        for kind, known in by_type.items():
            self._parse_new(column, known, {cell for cell in cells if type(cell) is kind})
        by_type[NoneType] = next(iter(by_type.values()))  # each one knows the empty cell
        return [by_type[type(cell)][cell] for cell in cells]

    @staticmethod
    def _parse_new(column: Column, known: dict[Any, Any], cells: set) -> None:
        for cell in cells.difference(known):
            value, message = rules.validate(column.parse, cell)
            known[cell] = Problem(message) if message else value

    def _known(self, column: Column, kind: type) -> dict[Any, Any]:
        """The cells of the type parsed so far by the column's parser and blank rule."""
        by_type = self.parsed.setdefault((column.parse, column.required, column.default), {})
        known = by_type.get(kind)
        if known is None:
            blank = Problem(rules.REQUIRED) if column.required else column.default
            known = by_type[kind] = {None: blank}
        return known


def _cells(columns: list[tuple], index: int | None, count: int) -> tuple:
    """The cells of a batch's column at `index`: all empty where the sheet has none."""
    return columns[index] if index is not None and index < len(columns) else (None,) * count


def _faulty_row(sheet: Sheet, names: tuple, cells: tuple, delete: bool) -> tuple[Record, list]:
    """The values and issues of a row with a cell that does not parse (a row to delete
    needs only its key)."""
    values, issues = {}, []
    for name, value in zip(names, cells, strict=True):
        if type(value) is Problem:
            issues.append((name, value.message))
        else:
            values[name] = value
    if delete:
        issues = [(n, m) for n, m in issues if n in sheet.key_inputs]
    return values, issues


def _faulty(parsed: list[list]) -> set[int]:
    """The rows (their indices in the batch) with a cell that does not parse."""
    faulty = set()
    for values in parsed:
        if Problem in set(map(type, values)):
            faulty.update(i for i, value in enumerate(values) if type(value) is Problem)
    return faulty


def _quoted(column: Column) -> bool:
    """Whether a message may quote the column's cell as the user wrote it."""
    return column.person or (column.ref is not None and REFERENCES[column.ref].spelled is None)
