"""Migration 0014 on letters drafted before it: the breaches each letter cites are copied from
its figures (signed letters too, their rows untouched); the green figures, the figures of an
indicator no longer in the catalogue and a course order's figures give none."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.recommendations.test_migration_numbers import (
    letter_text,
    migrate,
    remove_signed_letters,
    school_year,
)

BEFORE = [("recommendations", "0013_problem_field_support_rule")]
AFTER = [("recommendations", "0014_cited_findings")]


def figure(code: str, status: str, value: str | None, text: str) -> dict:
    return {"code": code, "name": code, "status": status, "value": value, "value_text": text}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_letters_drafted_before_get_the_breaches_they_cite():
    apps = migrate(BEFORE)
    try:
        _, school, year = school_year(apps)
        letter_model = apps.get_model("recommendations", "Letter")
        common = letter_text(year)
        signed = letter_model.objects.create(
            kind="school",
            school=school,
            token="a",
            status="signed",
            number="01-14/1",
            date=dt.date(2026, 3, 2),
            pdf=b"%PDF-1.7",
            sha256="0" * 64,
            signed_at=timezone.now(),
            figures={
                "findings": [
                    figure("VACANCY", "red", "2.0", "2"),
                    figure("GONE", "red", "10.0", "10,0 %"),  # no longer in the catalogue
                    figure("DIAG", "yellow", "75.5", "75,5 %"),
                    figure("NETWORK", "green", "90.0", "90,0 %"),
                    figure("IOM", "red", None, "—"),
                ]
            },
            **common,
        )
        draft = letter_model.objects.create(
            kind="district", token="b", figures={"findings": []}, **common
        )
        updated = signed.updated_at

        apps = migrate(AFTER)
        rows = apps.get_model("recommendations", "CitedFinding").objects.order_by("order")
        assert list(
            rows.values_list("letter_id", "indicator_id", "status", "value", "value_text")
        ) == [
            (signed.pk, "VACANCY", "red", Decimal("2.0"), "2"),
            (signed.pk, "DIAG", "yellow", Decimal("75.5"), "75,5 %"),
            (signed.pk, "IOM", "red", None, "—"),
        ]
        assert not rows.filter(letter_id=draft.pk).exists()
        letter_model = apps.get_model("recommendations", "Letter")
        assert letter_model.objects.get(pk=signed.pk).updated_at == updated
    finally:
        remove_signed_letters(migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))
