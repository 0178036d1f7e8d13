"""«Проблемные поля»: the heat map, its trends and export, one school's subject and the
teachers of a school's problem subjects on its monitoring page.

The district of 2024/2025 (T = 15 %, M = 5 п. п.):

    S-A  русский язык 6/40 = 15,0 % (exactly T: a problem field); математика 6/30 + 3/18 =
         9/48 = 18,8 % (≥ T); физика 0/100
    S-B  русский язык 0/60; математика 2/100 = 2,0 %; физика 12/100 = 12,0 % (below T, but
         ≥ the district's 6,0 % + 5: a problem field by M)
    S-C  no results
    district: русский язык 6/100 = 6,0 %, математика 11/148 = 7,4 %, физика 12/200 = 6,0 %
"""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.failures import Limits, is_problem
from monitoring.models import ProblemLimits
from monitoring.problem_pages import FailureCell, problem_rule
from monitoring.services import compute_year
from profdev.models import AccessLog, CourseCompletion, Employment, StudentResult, Subject
from tests import factories
from tests.html import page, row, rows, text, texts
from tests.monitoring.conftest import R, teacher

Procedure = StudentResult.Procedure
SUBJECT = CourseCompletion.Topic.SUBJECT
HEAT = reverse("monitoring:problems", args=[2024])
NBSP = "\u00a0"


def pct(text: str) -> str:
    return text.replace(" %", f"{NBSP}%")


def result(school, subject, participants, failed, **extra):
    return factories.StudentResultFactory(
        school=school, subject=subject, participants=participants, failed=failed, **extra
    )


@pytest.fixture
def third_school(district):
    return factories.SchoolFactory(district=district, code="S-C", short_name="МБОУ «Школа С»")


@pytest.fixture
def results(district, school, other_school, third_school):
    ProblemLimits.objects.create(
        district=district, year=2024, threshold=Decimal(15), margin=Decimal(5)
    )
    result(school, Subject.RUSSIAN, 40, 6)
    result(school, Subject.MATHS, 30, 6, average_score=Decimal("3.45"))
    result(school, Subject.MATHS, 18, 3, procedure=Procedure.OGE, grade=9)
    result(school, Subject.PHYSICS, 100, 0, grade=7)
    result(other_school, Subject.RUSSIAN, 60, 0)
    result(other_school, Subject.MATHS, 100, 2)
    result(other_school, Subject.PHYSICS, 100, 12, grade=7)


def drill_url(code, subject, year=2024):
    return reverse("monitoring:problem", args=[year, code, subject])


def heat_rows(response) -> list[list[str]]:
    return rows(page(response), "//table[contains(@class, 'problems-table')]")


# --- The heat map ------------------------------------------------------------------------------


def test_the_heat_map_shows_each_schools_shares_below_the_district(
    client_for, methodologist, results, district
):
    response = client_for(methodologist).get(HEAT)

    assert response.status_code == 200
    table = heat_rows(response)
    assert table[0] == ["ОО", "русский язык", "математика", "физика"]
    assert table[1] == [f"Район: {district}", pct("6,0 %"), pct("7,4 %"), pct("6,0 %")]
    mark = "▲, проблемное поле"
    assert table[2][1:] == [pct(f"15,0 % {mark}"), pct(f"18,8 % {mark}"), pct("0,0 %")]
    assert table[3][1:] == [pct("0,0 %"), pct("2,0 %"), pct(f"12,0 % {mark}")]
    html = response.content.decode()
    assert "ещё не рассчитан" in html  # counted live, and said so
    said = text(page(response)).replace(NBSP, " ")
    assert "T = 15,0 %" in said and "M = 5,0 п. п." in said
    assert reverse("monitoring:targets", args=[2024]) in html  # where to change them
    assert "Проблемных полей: <strong>3</strong>" in html
    assert "ОО с проблемными полями: <strong>2</strong>" in html


def test_a_school_without_results_is_named_below_the_map(client_for, methodologist, results):
    response = client_for(methodologist).get(HEAT)
    names = [r[0] for r in heat_rows(response)]
    assert not any("S-C" in name for name in names)
    assert "Нет результатов обучающихся за 2024/2025: МБОУ «Школа С»." in text(page(response))


def test_cells_link_to_the_drill_down_and_rows_to_the_school_page(
    client_for, methodologist, results
):
    root = page(client_for(methodologist).get(HEAT))
    links = root.xpath("//table[contains(@class, 'problems-table')]//a/@href")
    assert reverse("monitoring:school", args=[2024, "S-A"]) in links
    assert drill_url("S-A", "maths") in links


def test_a_computed_year_shows_its_stored_shares(client_for, methodologist, results, district):
    compute_year(district, 2024)
    # Changed after the computation: the page keeps the official share until recomputed.
    StudentResult.objects.filter(subject=Subject.MATHS, grade=9).update(failed=18)

    response = client_for(methodologist).get(HEAT)

    assert heat_rows(response)[2][2] == pct("18,8 % ▲, проблемное поле")
    assert "из официального расчёта года" in response.content.decode()


