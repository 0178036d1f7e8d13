"""After a large load the planner's statistics are refreshed (PostgreSQL), so that the
computation which follows plans on the tables as they are now; a few rows cost nothing."""

import pytest
from django.db import connection

from profdev.models import Employment, Person, School
from profdev.statistics import refresh_statistics
from profdev.workbook.importer import import_workbook
from tests import factories
from tests.profdev.workbook.builders import school, staff, xlsx

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no statistics unless asked"
)


def estimated_rows(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


@postgresql_only
def test_a_table_changed_by_more_than_autovacuums_measure_is_analysed(db):
    with connection.cursor() as cursor:  # the estimate outlives a test's rollback: start empty
        cursor.execute("ANALYZE profdev_person")
    factories.PersonFactory.create_batch(120)
    assert refresh_statistics({Person: 120, Employment: 0}) == ["profdev_person"]
    assert estimated_rows(Person) == 120
    # 50 rows and a tenth of the 120 estimated: 62 is not enough, 63 is.
    assert refresh_statistics({Person: 62}) == []
    assert refresh_statistics({Person: 63}) == ["profdev_person"]


def test_an_import_refreshes_the_statistics_once_it_is_committed(
    district, django_capture_on_commit_callbacks, monkeypatch
):
    refreshed = []
    monkeypatch.setattr("profdev.workbook.importer.refresh_statistics", refreshed.append)
    rows = [staff() for _ in range(60)]
    with django_capture_on_commit_callbacks() as callbacks:
        analysis = import_workbook(xlsx({"ОО": [school()], "Педагоги": rows}))
    assert not analysis.errors and not refreshed  # not before the commit
    for callback in callbacks:
        callback()
    assert refreshed == [{Person: 60, Employment: 60, School: 1}]


def test_sqlite_has_no_statistics_to_refresh(db):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL tests above")
    assert refresh_statistics({Person: 10_000}) == []
