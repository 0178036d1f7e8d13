"""The repository stands alone: no file refers to the specifications beside the checkout, so a
clone in any directory passes its own tests and its documents link only to what it contains."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What is not part of the repository: version control, the virtualenv, generated files, data
# (uploaded files, backups).
SKIPPED_DIRS = {
    *(".git", ".venv", ".bench", "__pycache__", "node_modules", "staticfiles"),
    *("media", "var", "backups"),
}
# Spelled in parts so that this file does not name the folder itself.
SIBLING = b"shared"
OUTSIDE = (b"../" + SIBLING, b"/work/" + SIBLING)


def repository_files():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [
            name
            for name in subdirectories
            if name not in SKIPPED_DIRS and not name.endswith(".egg-info")
        ]
        for name in files:
            if not name.startswith("db.sqlite3"):
                yield Path(directory, name)


def test_no_file_refers_to_anything_beside_the_repository():
    offending = [
        str(path.relative_to(ROOT))
        for path in repository_files()
        if any(outside in path.read_bytes() for outside in OUTSIDE)
    ]
    assert offending == []
