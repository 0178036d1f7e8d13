"""Backups of the whole database: `make backup` / `make restore` (docs/security.md).

PostgreSQL: `pg_dump -Fc` (a compressed archive), restored with `pg_restore --clean`, so the
restored database holds exactly the archive. SQLite: a consistent copy through SQLite's own
backup API (safe while the portal runs: it copies a snapshot, WAL included).

Signed letters travel as stored bytes with their hash and the signer's certificate, so a
restored database serves them with valid signatures (tests/security/test_backup.py).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def backup_database(target: Path, database: dict | None = None) -> None:
    """Write a backup of `database` (settings of a connection; the default one) to `target`."""
    database = database or connection.settings_dict
    if _is_sqlite(database):
        connection.ensure_connection()
        source = (
            connection.connection
            if database is connection.settings_dict
            else sqlite3.connect(database["NAME"])
        )
        _sqlite_copy(source, target)
    else:
        _run(["pg_dump", "--format=custom", "--file", str(target)], database)


def restore_database(source: Path, database: dict | None = None) -> None:
    """Replace the contents of `database` (the default one) with the backup in `source`.

    Stop the portal and the worker first: the restore replaces every table.
    """
    if not Path(source).is_file():
        raise BackupError(f"Файл резервной копии «{source}» не найден.")
    database = database or connection.settings_dict
    if _is_sqlite(database):
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            backup.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError:
            raise BackupError(f"«{source}» — не резервная копия базы SQLite.") from None
        _sqlite_copy(backup, Path(database["NAME"]))
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                database["NAME"],
                str(source),
            ],
            database,
        )


def _is_sqlite(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.sqlite3"


def _sqlite_copy(source: sqlite3.Connection, target: Path) -> None:
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()


def _run(command: list[str], database: dict) -> None:
    env = {
        **os.environ,
        "PGDATABASE": database["NAME"],
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} завершился с ошибкой: {result.stderr.strip()}")
