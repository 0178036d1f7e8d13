"""Migration 0007 on letters signed before it: serials from their numbers, a number issued twice
(the register's next number set back, issue 17.6) kept by the first letter only, the register
raised above the highest issued, and the seals made under SECRET_KEY moved to the seal key."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tests.freezes import freezes_aside

BEFORE = [("recommendations", "0006_unique_with_null_rows")]
AFTER = [("recommendations", "0007_register_serial_and_seal_key")]
SALT = "recommendations.letter.pdf"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def school_year(apps):
    """A district, its school and its monitoring year 2025 in the historical models."""
    district = apps.get_model("profdev", "District").objects.create(code="ZR", name="Зареч")
    school = apps.get_model("profdev", "School").objects.create(
        district=district, code="S-1", name="Школа", short_name="Школа", kind="general"
    )
    year = apps.get_model("monitoring", "MonitoringYear").objects.create(
        district=district, year=2025, reference_date=dt.date(2025, 9, 1)
    )
    return district, school, year


def letter_text(year) -> dict:
    """A historical letter's title and text, of `year`."""
    return {
        "monitoring_year": year,
        "title": "Письмо",
        "addressee": "ОО",
        "body": "<p>текст</p>",
        "generated_body": "<p>текст</p>",
    }


def legacy_seal(letter, key: str) -> str:
    identity = (
        f"{letter.pk}|{letter.token}|{letter.number}|{letter.date:%Y-%m-%d}|{letter.school_id}"
    )
    message = identity.encode() + b"\0" + bytes(letter.pdf)
    return salted_hmac(SALT, message, secret=key, algorithm="sha256").hexdigest()


def remove_signed_letters(apps):
    """The freezes refuse the flush at the test's end (the database is migrated to its
    latest state): the rows go with the triggers aside."""
    with freezes_aside():
        apps.get_model("effectiveness", "Measure").objects.all().delete()
        apps.get_model("recommendations", "Letter").objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_letters_signed_before_get_serials_and_their_seals_move(settings):
    apps = migrate(BEFORE)
    try:
        district, school, year = school_year(apps)
        register_model = apps.get_model("recommendations", "OutgoingRegister")
        register_model.objects.create(district=district, year=2026, next_number=28)
        letter_model = apps.get_model("recommendations", "Letter")
        signed_at = timezone.now()
        letters = []
        for i, number in enumerate(["01-14/27", "01-14/28", "01-14/27"]):
            letter = letter_model(
                monitoring_year=year,
                school=school if i == 0 else None,
                status="signed",
                title="Письмо",
                addressee="ОО",
                body="<p>текст</p>",
                generated_body="<p>текст</p>",
                number=number,
                date=dt.date(2026, 3, 2),
                pdf=f"%PDF-1.7 letter {i}".encode(),
                sha256="0" * 64,
                token=f"token-{i}",
                signed_at=signed_at + dt.timedelta(minutes=i),
            )
            if i == 2:  # the district letter of another year, to keep the constraints happy
                letter.monitoring_year = apps.get_model(
                    "monitoring", "MonitoringYear"
                ).objects.create(district=district, year=2024, reference_date=dt.date(2024, 9, 1))
            letter.pk = 100 + i
            letter.seal = "f" * 64 if i == 1 else legacy_seal(letter, settings.SECRET_KEY)
            letter.save(force_insert=True)
            letters.append(letter)

        apps = migrate(AFTER)
        letter_model = apps.get_model("recommendations", "Letter")
        stored = {x.pk: x for x in letter_model.objects.all()}
        first, second, duplicate = (stored[x.pk] for x in letters)
        assert (first.serial, second.serial, duplicate.serial) == (27, 28, None)
        assert first.register_id == second.register_id == duplicate.register_id
        assert duplicate.number == "01-14/27"
        register = apps.get_model("recommendations", "OutgoingRegister").objects.get()
        assert register.next_number == 29

        seals = dict(
            apps.get_model("recommendations", "LetterSeal").objects.values_list("letter", "value")
        )
        assert seals[first.pk] == legacy_seal(first, settings.SEAL_KEY)
        assert seals[second.pk] == "f" * 64  # no known key made it: `reseal_letters` reports it
    finally:
        remove_signed_letters(migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))
