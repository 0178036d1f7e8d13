"""The course order's lines for the problem fields of students' results (hand-computed, Y =
2024, R = 31.08.2025, W3 from 01.09.2022): maths is a problem field of S-A (9 of 48, 18,8 %;
the district 31 of 412, 7,5 %), Russian of S-B (8 of 40, 20,0 %; the district 9 of 80). A line
per subject proposes the teachers of the school letters' appendix: no subject ПК in W3 or a
«Предметный» deficit."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from deficits.letter import order_letter_draft
from deficits.models import CourseOrder, CourseOrderLine
from profdev.models import CourseCompletion, Employment
from recommendations.services import letter_pdf
from tests import factories
from tests.deficits.test_views import threshold  # noqa: F401 (fixtures)
from tests.effectiveness.pdf import text as pdf_text
from tests.html import page, rows, texts
from tests.monitoring.conftest import teacher
from tests.recommendations.appendix import appendix_rows
from tests.recommendations.appendix import text as body_text
from tests.recommendations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORDER = reverse("deficits:order", args=[2024])
ADD = reverse("deficits:order_problem_lines", args=[2024])
ALERT = "//div[contains(@class,'alert')]"


def subject_course(person, finished_on):
    factories.CourseFactory(
        person=person, finished_on=finished_on, topics=",subject,", kind=CourseCompletion.Kind.PK
    )


def subject_score(person, score, date=dt.date(2024, 10, 1)):
    factories.DiagnosticFactory(person=person, date=date, subject=score)


@pytest.fixture
def results(school, other_school):
    for s, subject, failed, participants in (
        (school, "maths", 9, 48),
        (other_school, "maths", 22, 364),
        (school, "russian", 1, 40),
        (other_school, "russian", 8, 40),
    ):
        factories.StudentResultFactory(
            school=s, subject=subject, failed=failed, participants=participants
        )


@pytest.fixture
def order(client_for, methodologist, results, school, other_school):
    """S-A's maths teachers: Алексеева (subject ПК on W3's last day), Борисова (none),
    Васильева (a ПК, then a «Предметный» deficit), Григорьева (maths and physics, none; a
    deficit), Дмитриева (a manager: outside PED); S-B: Жукова (Russian, none), Зайцева
    (maths, not a problem field there). The order built from the target groups first."""
    covered = teacher(school, last_name="Алексеева", subjects=",maths,")
    subject_course(covered, dt.date(2025, 8, 31))
    teacher(school, last_name="Борисова", subjects=",maths,")
    deficit = teacher(school, last_name="Васильева", subjects=",maths,")
    subject_course(deficit, dt.date(2023, 5, 10))
    subject_score(deficit, 45)
    subject_score(teacher(school, last_name="Григорьева", subjects=",maths,physics,"), 50)
    teacher(
        school,
        last_name="Дмитриева",
        subjects=",maths,",
        category=Employment.Category.MANAGERIAL,
    )
    teacher(other_school, last_name="Жукова", subjects=",russian,")
    teacher(other_school, last_name="Зайцева", subjects=",maths,")
    client_for(methodologist).post(ORDER)
    return CourseOrder.objects.get()


def subject_lines():
    return {
        line.subject: line
        for line in CourseOrderLine.objects.filter(component="subject").exclude(subject="")
    }


def test_the_button_adds_a_line_per_problem_subject(
    client_for, methodologist, order, school, other_school
):
    client = client_for(methodologist)
    buttons = page(client.get(ORDER)).xpath(
        "//button[normalize-space(.)='Добавить строки по проблемным полям']"
    )
    assert len(buttons) == 1

    response = client.post(ADD, follow=True)

    html = page(response)
    assert "Строки по проблемным полям: добавлено 2, обновлено 0." in texts(html, ALERT)
    assert [r[:3] for r in rows(html)[1:4]] == [  # subjects in the subject list's order
        ["Предметный", "предметная", "2"],  # the target group: Васильева, Григорьева
        ["Предметный: русский язык", "предметная", "1"],
        ["Предметный: математика", "предметная", "3"],
    ]
    by_school = rows(html, "(//table)[2]")
    assert by_school[0][:4] == [
        "ОО",
        "Предметный",
        "Предметный: русский язык",
        "Предметный: математика",
    ]
    assert by_school[1][:4] == [school.short_name, "2", "0", "3"]
    assert by_school[2][:4] == [other_school.short_name, "0", "1", "0"]
    lines = subject_lines()
    assert {s: (x.proposed, x.number, x.topics) for s, x in lines.items()} == {
        "maths": (3, 3, ",subject,"),
        "russian": (1, 1, ",subject,"),
    }


def test_adding_again_updates_the_lines_and_keeps_what_was_settled(
    client_for, methodologist, order, school
):
    client = client_for(methodologist)
    client.post(ADD)
    provider = factories.ProviderFactory(name="ГАУ ДПО ИРО")
    key = "subject-maths"
    response = client.post(
        reverse("deficits:order_line", args=[2024, key]),
        {f"{key}-provider": provider.pk, f"{key}-hours": "36", f"{key}-number": "5"},
        follow=True,
    )
    assert "Строка «Предметный: математика» сохранена." in texts(page(response), ALERT)
    teacher(school, last_name="Ильина", subjects=",maths,")

    response = client.post(ADD, follow=True)

    assert "Строки по проблемным полям: добавлено 0, обновлено 2." in texts(page(response), ALERT)
    maths = subject_lines()["maths"]
    assert (maths.proposed, maths.number, maths.provider, maths.hours) == (4, 5, provider, 36)
    assert maths.schools.get().proposed == 4
    assert CourseOrderLine.objects.filter(component="subject").count() == 3  # no duplicates


def test_one_line_per_component_and_subject_in_the_database(order):
    with transaction.atomic(), pytest.raises(IntegrityError):
        CourseOrderLine.objects.create(order=order, component="subject", proposed=0, number=0)
    with transaction.atomic(), pytest.raises(IntegrityError):
        CourseOrderLine.objects.create(
            order=order, component="digital", subject="maths", proposed=0, number=0
        )


def test_the_provider_letter_shows_the_subject(client_for, methodologist, order, district, school):
    client_for(methodologist).post(ADD)
    OrganisationFactory(district=district)
    provider = factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")
    CourseOrderLine.objects.filter(subject="maths").update(
        provider=provider, programme="Решение задач повышенной сложности", hours=36, number=3
    )
    letter = order_letter_draft(order=order, provider=provider, user=methodologist).letter
    [line] = letter.figures["order"]["lines"]
    assert (line["component"], line["subject"]) == ("Предметный", "математика")
    text = pdf_text(letter_pdf(letter))
    assert (
        "«Решение задач повышенной сложности» (предметный компонент, математика, 36 ч) — 3 места."
        in text
    )
    assert (
        "Строки с предметом составлены по проблемным полям результатов обучающихся: учителя "
        "предмета в образовательных организациях, где он — проблемное поле, не прошедшие за три "
        "года повышение квалификации предметной направленности или с предметным дефицитом по "
        "итогам диагностики." in body_text(letter.body)
    )
    assert "Предметный (математика): предметная Решение задач повышенной сложности" in text
    assert "Строка 1 (математика)" in text
    tables = appendix_rows(letter)
    assert tables[1] == [
        "1",
        "Предметный (математика): предметная",
        "Решение задач повышенной сложности",
        "—",
        "36",
        "3",
    ]
    assert tables[3:5] == [
        ["№ п/п", "Образовательная организация", "Строка 1 (математика)"],
        ["1", school.short_name, "3"],
    ]


def test_without_problem_fields_nothing_is_added(client_for, methodologist, school):
    teacher(school, last_name="Борисова", subjects=",maths,")
    factories.StudentResultFactory(school=school, failed=0, participants=40)
    client = client_for(methodologist)
    client.post(ORDER)

    response = client.post(ADD, follow=True)

    assert (
        "В результатах обучающихся 2024/2025 учебного года проблемных полей нет: добавлять "
        "нечего." in texts(page(response), ALERT)
    )
    assert not subject_lines()


def test_only_district_staff_add_lines(client_for, order, school_admin, other_school_admin):
    for user in (school_admin, other_school_admin, factories.UserFactory()):
        assert client_for(user).post(ADD).status_code == 404
    assert not subject_lines()


def test_adding_lines_without_an_order_is_404(client_for, methodologist, results):
    assert client_for(methodologist).post(ADD).status_code == 404


def test_adding_lines_takes_a_fixed_number_of_queries(
    client_for, methodologist, order, school, django_assert_num_queries
):
    client = client_for(methodologist)
    client.post(ADD)
    # The frame, the order, the problem fields (3), the teachers (1), the reference date, the
    # subject lines updated and their schools' rows replaced: however many teachers.
    with django_assert_num_queries(QUERIES):
        client.post(ADD)
    for n in range(4):
        teacher(school, last_name=f"Новикова{n}", subjects=",maths,")
    with django_assert_num_queries(QUERIES):
        client.post(ADD)
    assert subject_lines()["maths"].proposed == 7


QUERIES = 20
