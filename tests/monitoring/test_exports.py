import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import Indicator, Status
from tests import factories
from tests.monitoring.conftest import teacher
from tests.monitoring.factories import MonitoringYearFactory, stored_value


@pytest.fixture
def stored(district, school, other_school):
    diag = Indicator.objects.get(code="DIAG")
    vacancy = Indicator.objects.get(code="VACANCY")
    my = MonitoringYearFactory(district=district, year=2024)
    stored_value(my, None, diag, 10, 18, Status.RED)
    stored_value(my, school, diag, 1, 8, Status.RED)
    stored_value(my, other_school, diag, 9, 10, Status.GREEN)
    stored_value(my, school, vacancy, 2, None, Status.RED, value=Decimal(2), target=Decimal(0))
    return my


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content)).active


def _column(sheet, header_row: int, header: str) -> int:
    return next(c.column for c in sheet[header_row] if c.value == header)


def test_overview_export_has_fills_numbers_and_frozen_headers(client_for, methodologist, stored):
    response = client_for(methodologist).get(reverse("monitoring:overview_export", args=[2024]))

    sheet = _sheet(response)
    assert sheet.freeze_panes == "B3"
    assert sheet["A2"].font.b
    diag = _column(sheet, 2, "Диагностика педагогов")
    vacancy = _column(sheet, 2, Indicator.objects.get(code="VACANCY").short_name)
    district_row, school_row = 3, 4
    assert sheet.cell(district_row, 1).value == str(stored.district)
    red = sheet.cell(school_row, diag)
    assert red.value == 12.5
    assert red.number_format == '0.0" %"'
    assert red.fill.fgColor.rgb.endswith("F8D7DA")
    assert sheet.cell(5, diag).fill.fgColor.rgb.endswith("D1E7DD")
    assert sheet.cell(school_row, vacancy).value == 2
    assert sheet.column_dimensions["A"].width == 40


def test_school_export(client_for, school_admin, stored):
    url = reverse("monitoring:school_export", args=[2024, "S-A"])

    sheet = _sheet(client_for(school_admin).get(url))

    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[0].value.startswith("Доля педагогов, прошедших диагностику")
    )
    status = "ниже целевого значения, за пределами допуска"
    assert [c.value for c in row[2:8]] == [12.5, status, 1, 8, 80.0, 55.6]
    assert row[2].fill.fgColor.rgb.endswith("F8D7DA")
    assert row[2].comment.text == status
    assert row[6].number_format == '"не менее "0.0" %"'  # the target as a bound, a number
    assert sheet.freeze_panes == "B2"


def test_providers_export_flags_unlicensed_and_writes_names_as_text(
    client_for, methodologist, school
):
    provider = factories.ProviderFactory(name='=HYPERLINK("x")', licence="")
    factories.CourseFactory(
        person=teacher(school), provider=provider, finished_on=dt.date(2025, 1, 1)
    )

    sheet = _sheet(
        client_for(methodologist).get(reverse("monitoring:providers_export", args=[2024]))
    )

    assert sheet["A2"].value == '=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["C2"].value == "нет лицензии"
    assert sheet["C2"].fill.fgColor.rgb.endswith("F8D7DA")
    assert [sheet["D2"].value, sheet["E2"].value, sheet["F2"].value, sheet["G2"].value] == [
        1,
        1,
        36,
        100.0,
    ]
    assert sheet["A3"].value == "Итого"


def test_exports_are_scoped(client_for, school_admin, stored):
    client = client_for(school_admin)
    assert client.get(reverse("monitoring:overview_export", args=[2024])).status_code == 404
    assert client.get(reverse("monitoring:providers_export", args=[2024])).status_code == 404
    assert client.get(reverse("monitoring:school_export", args=[2024, "S-B"])).status_code == 404
