"""School codes are letters, digits and hyphens; every download's header is built by Django,
so even a code stored before the rule cannot break the file name."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils.http import parse_header_parameters

from profdev.downloads import PDF, attachment
from profdev.models import School
from profdev.workbook.importer import import_workbook
from tests.factories import SchoolFactory
from tests.profdev.workbook.builders import school, xlsx
from tests.security.conftest import YEAR

ROOT = Path(__file__).resolve().parents[2]
BAD_CODES = ['ZR-"q;x=1', "ZR;1", "ZR:1", "ZR\r\nX-Injected: 1", "ZR 1", "ZR/1", "ZR_1", "ZR<1>"]
RULE = "только латинские или русские буквы, цифры и дефис"


def disposition(response) -> tuple[str, dict]:
    return parse_header_parameters(response["Content-Disposition"])


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_importer_refuses_a_code_outside_the_rule_and_writes_nothing(district, code):
    analysis = import_workbook(xlsx({"ОО": [school("S-A"), school(code)]}))
    [issue] = analysis.errors
    assert (issue.sheet, issue.row, issue.column) == ("ОО", 3, "Код ОО")
    assert RULE in issue.message
    assert not School.objects.exists()


@pytest.mark.parametrize("code", ["ZH-01", "ЖР-01", "Sch1", "школа-12"])
def test_latin_and_russian_letters_digits_and_hyphens_are_codes(district, code):
    assert import_workbook(xlsx({"ОО": [school(code)]})).errors == []
    assert School.objects.get().code == code


@pytest.mark.parametrize("code", BAD_CODES)
def test_forms_refuse_the_same_codes(district, code):
    with pytest.raises(ValidationError, match=RULE):
        SchoolFactory.build(district=district, code=code).full_clean()
    district.code = code
    with pytest.raises(ValidationError, match=RULE):
        district.full_clean()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('monitoring-ZR-"q;x=1-2024.xlsx', 'monitoring-ZR-"q;x=1-2024.xlsx'),
        ("monitoring-ЖР-01-2024.xlsx", "monitoring-ЖР-01-2024.xlsx"),
        ("letter-ZR\r\nSet-Cookie: x=1.pdf", "letter-ZR__Set-Cookie: x=1.pdf"),
    ],
)
def test_the_header_keeps_attachment_and_exactly_the_name(name, expected):
    assert disposition(attachment(b"%PDF", name, PDF)) == ("attachment", {"filename": expected})


@pytest.mark.parametrize("code", ['ZH-"q;x=1', "ЖР-01", "ZH:1"])
def test_a_school_stored_with_a_hostile_code_downloads_under_its_name(client_for, world, code):
    """A code saved before the rule existed: the export works and the name stays whole."""
    School.objects.filter(pk=world.school.pk).update(code=code)
    client = client_for(world.users["methodologist"])
    response = client.get(f"/monitoring/{YEAR}/schools/{quote(code)}/export.xlsx")
    assert response.status_code == 200
    assert disposition(response) == (
        "attachment",
        {"filename": f"monitoring-{code}-{YEAR}.xlsx"},
    )
    response = client.get(f"/schools/{quote(code)}/workbook.xlsx")
    kind, params = disposition(response)
    assert kind == "attachment" and params["filename"].startswith(f"{code}_")


def test_no_view_writes_a_download_header_itself():
    """`profdev.downloads.attachment` is the one place that builds Content-Disposition."""
    writers = [
        str(path.relative_to(ROOT))
        for app in ("profdev", "monitoring", "recommendations", "effectiveness")
        for path in (ROOT / app).rglob("*.py")
        if "Content-Disposition" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["profdev/downloads.py"]