def test_the_trend_gives_the_district_share_and_the_problem_schools_by_year(
    client_for, methodologist, results, school
):
    result(school, Subject.MATHS, 10, 1, year=2023)  # 10,0 %, alone: no problem field

    root = page(client_for(methodologist).get(HEAT))

    trend = "//table[contains(@class, 'problems-trend')]"
    assert rows(root, trend)[0] == ["Предмет", "2023/2024*", "2024/2025*"]
    assert row(root, "математика", trend) == [
        "математика",
        f"10,0{NBSP}% · 0{NBSP}ОО",
        f"7,4{NBSP}% · 1{NBSP}ОО",
    ]
    assert row(root, "физика", trend) == ["физика", "—", f"6,0{NBSP}% · 1{NBSP}ОО"]


def test_year_links_cover_the_years_with_results(client_for, methodologist, results, school):
    result(school, Subject.MATHS, 10, 1, year=2023)
    root = page(client_for(methodologist).get(HEAT))
    assert texts(root, "//nav[@aria-label='Учебный год']//a") == ["2024/2025", "2023/2024"]


# --- Scope --------------------------------------------------------------------------------------


def test_a_school_administrator_sees_their_row_and_the_district_only(
    client_for, school_admin, results, district
):
    response = client_for(school_admin).get(HEAT)
    table = heat_rows(response)
    assert len(table) == 3
    assert table[1][0] == f"Район: {district}" and table[2][0].startswith("S-A · ")
    assert client_for(school_admin).get(drill_url("S-A", "maths")).status_code == 200
    assert client_for(school_admin).get(drill_url("S-B", "physics")).status_code == 404


def test_outsiders_get_404(client_for, results, other_school_admin, school):
    outsider = factories.UserFactory()
    assert client_for(outsider).get(HEAT).status_code == 404
    assert client_for(outsider).get(drill_url("S-A", "maths")).status_code == 404
    assert client_for(other_school_admin).get(drill_url("S-A", "maths")).status_code == 404
    elsewhere = factories.DistrictFactory(code="XX", name="Другой район")
    methodologist = factories.UserFactory()
    factories.RoleGrantFactory(user=methodologist, district=elsewhere)
    assert client_for(methodologist).get(drill_url("S-A", "maths")).status_code == 404
    assert client_for(methodologist).get(drill_url("S-A", "latin")).status_code == 404


def test_an_unknown_subject_is_404(client_for, methodologist, results):
    assert client_for(methodologist).get(drill_url("S-A", "latin")).status_code == 404


# --- The drill-down ---------------------------------------------------------------------------


def test_the_drill_down_gives_the_rows_their_total_and_the_rule(client_for, methodologist, results):
    response = client_for(methodologist).get(drill_url("S-A", "maths"))
    root = page(response)
    [table] = root.xpath("//table[.//th[text()='Процедура']]")
    assert rows(table, ".")[1:] == [
        ["ВПР", "5", "30", "6", pct("20,0 %"), "3,45"],
        ["ОГЭ", "9", "18", "3", pct("16,7 %"), "—"],
        ["Итого", "48", "9", pct("18,8 %"), ""],
    ]
    said = text(root).replace(NBSP, " ")
    assert "Проблемное поле" in said
    assert "доля не справившихся 18,8 % не меньше порога 15,0 %" in said
    assert "не меньше доли муниципалитета 7,4 % плюс 5,0 п. п. (12,4 %)" in said


def test_the_margin_rule_alone_is_named(client_for, methodologist, results):
    root = page(client_for(methodologist).get(drill_url("S-B", "physics")))
    [alert] = root.xpath("//p[contains(@class, 'alert')]")
    said = text(alert).replace(NBSP, " ")
    assert "доля не справившихся 12,0 % не меньше доли муниципалитета 6,0 % плюс 5,0 п. п." in said
    assert "не меньше порога" not in said


def test_a_subject_without_rows_says_so(client_for, methodologist, results):
    response = client_for(methodologist).get(drill_url("S-C", "maths"))
    assert response.status_code == 200
    assert "У ОО нет строк результатов по этому предмету" in response.content.decode()


# --- Teachers ---------------------------------------------------------------------------------

W3_START = dt.date(2022, 9, 1)


def subject_course(person, finished_on, topics=f",{SUBJECT},", **extra):
    return factories.CourseFactory(person=person, finished_on=finished_on, topics=topics, **extra)


