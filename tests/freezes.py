"""The triggers that freeze a signed letter: its own row (recommendations 0003) and the
breaches it cites (0015). Tests that must remove signed letters (a committing test's
teardown, a migration test's) set them aside meanwhile."""

import importlib
from contextlib import contextmanager

from django.db import connection

FREEZES = [
    importlib.import_module(f"recommendations.migrations.{name}")
    for name in ("0003_signed_letter_frozen", "0015_cited_findings_frozen")
]


@contextmanager
def freezes_aside():
    """Inside, no trigger refuses to change or delete a signed letter (the database is
    migrated to its latest state); they are back after."""
    vendor = {"sqlite": "SQLITE", "postgresql": "POSTGRESQL"}[connection.vendor]
    with connection.cursor() as cursor:
        for freeze in FREEZES:
            for statement in getattr(freeze, f"{vendor}_DROP"):
                cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for freeze in FREEZES:
            for statement in getattr(freeze, vendor):
                cursor.execute(statement)
