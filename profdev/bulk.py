"""Fast bulk inserts for large loads (the workbook importer, the history of its changes).

`bulk_create` compiles every value through the ORM, which dominates the time of a
region-sized import; `insert_rows` sends plain `executemany` batches instead. Values must
already be clean (the importer has validated them): dates, datetimes, dicts (JSON) and
plain scalars are adapted for the database here; no signals, no `save()`.
"""

import datetime
import json
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
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    count = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([_adapt(v) for v in row])
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _name(attname: str) -> str:
    return attname[:-3] if attname.endswith("_id") else attname


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