@pytest.fixture
def staff(results, school, other_school):
    """Teachers at S-A, each a case of the rule; the year computed (the school page reads the
    stored problem fields)."""
    people = {
        "first day": teacher(school, last_name="Алексеева", subjects=",maths,physics,"),
        "last day": teacher(school, last_name="Борисова", subjects=",maths,"),
        "day before": teacher(school, last_name="Васильева", subjects=",maths,"),
        "other topic": teacher(school, last_name="Григорьева", subjects=",russian,"),
        "physics only": teacher(school, last_name="Дмитриева", subjects=",physics,"),
        "part-time": teacher(
            school, last_name="Егорова", subjects=",maths,", workplace="part_time"
        ),
        "manager": teacher(
            school,
            last_name="Жукова",
            subjects=",maths,",
            category=Employment.Category.MANAGERIAL,
        ),
        "left": teacher(
            school, last_name="Зайцева", subjects=",maths,", dismissed_on=R - dt.timedelta(days=1)
        ),
        "elsewhere": teacher(other_school, last_name="Иванова", subjects=",maths,"),
    }
    subject_course(people["first day"], W3_START, programme="Решение задач ЕГЭ")
    subject_course(people["last day"], R, programme="Геометрия в ОГЭ")
    subject_course(people["day before"], W3_START - dt.timedelta(days=1))
    subject_course(people["other topic"], dt.date(2024, 11, 1), topics=",digital,")
    factories.DiagnosticFactory(person=people["first day"], date=dt.date(2024, 10, 1), subject=55)
    factories.DiagnosticFactory(person=people["last day"], date=dt.date(2024, 10, 1), subject=80)
    factories.RouteFactory(person=people["first day"], started_on=dt.date(2024, 10, 15))
    compute_year(school.district, 2024)
    return people


def school_page(client, code="S-A"):
    return page(client.get(reverse("monitoring:school", args=[2024, code])))


def section(root, subject_name: str):
    [found] = root.xpath(f"//section[.//h3[contains(., '{subject_name}')]]")
    return found


def test_the_school_page_lists_the_teachers_of_each_problem_subject(
    client_for, methodologist, staff
):
    root = school_page(client_for(methodologist))

    headings = texts(root, "//section/h3")
    assert [h.split(":")[0] for h in headings] == ["Русский язык", "Математика"]
    maths = rows(section(root, "Математика"), ".//table")
    assert maths[1:] == [
        [
            "Алексеева Анна Сергеевна",
            "Решение задач ЕГЭ, окончен 01.09.2022",
            "55 баллов, 01.10.2024 — дефицит",
            "ИОМ",
        ],
        [
            "Борисова Анна Сергеевна",
            "Геометрия в ОГЭ, окончен 31.08.2025",
            "80 баллов, 01.10.2024",
            "нет ИОМ",
        ],
        [
            "Васильева Анна Сергеевна",
            "нет предметного ПК за 3 года",
            "нет диагностики за год",
            "нет ИОМ",
        ],
    ]
    [summary] = texts(section(root, "Математика"), ".//p[contains(@class, 'problems-gaps')]")
    assert summary == (
        f"3{NBSP}педагога: без предметного ПК за 3 года — 1, с дефицитом по предметному "
        "компоненту — 1, без ИОМ — 2."
    )
    russian = rows(section(root, "Русский язык"), ".//table")
    assert [r[0] for r in russian[1:]] == ["Григорьева Анна Сергеевна"]
    assert russian[1][1] == "нет предметного ПК за 3 года"  # a course on another topic


def test_the_teachers_links_lead_to_their_card_and_route(client_for, methodologist, staff):
    maths = section(school_page(client_for(methodologist)), "Математика")
    person = staff["first day"]
    route = person.routes.get()
    assert maths.xpath(".//table//a/@href")[:2] == [
        reverse("person_card", args=[person.pk]),
        reverse("route_detail", args=[person.pk, route.pk]),
    ]
    assert "СНИЛС" not in text(maths) and person.snils not in text(maths)


def test_the_listed_courses_are_what_pd_problem_subject_counts(staff, school, result_of):
    """Two of S-A's teachers of problem subjects have a subject ПК in W3: the indicator's
    numerator; its denominator: the four listed (Алексеева once for two subjects)."""
    indicator = result_of(school)["PD_PROBLEM_SUBJECT"]
    assert (indicator.numerator, indicator.denominator) == (2, 4)


def test_a_school_without_problem_fields_says_so(client_for, methodologist, staff):
    root = school_page(client_for(methodologist), "S-C")
    assert "Проблемных полей по результатам обучающихся за 2024/2025 у ОО нет" in text(root)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_school_page_reads_the_teachers_in_one_query_whatever_their_number(
    client_for, methodologist, staff, school
):
    client = client_for(methodologist)
    url = reverse("monitoring:school", args=[2024, "S-A"])
    client.get(url)  # the session's first queries
    few = _queries(client, url)
    for n in range(20):
        person = teacher(school, last_name=f"Новикова{n}", subjects=",maths,russian,")
        subject_course(person, dt.date(2024, 1, 1))
        factories.DiagnosticFactory(person=person, subject=40)
        factories.RouteFactory(person=person)
    assert _queries(client, url) == few
    assert few <= 14


