import datetime as dt

import pytest
from django.urls import reverse

from profdev.models import AccessLog, ChangeRecord
from tests import factories

D = dt.date


@pytest.fixture
def teacher(school):
    person = factories.EmploymentFactory(
        school=school,
        position="учитель физики",
        person=factories.PersonFactory(last_name="Лебедева", birth_date=D(1979, 4, 2)),
    ).person
    factories.CourseFactory(person=person, programme="Цифровая школа", topics=",digital,")
    factories.AttestationFactory(person=person, date=D(2024, 3, 1))
    factories.ContestFactory(person=person, name="Педагогический дебют")
    factories.DiagnosticFactory(person=person, instrument="ЕФОМ-2024", digital=45, subject=None)
    factories.RouteFactory(person=person, tutor="Орлов П. С.")
    factories.ActivityFactory(person=person, description="руководитель ШМО")
    factories.BurnoutFactory(person=person)
    return person


def card(client, person):
    return client.get(reverse("person_card", args=[person.pk]))


def test_school_admin_sees_full_card_and_the_view_is_logged(client_for, school_admin, teacher):
    response = card(client_for(school_admin), teacher)
    assert response.status_code == 200
    html = response.content.decode()
    assert teacher.formatted_snils in html  # the card is the one place with the full СНИЛС
    assert "02.04.1979" in html
    for text in (
        "учитель физики",
        "Цифровая школа",
        "цифровые",
        "первая",
        "Педагогический дебют",
        "ЕФОМ-2024",
        "Орлов П. С.",
        "руководитель ШМО",
        "низкий",
    ):
        assert text in html, text
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action) == (school_admin, teacher, AccessLog.Action.VIEW)


def test_diagnostic_deficits_are_marked(client_for, school_admin, teacher):
    row = card(client_for(school_admin), teacher).context["card"].diagnostics[0]
    assert [(s.value, s.deficit) for s in row.scores] == [
        (None, False),
        (70, False),
        (65, False),
        (80, False),
        (90, False),
        (45, True),
    ]
    assert "дефицит</span>" in card(client_for(school_admin), teacher).content.decode()


def test_mentorship_both_ways_links_only_to_visible_cards(
    client_for, school_admin, school, other_school, teacher
):
    mentee = factories.EmploymentFactory(school=school).person
    outside_mentor = factories.EmploymentFactory(school=other_school).person
    factories.MentorshipFactory(mentor=teacher, mentee=mentee)
    factories.MentorshipFactory(mentor=outside_mentor, mentee=teacher)
    response = card(client_for(school_admin), teacher)
    data = response.context["card"]
    assert [(r.other, r.linked) for r in data.mentees] == [(mentee, True)]
    assert [(r.other, r.linked) for r in data.mentors] == [(outside_mentor, False)]
    html = response.content.decode()
    assert reverse("person_card", args=[mentee.pk]) in html
    assert outside_mentor.full_name in html
    assert reverse("person_card", args=[outside_mentor.pk]) not in html


def test_history_shows_who_when_what_in_words(client_for, school_admin, teacher):
    editor = factories.UserFactory(username="zavuch", first_name="Нина", last_name="Козлова")
    change = {"person": teacher, "user": editor, "source": "form"}
    ChangeRecord.objects.create(
        **change,
        record_type="работник",
        record_label=teacher.full_name,
        action=ChangeRecord.Action.UPDATE,
        changes={"last_name": ["Лебедева", "Лебедева-Орлова"], "middle_name": [None, "Ивановна"]},
    )
    ChangeRecord.objects.create(
        **change,
        record_type="пройденная программа",
        record_label="ПК, Цифровая школа",
        action=ChangeRecord.Action.UPDATE,
        changes={"finished_on": ["2024-11-15", "2024-11-20"], "form": ["full_time", "mixed"]},
    )
    html = card(client_for(school_admin), teacher).content.decode()
    assert "Нина Козлова" in html
    assert "фамилия: Лебедева → Лебедева-Орлова" in html
    assert "отчество: — → Ивановна" in html
    assert "дата окончания: 15.11.2024 → 20.11.2024" in html
    assert "форма: очная → очно-заочная" in html


def test_card_query_count_is_fixed(client_for, school_admin, teacher, django_assert_num_queries):
    client = client_for(school_admin)
    # session, user, grants, person, access log, whether the school keeps the person,
    # editable schools, employments, 7 record kinds, mentorship both ways, history,
    # navigation (ours and monitoring's link: 2), session saved (savepoint, update, release)
    with django_assert_num_queries(23):
        card(client, teacher)


def test_other_school_admin_gets_404_and_nothing_is_logged(client_for, other_school_admin, teacher):
    assert card(client_for(other_school_admin), teacher).status_code == 404
    assert not AccessLog.objects.exists()


def test_guessed_ids_answer_404(client_for, other_school_admin, teacher):
    client = client_for(other_school_admin)
    for pk in (teacher.pk, teacher.pk + 1, 999_999):
        assert client.get(reverse("person_card", args=[pk])).status_code == 404


def test_methodologist_of_the_district_reads(client_for, methodologist, teacher):
    assert card(client_for(methodologist), teacher).status_code == 200


def test_anonymous_is_sent_to_login(client, teacher):
    response = card(client, teacher)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
