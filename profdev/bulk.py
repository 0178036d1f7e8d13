"""Fast bulk inserts for large loads (the workbook importer, the history of its changes).

`bulk_create` compiles every value through the ORM, which dominates the time of a
region-sized import; `insert_rows` streams plain rows instead: one COPY on PostgreSQL
(rather than one statement per row), `executemany` batches elsewhere. Values
must already be clean (the importer has validated them): the values of date, datetime,
JSON, truth-value and text fields are adapted for the database here (a `JSONText` is JSON
already: it goes as its text), the others go as they are; no signals, no `save()`.
"""

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000  # rows per executemany (SQLite)
CHUNK = 1000  # rows per piece of COPY's stream


class JSONText(str):
    """A JSON field's value already encoded (the history of a load's created records builds
    its text directly): stored as it is."""


_AS_IS = frozenset({str, JSONText})  # values whose text for COPY is themselves


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT `rows` (values in the order of `fields`, attnames such as `person_id`).

    On PostgreSQL the rows go through one COPY, made as the server reads them (it checks
    and indexes what it has while the next rows are made): `rows` must not query the
    database themselves.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    model_fields = [model._meta.get_field(_name(f)) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source = _CopySource(rows, model_fields)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", source)
            return source.count
        count = 0
        adapt = _Adapter(connection.ops, model_fields)
        statements: dict[tuple[bool, ...], str] = {}
        for batch in _batches(rows, BATCH):
            bound, values = adapt.batch(batch)
            sql = statements.get(bound)
            if sql is None:
                placeholders = ", ".join("%s" if given else "NULL" for given in bound)
                sql = statements[bound] = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            cursor.executemany(sql, values)
            count += len(batch)
        return count


class _CopySource:
    """The rows as COPY's text, a chunk of rows per `read` (what copy_expert calls)."""

    def __init__(self, rows: Iterable[Sequence[Any]], fields: Sequence[models.Field]):
        self.chunks = _batches(rows, CHUNK)
        self.count = 0
        self.converters = [_copy_converter(field) for field in fields]

    def read(self, size: int = -1) -> str:
        chunk = next(self.chunks, [])
        if not chunk:
            return ""
        self.count += len(chunk)
        columns = [
            convert(values)
            for convert, values in zip(self.converters, zip(*chunk, strict=True), strict=True)
        ]
        return "\n".join(map("\t".join, zip(*columns, strict=True))) + "\n"


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
_json = json.JSONEncoder(ensure_ascii=False).encode


def _copy_converter(field: models.Field) -> Callable[[Sequence[Any]], Sequence[str]]:
    """How a column of the field becomes COPY's text: integers (and references) and dates as
    they print, with no escape to look for; anything else by `_copy_column`."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.IntegerField):  # AutoFields too
        return _integer_column
    if isinstance(target, models.DateField) and not isinstance(target, models.DateTimeField):
        return _date_column
    return _copy_column


def _integer_column(values: Sequence[Any]) -> list[str]:
    return [_NULL if value is None else str(value) for value in values]


def _date_column(values: Sequence[Any]) -> list[str]:
    return [_NULL if value is None else value.isoformat() for value in values]


def _copy_column(values: Sequence[Any]) -> Sequence[str]:
    """A column of a chunk's rows in COPY's text format (each value as `_copy_text` writes
    it), converted at once: a column holding one object on every row (a load's timestamp,
    NULLs) is converted once, and a column whose texts hold no tab, line break or backslash
    is not escaped value by value."""
    first = values[0]
    if all(value is first for value in values):
        return [_copy_text(first)] * len(values)
    texts = [v if v is None or type(v) in _AS_IS else _text(v) for v in values]
    given = [text for text in texts if text is not None]
    if _needs_escape("".join(given)):
        return [_copy_text(text) for text in texts]
    return [_NULL if text is None else text for text in texts]


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: \\N for NULL, backslash escapes for the separators."""
    if value is None:
        return _NULL
    text = value if type(value) in _AS_IS else _text(value)
    # str.translate is slow on non-ASCII text: most values need no escape at all.
    return text.translate(_COPY_ESCAPES) if _needs_escape(text) else text


def _needs_escape(text: str) -> bool:
    """Whether the text holds a character COPY's text format escapes: four substring
    searches, some thirty times faster than a character class's regex on a chunk's texts
    (hundreds of kilobytes of Cyrillic), which cost a region's first load 0.7 s."""
    return "\\" in text or "\t" in text or "\n" in text or "\r" in text


def _text(value: Any) -> str:
    """A value's text for COPY before escaping (dates and datetimes: ISO, as PostgreSQL reads)."""
    if type(value) is bool:
        return "t" if value else "f"
    if isinstance(value, dict):
        return _json(value)
    return str(value)


def _name(attname: str) -> str:
    return attname[:-3] if attname.endswith("_id") else attname


class _Adapter:
    """Rows for `executemany`, a batch's column at a time, as values the sqlite3 module binds
    without looking for an adapter (it looks for one, some thousand instructions, for
    anything but an exact int, float or str: a third of a load's values): dates,
    datetimes and JSON as the backend stores them, truth values as 1 and 0, the texts of str
    subclasses (choices, JSON already built) as plain str. A column NULL on every row of the
    batch (the history's user and school in a load) is not bound at all: the statement
    writes NULL. Dates repeat across a load's rows and its history repeats one timestamp
    (the «when»): each distinct value of a batch's column is adapted once."""

    def __init__(self, ops, fields: Sequence[models.Field]):
        self.adapters = [_column_adapter(ops, field) for field in fields]

    def batch(self, rows: list[Sequence[Any]]) -> tuple[tuple[bool, ...], list[tuple]]:
        """Which columns are bound (not NULL throughout), and the rows of their values."""
        columns = [
            values if adapt is None else adapt(values)
            for adapt, values in zip(self.adapters, zip(*rows, strict=True), strict=True)
        ]
        bound = tuple(column.count(None) < len(rows) for column in columns)
        if all(bound):
            return bound, list(zip(*columns, strict=True))
        return bound, list(zip(*itertools.compress(columns, bound), strict=True))


def _column_adapter(ops, field: models.Field) -> Callable[[Sequence[Any]], Sequence[Any]] | None:
    if isinstance(field, models.DateTimeField):
        return _each_distinct(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _each_distinct(ops.adapt_datefield_value)
    if isinstance(field, models.JSONField):
        return _json_column
    if isinstance(field, models.BooleanField):
        return _each_distinct(int)
    if isinstance(field, models.CharField | models.TextField):
        return _text_column
    return None


def _each_distinct(adapt):
    def column(values: Sequence[Any]) -> list[Any]:
        adapted = {value: adapt(value) for value in set(values) if value is not None}
        adapted[None] = None
        return [adapted[value] for value in values]

    return column


def _text_column(values: Sequence[Any]) -> Sequence[Any]:
    """A column of texts as plain str (a choice's member is a str subclass)."""
    if all(type(value) is str for value in values):
        return values
    return [value if value is None or type(value) is str else str(value) for value in values]


def _json_column(values: Sequence[Any]) -> list[Any]:
    return [
        value if value is None else str(value) if type(value) is JSONText else _json(value)
        for value in values
    ]
