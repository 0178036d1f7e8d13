import datetime as dt

import pytest
from django.urls import reverse

from profdev.models import ChangeRecord, CourseCompletion, Employment, MentorshipPair, Person
from profdev.workbook import rules
from tests import factories
from tests.html import form_errors, page

D = dt.date


@pytest.fixture
def teacher(school):
    return factories.EmploymentFactory(school=school, hired_on=D(2015, 9, 1)).person


@pytest.fixture
def provider(db):
    return factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")


def course_data(provider, **overrides):
    data = {
        "kind": "ПК",
        "programme": "Формирование функциональной грамотности",
        "provider": provider.pk,
        "hours": "36",
        "form": "очная",
        "finished_on": "15.11.2024",
        "document_number": "",
        "topics": ["цифровые", "оценка качества"],
        "pedagogical": "on",
    }
    return {**data, **overrides}


def add_url(person, kind):
    return reverse("record_add", args=[person.pk, kind])


def test_school_admin_adds_a_course_and_history_records_it(
    client_for, school_admin, teacher, provider
):
    client = client_for(school_admin)
    assert client.get(add_url(teacher, "courses")).status_code == 200
    response = client.post(add_url(teacher, "courses"), course_data(provider))
    assert response.status_code == 302
    assert response["Location"] == reverse("person_card", args=[teacher.pk]) + "#courses"
    course = CourseCompletion.objects.get(person=teacher)
    assert (course.kind, course.hours, course.finished_on) == ("pk", 36, D(2024, 11, 15))
    assert course.topic_list == ["assessment", "digital"] and course.pedagogical
    change = ChangeRecord.objects.get(person=teacher)
    assert (change.user, change.source, change.action) == (school_admin, "form", "create")
    assert change.changes["hours"] == [None, 36]
    assert change.changes["finished_on"] == [None, "2024-11-15"]
    html = client.get(reverse("person_card", args=[teacher.pk])).content.decode()
    assert "Формирование функциональной грамотности" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("finished_on", "31.02.2024", rules.validate(rules.date_value, "31.02.2024")[1]),
        ("finished_on", "15/11/2024", rules.validate(rules.date_value, "15/11/2024")[1]),
        ("finished_on", "", rules.REQUIRED),
        ("hours", "десять", rules.validate(rules.integer(1), "десять")[1]),
        ("hours", "10", rules.course_hours({"kind": "pk", "hours": 10})[0][1]),
        ("form", "вечерняя", rules.validate(rules.choice(CourseCompletion.Form), "вечерняя")[1]),
        ("programme", "   ", rules.REQUIRED),
    ],
)
def test_course_form_refuses_what_the_importer_refuses_with_its_message(
    client_for, school_admin, teacher, provider, field, value, message
):
    response = client_for(school_admin).post(
        add_url(teacher, "courses"), course_data(provider, **{field: value})
    )
    assert response.status_code == 200
    assert form_errors(page(response))[field] == [message]
    assert not CourseCompletion.objects.exists()


def test_the_same_course_twice_is_refused(client_for, school_admin, teacher, provider):
    client = client_for(school_admin)
    client.post(add_url(teacher, "courses"), course_data(provider))
    response = client.post(add_url(teacher, "courses"), course_data(provider))
    assert "такая запись уже есть" in form_errors(page(response))["kind"][0]
    assert CourseCompletion.objects.count() == 1


def test_overlapping_main_employment_is_refused_like_the_importer(
    client_for, methodologist, teacher, other_school
):
    response = client_for(methodologist).post(
        add_url(teacher, "employments"),
        {
            "school": other_school.pk,
            "position": "учитель химии",
            "category": "педагогический",
            "workplace": "основное",
            "hired_on": "01.09.2020",
            "dismissed_on": "",
        },
    )
    stored = teacher.employments.get()
    expected = rules.overlap_message(D(2015, 9, 1), None, f"ОО «{stored.school.short_name}»")
    assert form_errors(page(response))["hired_on"] == [expected]
    assert teacher.employments.count() == 1


def test_dismissal_before_hiring_is_refused(client_for, school_admin, teacher, school):
    employment = teacher.employments.get()
    response = client_for(school_admin).post(
        reverse("record_edit", args=[teacher.pk, "employments", employment.pk]),
        {
            "school": school.pk,
            "position": "учитель математики",
            "category": "педагогический",
            "workplace": "основное",
            "hired_on": "01.09.2015",
            "dismissed_on": "31.08.2015",
        },
    )
    assert form_errors(page(response))["dismissed_on"] == [
        "«31.08.2015» — раньше даты начала 01.09.2015"
    ]
    employment.refresh_from_db()
    assert employment.dismissed_on is None


