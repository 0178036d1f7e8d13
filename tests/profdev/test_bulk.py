"""insert_rows writes exactly the values given, whatever the database (COPY on PostgreSQL)."""

import datetime as dt

from django.utils import timezone

from profdev.bulk import insert_rows
from profdev.models import ChangeRecord, Employment, Provider
from tests import factories

AWKWARD = 'Таб\tперевод\nстроки\r, обратная \\ черта, "кавычки", \\N и пусто:'


def test_awkward_text_nulls_and_booleans_survive(db):
    insert_rows(
        Provider,
        ["name", "name_key", "kind", "licence"],
        [[AWKWARD, "ключ-1", "external", ""], ["Второй", "ключ-2", "regional", "\\N"]],
    )
    first, second = Provider.objects.order_by("name_key")
    assert (first.name, first.licence) == (AWKWARD, "")
    assert second.licence == "\\N"


def test_dates_nulls_and_json(db, school):
    person = factories.PersonFactory()
    insert_rows(
        Employment,
        ["person_id", "school_id", "position", "category", "workplace", "hired_on", "dismissed_on"],
        [[person.pk, school.pk, "учитель", "pedagogical", "main", dt.date(2020, 9, 1), None]],
    )
    at = timezone.now()
    insert_rows(
        ChangeRecord,
        [
            "person_id",
            "user_id",
            "at",
            "source",
            "record_type",
            "record_label",
            "action",
            "changes",
        ],
        [[person.pk, None, at, "workbook", "Person", "запись", "create", {"поле": [None, "a\tb"]}]],
    )
    employment = Employment.objects.get()
    assert employment.hired_on == dt.date(2020, 9, 1) and employment.dismissed_on is None
    record = ChangeRecord.objects.get()
    assert record.user is None and record.at == at
    assert record.changes == {"поле": [None, "a\tb"]}


def test_null_beside_text_with_backslashes(db):
    person = factories.PersonFactory()
    fields = ["person_id", "user_id", "at", "source", "record_type", "record_label", "action"]
    insert_rows(
        ChangeRecord,
        [*fields, "changes"],
        [[person.pk, None, timezone.now(), "workbook", "\\N", "a\\b", "create", {"п": "\\"}]],
    )
    record = ChangeRecord.objects.get()
    assert record.user is None
    assert (record.record_type, record.record_label, record.changes) == ("\\N", "a\\b", {"п": "\\"})
