"""Parsing: the cells of each sheet → clean records keyed by the sheet's key.

Every cell goes through its column's parser and every record through the sheet's row rules;
each failure is collected as an `Issue` (the row is left out), nothing stops at the first.
A row marked «Удалить» needs only its key. A key given twice on a sheet is an error.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from profdev.workbook import rules
from profdev.workbook.reader import Issue, SheetData
from profdev.workbook.sheets import DELETE_HEADER, REFERENCES, Column, Record

Validate = Callable[[Any], tuple[Any, str | None]]
NOTHING: Mapping[str, Any] = MappingProxyType({})  # no cell quoted, no «ФИО» column


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


class BookParser:
    def __init__(self, errors: list[Issue]):
        self.errors = errors
        # parser → raw value (with its type) → (value, message): shared by the sheets
        self.parsed: defaultdict[rules.Parser, dict] = defaultdict(dict)
        self.texts: dict[str, str] = {}  # each text value once: see `_validator`

    def rows(self, data: SheetData) -> Iterator[Row]:
        """The sheet's valid rows, as they are read (the importer plans a large sheet a part
        at a time); read them in the format's order of sheets (the reader hands the sheets
        over so). A row's errors are collected when it is reached."""
        sheet = data.sheet
        data_rows = data.read_rows()
        # (field, cell index, validate, required, default, quoted) of each column in the file
        fields = [
            (
                name,
                index,
                self._validator(column),
                column.required,
                column.default,
                _quoted(column),
            )
            for name, index in data.columns.items()
            for column in (sheet.column(name),)
        ]
        quotes = any(quoted for *_, quoted in fields)
        seen = {}
        for number, cells in data_rows:
            width = len(cells)
            delete = False
            if data.delete_at is not None and data.delete_at < width:
                raw = cells[data.delete_at]
                if raw is not None:
                    delete, message = rules.validate(rules.yes_no, raw)
                    if message:
                        self.errors.append(data.issue(number, DELETE_HEADER, message))
                        continue
            values, given, issues = {}, {} if quotes else NOTHING, []
            for name, index, validate, required, default, quoted in fields:
                raw = cells[index] if index < width else None
                if raw is None:
                    if required:
                        issues.append((name, rules.REQUIRED))
                    else:
                        values[name] = default
                    continue
                if quoted:
                    given[name] = raw
                value, message = validate(raw)
                if message:
                    issues.append((name, message))
                else:
                    values[name] = value
            if delete:
                issues = [(n, m) for n, m in issues if n in sheet.key_inputs]
            if sheet.normalise:
                sheet.normalise(values)
            if not delete:
                for rule in sheet.row_rules:
                    issues.extend(rule(values))
            self.errors.extend(data.issue(number, sheet.header_of(n), m) for n, m in issues)
            key = tuple(values.get(f) for f in sheet.key)
            if issues or None in key:
                continue
            if key in seen:
                header = sheet.header_of(sheet.key_inputs[0])
                self.errors.append(
                    data.issue(number, header, f"повторяет строку {seen[key]}: тот же ключ записи")
                )
                continue
            seen[key] = number
            names = (
                {
                    name: rules.shown(cells[index])
                    for name, index in data.names.items()
                    if index < width and cells[index] is not None
                }
                if data.names
                else NOTHING
            )
            yield Row(number, delete, values, key, given, names)

    def _validator(self, column: Column) -> Validate:
        """`rules.validate` with the column's parser; a column whose values repeat parses
        each distinct raw value once in the whole book (keyed with its type: 1, 1.0 and
        True are parsed apart). Of the other columns, a text met on many rows (a programme,
        a position, a surname) is kept once: a region's load holds every row's values."""
        if not column.repeats:
            parse, texts = column.parse, self.texts

            def validate(raw: Any) -> tuple[Any, str | None]:
                value, message = rules.validate(parse, raw)
                if type(value) is str:
                    value = texts.setdefault(value, value)
                return value, message

            return validate
        parsed = self.parsed[column.parse]

        def validate(raw: Any) -> tuple[Any, str | None]:
            key = (type(raw), raw)
            result = parsed.get(key)
            if result is None:
                result = parsed[key] = rules.validate(column.parse, raw)
            return result

        return validate


def _quoted(column: Column) -> bool:
    """Whether a message may quote the column's cell as the user wrote it."""
    return column.person or (column.ref is not None and REFERENCES[column.ref].spelled is None)
