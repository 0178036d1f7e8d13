"""The deficit pages as their users see them: the map (stored with the year's official values)
and its cells' people, the target groups with routes for them, the mapping of components to
topics; who may see what; query counts."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from monitoring.models import ComponentTopics, ComponentTopicsChange, DeficitShare
from monitoring.services import compute_year
from profdev.models import ChangeRecord, DevelopmentRoute
from tests import factories
from tests.html import page, rows, text, texts
from tests.monitoring.conftest import teacher

pytestmark = pytest.mark.django_db

BLANK = dict.fromkeys(
    ("subject", "methodical", "assessment", "psychological", "communicative", "digital")
)
HEADER = [
    "ОО",
    "Предметный",
    "Методический",
    "Оценочный",
    "Психолого-педагогический",
    "Коммуникативный",
    "Цифровой",
]
NO_ONE = "— (0/0)"


def diagnostic(person, date=dt.date(2024, 10, 1), **scores):
    factories.DiagnosticFactory(person=person, date=date, **{**BLANK, **scores})


def pct(text_value: str, numerator: int, denominator: int) -> str:
    return f"{text_value}\u00a0% ({numerator}/{denominator})"


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.DEFICIT_SCORE = 60


@pytest.fixture
def staff(school, other_school):
    """S-A: Antonova (digital 30), Borisova (digital 80, subject 50); S-B: Vasilieva (digital
    40, then a digital course). Computed and stored for 2024."""
    antonova = teacher(school, last_name="Антонова")
    diagnostic(antonova, digital=30)
    borisova = teacher(school, last_name="Борисова")
    diagnostic(borisova, digital=80, subject=50)
    vasilieva = teacher(other_school, last_name="Васильева")
    diagnostic(vasilieva, digital=40)
    factories.CourseFactory(person=vasilieva, finished_on=dt.date(2024, 12, 1), topics=",digital,")
    compute_year(school.district, 2024)
    return antonova, borisova, vasilieva


def _map(year=2024):
    return reverse("deficits:map", args=[year])


def test_the_map_for_a_methodologist(client_for, methodologist, staff, school, other_school):
    html = page(client_for(methodologist).get(_map()))

    table = rows(html)
    assert table[0] == HEADER
    assert table[1] == [
        "Муниципалитет",
        pct("100,0", 1, 1),
        NO_ONE,
        NO_ONE,
        NO_ONE,
        NO_ONE,
        pct("66,7", 2, 3),
    ]
    assert table[2] == [school.short_name, pct("100,0", 1, 1), *[NO_ONE] * 4, pct("50,0", 1, 2)]
    assert table[3] == [
        other_school.short_name,
        pct("0,0", 0, 0)[:0] + NO_ONE,
        *[NO_ONE] * 4,
        pct("100,0", 1, 1),
    ]
    # colours by share; the school's cells open the people
    [red] = html.xpath("//table/tbody/tr[2]/td[6]")
    assert "status-red" in red.get("class")
    [link] = red.xpath(".//a")
    assert link.get("href") == reverse("deficits:cell", args=[2024, school.code, "digital"])


def test_a_school_administrator_sees_their_school_only(
    client_for, school_admin, staff, school, other_school
):
    client = client_for(school_admin)
    html = page(client.get(_map()))

    assert [r[0] for r in rows(html)] == ["ОО", "Муниципалитет", school.short_name]
    other_cell = reverse("deficits:cell", args=[2024, other_school.code, "digital"])
    assert client.get(other_cell).status_code == 404
    groups = page(client.get(reverse("deficits:groups", args=[2024])))
    # By component: Borisova's subject, then Antonova's digital.
    assert [r[2] for r in rows(groups)[1:]] == [
        "Борисова Анна Сергеевна",
        "Антонова Анна Сергеевна",
    ]
    assert not groups.xpath("//input[@name='person']")  # no actions on the group


def test_outsiders_get_404(client, client_for, staff, school):
    outsider = factories.UserFactory()
    stranger = factories.RoleGrantFactory(
        role="methodologist",
        district=factories.DistrictFactory(code="OTHER", name="Другой район"),
    ).user
    urls = [
        _map(),
        reverse("deficits:map_export", args=[2024]),
        reverse("deficits:cell", args=[2024, school.code, "digital"]),
        reverse("deficits:groups", args=[2024]),
        reverse("deficits:groups_export", args=[2024]),
        reverse("deficits:topics"),
    ]
    for url in urls:
        assert client_for(outsider).get(url).status_code == 404, url
    # A methodologist of another district reads their own (empty) district, never this one.
    response = client_for(stranger).get(
        reverse("deficits:cell", args=[2024, school.code, "digital"])
    )
    assert response.status_code == 404
    client.logout()
    assert client.get(_map()).status_code == 302  # to the login page


def test_a_cell_names_the_people_as_computed(client_for, methodologist, staff, school):
    antonova, borisova, _ = staff
    url = reverse("deficits:cell", args=[2024, school.code, "digital"])
    # Later records do not change what the cell names.
    diagnostic(borisova, dt.date(2025, 1, 10), digital=10)

    html = page(client_for(methodologist).get(url))

    assert rows(html)[1:] == [["Антонова Анна Сергеевна", "30", "01.10.2024"]]
    [link] = html.xpath("//table//a")
    assert link.get("href") == reverse("person_card", args=[antonova.pk])


def test_a_cell_of_a_year_not_computed_or_an_unknown_component_is_404(
    client_for, methodologist, staff, school
):
    client = client_for(methodologist)
    assert (
        client.get(reverse("deficits:cell", args=[2023, school.code, "digital"])).status_code == 404
    )
    assert (
        client.get(reverse("deficits:cell", args=[2024, school.code, "nothing"])).status_code == 404
    )


def test_the_trend_by_year(client_for, methodologist, staff, school):
    diagnostic(teacher(school), dt.date(2023, 10, 1), digital=10)
    compute_year(school.district, 2023)

    html = page(client_for(methodologist).get(_map()))

    trend = rows(html, "(//table)[2]")
    assert [(r[0], r[1], r[-1]) for r in trend[1:]] == [
        ("2023/2024", "Муниципалитет", pct("100,0", 1, 1)),
        ("2024/2025", "Муниципалитет", pct("66,7", 2, 3)),
    ]


def test_a_year_not_computed_says_so(client_for, methodologist, district):
    html = page(client_for(methodologist).get(_map(2024)))
    assert "карта не рассчитана" in text(html.xpath("//main")[0])


def test_the_map_export(client_for, methodologist, staff, school):
    response = client_for(methodologist).get(reverse("deficits:map_export", args=[2024]))

    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert sheet.cell(1, 1).value == "ОО" and sheet.cell(1, 17).value == "Цифровой"
    assert [c.value for c in sheet[4]][:1] == [school.short_name]
    assert [c.value for c in sheet[4]][16:19] == [50.0, 1, 2]
    assert sheet.cell(4, 17).fill.fgColor.rgb.endswith("FFF3CD") is False  # 50 % is red
    assert sheet.cell(4, 17).fill.fgColor.rgb.endswith("F8D7DA")
    assert book.worksheets[1].title == "Динамика"


def test_the_query_counts_are_fixed(
    client_for, methodologist, school_admin, staff, school, django_assert_num_queries
):
    staff_client = client_for(methodologist)
    # Session, user, role grants, district, its schools (5); session saved (3); and
    urls = {
        _map(): 5 + 2 + 3,  # the years on record, the shares of the year and the trend
        # the year, the people behind the cell
        reverse("deficits:cell", args=[2024, school.code, "digital"]): 5 + 2 + 3,
        # the reference date, the mapping, the groups, their persons, the planned measures
        reverse("deficits:groups", args=[2024]): 5 + 5 + 3,
    }
    for url in urls:
        staff_client.get(url)
    more = teacher(school)
    diagnostic(more, digital=20, subject=10)
    diagnostic(teacher(factories.SchoolFactory(district=school.district)), digital=20)
    compute_year(school.district, 2024)
    for url, count in urls.items():
        with django_assert_num_queries(count):
            assert staff_client.get(url).status_code == 200


# --- Target groups ---------------------------------------------------------------------------


def _groups(**query):
    url = reverse("deficits:groups", args=[2024])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_groups_with_filters(client_for, methodologist, staff, school, other_school):
    client = client_for(methodologist)

    everyone = rows(page(client.get(_groups())))
    # Vasilieva took a digital course after the diagnostic: not in the group.
    assert [r[1:] for r in everyone[1:]] == [
        ["Предметный", school.short_name, "Борисова Анна Сергеевна", "50", "01.10.2024"],
        ["Цифровой", school.short_name, "Антонова Анна Сергеевна", "30", "01.10.2024"],
    ]
    digital = rows(page(client.get(_groups(component="digital"))))
    assert [r[3] for r in digital[1:]] == ["Антонова Анна Сергеевна"]
    elsewhere = page(client.get(_groups(school=other_school.code)))
    assert "никого нет" in text(elsewhere.xpath("//main")[0])
    # A filter out of place is ignored.
    assert len(rows(page(client.get(_groups(component="nothing", school="X"))))) == 3


def test_the_groups_a_page_at_a_time_keep_their_filters(
    client_for, methodologist, staff, school, monkeypatch
):
    monkeypatch.setattr("deficits.views.GROUPS_PAGE_SIZE", 1)
    more = teacher(school, last_name="Григорьева")
    diagnostic(more, digital=20)
    client = client_for(methodologist)

    first = page(client.get(_groups(school=school.code)))
    assert [r[3] for r in rows(first)[1:]] == ["Борисова Анна Сергеевна"]
    assert text(first.xpath("//p[@id='groups-count']")[0]) == "Найдено: 3 · страница 1 из 3"
    [second_url] = first.xpath("//nav//a[normalize-space(.)='2']/@href")
    assert f"school={school.code}" in second_url and "page=2" in second_url

    second = page(client.get(_groups(school=school.code, page=2)))
    assert [r[3] for r in rows(second)[1:]] == ["Антонова Анна Сергеевна"]
    # the export and the forms keep the filters; the export gives everyone, not the page
    [export] = second.xpath("//a[normalize-space(.)='Скачать .xlsx']/@href")
    assert f"school={school.code}" in export and "page" not in export
    sheet = load_workbook(BytesIO(client.get(export).content)).worksheets[0]
    assert sheet.max_row == 1 + 3
    [action] = second.xpath("//form[contains(@action, '/groups/routes/')]/@action")
    assert f"school={school.code}" in action and "page=2" in action

    digital = page(client.get(_groups(component="digital", page=2)))
    assert [r[3] for r in rows(digital)[1:]] == ["Григорьева Анна Сергеевна"]
    assert "component=digital" in digital.xpath("//nav//a[normalize-space(.)='1']/@href")[0]
    # a page out of range shows the last one
    assert [r[3] for r in rows(page(client.get(_groups(page=99))))[1:]] == [
        "Григорьева Анна Сергеевна"
    ]


def test_the_groups_export(client_for, methodologist, staff, school):
    response = client_for(methodologist).get(
        reverse("deficits:groups_export", args=[2024]) + "?component=digital"
    )

    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Компонент", "ОО", "ФИО", "Балл", "Дата диагностики"]
    values = [c.value for c in sheet[2]]
    assert values[:4] == ["Цифровой", school.short_name, "Антонова Анна Сергеевна", 30]
    assert values[4].date() == dt.date(2024, 10, 1)
    assert sheet.max_row == 2


def _routes(**query):
    url = reverse("deficits:groups_routes", args=[2024])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_routes_for_the_ticked_people_skip_those_on_a_route(client_for, methodologist, staff):
    antonova, borisova, _ = staff
    factories.RouteFactory(person=borisova, started_on=dt.date(2024, 10, 15), ended_on=None)
    client = client_for(methodologist)

    response = client.post(
        _routes(),
        {
            "person": [antonova.pk, borisova.pk],
            "started_on": "01.02.2025",
            "curator": "Смирнова О. И.",
        },
        follow=True,
    )

    assert texts(page(response), "//div[contains(@class,'alert')]") == [
        "ИОМ созданы: 1; пропущены (уже есть действующий ИОМ): 1."
    ]
    route = DevelopmentRoute.objects.get(person=antonova)
    assert (route.started_on, route.ended_on, route.curator, route.component_list) == (
        dt.date(2025, 2, 1),
        None,
        "Смирнова О. И.",
        ["digital"],  # the deficit of the group she is in
    )
    assert DevelopmentRoute.objects.filter(person=borisova).count() == 1
    history = ChangeRecord.objects.get(person=antonova)
    assert (history.action, history.user, history.record_type) == (
        "create",
        methodologist,
        "индивидуальный образовательный маршрут",
    )


def test_routes_for_many_take_the_queries_of_a_route_for_one(
    client_for, methodologist, staff, school
):
    """Checked, inserted and written to the history together: the same queries for three
    routes as for one (a target group is hundreds of people)."""
    antonova, borisova, _ = staff
    more = [teacher(school, last_name=name) for name in ("Голубева", "Давыдова")]
    for person in more:
        diagnostic(person, digital=20)
    client = client_for(methodologist)

    def post(people):
        data = {"person": [p.pk for p in people], "started_on": "01.02.2025", "curator": ""}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(_routes(), data).status_code == 302
        return len(queries)

    assert post([antonova]) == post([borisova, *more])
    assert DevelopmentRoute.objects.count() == ChangeRecord.objects.count() == 4


def test_routes_when_every_ticked_person_is_on_a_route(client_for, methodologist, staff):
    antonova, borisova, _ = staff
    for person in (antonova, borisova):
        factories.RouteFactory(person=person, started_on=dt.date(2024, 10, 15), ended_on=None)
    data = {"person": [antonova.pk, borisova.pk], "started_on": "01.02.2025", "curator": ""}

    response = client_for(methodologist).post(_routes(), data, follow=True)

    assert texts(page(response), "//div[contains(@class,'alert')]") == [
        "ИОМ созданы: 0; пропущены (уже есть действующий ИОМ): 2."
    ]
    assert DevelopmentRoute.objects.count() == 2


def test_a_route_ended_before_the_start_does_not_count(client_for, methodologist, staff):
    antonova = staff[0]
    factories.RouteFactory(
        person=antonova, started_on=dt.date(2024, 1, 10), ended_on=dt.date(2025, 1, 31)
    )

    client_for(methodologist).post(_routes(), {"person": [antonova.pk], "started_on": "01.02.2025"})

    assert DevelopmentRoute.objects.filter(person=antonova).count() == 2


def test_bad_route_requests_change_nothing(client_for, methodologist, school_admin, staff):
    antonova, _, vasilieva = staff
    client = client_for(methodologist)

    nobody = page(client.post(_routes(), {"started_on": "01.02.2025"}))
    assert "Отметьте работников, для которых создать ИОМ." in texts(nobody, "//div[@role='alert']")
    bad_date = page(client.post(_routes(), {"person": [antonova.pk], "started_on": "32.01.2025"}))
    assert "Дата начала ИОМ: введите дату в виде ДД.ММ.ГГГГ." in text(bad_date.xpath("//main")[0])
    outside = page(client.post(_routes(), {"person": [vasilieva.pk], "started_on": "01.02.2025"}))
    assert any("нет в целевой группе" in t for t in texts(outside, "//div[@role='alert']"))
    # Filtered to another component, Antonova is not in the group posted from.
    client.post(_routes(component="subject"), {"person": [antonova.pk], "started_on": "01.02.2025"})
    assert (
        client_for(school_admin)
        .post(_routes(), {"person": [antonova.pk], "started_on": "01.02.2025"})
        .status_code
        == 404
    )
    assert DevelopmentRoute.objects.count() == 0


# --- The mapping ---------------------------------------------------------------------------


def test_the_mapping_is_edited_with_history(client_for, methodologist, district):
    client = client_for(methodologist)
    url = reverse("deficits:topics")

    form = page(client.get(url))
    checked = form.xpath("//input[@name='digital' and @checked]/@value")
    assert checked == ["digital"]
    assert form.xpath("//input[@name='psychological' and @checked]/@value") == [
        "talent",
        "upbringing",
        "inclusion",
    ]
    defaults = {
        "subject": ["subject"],
        "methodical": ["federal", "methodological"],
        "assessment": ["assessment"],
        "psychological": ["talent", "upbringing", "inclusion"],
        "communicative": ["career", "upbringing"],
    }

    client.post(url, {**defaults, "digital": ["digital", "management"]})
    client.post(url, {**defaults, "digital": ["digital", "management"]})  # no change

    assert ComponentTopics.objects.get(district=district, component="digital").topics == (
        ",digital,management,"
    )
    [change] = ComponentTopicsChange.objects.all()
    assert (change.component, change.old_topics, change.new_topics, change.user) == (
        "digital",
        ",digital,",
        ",digital,management,",
        methodologist,
    )
    history = rows(page(client.get(url)))
    assert history[1][1:] == [
        methodologist.username,
        "Цифровой",
        "цифровые",
        "управление, цифровые",
    ]


def test_the_mapping_refuses_an_unknown_topic(client_for, methodologist, district):
    response = client_for(methodologist).post(reverse("deficits:topics"), {"digital": ["nonsense"]})

    assert "Такой тематики нет: nonsense." in text(page(response).xpath("//main")[0])
    assert not ComponentTopics.objects.exists()


def test_the_mapping_is_for_district_staff(client_for, school_admin, district):
    assert client_for(school_admin).get(reverse("deficits:topics")).status_code == 404


def test_stored_shares_are_replaced_by_a_new_computation(staff, school):
    shares = DeficitShare.objects.filter(school=school, component="digital")
    assert [(s.numerator, s.denominator) for s in shares] == [(1, 2)]
    diagnostic(teacher(school), digital=10)
    compute_year(school.district, 2024)
    assert [(s.numerator, s.denominator) for s in shares.all()] == [(2, 3)]


def test_a_route_names_the_components_of_the_groups_posted_from(
    client_for, methodologist, staff, school
):
    both = teacher(school)
    diagnostic(both, subject=40, digital=30)
    digital_only = teacher(school)
    diagnostic(digital_only, subject=45, digital=35)
    client = client_for(methodologist)

    client.post(_routes(), {"person": [both.pk], "started_on": "01.02.2025"})
    client.post(
        _routes(component="digital"), {"person": [digital_only.pk], "started_on": "01.02.2025"}
    )

    assert DevelopmentRoute.objects.get(person=both).component_list == ["subject", "digital"]
    assert DevelopmentRoute.objects.get(person=digital_only).component_list == ["digital"]


# --- Enrolment in a planned measure ----------------------------------------------------------


def _enrol(**query):
    url = reverse("deficits:groups_enrol", args=[2024])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def measures(district):
    from effectiveness.services import measure_create

    today = timezone.localdate()

    def measure(title, date):
        return measure_create(
            district=district, title=title, date=date, kind="seminar", indicators=[], schools=[]
        )

    return measure("Семинар «Цифровая школа»", today + dt.timedelta(days=1)), measure(
        "Прошедший вебинар", today
    )


def test_the_ticked_people_are_enrolled_in_a_planned_measure(
    client_for, methodologist, staff, measures
):
    antonova, borisova, _ = staff
    planned, _ = measures
    client = client_for(methodologist)

    options = page(client.get(_groups())).xpath("//select[@name='measure']/option/text()")
    # Only the one dated after today.
    assert options == ["выберите мероприятие", f"{planned.title} ({planned.date:%d.%m.%Y})"]

    first = client.post(_enrol(), {"person": [antonova.pk], "measure": planned.pk}, follow=True)
    again = client.post(
        _enrol(), {"person": [antonova.pk, borisova.pk], "measure": planned.pk}, follow=True
    )

    assert texts(page(first), "//div[contains(@class,'alert')]") == [
        "Записаны на мероприятие «Семинар «Цифровая школа»»: 1; уже были записаны: 0."
    ]
    assert texts(page(again), "//div[contains(@class,'alert')]") == [
        "Записаны на мероприятие «Семинар «Цифровая школа»»: 1; уже были записаны: 1."
    ]
    assert sorted(planned.enrolments.values_list("person_id", flat=True)) == sorted(
        [antonova.pk, borisova.pk]
    )


def test_enrolment_refuses_a_past_measure_and_outsiders(
    client_for, methodologist, school_admin, staff, measures
):
    antonova = staff[0]
    planned, past = measures
    client = client_for(methodologist)

    response = client.post(_enrol(), {"person": [antonova.pk], "measure": past.pk})
    assert response.status_code == 400
    assert "Такого запланированного мероприятия нет: выберите из списка." in text(
        page(response).xpath("//main")[0]
    )
    nobody = client.post(_enrol(), {"measure": planned.pk})
    assert "Отметьте работников, которых записать на мероприятие." in texts(
        page(nobody), "//div[@role='alert']"
    )
    denied = client_for(school_admin).post(
        _enrol(), {"person": [antonova.pk], "measure": planned.pk}
    )
    assert denied.status_code == 404
    assert not planned.enrolments.exists() and not past.enrolments.exists()
