"""The route pages: the school's list of routes, a route with its activities on one screen,
its outcome, deletion and the printable ИОМ; scope as every record of the card."""

import datetime as dt
import re
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse

from profdev.models import DIAGNOSTIC_COMPONENTS, ChangeRecord, DevelopmentRoute, RouteActivity
from tests import factories
from tests.html import form_errors, page, rows, texts

D = dt.date


@pytest.fixture
def teacher(school):
    employment = factories.EmploymentFactory(
        school=school, hired_on=D(2015, 9, 1), position="учитель физики"
    )
    return employment.person


def pdf_lines(pdf: bytes) -> list[str]:
    """The PDF's lines as poppler lays them out, runs of spaces as one."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True)
    return [re.sub(r"\s+", " ", line).strip() for line in out.stdout.decode().splitlines()]


def scores(person, date, **values):
    return factories.DiagnosticFactory(
        person=person, date=date, **{**dict.fromkeys(DIAGNOSTIC_COMPONENTS), **values}
    )


def management(total=2, initial=0, prefix="activities"):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def activity(index, **values):
    return {f"activities-{index}-{name}": value for name, value in values.items()}


COURSE = {
    "kind": "курс",
    "topic": "цифровые",
    "title": "Цифровая образовательная среда",
    "starts_on": "01.11.2025",
    "ends_on": "30.11.2025",
    "status": "запланировано",
}


def test_a_new_route_offers_the_deficits_and_saves_with_its_activities(
    client_for, school_admin, teacher
):
    scores(teacher, D(2025, 5, 1), subject=70, digital=45, communicative=59)
    client = client_for(school_admin)
    url = reverse("route_add", args=[teacher.pk])
    form = page(client.get(url))
    checked = form.xpath("//input[@name='components'][@checked]/@value")
    assert checked == ["Коммуникативный", "Цифровой"]
    data = {
        "started_on": "15.09.2025",
        "curator": "Смирнова О. И.",
        "components": ["Цифровой"],
        **management(),
        **activity(0, **COURSE),
        **activity(1, kind="самообразование", title="Изучение ФОП", starts_on="01.10.2025"),
    }
    response = client.post(url, data)
    route = DevelopmentRoute.objects.get(person=teacher)
    assert response.status_code == 302
    assert response["Location"] == reverse("route_detail", args=[teacher.pk, route.pk])
    assert (route.started_on, route.components) == (D(2025, 9, 15), ",digital,")
    assert [(a.kind, a.topic, a.title, a.status) for a in route.activities.all()] == [
        ("self_study", "", "Изучение ФОП", "planned"),
        ("course", "digital", "Цифровая образовательная среда", "planned"),
    ]
    history = ChangeRecord.objects.filter(person=teacher).order_by("pk")
    assert [(c.record_type, c.record_label, c.action, c.user) for c in history] == [
        ("индивидуальный образовательный маршрут", "15.09.2025", "create", school_admin),
        (
            "мероприятие ИОМ",
            "15.09.2025, курс, Цифровая образовательная среда, 01.11.2025",
            "create",
            school_admin,
        ),
        (
            "мероприятие ИОМ",
            "15.09.2025, самообразование, Изучение ФОП, 01.10.2025",
            "create",
            school_admin,
        ),
    ]


def test_editing_marks_a_course_done_links_it_and_deletes_another(
    client_for, school_admin, teacher
):
    route = factories.RouteFactory(person=teacher, components=",digital,")
    course_activity = RouteActivity.objects.create(
        route=route, kind="course", topic="digital", title="ЦОС", starts_on=D(2024, 11, 1)
    )
    event = RouteActivity.objects.create(
        route=route, kind="event", title="Методический день", starts_on=D(2024, 12, 5)
    )
    course = factories.CourseFactory(person=teacher, finished_on=D(2024, 11, 30))
    other_persons_course = factories.CourseFactory(finished_on=D(2024, 11, 30))
    client = client_for(school_admin)
    url = reverse("route_edit", args=[teacher.pk, route.pk])
    base = {
        "started_on": "15.10.2024",
        "curator": route.curator,
        "components": ["Цифровой"],
        **management(total=4, initial=2),
        **activity(0, id=course_activity.pk, kind="курс", topic="цифровые", title="ЦОС"),
        **activity(0, starts_on="01.11.2024", status="выполнено"),
        **activity(1, id=event.pk, kind="методическое мероприятие", title="Методический день"),
        **activity(1, starts_on="05.12.2024", status="запланировано", DELETE="on"),
    }
    # Another person's course is not among the choices.
    refused = client.post(url, {**base, **activity(0, course=other_persons_course.pk)})
    assert refused.status_code == 200
    assert RouteActivity.objects.filter(route=route).count() == 2
    response = client.post(url, {**base, **activity(0, course=course.pk)})
    assert response.status_code == 302
    course_activity.refresh_from_db()
    assert (course_activity.status, course_activity.course) == ("done", course)
    assert list(route.activities.all()) == [course_activity]
    changes = ChangeRecord.objects.filter(person=teacher, record_type="мероприятие ИОМ")
    assert sorted(c.action for c in changes) == ["delete", "update"]
    update = changes.get(action="update")
    assert update.changes["status"] == ["planned", "done"]
    # Nothing about the route itself changed: no history of it.
    assert not ChangeRecord.objects.filter(
        person=teacher, record_type="индивидуальный образовательный маршрут"
    ).exists()


def test_bad_rows_are_refused_in_russian_and_nothing_is_written(client_for, school_admin, teacher):
    client = client_for(school_admin)
    url = reverse("route_add", args=[teacher.pk])
    response = client.post(
        url,
        {
            "started_on": "15.09.2025",
            "ended_on": "01.09.2025",
            **management(),
            **activity(0, **{**COURSE, "topic": ""}),
            **activity(1, kind="стажировка", topic="цифровые", title="", starts_on="31.02.2025"),
        },
    )
    assert response.status_code == 200
    html = page(response)
    assert form_errors(html)["ended_on"] == ["«01.09.2025» — раньше даты начала 15.09.2025"]
    errors = texts(
        html,
        "//table[contains(@class,'activities-form')]//div[contains(@class,'invalid-feedback')]",
    )
    assert errors == [
        "у курса укажите тематику",
        "обязательное поле не заполнено",
        "«31.02.2025» — такой даты нет в календаре",
    ]
    assert not DevelopmentRoute.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_a_link_to_a_course_needs_a_done_course_and_twice_the_same_activity_is_refused(
    client_for, school_admin, teacher
):
    course = factories.CourseFactory(person=teacher)
    client = client_for(school_admin)
    url = reverse("route_add", args=[teacher.pk])
    data = {"started_on": "15.09.2025", **management(), **activity(0, **COURSE)}
    response = client.post(url, {**data, **activity(0, course=course.pk)})
    errors = texts(page(response), "//div[contains(@class,'invalid-feedback')]")
    assert errors == ["пройденную программу указывают только у выполненного курса"]
    response = client.post(url, {**data, **activity(1, **COURSE)})
    errors = texts(page(response), "//div[contains(@class,'invalid-feedback')]")
    assert errors == [
        "такое мероприятие уже есть в маршруте: совпадают вид, мероприятие и дата начала"
    ]
    assert not DevelopmentRoute.objects.exists()


def test_the_route_page_shows_the_outcome_of_each_deficit(client_for, school_admin, teacher):
    route = factories.RouteFactory(
        person=teacher,
        started_on=D(2024, 10, 15),
        ended_on=D(2025, 4, 30),
        components=",methodical,assessment,digital,",
    )
    scores(teacher, D(2024, 10, 1), methodical=40, digital=50)
    scores(teacher, D(2025, 5, 20), methodical=60, digital=59)
    html = page(client_for(school_admin).get(reverse("route_detail", args=[teacher.pk, route.pk])))
    assert rows(html) == [
        ["Компонент", "До маршрута", "После маршрута", "Итог"],
        ["Методический", "40 (01.10.2024)", "60 (20.05.2025)", "дефицит закрыт"],
        ["Оценочный", "—", "—", "нет повторной диагностики"],
        ["Цифровой", "50 (01.10.2024)", "59 (20.05.2025)", "дефицит не закрыт"],
    ]


def test_the_school_lists_the_routes_of_its_people_with_their_activities(
    client_for, school_admin, school, teacher, other_school, django_assert_num_queries
):
    route = factories.RouteFactory(person=teacher, components=",subject,digital,")
    for status, title in (("planned", "А"), ("planned", "Б"), ("done", "В"), ("cancelled", "Г")):
        RouteActivity.objects.create(
            route=route, kind="event", title=title, starts_on=D(2024, 11, 1), status=status
        )
    elsewhere = factories.EmploymentFactory(school=other_school).person
    factories.RouteFactory(person=elsewhere)
    client = client_for(school_admin)
    url = reverse("route_list", args=[school.code])
    html = page(client.get(url))
    assert rows(html)[1:] == [
        [
            teacher.full_name,
            "15.10.2024",
            "—",
            "Предметный, Цифровой",
            "2",
            "1",
            "Смирнова Ольга Ивановна",
        ]
    ]
    # session, user, grants, school, the persons to choose, the routes, navigation, and the
    # session saved again (savepoint, update, release)
    with django_assert_num_queries(10):
        client.get(url)
    for _ in range(5):
        person = factories.EmploymentFactory(school=school).person
        factories.RouteFactory.create_batch(
            2, person=person, started_on=factories.factory.Iterator([D(2024, 9, 1), D(2025, 9, 1)])
        )
    with django_assert_num_queries(10):
        client.get(url)


def test_choosing_a_teacher_in_the_list_opens_a_new_route(
    client_for, school_admin, school, teacher
):
    client = client_for(school_admin)
    response = client.get(reverse("route_list", args=[school.code]), {"person": teacher.pk})
    assert response["Location"] == reverse("route_add", args=[teacher.pk])


def test_deleting_a_route_takes_its_activities_into_the_history(client_for, school_admin, teacher):
    route = factories.RouteFactory(person=teacher)
    RouteActivity.objects.create(
        route=route, kind="event", title="Семинар", starts_on=D(2024, 11, 1)
    )
    client = client_for(school_admin)
    url = reverse("route_delete", args=[teacher.pk, route.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not DevelopmentRoute.objects.exists() and not RouteActivity.objects.exists()
    assert sorted(
        ChangeRecord.objects.filter(person=teacher, action="delete").values_list(
            "record_type", flat=True
        )
    ) == ["индивидуальный образовательный маршрут", "мероприятие ИОМ"]


def test_the_printable_route_names_the_teacher_the_deficits_the_plan_and_signatures(
    client_for, school_admin, school, teacher
):
    route = factories.RouteFactory(
        person=teacher,
        started_on=D(2024, 10, 15),
        ended_on=D(2025, 5, 31),
        components=",digital,",
        tutor="Орлова Анна Сергеевна",
    )
    scores(teacher, D(2024, 10, 1), digital=45)
    RouteActivity.objects.create(
        route=route,
        kind="course",
        topic="digital",
        title="ЦОС",
        starts_on=D(2024, 11, 1),
        ends_on=D(2024, 11, 30),
    )
    RouteActivity.objects.create(
        route=route, kind="event", title="Семинар", starts_on=D(2025, 2, 1), status="done"
    )
    response = client_for(school_admin).get(reverse("route_pdf", args=[teacher.pk, route.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote(f'ИОМ {teacher.full_name} 15.10.2024.pdf')}"
    )
    lines = pdf_lines(response.content)
    for expected in (
        "Индивидуальный образовательный маршрут",
        "педагогического работника",
        f"Педагог {teacher.full_name}",
        "Должность учитель физики",
        "Срок реализации с 15.10.2024 по 31.05.2025",
        "Цифровой 45 01.10.2024",
        "1 курс (цифровые) ЦОС 01.11.2024 — запланировано",
        "2 методическое Семинар 01.02.2025 выполнено",
        "Куратор Смирнова Ольга Ивановна",
        "Тьютор Орлова Анна Сергеевна",
        f"Руководитель ОО {school.head_name}",
    ):
        assert expected in lines, "\n".join(lines)
    assert lines.count("подпись") == 4


ROUTE_URLS = ("route_detail", "route_edit", "route_delete", "route_pdf")


def test_an_outsider_gets_404_at_every_route_url(client_for, other_school_admin, school, teacher):
    route = factories.RouteFactory(person=teacher)
    client = client_for(other_school_admin)
    urls = [reverse(name, args=[teacher.pk, route.pk]) for name in ROUTE_URLS]
    urls += [reverse("route_add", args=[teacher.pk]), reverse("route_list", args=[school.code])]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert DevelopmentRoute.objects.filter(pk=route.pk).exists()


def test_a_route_of_another_person_is_not_reached_through_ones_own_teacher(
    client_for, school_admin, teacher, other_school
):
    stranger = factories.EmploymentFactory(school=other_school).person
    route = factories.RouteFactory(person=stranger)
    client = client_for(school_admin)
    for name in ROUTE_URLS:
        assert client.get(reverse(name, args=[teacher.pk, route.pk])).status_code == 404


def test_the_methodologist_reads_and_edits_the_districts_routes(
    client_for, methodologist, school, teacher
):
    route = factories.RouteFactory(person=teacher)
    client = client_for(methodologist)
    assert client.get(reverse("route_list", args=[school.code])).status_code == 200
    for name in ROUTE_URLS:
        assert client.get(reverse(name, args=[teacher.pk, route.pk])).status_code == 200, name
