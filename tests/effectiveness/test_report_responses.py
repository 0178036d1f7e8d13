"""The effectiveness report shows each school's response beside the outcome of its letter."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from effectiveness.report import effectiveness_report
from effectiveness.services import measure_create
from recommendations.responses import Answer, letter_respond
from tests import factories
from tests.effectiveness.conftest import indicator
from tests.html import page, texts

pytestmark = pytest.mark.django_db

ANSWERED = dt.date(2024, 10, 20)  # within the letters' term (01.10.2024 + 30 days)


@pytest.fixture
def answered(signed_letters, district, school, other_school, school_admin, other_school_admin):
    """S-A answered DIAG (a route and a measure) and VACANCY; S-B answered DIAG."""
    teacher = factories.EmploymentFactory(school=school, person__last_name="Сидорова").person
    route = factories.RouteFactory(person=teacher, started_on=dt.date(2024, 10, 7))
    seminar = measure_create(
        district=district,
        title="Семинар «Диагностика»",
        date=dt.date(2024, 10, 9),
        kind="seminar",
        indicators=[indicator("DIAG")],
        schools=[school],
    )
    letter_respond(
        letter=signed_letters["S-A"],
        answers=[
            Answer(
                "DIAG",
                "Диагностику прошли 12 педагогов",
                dt.date(2024, 10, 10),
                [route],
                {"measures": [seminar.pk]},
            ),
            Answer("VACANCY", "Объявлен конкурс", dt.date(2024, 10, 15)),
        ],
        user=school_admin,
        today=ANSWERED,
    )
    letter_respond(
        letter=signed_letters["S-B"],
        answers=[Answer("DIAG", "Совещание с педагогами", dt.date(2024, 10, 3))],
        user=other_school_admin,
        today=ANSWERED,
    )


def test_each_outcome_shows_the_schools_response(client_for, methodologist, answered, school):
    response = client_for(methodologist).get(reverse("effectiveness:report_letters", args=[2024]))
    cells = texts(page(response), "//section[@aria-labelledby='letters-head']//tbody//td[1]")
    school_a = [c for c in cells if "Ответ" in c][:4]
    assert school_a == [
        "Доля педагогов, прошедших диагностику профессиональных дефицитов Ответ ОО (10.10.2024): "
        "Диагностику прошли 12 педагогов; ИОМ: 1; Семинар «Диагностика» (09.10.2024)",
        *school_a[1:],
    ]
    assert any(c.endswith("Ответ ОО (15.10.2024): Объявлен конкурс") for c in cells)
    assert any(c.endswith("Ответ ОО (03.10.2024): Совещание с педагогами") for c in cells)
    assert sum(c.endswith("Ответа ОО нет.") for c in cells) == 2  # S-A's other two findings


def test_the_report_reads_responses_in_a_fixed_number_of_queries(
    answered, district, django_assert_num_queries
):
    # As without responses (14): the brief table counts the answers with the findings.
    with django_assert_num_queries(14):
        report = effectiveness_report(district, 2024)
    assert sorted(o.answered for o in report.letters) == [0, 1, 2]
    # Section 1: the findings, this year's values, the responses, their routes and measures.
    with django_assert_num_queries(5):
        outcomes = report.outcomes()
    findings = {
        (o.addressee, f.indicator.code): f.response.done
        for o in outcomes
        for f in o.findings
        if f.response
    }
    assert len(findings) == 3


def test_the_xlsx_has_the_response_beside_each_outcome(client_for, methodologist, answered):
    response = client_for(methodologist).get(reverse("effectiveness:report_export", args=[2024]))
    sheet = load_workbook(io.BytesIO(response.content))["Письма 2023-2024"]
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][-1] == "Ответ ОО"
    answers = [r[-1] for r in table[1:]]
    assert "Ответ ОО (15.10.2024): Объявлен конкурс" in answers
    assert "Ответ ОО (03.10.2024): Совещание с педагогами" in answers
    assert answers.count("Ответа ОО нет.") == 2
