"""Fast bulk inserts for large loads (the workbook importer, the history of its changes).

`bulk_create` compiles every value through the ORM, which dominates the time of a
region-sized import; `insert_rows` streams plain batches instead: COPY on PostgreSQL (one
round trip per batch rather than one statement per row), `executemany` elsewhere. Values
must already be clean (the importer has validated them): dates, datetimes, dicts (JSON) and
plain scalars are adapted for the database here; no signals, no `save()`.
"""

import datetime
import decimal
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT `rows` (values in the order of `fields`, attnames such as `person_id`)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(_name(f)).column) for f in fields
    )
    if connection.vendor == "postgresql":
        send = _copier(f"COPY {table} ({columns}) FROM STDIN")
        adapt = list  # COPY's text is made from the values themselves (`_copy_text`)
    else:
        adapt = _adapt_row
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"

        def send(cursor, batch):
            cursor.executemany(sql, batch)

    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(adapt(row))
            if len(batch) == BATCH:
                send(cursor, batch)
                count += len(batch)
                batch = []
        if batch:
            send(cursor, batch)
            count += len(batch)
    return count


def _copier(sql: str):
    def send(cursor, batch):
        lines = ("\t".join(map(_copy_text, row)) for row in batch)
        cursor.cursor.copy_expert(sql, io.StringIO("\n".join(lines) + "\n"))

    return send


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
# Types whose str() is already COPY's text (dates and datetimes: ISO, as PostgreSQL reads them).
_PLAIN = frozenset({int, float, decimal.Decimal, datetime.date, datetime.datetime})


def _copy_text(value: Any) -> str:
    """A value in COPY's text format: \\N for NULL, backslash escapes for the separators."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind in _PLAIN:
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    # str.translate is slow on non-ASCII text: most values need no escape at all.
    return text.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _name(attname: str) -> str:
    return attname[:-3] if attname.endswith("_id") else attname


def _adapt_row(row: Sequence[Any]) -> list[Any]:
    return [_adapt(v) for v in row]


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
