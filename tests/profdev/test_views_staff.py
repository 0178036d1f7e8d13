import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from profdev.models import Employment
from tests import factories
from tests.html import page, text, texts

TODAY = dt.datetime(2025, 3, 15, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def staff(school, other_school):
    """Four employments at the school, one at the other; see each test for what matters."""
    young = factories.EmploymentFactory(
        school=school,
        position="учитель истории",
        person=factories.PersonFactory(
            last_name="Иванова",
            birth_date=dt.date(1990, 3, 16),  # 34 on 15.03.2025
            experience_since=dt.date(2022, 3, 16),  # 2 full years
        ),
        hired_on=dt.date(2022, 3, 16),
    )
    manager = factories.EmploymentFactory(
        school=school,
        position="заместитель директора",
        category=Employment.Category.MANAGERIAL,
        person=factories.PersonFactory(
            last_name="Петров",
            first_name="Олег",
            birth_date=dt.date(1990, 3, 15),  # 35 today: not young
            experience_since=dt.date(2023, 9, 1),
        ),
    )
    factories.CourseFactory(person=manager.person, finished_on=dt.date(2022, 9, 1))  # in W3
    part_timer = factories.EmploymentFactory(
        school=school,
        workplace=Employment.Workplace.PART_TIME,
        person=factories.PersonFactory(last_name="Сидорова"),
    )
    factories.CourseFactory(person=part_timer.person, finished_on=dt.date(2022, 8, 31))  # before
    dismissed = factories.EmploymentFactory(
        school=school,
        person=factories.PersonFactory(last_name="Кузнецова"),
        dismissed_on=dt.date(2025, 3, 14),
    )
    factories.EmploymentFactory(
        school=other_school, person=factories.PersonFactory(last_name="Чужая")
    )
    return {"young": young, "manager": manager, "part_timer": part_timer, "dismissed": dismissed}


def names(response) -> list[str]:
    """The surnames in the staff table, in its order."""
    return [name.split()[0] for name in texts(page(response), "//table//tbody/tr/td[1]")]


def get(client, school, **params):
    return client.get(reverse("staff_list", args=[school.code]), params)


def test_school_admin_sees_staff_working_today_with_masked_snils(
    client_for, school_admin, school, staff
):
    response = get(client_for(school_admin), school)
    assert response.status_code == 200
    assert names(response) == ["Иванова", "Петров", "Сидорова"]
    html = response.content.decode()
    snils = staff["young"].person.snils
    assert f"***-***-*** {snils[-2:]}" in html
    assert snils not in html and staff["young"].person.formatted_snils not in html
    assert "Чужая" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "dismissed"}, ["Кузнецова"]),
        ({"status": "all"}, ["Иванова", "Кузнецова", "Петров", "Сидорова"]),
        ({"q": "петр"}, ["Петров"]),
        ({"q": "Олег петров"}, ["Петров"]),
        ({"q": "Анна"}, ["Иванова", "Сидорова"]),
        ({"position": "учитель истории"}, ["Иванова"]),
        ({"category": "managerial"}, ["Петров"]),
        ({"workplace": "part_time"}, ["Сидорова"]),
        ({"young": "on"}, ["Иванова"]),
        ({"no_courses": "on"}, ["Иванова", "Сидорова"]),
        ({"status": "all", "no_courses": "on"}, ["Иванова", "Кузнецова", "Сидорова"]),
        ({"sort": "position"}, ["Петров", "Иванова", "Сидорова"]),
        ({"sort": "name", "desc": "on"}, ["Сидорова", "Петров", "Иванова"]),
        ({"category": "bogus"}, ["Иванова", "Петров", "Сидорова"]),
    ],
)
def test_search_filters_and_sorting(client_for, school_admin, school, staff, params, expected):
    assert names(get(client_for(school_admin), school, **params)) == expected


def test_sort_header_links_reverse_the_current_column(client_for, school_admin, school, staff):
    html = page(get(client_for(school_admin), school, sort="name", q="а", page=2))
    [name_header] = html.xpath("//th[@aria-sort='ascending']")
    assert text(name_header) == "ФИО ▲"
    # Sorting again goes back to the first page.
    assert name_header.xpath("a/@href") == ["?q=%D0%B0&sort=name&desc=on"]
    [position_header] = html.xpath("//th[a[starts-with(., 'Должность')]]")
    assert position_header.get("aria-sort") == "none"
    assert position_header.xpath("a/@href") == ["?q=%D0%B0&sort=position"]


def test_pagination_by_fifty(client_for, school_admin, school):
    factories.EmploymentFactory.create_batch(51, school=school)
    client = client_for(school_admin)
    assert len(names(get(client, school))) == 50
    second = get(client, school, page=2)
    assert len(names(second)) == 1
    assert "Найдено: 51 · страница 2 из 2" in second.content.decode()


def test_query_count_does_not_grow_with_rows(
    client_for, school_admin, school, staff, django_assert_num_queries
):
    client = client_for(school_admin)
    # session, user, role grants, school, positions, count, navigation (the user's schools),
    # page, and the session saved again (savepoint, update, release)
    with django_assert_num_queries(11):
        get(client, school, status="all")
    factories.EmploymentFactory.create_batch(30, school=school)
    with django_assert_num_queries(11):
        get(client, school, status="all")


def test_other_school_admin_gets_404(client_for, other_school_admin, school, staff):
    assert get(client_for(other_school_admin), school).status_code == 404


def test_methodologist_of_the_district_reads(client_for, methodologist, school, staff):
    assert names(get(client_for(methodologist), school)) == ["Иванова", "Петров", "Сидорова"]


def test_methodologist_of_another_district_gets_404(client_for, school, staff):
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(user=outsider, district=factories.DistrictFactory(code="OTHER"))
    assert get(client_for(outsider), school).status_code == 404


def test_anonymous_is_sent_to_login(client, school):
    response = get(client, school)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
