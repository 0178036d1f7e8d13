"""The query planner's statistics after a large load (`refresh_statistics`).

A year's computation usually follows an import at once. On PostgreSQL its per-person look-ups
are planned from the tables' statistics, and until autovacuum analyses a freshly filled table
(a minute or more later, or never where it is off) the planner takes it for as small as it
was: at region scale the computation's queries then run twice as long (1,75 s instead of
0,8 s). PostgreSQL's documentation advises ANALYZE after a bulk load; it is run here on the
tables whose rows changed by more than autovacuum's own measure (50 rows and a tenth of the
table), so that a school's few corrections cost nothing. SQLite plans without statistics
unless asked for them: nothing to do there.
"""

from collections.abc import Mapping

from django.db import connection, models

# autovacuum_analyze_threshold and autovacuum_analyze_scale_factor as PostgreSQL ships them
THRESHOLD = 50
SCALE = 0.1


def refresh_statistics(changed: Mapping[type[models.Model], int]) -> list[str]:
    """ANALYZE each model's table whose rows changed (`changed`: model → rows inserted,
    updated or deleted) by more than THRESHOLD + SCALE × its rows as last estimated;
    the tables analysed."""
    if connection.vendor != "postgresql":
        return []
    tables = {model._meta.db_table: n for model, n in changed.items() if n > THRESHOLD}
    if not tables:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(tables)]
        )
        estimated = dict(cursor.fetchall())  # -1 (or 0) for a table never analysed
        stale = sorted(
            table for table, n in tables.items() if n > THRESHOLD + SCALE * max(estimated[table], 0)
        )
        for table in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return stale
