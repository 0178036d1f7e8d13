import datetime as dt

import pytest
from django.urls import reverse

from profdev.models import AccessLog, ChangeRecord
from tests import factories
from tests.html import page, rows, text

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
    for shown in (
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
        assert shown in html, shown
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.action) == (school_admin, teacher, AccessLog.Action.VIEW)


def test_diagnostic_deficits_are_marked(client_for, school_admin, teacher):
    table = "//*[@id='pane-diagnostics']//table"
    _header, first, *_ = rows(page(card(client_for(school_admin), teacher)), table)
    _date, instrument, *scores = first[:8]
    assert (instrument, scores) == ("ЕФОМ-2024", ["—", "70", "65", "80", "90", "45 дефицит"])


def test_mentorship_both_ways_links_only_to_visible_cards(
    client_for, school_admin, school, other_school, teacher
):
    mentee = factories.EmploymentFactory(school=school).person
    outside_mentor = factories.EmploymentFactory(school=other_school).person
    factories.MentorshipFactory(mentor=teacher, mentee=mentee)
    factories.MentorshipFactory(mentor=outside_mentor, mentee=teacher)
    html = page(card(client_for(school_admin), teacher))
    mentees, mentors = html.xpath("//*[@id='pane-mentorship']//table//tbody/tr/td[1]")
    assert text(mentees) == mentee.full_name
    assert mentees.xpath("a/@href") == [reverse("person_card", args=[mentee.pk])]
    assert (text(mentors), mentors.xpath("a")) == (outside_mentor.full_name, [])


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
    response = card(client_for(school_admin), teacher)
    _header, *history = rows(page(response), "//*[@id='pane-history']//table")
    assert [row[1:3] for row in history] == [["Нина Козлова", "форма портала"]] * 2
    html = response.content.decode()
    assert "фамилия: Лебедева → Лебедева-Орлова" in html
    assert "отчество: — → Ивановна" in html
    assert "дата окончания: 15.11.2024 → 20.11.2024" in html
    assert "форма: очная → очно-заочная" in html


def test_card_query_count_is_fixed(client_for, school_admin, teacher, django_assert_num_queries):
    client = client_for(school_admin)
    # session, user, grants, person, access log, whether the school keeps the person,
    # editable schools, employments, 7 record kinds, mentorship both ways, history,
    # navigation (the user's schools), session saved (savepoint, update, release)
    with django_assert_num_queries(22):
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
