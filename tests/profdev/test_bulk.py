"""insert_rows writes exactly the values given, whatever the database (COPY on PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from profdev import bulk
from profdev.bulk import insert_rows
from profdev.models import ChangeRecord, CourseCompletion, Employment, Provider
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


def test_each_value_lands_in_its_column_when_batches_differ_in_their_null_columns(
    db, school, monkeypatch
):
    """SQLite writes a column NULL throughout a batch as NULL in the statement: the next
    batch, with the column given, still puts every value where it belongs."""
    monkeypatch.setattr(bulk, "BATCH", 2)
    person = factories.PersonFactory()
    at = timezone.now()
    rows = [
        [person.pk, None, at, ChangeRecord.Source.WORKBOOK, "Курс", "первый", "create", {}],
        [person.pk, None, at, ChangeRecord.Source.WORKBOOK, "Курс", "второй", "create", {}],
        [None, school.pk, at, ChangeRecord.Source.FORM, "Результат", "третий", "update", {}],
        [person.pk, None, at, "erasure", "Курс", "четвёртый", "delete", bulk.JSONText("{}")],
        [None, None, at, "form", "Курс", "пятый", "create", {"a": True}],
    ]
    fields = ["person_id", "school_id", "at", "source", "record_type", "record_label", "action"]
    assert insert_rows(ChangeRecord, [*fields, "changes"], rows) == 5
    stored = ChangeRecord.objects.order_by("id").values_list(*fields, "changes")
    assert [list(row) for row in stored] == [
        [person.pk, None, at, "workbook", "Курс", "первый", "create", {}],
        [person.pk, None, at, "workbook", "Курс", "второй", "create", {}],
        [None, school.pk, at, "form", "Результат", "третий", "update", {}],
        [person.pk, None, at, "erasure", "Курс", "четвёртый", "delete", {}],
        [None, None, at, "form", "Курс", "пятый", "create", {"a": True}],
    ]


def test_truth_values_and_choices_survive(db):
    person = factories.PersonFactory()
    provider = Provider.objects.create(name="Центр", name_key="центр", kind="external")
    common = {"person_id": person.pk, "provider_id": provider.pk, "form": "очная", "hours": 36}
    courses = [
        {"kind": CourseCompletion.Kind.PK, "programme": "А", "distance": True, "pedagogical": True},
        {"kind": "pk", "programme": "Б", "distance": False, "pedagogical": False},
    ]
    fields = [*common, "kind", "programme", "distance", "pedagogical"]
    rest = {"finished_on": dt.date(2024, 5, 1), "federal_register": False, "document_number": ""}
    insert_rows(
        CourseCompletion,
        [*fields, *rest, "topics"],
        [[*common.values(), *c.values(), *rest.values(), ",digital,"] for c in courses],
    )
    stored = CourseCompletion.objects.order_by("programme")
    assert [
        (c.kind, c.programme, c.distance, c.pedagogical, c.federal_register) for c in stored
    ] == [
        ("pk", "А", True, True, False),
        ("pk", "Б", False, False, False),
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL takes the rows by COPY")
def test_sqlite_is_handed_plain_values_it_binds_without_an_adapter(db):
    """Anything but an exact int, float or str (or NULL where a column has a value) makes
    the sqlite3 module look for an adapter, value by value."""
    handed = []

    def spy(execute, sql, params, many, context):
        if many:
            params = [tuple(row) for row in params]
            handed.extend(value for row in params for value in row)
        return execute(sql, params, many, context)

    person = factories.PersonFactory()
    row = [
        person.pk,
        None,
        timezone.now(),
        ChangeRecord.Source.WORKBOOK,
        "Курс",
        "запись",
        "create",
    ]
    fields = ["person_id", "user_id", "at", "source", "record_type", "record_label", "action"]
    with connection.execute_wrapper(spy):
        insert_rows(
            ChangeRecord,
            [*fields, "changes"],
            [[*row, bulk.JSONText('{"a": [null, 1]}')], [*row, {"b": [None, True]}]],
        )
    assert handed and {type(value) for value in handed} <= {int, float, str}
    assert ChangeRecord.objects.filter(changes={"a": [None, 1]}).exists()


@pytest.mark.parametrize("special", ["\t", "\n", "\r", "\\"])
def test_each_character_copy_escapes_survives_among_plain_values(db, special):
    """A chunk's column is checked for the characters COPY escapes as a whole: one of them in
    one value of many is still escaped."""
    names = [f"Поставщик {n}" for n in range(5)]
    names[3] = f"Поставщик{special}3"
    insert_rows(
        Provider,
        ["name", "name_key", "kind", "licence"],
        [[name, f"ключ-{n}", "external", ""] for n, name in enumerate(names)],
    )
    assert list(Provider.objects.order_by("name_key").values_list("name", flat=True)) == names
