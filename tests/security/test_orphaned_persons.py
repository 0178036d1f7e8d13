"""A person with no employment left is seen only by the staff of their last employment's
district (and regional staff); one never employed only by regional staff (portal.md)."""

import datetime as dt

import pytest

from profdev.models import Employment, Person, RoleGrant
from profdev.roles import grant_role
from profdev.workbook.importer import import_workbook
from tests import factories
from tests.profdev.workbook.builders import school as school_row
from tests.profdev.workbook.builders import staff, xlsx

Role = RoleGrant.Role


@pytest.fixture
def other_district(db):
    district = factories.DistrictFactory(code="OTHER", name="Соседний район")
    factories.SchoolFactory(district=district, code="O-A")
    return district


@pytest.fixture
def methodologists(district, other_district):
    """Methodologists of our district, of the neighbouring one, and the regional one."""
    grants = {
        "ours": {"role": Role.METHODOLOGIST, "district_code": district.code},
        "theirs": {"role": Role.METHODOLOGIST, "district_code": other_district.code},
        "regional": {"role": Role.REGIONAL_METHODOLOGIST},
    }
    return {name: grant_role(username=name, **grant).user for name, grant in grants.items()}


def reach(client, user, person: Person) -> dict[str, int]:
    """What a user gets for the person's card, edit form and one of their records."""
    client.force_login(user)
    course = person.courses.get()
    base = f"/persons/{person.pk}/"
    return {
        "card": client.get(base).status_code,
        "edit": client.get(f"{base}edit/").status_code,
        "record": client.get(f"{base}courses/{course.pk}/").status_code,
    }


def hidden(client, user, person: Person) -> bool:
    """Nothing of the person reached, and their record cannot be deleted."""
    course = person.courses.get()
    pages = reach(client, user, person)
    deleted = client.post(f"/persons/{person.pk}/courses/{course.pk}/delete/").status_code
    return pages == {"card": 404, "edit": 404, "record": 404} and deleted == 404


def seen(client, user, person: Person) -> bool:
    return reach(client, user, person) == {"card": 200, "edit": 200, "record": 200}


@pytest.fixture
def employed(school):
    person = factories.EmploymentFactory(school=school).person
    factories.CourseFactory(person=person)
    return person


def test_a_person_whose_employment_was_deleted_in_the_form_stays_with_that_district(
    client, school, employed, methodologists
):
    employment = employed.employments.get()
    client.force_login(methodologists["ours"])
    response = client.post(f"/persons/{employed.pk}/employments/{employment.pk}/delete/")
    assert response.status_code == 302
    assert not Employment.objects.exists()

    assert hidden(client, methodologists["theirs"], employed)
    assert seen(client, methodologists["regional"], employed)
    assert seen(client, methodologists["ours"], employed)


def test_a_person_whose_employment_the_workbook_deleted_stays_with_that_district(
    client, school, employed, methodologists
):
    employment = employed.employments.get()
    row = staff(employed.snils, code=school.code, **{"Дата приема": employment.hired_on})
    book = xlsx({"ОО": [school_row(school.code)], "Педагоги": [{**row, "Удалить": "да"}]})
    analysis = import_workbook(book)
    assert analysis.errors == []
    assert not Employment.objects.exists()

    assert hidden(client, methodologists["theirs"], employed)
    assert seen(client, methodologists["ours"], employed)


def test_the_latest_employment_decides_the_district(client, school, other_district, methodologists):
    person = factories.EmploymentFactory(
        school=school, hired_on=dt.date(2010, 9, 1), dismissed_on=dt.date(2015, 8, 31)
    ).person
    factories.EmploymentFactory(
        person=person, school=other_district.schools.get(), hired_on=dt.date(2015, 9, 1)
    )
    factories.CourseFactory(person=person)
    Employment.objects.filter(person=person).delete()

    assert hidden(client, methodologists["ours"], person)
    assert seen(client, methodologists["theirs"], person)


def test_a_person_never_employed_is_seen_by_regional_staff_only(client, district, methodologists):
    person = factories.PersonFactory()
    factories.CourseFactory(person=person)

    assert hidden(client, methodologists["ours"], person)
    assert hidden(client, methodologists["theirs"], person)
    assert seen(client, methodologists["regional"], person)
