import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from monitoring.reports import district_completions
from profdev.models import Provider
from tests import factories
from tests.html import page, row, rows, text
from tests.monitoring.conftest import teacher


@pytest.fixture
def courses(school, other_school):
    """Two teachers at S-A, one at S-B, one in another district; courses in 2024/2025 and 2022.

    Regional institute: 36 h (A), 72 h with ДОТ (A), 16 h with ДОТ (B) in the year.
    Unlicensed company: 24 h with ДОТ (B) in the year, 250 h ПП in 2022 (A, three-year window).
    """
    regional = factories.ProviderFactory(name="ГАУ ДПО ИРО", kind=Provider.Kind.REGIONAL)
    company = factories.ProviderFactory(
        name="ООО «Курсы онлайн»", kind=Provider.Kind.EXTERNAL, licence=""
    )
    a, b = teacher(school), teacher(other_school)
    day = dt.date(2024, 11, 15)
    factories.CourseFactory(person=a, provider=regional, hours=36, finished_on=day)
    factories.CourseFactory(
        person=a, provider=regional, hours=72, distance=True, finished_on=dt.date(2024, 9, 1)
    )
    factories.CourseFactory(
        person=b, provider=regional, hours=16, distance=True, finished_on=dt.date(2025, 8, 31)
    )
    factories.CourseFactory(person=b, provider=company, hours=24, distance=True, finished_on=day)
    factories.CourseFactory(
        person=a, provider=company, kind="pp", hours=250, finished_on=dt.date(2022, 9, 1)
    )
    # Not the district's: another district's teacher, and a course ended before hiring.
    stranger_school = factories.SchoolFactory(
        district=factories.DistrictFactory(code="OT", name="Другой район")
    )
    factories.CourseFactory(person=teacher(stranger_school), provider=regional, finished_on=day)
    late = teacher(school, hired_on=dt.date(2025, 1, 10))
    factories.CourseFactory(person=late, provider=company, finished_on=day)
    return regional, company


def _url(**query):
    url = reverse("monitoring:providers", args=[2024])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_providers_of_the_year_hand_computed(client_for, methodologist, courses):
    regional, company = courses

    response = client_for(methodologist).get(_url())

    assert response.status_code == 200
    html = page(response)
    # Organisation, kind, licence, completions, teachers, hours, 16–36 h, distance.
    assert rows(html)[1:] == [
        # 36 h and 16 h of 3 are 16–36 h programmes, 72 h and 16 h of 3 distance.
        [
            regional.name,
            "региональная",
            regional.licence,
            "3",
            "2",
            "124",
            "66,7\u00a0%",
            "66,7\u00a0%",
        ],
        [
            company.name,
            "сторонняя",
            "нет лицензии",
            "1",
            "1",
            "24",
            "100,0\u00a0%",
            "100,0\u00a0%",
        ],
        ["Итого", "", "", "4", "2", "148", "75,0\u00a0%", "75,0\u00a0%"],
    ]
    [unlicensed] = html.xpath("//tr[@class='table-danger']")
    assert text(unlicensed.xpath("th")[0]) == company.name


def test_three_year_window_adds_earlier_courses(client_for, methodologist, courses):
    _, company = courses

    html = page(client_for(methodologist).get(_url(window="3y")))

    firm = row(html, company.name)
    assert (firm[3], firm[5]) == ("2", "274")
    assert "с 01.09.2022 по 31.08.2025" in text(html)


def test_query_count_is_fixed(
    client_for, methodologist, school, courses, django_assert_num_queries
):
    regional, _ = courses
    client = client_for(methodologist)
    client.get(_url())
    # 11 (the report: its year, the completions by provider and teacher, the providers), and
    # the closure of deficits: the reference date, the mapping, the closure itself.
    with django_assert_num_queries(14):
        client.get(_url())
    for n in range(3):  # more schools, teachers, courses and retests of deficits
        newcomer = teacher(factories.SchoolFactory(district=school.district))
        factories.DiagnosticFactory(person=newcomer, date=dt.date(2024, 10, 1), subject=40)
        factories.CourseFactory(
            person=newcomer,
            provider=factories.ProviderFactory() if n else regional,
            finished_on=dt.date(2024, 12, 1),
            topics=",subject,",
        )
        factories.DiagnosticFactory(person=newcomer, date=dt.date(2025, 3, 1), subject=70)
    with django_assert_num_queries(14):
        html = page(client.get(_url()))
    closure = row(html, regional.name, "//table[contains(@class, 'report-table')]")
    assert closure[1:] == ["1", "1", "100,0\u00a0%"]


def test_head_sees_it_school_admin_does_not(client, client_for, head, school_admin, courses):
    assert client_for(head).get(_url()).status_code == 200
    assert client_for(school_admin).get(_url()).status_code == 404
    assert client.get(_url()).status_code in (302, 404)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_employment_on_the_day_is_read_from_the_index_alone(district, courses):
    """Whether a course's teacher worked in the district on its end date is looked up in
    `employment_person_dates`, without reading the employments' rows (tens of thousands of
    courses at a district's scale)."""
    completions = district_completions(district, dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    sql, params = completions.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]

    assert any("COVERING INDEX employment_person_dates" in step for step in plan), plan
