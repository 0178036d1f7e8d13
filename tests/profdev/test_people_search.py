"""Search as you type for people: the JSON behind the staff list's search box and the
pickers, scoped as the staff list."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import factories

D = dt.date


@pytest.fixture
def staff(school, other_school):
    def hire(school, last, first, position="учитель", **kw):
        return factories.EmploymentFactory(
            school=school,
            position=position,
            hired_on=D(2015, 9, 1),
            person=factories.PersonFactory(last_name=last, first_name=first, middle_name=""),
            **kw,
        ).person

    return {
        "ivanova": hire(school, "Иванова", "Анна", "учитель физики"),
        "ivanov": hire(school, "Иванов", "Пётр"),
        "gone": hire(school, "Иванченко", "Ольга", dismissed_on=D(2020, 6, 30)),
        "petrova": hire(school, "Петрова", "Ивана"),
        "elsewhere": hire(other_school, "Иваненко", "Мария"),
    }


def search(client, school, q):
    return client.get(reverse("people_search", args=[school.code]), {"q": q})


def names(response) -> list[str]:
    return [r["name"] for r in response.json()["results"]]


def test_typed_letters_find_the_schools_people_working_today(
    client_for, school_admin, school, staff
):
    response = search(client_for(school_admin), school, "иван")
    assert response["Content-Type"] == "application/json"
    assert names(response) == ["Иванов Пётр", "Иванова Анна", "Петрова Ивана"]
    first = response.json()["results"][1]
    assert first == {
        "id": staff["ivanova"].pk,
        "name": "Иванова Анна",
        "detail": "учитель физики",
        "url": reverse("person_card", args=[staff["ivanova"].pk]),
    }


def test_every_word_narrows(client_for, school_admin, school, staff):
    assert names(search(client_for(school_admin), school, "иван анна")) == ["Иванова Анна"]


def test_one_letter_asks_for_more(client_for, school_admin, school, staff):
    assert search(client_for(school_admin), school, "и").json() == {"results": [], "more": False}


def test_another_schools_administrator_gets_404(client_for, other_school_admin, school, staff):
    assert search(client_for(other_school_admin), school, "иван").status_code == 404


def test_the_methodologist_searches_any_school_of_the_district(
    client_for, methodologist, other_school, staff
):
    assert names(search(client_for(methodologist), other_school, "иван")) == ["Иваненко Мария"]


def test_only_get(client_for, school_admin, school):
    url = reverse("people_search", args=[school.code])
    assert client_for(school_admin).post(url, {"q": "иван"}).status_code == 405


def test_many_found_are_cut_and_say_so(client_for, school_admin, school):
    for n in range(25):
        factories.EmploymentFactory(
            school=school, hired_on=D(2015, 9, 1), person__last_name=f"Сидорова{n:02d}"
        )
    body = search(client_for(school_admin), school, "сидорова").json()
    assert len(body["results"]) == 20 and body["more"] is True


def test_a_fixed_number_of_queries(
    client_for, school_admin, school, staff, django_assert_num_queries
):
    client = client_for(school_admin)
    search(client, school, "иван")
    # session, user, roles, the school, the people; the session saved (savepoint, update)
    with django_assert_num_queries(8):
        search(client, school, "иван")


def test_the_pages_mark_their_search_boxes(client_for, methodologist, school, staff):
    client = client_for(methodologist)
    url = reverse("people_search", args=[school.code])
    staff_list = client.get(reverse("staff_list", args=[school.code])).content.decode()
    assert f'data-people-url="{url}"' in staff_list and "js/people_search.js" in staff_list
    routes = client.get(reverse("route_list", args=[school.code])).content.decode()
    assert f'data-people-url="{url}"' in routes
    mentorship = client.get(
        reverse("record_add", args=[staff["ivanova"].pk, "mentorship"])
    ).content.decode()
    assert mentorship.count(f'data-people-url="{url}"') == 2


def test_the_mentorship_pickers_offer_the_persons_schools_people_in_fixed_queries(
    client_for, methodologist, staff, django_assert_num_queries
):
    """A district has thousands of people: the pickers list those of the person's school
    (others are found by typing), in the same number of queries however many there are."""
    client = client_for(methodologist)
    url = reverse("record_add", args=[staff["ivanova"].pk, "mentorship"])
    client.get(url)
    with django_assert_num_queries(10):
        html = client.get(url).content.decode()
    assert "Иваненко" not in html  # another school's
    assert html.count("Петрова Ивана") == 2  # mentor and mentee
    factories.EmploymentFactory(school=staff["ivanova"].employments.get().school)
    with django_assert_num_queries(10):
        client.get(url)
