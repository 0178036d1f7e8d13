"""People named on a measure: enrolled once each, only of the measure's district, counted with
the participants not named."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from effectiveness.models import Measure, MeasureParticipant
from effectiveness.services import measure_enrol
from tests import factories
from tests.effectiveness.test_views import a_measure
from tests.html import page, rows, text, texts

pytestmark = pytest.mark.django_db


def teacher(school, last_name: str):
    return factories.EmploymentFactory(school=school, person__last_name=last_name).person


def named(measure: Measure) -> list[str]:
    return sorted(measure.people.values_list("last_name", flat=True))


def test_enrolling_adds_each_person_once_and_counts_only_the_new(
    methodologist, district, school, other_school
):
    measure = a_measure(district, participants=12)
    ivanova, petrova, sidorova = (
        teacher(school, "Иванова"),
        teacher(other_school, "Петрова"),
        teacher(school, "Сидорова"),
    )
    assert measure_enrol(measure=measure, persons=[ivanova, petrova], user=methodologist) == 2
    assert measure_enrol(measure=measure, persons=[petrova, sidorova], user=methodologist) == 1
    assert measure_enrol(measure=measure, persons=[ivanova, ivanova], user=methodologist) == 0
    assert named(measure) == ["Иванова", "Петрова", "Сидорова"]
    assert MeasureParticipant.objects.get(person=sidorova).added_by == methodologist
    # 12 not named and 3 named.
    assert Measure.objects.get(pk=measure.pk).participants_total == 15


def test_a_person_of_another_district_is_refused_and_nobody_is_added(
    methodologist, district, school
):
    measure = a_measure(district)
    foreign_school = factories.SchoolFactory(district=factories.DistrictFactory(code="OTHER"))
    ours, foreign = teacher(school, "Иванова"), teacher(foreign_school, "Чужова")
    with pytest.raises(ValidationError) as error:
        measure_enrol(measure=measure, persons=[ours, foreign], user=methodologist)
    assert error.value.messages == [
        f"Участниками мероприятия «{measure.title}» можно назвать только работников ОО "
        f"муниципалитета «{district}», доступных вам; не подходят: Чужова Анна Сергеевна."
    ]
    assert not MeasureParticipant.objects.exists()


def test_a_person_who_left_the_district_can_still_be_named(methodologist, district, school):
    """Dismissed long ago, the person's employment here is the district's record of them."""
    measure = a_measure(district)
    person = factories.EmploymentFactory(
        school=school, person__last_name="Бывшева", dismissed_on=dt.date(2020, 6, 30)
    ).person
    assert measure_enrol(measure=measure, persons=[person], user=methodologist) == 1


def test_a_school_administrator_names_only_people_they_see(school_admin, district, other_school):
    measure = a_measure(district)
    stranger = teacher(other_school, "Незнакомова")
    with pytest.raises(ValidationError):
        measure_enrol(measure=measure, persons=[stranger], user=school_admin)
    assert not MeasureParticipant.objects.exists()


def test_the_measure_page_lists_the_named_people_and_saving_keeps_them(
    client_for, methodologist, district, school
):
    measure = a_measure(district, participants=4)
    measure_enrol(
        measure=measure,
        persons=[teacher(school, "Яковлева"), teacher(school, "Алексеева")],
        user=methodologist,
    )
    client = client_for(methodologist)
    url = reverse("effectiveness:measure_edit", args=[measure.pk])
    html = page(client.get(url))
    assert texts(html, "//*[@id='measure-people']/li") == [
        "Алексеева Анна Сергеевна",
        "Яковлева Анна Сергеевна",
    ]
    assert "Всего участников: 6 — названных поимённо 2 и без поимённого списка 4." in text(html)
    data = {
        "title": measure.title,
        "date": "17.10.2024",
        "kind": "seminar",
        "participants": "5",
        "indicators": ["IOM"],
    }
    assert client.post(url, data).status_code == 302
    assert named(measure) == ["Алексеева", "Яковлева"]


def test_the_list_shows_every_participant_in_a_fixed_number_of_queries(
    client_for, methodologist, district, school, django_assert_num_queries
):
    measures = [a_measure(district, title=f"Вебинар {n}", participants=n) for n in range(3)]
    for n, measure in enumerate(measures):
        people = [teacher(school, f"Участникова{n}{k}") for k in range(n * 2)]
        measure_enrol(measure=measure, persons=people, user=methodologist)
    client = client_for(methodologist)
    url = reverse("effectiveness:measures")
    client.get(url)
    # As without named people: session, user, grants, district, the filter's years, the chosen
    # indicator, count, the filter's indicators and schools, the page, its indicators and
    # schools, the session's save (3).
    with django_assert_num_queries(15):
        response = client.get(url, {"indicator": "IOM"})
    # Title → participants: 0 + 0, 1 + 2, 2 + 4 (all dated the same day: latest id first).
    table = rows(page(response))[1:]
    assert [(r[1], r[6]) for r in table] == [
        ("Вебинар 2", "6 поимённо 4"),
        ("Вебинар 1", "3 поимённо 2"),
        ("Вебинар 0", "0"),
    ]


def test_the_report_counts_named_and_other_participants(
    client_for, methodologist, two_years, district, school
):
    measure = a_measure(district, participants=3)
    people = [teacher(school, "Первова"), teacher(school, "Вторская")]
    measure_enrol(measure=measure, persons=people, user=methodologist)
    response = client_for(methodologist).get(reverse("effectiveness:report", args=[2024]))
    assert "целевых ОО: 3, остальных: 0; участников: 5" in text(page(response))
