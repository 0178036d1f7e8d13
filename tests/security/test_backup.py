"""Backups: a database restored from `backup_database` serves the same letters, byte for
byte, with valid signatures, and the same records."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections

from profdev.backup import restore_database
from profdev.models import ChangeRecord, Person
from recommendations.models import Letter
from recommendations.services import letter_pdf, letter_verification

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
# A backup reads committed data (pg_dump runs in another process; SQLite's backup waits for
# the writer's transaction to end), so these tests commit.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("letters_deletable_at_teardown"),
]
RESTORED = "restored"


@pytest.fixture
def restored(tmp_path):
    """A second, empty database to restore into (a new server after a disaster)."""
    base = connection.settings_dict
    if IS_POSTGRES:
        name = f"{base['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    # An alias made on the fly, as Django's test case allows (not in the settings).
    connections.settings[RESTORED] = {**base, "NAME": name}
    wrapper = connections.create_connection(RESTORED)
    del connections.settings[RESTORED]
    setattr(connections._connections, RESTORED, wrapper)
    yield wrapper.settings_dict
    wrapper.close()
    delattr(connections._connections, RESTORED)
    if IS_POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def backup(path) -> str:
    out = StringIO()
    call_command("backup_database", str(path), stdout=out)
    return out.getvalue()


def test_a_restored_database_serves_the_same_signed_letters(tmp_path, signed_letter, restored):
    archive = tmp_path / "portal.backup"
    assert backup(archive).startswith(f"Резервная копия записана: {archive}")

    restore_database(archive, restored)
    restore_database(archive, restored)  # again over the restored data: replaced, not doubled

    letter = Letter.objects.using(RESTORED).select_related("school").get(pk=signed_letter.pk)
    assert letter_pdf(letter) == bytes(signed_letter.pdf)
    check = letter_verification(letter)
    assert (check["valid"], check["hash_ok"], check["intact"]) == (True, True, True)
    assert Letter.objects.using(RESTORED).count() == Letter.objects.count()
    for model in (Person, ChangeRecord):
        assert model.objects.using(RESTORED).count() == model.objects.count() > 0


def test_restore_asks_for_confirmation_and_names_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="Повторите команду с --confirm"):
        call_command("restore_database", str(tmp_path / "portal.backup"))
    with pytest.raises(CommandError, match=r"portal\.backup» не найден"):
        call_command("restore_database", str(tmp_path / "portal.backup"), "--confirm")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db, restored):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    with pytest.raises(Exception, match=r"не резервная копия|pg_restore завершился с ошибкой"):
        restore_database(junk, restored)
