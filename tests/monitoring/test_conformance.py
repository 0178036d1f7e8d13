"""The conformance examples of tests/data: import district-small.xlsx, compute, compare exactly."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.data import DATA, EXAMPLE

pytest.importorskip("profdev.workbook.importer")


@pytest.fixture
def imported(district):
    call_command("import_workbook", str(EXAMPLE), stdout=StringIO())


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--year", "2024"], "district-small.2024.json"),
        (["--year", "2023", "--as-of", "2024-05-20"], "district-small.2023-as-of-2024-05-20.json"),
    ],
)
def test_compute_indicators_matches_the_examples(imported, arguments, expected):
    out = StringIO()
    call_command("compute_indicators", *arguments, "--no-store", "--format", "json", stdout=out)
    text = (DATA / expected).read_text(encoding="utf-8")
    assert json.loads(out.getvalue()) == json.loads(text)
    assert out.getvalue().strip() == text.strip()