def test_delete_asks_for_confirmation_then_deletes(client_for, school_admin, teacher):
    attestation = factories.AttestationFactory(person=teacher)
    url = reverse("record_delete", args=[teacher.pk, "attestations", attestation.pk])
    client = client_for(school_admin)
    page = client.get(url)
    assert "Удалить запись?" in page.content.decode()
    assert teacher.attestations.exists()
    assert client.post(url)["Location"].endswith("#attestations")
    assert not teacher.attestations.exists()
    change = ChangeRecord.objects.get(person=teacher)
    assert change.action == "delete" and change.changes["result"] == ["first", None]


def test_school_admin_may_not_delete_an_employment(client_for, school_admin, teacher):
    employment = teacher.employments.get()
    url = reverse("record_delete", args=[teacher.pk, "employments", employment.pk])
    assert client_for(school_admin).post(url).status_code == 404
    assert Employment.objects.filter(pk=employment.pk).exists()


def test_mentorship_pair_added_from_the_mentees_card(client_for, school_admin, teacher, school):
    mentor = factories.EmploymentFactory(school=school).person
    client = client_for(school_admin)
    form = client.get(add_url(teacher, "mentorship"))
    chosen = page(form).xpath("//select[@name='mentee']/option[@selected]/@value")
    assert chosen == [str(teacher.pk)]
    client.post(
        add_url(teacher, "mentorship"),
        {"mentor": mentor.pk, "mentee": teacher.pk, "started_on": "01.09.2024"},
    )
    pair = MentorshipPair.objects.get()
    assert (pair.mentor, pair.mentee) == (mentor, teacher)
    # one history entry on each side's card
    assert set(ChangeRecord.objects.values_list("person", flat=True)) == {mentor.pk, teacher.pk}
    response = client.post(
        add_url(teacher, "mentorship"),
        {"mentor": teacher.pk, "mentee": teacher.pk, "started_on": "01.09.2025"},
    )
    assert form_errors(page(response))["mentee"] == [
        rules.distinct_mentor({"mentor": 1, "mentee": 1})[0][1]
    ]
    assert MentorshipPair.objects.get() == pair


def test_mentor_from_another_school_cannot_be_chosen(
    client_for, school_admin, teacher, other_school
):
    outsider = factories.EmploymentFactory(school=other_school).person
    response = client_for(school_admin).post(
        add_url(teacher, "mentorship"),
        {"mentor": outsider.pk, "mentee": teacher.pk, "started_on": "01.09.2024"},
    )
    assert form_errors(page(response))["mentor"] == [
        "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."
    ]
    assert not MentorshipPair.objects.exists()


def person_data(person, **overrides):
    data = {
        "snils": person.formatted_snils,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": "ж",
        "birth_date": "17.05.1980",
        "education": "высшее педагогическое",
        "experience_since": "01.09.2005",
        "version": person.version,
    }
    return {**data, **overrides}


def test_second_of_two_concurrent_person_edits_is_refused(client_for, school_admin, teacher):
    url = reverse("person_edit", args=[teacher.pk])
    client = client_for(school_admin)
    opened = person_data(teacher)  # both forms opened at version 1
    first = client.post(url, {**opened, "last_name": "Первая"})
    assert first.status_code == 302
    second = client.post(url, {**opened, "last_name": "Вторая"})
    assert second.status_code == 200
    assert "уже изменил другой пользователь" in second.content.decode()
    teacher.refresh_from_db()
    assert (teacher.last_name, teacher.version) == ("Первая", 2)
    change = ChangeRecord.objects.get(person=teacher)
    assert change.changes == {"last_name": [opened["last_name"], "Первая"]}


def test_person_snils_with_a_wrong_control_number_is_refused(client_for, school_admin, teacher):
    bad = teacher.snils[:9] + f"{(int(teacher.snils[9:]) + 1) % 100:02d}"
    bad = f"{bad[:3]}-{bad[3:6]}-{bad[6:9]} {bad[9:]}"
    response = client_for(school_admin).post(
        reverse("person_edit", args=[teacher.pk]), person_data(teacher, snils=bad)
    )
    assert form_errors(page(response))["snils"] == [rules.validate(rules.snils, bad)[1]]
    teacher.refresh_from_db()
    assert teacher.version == 1


