"""docs/workbook.md, the school staff's reference, describes the format the importer reads:
every sheet, every column and every allowed value, sheet by sheet."""

import re
from pathlib import Path

from profdev.models import CourseCompletion
from profdev.workbook.sheets import COURSES, DELETE_HEADER, SHEETS

DOC = Path(__file__).resolve().parents[3] / "docs" / "workbook.md"


def sheet_tables() -> dict[str, dict[str, str]]:
    """Sheet name → {column header: the row's text} from the «### «Sheet»» sections."""
    tables, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"### «(.+?)»", line):
            current = tables.setdefault(heading[1], {})
        elif current is not None and line.startswith("| ") and not line.startswith("| столбец"):
            current[line.split("|")[1].strip()] = line
    return tables


def test_every_sheet_column_and_allowed_value_is_documented():
    tables = sheet_tables()
    assert list(tables) == [sheet.name for sheet in SHEETS]
    for sheet in SHEETS:
        rows = tables[sheet.name]
        assert list(rows) == list(sheet.headers), sheet.name
        for column in sheet.columns:
            for label in column.choices.labels if column.choices else ():
                assert str(label) in rows[column.header], (sheet.name, column.header, label)
    topics = tables[COURSES.name][COURSES.header_of("topics")]
    assert all(str(label) in topics for label in CourseCompletion.Topic.labels)


def test_the_delete_column_and_the_template_are_documented():
    text = DOC.read_text(encoding="utf-8")
    assert f"**«{DELETE_HEADER}»**" in text
    assert "/workbook-template.xlsx" in text
