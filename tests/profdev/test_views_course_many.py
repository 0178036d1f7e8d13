"""One course for many teachers: ticked in the staff list, saved for each, all or none."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profdev.models import ChangeRecord, CourseCompletion
from tests import factories
from tests.html import page, texts
from tests.profdev.test_views_forms import course_data

D = dt.date


@pytest.fixture
def provider(db):
    return factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")


@pytest.fixture
def teachers(school):
    return [
        factories.EmploymentFactory(
            school=school, hired_on=D(2015, 9, 1), person__last_name=name
        ).person
        for name in ("Борисова", "Алексеева", "Волкова")
    ]


def url(school, people=()):
    query = "&".join(f"person={p.pk}" for p in people)
    return reverse("course_add_many", args=[school.code]) + (f"?{query}" if query else "")


def test_the_staff_list_ticks_people_for_one_course(client_for, school_admin, school, teachers):
    html = page(client_for(school_admin).get(reverse("staff_list", args=[school.code])))
    [form] = html.xpath("//form[@id='pick-people']")
    assert form.get("action") == reverse("course_add_many", args=[school.code])
    boxes = html.xpath("//input[@type='checkbox'][@form='pick-people']")
    assert sorted(int(b.get("value")) for b in boxes) == sorted(p.pk for p in teachers)


def test_one_course_is_saved_for_every_ticked_teacher(
    client_for, school_admin, school, teachers, provider
):
    client = client_for(school_admin)
    chosen = teachers[:2]
    shown = page(client.get(url(school, chosen)))
    assert texts(shown, "//ul[@id='course-people']/li") == [p.full_name for p in chosen[::-1]]
    data = {**course_data(provider), "person": [p.pk for p in chosen]}
    response = client.post(url(school), data, follow=True)
    assert response.redirect_chain == [(reverse("staff_list", args=[school.code]), 302)]
    assert "Курс добавлен 2 сотрудникам." in response.content.decode()
    courses = CourseCompletion.objects.filter(programme=data["programme"])
    assert sorted(c.person_id for c in courses) == sorted(p.pk for p in chosen)
    assert ChangeRecord.objects.filter(action="create", user=school_admin).count() == 2


def test_nothing_is_saved_when_one_of_them_has_the_course(
    client_for, school_admin, school, teachers, provider
):
    factories.CourseFactory(
        person=teachers[1],
        kind="pk",
        programme="Формирование функциональной грамотности",
        provider=provider,
        finished_on=D(2024, 11, 15),
    )
    data = {**course_data(provider), "person": [p.pk for p in teachers]}
    response = client_for(school_admin).post(url(school), data)
    assert response.status_code == 200
    said = f"Такая запись уже есть у: {teachers[1].full_name}. Ничего не добавлено."
    assert response.content.decode().count(said) == 1
    assert CourseCompletion.objects.count() == 1


def test_bad_input_saves_nothing(client_for, school_admin, school, teachers, provider):
    data = {**course_data(provider, hours="десять"), "person": [p.pk for p in teachers]}
    response = client_for(school_admin).post(url(school), data)
    assert response.status_code == 200 and "не целое число" in response.content.decode()
    assert not CourseCompletion.objects.exists()


def test_other_schools_people_cannot_be_ticked(
    client_for, school_admin, other_school_admin, school, other_school, teachers
):
    stranger = factories.EmploymentFactory(school=other_school).person
    response = client_for(school_admin).get(url(school, [stranger]))
    assert response.status_code == 302  # nobody of this school chosen: back to the list
    assert client_for(other_school_admin).get(url(school, teachers)).status_code == 404


def test_a_course_for_fifteen_takes_the_queries_of_a_course_for_two(
    client_for, school_admin, school, teachers, provider
):
    """Validated once, inserted together, its history written at once: a fixed number of
    queries whatever the number of people ticked; each person's history has the course."""
    client = client_for(school_admin)
    many = teachers + [factories.EmploymentFactory(school=school).person for _ in range(12)]

    def post(people, programme):
        data = {**course_data(provider), "programme": programme, "person": [p.pk for p in people]}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url(school), data).status_code == 302
        return len(queries)

    assert post(many, "Программа для пятнадцати") == post(teachers[:2], "Программа для двух")
    assert CourseCompletion.objects.filter(programme="Программа для пятнадцати").count() == 15
    history = ChangeRecord.objects.filter(record_type="пройденная программа", action="create")
    assert sorted(history.values_list("person_id", flat=True)) == sorted(
        p.pk for p in [*many, *teachers[:2]]
    )
    assert {h.changes["programme"][1] for h in history} == {
        "Программа для пятнадцати",
        "Программа для двух",
    }