def test_new_teacher_with_first_employment(client_for, school_admin, school):
    snils = factories.next_snils()
    response = client_for(school_admin).post(
        reverse("teacher_add", args=[school.code]),
        {
            "snils": snils,
            "last_name": "Новикова",
            "first_name": "Дарья",
            "middle_name": "",
            "sex": "ж",
            "birth_date": "03.04.2001",
            "education": "высшее педагогическое",
            "experience_since": "2024-09-01",
            "school": school.pk,
            "position": "учитель английского языка",
            "category": "педагогический",
            "workplace": "основное",
            "hired_on": "01.09.2024",
            "dismissed_on": "",
        },
    )
    person = Person.objects.get(snils=snils)
    assert response["Location"] == reverse("person_card", args=[person.pk])
    employment = person.employments.get()
    assert (employment.school, employment.hired_on) == (school, D(2024, 9, 1))
    assert ChangeRecord.objects.filter(person=person).count() == 2  # person and employment


def test_new_teacher_with_a_known_snils_is_refused(client_for, school_admin, school, teacher):
    response = client_for(school_admin).post(
        reverse("teacher_add", args=[school.code]), {"snils": teacher.snils}
    )
    errors = form_errors(page(response))
    assert "уже есть в системе" in errors["snils"][0]
    assert errors["last_name"] == [rules.REQUIRED]
    assert list(Person.objects.all()) == [teacher]


KINDS = [
    ("courses", factories.CourseFactory),
    ("attestations", factories.AttestationFactory),
    ("contests", factories.ContestFactory),
    ("diagnostics", factories.DiagnosticFactory),
    ("routes", factories.RouteFactory),
    ("activities", factories.ActivityFactory),
    ("burnout", factories.BurnoutFactory),
]


@pytest.mark.parametrize(("kind", "factory"), KINDS)
def test_other_school_admin_gets_404_for_every_record_url(
    client_for, other_school_admin, teacher, kind, factory
):
    record = factory(person=teacher)
    client = client_for(other_school_admin)
    for url in (
        add_url(teacher, kind),
        reverse("record_edit", args=[teacher.pk, kind, record.pk]),
        reverse("record_delete", args=[teacher.pk, kind, record.pk]),
        reverse("person_edit", args=[teacher.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert record.__class__.objects.filter(pk=record.pk).exists()


def test_guessing_a_record_id_through_ones_own_teacher_gets_404(
    client_for, other_school_admin, other_school, teacher
):
    theirs = factories.EmploymentFactory(school=other_school).person
    record = factories.CourseFactory(person=teacher)  # not their teacher's course
    url = reverse("record_edit", args=[theirs.pk, "courses", record.pk])
    assert client_for(other_school_admin).get(url).status_code == 404


def test_teacher_add_of_another_school_gets_404(client_for, other_school_admin, school):
    assert (
        client_for(other_school_admin).get(reverse("teacher_add", args=[school.code])).status_code
        == 404
    )


def test_methodologist_edits_and_deletes(client_for, methodologist, teacher):
    employment = teacher.employments.get()
    client = client_for(methodologist)
    url = reverse("record_delete", args=[teacher.pk, "employments", employment.pk])
    assert client.post(url).status_code == 302
    assert not teacher.employments.exists()


def test_unknown_kind_is_404(client_for, methodologist, teacher):
    assert client_for(methodologist).get(add_url(teacher, "salaries")).status_code == 404


def test_anonymous_is_sent_to_login(client, teacher):
    response = client.get(add_url(teacher, "courses"))
    assert response["Location"].startswith(reverse("login"))


def test_dates_are_picked_in_a_calendar_and_saved_from_its_value(client_for, school_admin, teacher):
    """The date picker holds ГГГГ-ММ-ДД; what it sends is saved as that date."""
    employment = teacher.employments.get()
    url = reverse("record_edit", args=[teacher.pk, "employments", employment.pk])
    client = client_for(school_admin)
    [hired] = page(client.get(url)).xpath("//input[@name='hired_on']")
    assert (hired.get("type"), hired.get("value")) == ("date", f"{employment.hired_on:%Y-%m-%d}")
    response = client.post(
        url,
        {
            "school": employment.school.pk,
            "position": employment.position,
            "category": "педагогический",
            "workplace": "основное",
            "hired_on": employment.hired_on.isoformat(),
            "dismissed_on": "2030-06-30",
        },
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.dismissed_on == D(2030, 6, 30)


def test_save_and_add_another_returns_to_an_empty_form(client_for, school_admin, teacher, provider):
    client = client_for(school_admin)
    url = add_url(teacher, "courses")
    assert ">Сохранить и добавить ещё</button>" in client.get(url).content.decode()
    response = client.post(url, {**course_data(provider), "add_another": ""}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Сохранено" in response.content.decode()
    assert CourseCompletion.objects.filter(person=teacher).count() == 1
    course = CourseCompletion.objects.get(person=teacher)
    edit = reverse("record_edit", args=[teacher.pk, "courses", course.pk])
    assert "добавить ещё" not in client.get(edit).content.decode()  # only when adding
