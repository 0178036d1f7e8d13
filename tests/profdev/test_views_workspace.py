import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from profdev.completeness import school_completeness
from profdev.models import Employment
from profdev.selectors import staff_summary
from tests import factories
from tests.html import page, text

TODAY = dt.datetime(2025, 3, 15, 9, 0, tzinfo=dt.UTC)  # academic year 01.09.2024–31.08.2025
D = dt.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def school_data(school, other_school):
    """Staff A (young, deficit), B (complete), C (manager, stale); D part-time, E dismissed."""
    emp = factories.EmploymentFactory
    a = emp(
        school=school,
        person=factories.PersonFactory(birth_date=D(1995, 1, 1), experience_since=D(2023, 9, 1)),
    ).person
    b = emp(school=school).person
    c = emp(school=school, category=Employment.Category.MANAGERIAL).person
    d = emp(school=school, workplace=Employment.Workplace.PART_TIME).person
    emp(school=school, dismissed_on=D(2025, 1, 1))
    factories.DiagnosticFactory(person=a, date=D(2024, 10, 1), digital=50)
    factories.DiagnosticFactory(person=b, date=D(2024, 10, 1), digital=60)  # 60 is no deficit
    factories.DiagnosticFactory(person=c, date=D(2023, 10, 1))
    factories.DiagnosticFactory(person=d, date=D(2025, 1, 10))  # part-timer: not counted here
    factories.BurnoutFactory(person=b, date=D(2025, 3, 1))
    factories.CourseFactory(person=b, finished_on=D(2024, 11, 15))
    factories.CourseFactory(person=c, finished_on=D(2021, 5, 1))
    factories.RouteFactory(person=b, started_on=D(2024, 10, 15))
    factories.RouteFactory(person=c, started_on=D(2024, 12, 1), curator="", tutor="")
    factories.ContestFactory(person=b, date=D(2025, 2, 10))
    factories.ActivityFactory(person=c, date=D(2025, 5, 20))
    factories.MentorshipFactory(
        mentor=b, mentee=a, started_on=D(2023, 9, 1), ended_on=D(2024, 6, 30)
    )
    factories.VacancyFactory(school=school, opened_on=D(2023, 6, 1))
    factories.VacancyFactory(school=other_school, opened_on=D(2024, 10, 1))
    return school


def test_completeness_by_hand(school_data):
    result = school_completeness(school_data, today=D(2025, 3, 15))
    assert (result.year_start, result.year_end, result.staff) == (D(2024, 9, 1), D(2025, 8, 31), 3)
    assert [(s.name, s.this_year, s.last_date, s.status) for s in result.sheets] == [
        ("Курсы", 1, D(2024, 11, 15), "ok"),
        ("Аттестация", 0, None, "empty"),
        ("Конкурсы", 1, D(2025, 2, 10), "ok"),
        ("Наставничество", 0, D(2023, 9, 1), "stale"),
        ("Диагностика", 2, D(2024, 10, 1), "ok"),
        ("ИОМ", 2, D(2024, 12, 1), "ok"),
        ("Деятельность", 1, D(2025, 5, 20), "ok"),
        ("Выгорание", 1, D(2025, 3, 1), "ok"),
        ("Вакансии", 0, D(2023, 6, 1), "stale"),
    ]
    assert [(str(g.label), g.count) for g in result.gaps] == [
        ("Нет диагностики дефицитов в этом учебном году", 1),  # C
        ("Нет диагностики выгорания в этом учебном году", 1),  # A (C is a manager)
        ("Нет курсов ПК или ПП за последние три года", 2),  # A, C
        ("Выявлены дефициты, но нет ИОМ", 1),  # A
        ("Молодые педагоги без наставника", 1),  # A: the pair ended last year
        ("ИОМ без куратора и тьютора", 1),  # C's
        ("Вакансии открыты с прошлых лет: проверьте, актуальны ли они", 1),
    ]
    assert result.open_items == 3 + 7


def test_completeness_in_two_queries(school_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        school_completeness(school_data, today=D(2025, 3, 15))


def test_summary_counts_people_on_today(school_data):
    summary = staff_summary(school_data, today=D(2025, 3, 15))
    assert (summary.active, summary.pedagogical, summary.managerial) == (4, 2, 1)
    assert (summary.part_time, summary.young) == (1, 1)


def test_school_admin_sees_workspace(
    client_for, school_admin, school_data, django_assert_num_queries
):
    client = client_for(school_admin)
    # session, user, grants, school, summary, completeness (2), letters unread, letters to
    # answer, navigation (the user's schools), session saved (3)
    with django_assert_num_queries(13):
        response = client.get(reverse("school_workspace", args=[school_data.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Полнота данных за 2024/2025 учебный год" in html
    assert "Учитываются 3 чел." in html
    assert reverse("staff_list", args=[school_data.code]) in html
    assert "no_courses=on" in html  # the gap links to the people it counts


def test_other_school_admin_gets_404(client_for, other_school_admin, school):
    response = client_for(other_school_admin).get(reverse("school_workspace", args=[school.code]))
    assert response.status_code == 404


def test_methodologist_reads_any_school_of_the_district(client_for, methodologist, school):
    response = client_for(methodologist).get(reverse("school_workspace", args=[school.code]))
    assert response.status_code == 200


def test_anonymous_is_sent_to_login(client, school):
    response = client.get(reverse("school_workspace", args=[school.code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_open_gap_links_to_exactly_the_people_or_records_it_counts(
    client_for, school_admin, school_data
):
    """Each of the gaps' links: to the staff list showing the people the gap counts (the
    same rule filters both), to the school's routes, to the upload of the workbook."""
    client = client_for(school_admin)
    html = page(client.get(reverse("school_workspace", args=[school_data.code])))
    links = {text(a): a.get("href") for a in html.xpath("//table//th/a")}
    result = school_completeness(school_data, today=D(2025, 3, 15))
    assert set(links) == {str(g.label) for g in result.gaps if not g.ok}
    staff_list = reverse("staff_list", args=[school_data.code])
    for gap in result.gaps:
        url = links[str(gap.label)]
        if gap.staff_filter:
            listed = page(client.get(url)).xpath("//table[contains(@class, 'staff')]//tbody/tr")
            assert url.startswith(staff_list) and len(listed) == gap.count, gap.label
    assert links["ИОМ без куратора и тьютора"] == reverse("route_list", args=[school_data.code])
    vacancies = "Вакансии открыты с прошлых лет: проверьте, актуальны ли они"
    assert links[vacancies] == reverse("school_upload", args=[school_data.code])
    summary = text(html.xpath("//section[@aria-labelledby='completeness-title']/p")[0])
    assert (
        "До даты мониторинга осталось: 3\u00a0листа без записей за этот год; 7\u00a0пробелов, "
        "которые повлияют на показатели" in summary
    )
