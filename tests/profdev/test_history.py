"""The history of a load's created records, built as JSON text (`created_json`), reads back as
the same changes the general rule makes (`masked_changes` of `created_changes`)."""

import datetime as dt
import decimal
import json

import pytest

from profdev import history
from profdev.models import ChangeRecord
from tests import factories

AWKWARD = 'кавычки "ёлочки" и \\ черта,\tтаб,\nперевод строки, \u2028 и эмодзи 🎓'

VALUES = {
    "mentor": "12345678964",
    "mentee": "98765432101",
    "school": "S-A",
    "started_on": dt.date(2025, 3, 13),
    "ended_on": None,
    "at": dt.datetime(2025, 3, 13, 9, 30),
    "hours": 72,
    "share": 0.25,
    "average_score": decimal.Decimal("3.50"),
    "distance": True,
    "pedagogical": False,
    "comment": AWKWARD,
    "blank": "",
    "not_in_file": "пропущено",
}
FIELDS = frozenset(VALUES) - {"not_in_file"}


def general_rule(values, fields):
    return history.masked_changes(history.created_changes(values, fields))


def test_the_text_decodes_to_the_general_rules_changes():
    text = history.created_json(FIELDS)(VALUES)
    assert json.loads(text) == general_rule(VALUES, FIELDS)
    assert list(json.loads(text)) == list(general_rule(VALUES, FIELDS))  # the same order


def test_the_persons_named_are_masked_and_nothing_else_is():
    changes = json.loads(history.created_json(FIELDS)(VALUES))
    assert changes["mentor"] == [None, "***-***-*** 64"]
    assert changes["mentee"] == [None, "***-***-*** 01"]
    assert changes["comment"] == [None, AWKWARD]
    assert changes["average_score"] == [None, "3.50"]
    assert changes["at"] == [None, "2025-03-13T09:30:00"]
    assert "ended_on" not in changes and "not_in_file" not in changes
    assert changes["blank"] == [None, ""]


def test_an_empty_person_reference_stays_empty():
    values = {"person": "", "hours": 1}
    assert json.loads(history.created_json({"person", "hours"})(values)) == general_rule(
        values, {"person", "hours"}
    )


def test_a_record_without_values_has_no_changes():
    assert json.loads(history.created_json({"hours"})({"hours": None})) == {}


@pytest.fixture
def stored(db, school):
    """The changes of one created record naming two persons, and of a school's record
    naming none, stored as a load stores them; read back in the order written."""
    mentor, mentee = factories.PersonFactory(), factories.PersonFactory()
    text = history.created_json(FIELDS)(VALUES)
    changes = [
        history.Change(person.pk, "Наставничество", "13.03.2025", "create", text)
        for person in (mentor, mentee)
    ]
    results = {"school": "S-A", "subject": AWKWARD, "average_score": decimal.Decimal("4.10")}
    changes.append(
        history.Change(
            person_id=None,
            record_type="Результаты",
            record_label="2024/2025, ВПР",
            action="create",
            changes=history.created_json(results)(results),
            school_id=school.pk,
        )
    )
    assert history.record_changes(changes, source=ChangeRecord.Source.WORKBOOK) == 3
    return mentor, mentee, ChangeRecord.objects.order_by("id")


def test_a_record_naming_two_persons_is_in_both_histories(stored):
    mentor, mentee, records = stored
    first, second, _ = records
    assert (first.person, second.person) == (mentor, mentee)
    assert first.changes == second.changes == general_rule(VALUES, FIELDS)


def test_a_schools_record_naming_no_person_is_in_the_schools_history(stored, school):
    *_, results = stored[2]
    assert (results.person, results.school, results.record_label) == (
        None,
        school,
        "2024/2025, ВПР",
    )
    assert results.changes == {
        "school": [None, "S-A"],
        "subject": [None, AWKWARD],
        "average_score": [None, "4.10"],
    }


def test_a_deleted_users_changes_stay_in_the_history_without_them(db, school):
    user, other = factories.UserFactory(), factories.UserFactory()
    for author in (user, other, None):
        change = history.Change(None, "Результаты", "2024/2025, ВПР", "create", {}, school.pk)
        history.record_changes([change], user=author, source=ChangeRecord.Source.FORM)
    user.delete()
    assert [c.user for c in ChangeRecord.objects.order_by("id")] == [None, other, None]
    assert school.changes.count() == 3


def test_a_deleted_persons_and_schools_changes_stay_in_the_history_without_them(db, school):
    """The database does not check the history's references: the ORM nulls them."""
    person, kept = factories.PersonFactory(), factories.PersonFactory()
    changes = [
        history.Change(person.pk, "Аттестация", "первая, 12.03.2024", "create", {}),
        history.Change(kept.pk, "Аттестация", "высшая, 01.02.2024", "create", {}),
        history.Change(None, "Результаты", "2024/2025, ВПР", "create", {}, school.pk),
    ]
    history.record_changes(changes, source=ChangeRecord.Source.FORM)
    person.delete()
    school.delete()
    rows = ChangeRecord.objects.order_by("id")
    assert [(c.person, c.school, c.record_label) for c in rows] == [
        (None, None, "первая, 12.03.2024"),
        (kept, None, "высшая, 01.02.2024"),
        (None, None, "2024/2025, ВПР"),
    ]


def test_a_change_lists_its_fields_in_the_order_they_were_written(db):
    """The card shows a change's fields as the record has them, on PostgreSQL too (its jsonb
    would sort them shortest name first: kind, hours, programme), whether the change came
    from a form, a load's JSON text or a later rewrite through the ORM (erasure's scrub)."""
    person = factories.PersonFactory()
    values = {"programme": "Цифровая школа", "kind": "pk", "hours": 36}
    written = list(values)
    changes = [
        history.Change(person.pk, "пройденная программа", "ПК", "create", changes)
        for changes in (
            history.created_changes(values),
            history.created_json(written)(values),
        )
    ]
    history.record_changes(changes, source=ChangeRecord.Source.WORKBOOK)
    form, load = ChangeRecord.objects.order_by("id")
    assert list(form.changes) == list(load.changes) == written
    form.changes = {"programme": [None, "Иное"], "kind": [None, "pp"]}
    ChangeRecord.objects.bulk_update([form], ["changes"])  # as erasure's scrub rewrites it
    form.refresh_from_db()
    assert form.changes == {"programme": [None, "Иное"], "kind": [None, "pp"]}
    assert list(form.changes) == ["programme", "kind"]


@pytest.mark.parametrize("value", ["12", "null", '{"a": 1}', {"номер": [None, "12"]}])
def test_a_value_that_reads_as_json_text_stays_what_was_written(db, value):
    """The history's field decodes what it reads once: a text that is itself JSON (a
    document number «12») stays a text, on PostgreSQL (whose driver decodes json columns)
    as on SQLite."""
    person = factories.PersonFactory()
    entry = ChangeRecord.objects.create(
        person=person,
        source=ChangeRecord.Source.FORM,
        record_type="аттестация",
        record_label="первая",
        action=ChangeRecord.Action.UPDATE,
        changes=value,
    )
    assert ChangeRecord.objects.get(pk=entry.pk).changes == value
