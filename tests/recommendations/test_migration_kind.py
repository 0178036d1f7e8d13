"""Migration 0012 on existing letters: a letter without a school becomes the district letter,
one with a school a school's letter; signed letters too, and they stay frozen after it."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.recommendations.test_migration_numbers import (
    letter_text,
    migrate,
    remove_signed_letters,
    school_year,
)

BEFORE = [("recommendations", "0011_problem_field_rules")]
AFTER = [("recommendations", "0012_letter_kind")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_letters_get_their_kind_from_their_school():
    apps = migrate(BEFORE)
    try:
        _, school, year = school_year(apps)
        letter_model = apps.get_model("recommendations", "Letter")
        common = letter_text(year)
        signed = {
            "status": "signed",
            "number": "01-14/1",
            "date": dt.date(2026, 3, 2),
            "pdf": b"%PDF-1.7",
            "sha256": "0" * 64,
            "signed_at": timezone.now(),
        }
        to_school = letter_model.objects.create(school=school, token="a", **common, **signed)
        to_all = letter_model.objects.create(school=None, token="b", **common, **signed)

        apps = migrate(AFTER)
        letter_model = apps.get_model("recommendations", "Letter")
        kinds = dict(letter_model.objects.values_list("pk", "kind"))
        assert kinds == {to_school.pk: "school", to_all.pk: "district"}
        with pytest.raises(DatabaseError), transaction.atomic():  # still frozen
            letter_model.objects.filter(pk=to_all.pk).update(title="Другое")
    finally:
        remove_signed_letters(migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))
