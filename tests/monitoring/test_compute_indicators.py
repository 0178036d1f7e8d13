"""The `compute_indicators` command: JSON and table output, storing, bad input."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from monitoring.models import IndicatorValue, MonitoringYear
from tests import factories as f
from tests.monitoring.conftest import teacher


def run(*arguments) -> str:
    out = StringIO()
    call_command("compute_indicators", *arguments, stdout=out)
    return out.getvalue()


def test_json_shape(district, school, other_school):
    f.DiagnosticFactory(person=teacher(school))
    teacher(other_school)
    data = json.loads(run("--year", "2024", "--no-store"))
    assert (data["year"], data["as_of"]) == (2024, "2025-08-31")
    assert list(data["schools"]) == ["S-A", "S-B"]
    assert data["district"]["indicators"]["DIAG"] == {
        "numerator": 1,
        "denominator": 2,
        "value": 50.0,
        "status": "red",
        "target": 80.0,
    }
    assert data["district"]["indicators"]["SCHOOLS_NO_IOM"] == {
        "numerator": 2,
        "denominator": None,
        "value": 2,
        "status": "red",
        "target": 0.0,
    }
    school_indicators = data["schools"]["S-A"]["indicators"]
    assert "SCHOOLS_NO_IOM" not in school_indicators
    assert "SCHOOLS_VACANCY" not in school_indicators
    assert school_indicators["PENSION"]["status"] is None
    assert school_indicators["PENSION"]["target"] is None
    assert not MonitoringYear.objects.exists()


def test_stores_by_default_and_replaces(district, school):
    teacher(school)
    run("--year", "2024")
    run("--year", "2024", "--as-of", "2025-06-30")
    year = MonitoringYear.objects.get()
    assert str(year.reference_date) == "2025-06-30"
    assert IndicatorValue.objects.filter(indicator="DIAG").count() == 2


def test_table_format(district, school):
    f.DiagnosticFactory(person=teacher(school))
    for _ in range(7):
        teacher(school)
    lines = run("--year", "2024", "--no-store", "--format", "table").splitlines()
    assert lines[0] == (
        "Учебный год 2024/2025, дата среза 31.08.2025; (ж) в пределах допуска, (к) за пределами "
        "допуска: ниже целевого значения, у показателей ↓ (чем меньше, тем лучше) — выше "
        "допустимого (целевого) значения; н/п не применимо"
    )
    diag = next(line for line in lines if line.startswith("DIAG "))
    assert diag.split() == ["DIAG", "12,5", "(к)", "12,5", "(к)"]
    preschool = next(line for line in lines if line.startswith("PD_T_PRESCHOOL"))
    assert preschool.split() == ["PD_T_PRESCHOOL", "н/п", "н/п"]
    vacancy = next(line for line in lines if line.startswith("VACANCY"))
    assert vacancy.split() == ["VACANCY", "↓", "0", "0"]


def test_several_districts_need_district(district, school):
    other = f.DistrictFactory(code="OT", name="Другой район")
    teacher(f.SchoolFactory(district=other, code="OT-01"))
    with pytest.raises(CommandError, match="несколько"):
        run("--year", "2024")
    data = json.loads(run("--year", "2024", "--district", "OT", "--no-store"))
    assert list(data["schools"]) == ["OT-01"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", "двадцать"], "не целое число"),
        (["--year", "2024", "--as-of", "31.08.2025"], "ГГГГ-ММ-ДД"),
        (["--year", "2024", "--as-of", "2025-02-30"], "не распознана"),
        (["--year", "2024", "--as-of", "2024-08-31"], "вне учебного года 2024/2025"),
        (["--year", "2024", "--as-of", "2025-09-01"], "по 31.08.2025"),
        (["--year", "2024", "--district", "XX"], "не найден"),
    ],
)
def test_bad_input_gets_a_russian_error(district, arguments, message):
    with pytest.raises(CommandError, match=message):
        run(*arguments)
    assert not MonitoringYear.objects.exists()