def test_the_pages_query_counts_are_pinned(
    client_for, methodologist, staff, django_assert_max_num_queries
):
    client = client_for(methodologist)
    client.get(HEAT)
    with django_assert_max_num_queries(12):
        client.get(HEAT)
    with django_assert_max_num_queries(15):
        client.get(drill_url("S-A", "maths"))


# --- Export -------------------------------------------------------------------------------------


def test_the_export_gives_the_same_numbers_and_is_logged(
    client_for, methodologist, results, district
):
    response = client_for(methodologist).get(reverse("monitoring:problems_export", args=[2024]))

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    heat, records = book.worksheets
    values = [[c.value for c in r] for r in heat.iter_rows(min_row=2)]
    assert values[0] == ["Код ОО", "ОО", "русский язык", "математика", "физика", "Проблемных полей"]
    assert values[1][1:5] == [str(district), 6.0, 7.4, 6.0]
    assert values[2][0] == "S-A" and values[2][2:] == [15.0, 18.8, 0.0, 2]
    assert values[3][0] == "S-B" and values[3][2:] == [0.0, 2.0, 12.0, 1]
    assert heat["C4"].fill.fgColor.rgb.endswith("F8D7DA")  # a problem field, filled
    assert "проблемное поле" in heat["C4"].comment.text
    rows_ = [[c.value for c in r] for r in records.iter_rows(min_row=2)]
    assert ["S-A", rows_[0][1], "математика", "ВПР", 5, 30, 6, 20.0, 3.45] in rows_
    assert len(rows_) == 7
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert "проблемные поля 2024/2025" in log.subject


def test_a_school_administrator_exports_their_own_row(client_for, school_admin, results):
    response = client_for(school_admin).get(reverse("monitoring:problems_export", args=[2024]))
    heat = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [r[0].value for r in heat.iter_rows(min_row=4)] == ["S-A"]


# --- Navigation ---------------------------------------------------------------------------------


def test_the_monitoring_tabs_and_a_school_administrators_menu_lead_here(
    client_for, methodologist, school_admin, results
):
    overview = page(client_for(methodologist).get(reverse("monitoring:overview", args=[2024])))
    assert HEAT in overview.xpath("//ul[contains(@class, 'nav-tabs')]//a/@href")
    workspace = client_for(school_admin).get(reverse("school_workspace", args=["S-A"]))
    assert reverse("monitoring:problems") in workspace.content.decode()
    latest = client_for(school_admin).get(reverse("monitoring:problems"))
    assert "Проблемные поля за 2024/2025" in latest.content.decode()


@pytest.mark.parametrize(
    ("school", "district"),
    [
        ((9, 48), (11, 148)),
        ((6, 40), (6, 100)),
        ((12, 100), (12, 200)),
        ((1, 10), (1, 10)),
        ((3, 20), (30, 200)),
        ((149, 1000), (40, 1000)),
        ((0, 5), (0, 50)),
    ],
)
def test_the_rule_in_words_holds_exactly_when_the_field_is_a_problem(school, district):
    limits = Limits(Decimal(15), Decimal(5))
    cell, pooled = FailureCell(*school), FailureCell(*district)
    assert bool(problem_rule(cell, pooled, limits)) == is_problem(cell.count, pooled.count, limits)


def test_the_results_screen_leads_to_the_years_problem_fields(client_for, school_admin, results):
    client = client_for(school_admin)
    screen = page(client.get(reverse("school_results_year", args=["S-A", 2024])))
    [link] = screen.xpath("//p/a[starts-with(text(), 'Проблемные поля')]/@href")
    assert link.startswith(HEAT)
    assert heat_rows(client.get(link))[2][0].startswith("S-A · ")


def test_a_year_without_results_says_where_they_come_from(client_for, methodologist, school):
    response = client_for(methodologist).get(HEAT)
    assert response.status_code == 200
    assert "Результатов обучающихся за 2024/2025 учебный год нет" in text(page(response))
    assert not page(response).xpath("//table[contains(@class, 'problems-table')]")


def test_the_drill_down_says_when_its_rows_changed_since_the_computation(
    client_for, methodologist, results, district
):
    compute_year(district, 2024)
    StudentResult.objects.filter(subject=Subject.MATHS, grade=9, school__code="S-A").update(
        failed=0
    )
    said = text(page(client_for(methodologist).get(drill_url("S-A", "maths")))).replace(NBSP, " ")
    assert "Доля не справившихся в ОО: 18,8 % (9 из 48)" in said  # the official share
    assert "изменились после официального расчёта года: их итог (12,5 %, 6 из 48)" in said
