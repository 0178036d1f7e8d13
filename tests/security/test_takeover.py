"""A school administrator cannot take over a person their school does not keep (workbook.md
«Who may change what», version 3): not through a workbook («Педагоги» naming the person with
changed data, records of the person), not through the forms, not through the card's URLs.

The attack: a book from school S-A names a teacher kept by another school (or district) in a
«Педагоги» row of S-A as «совместительство» with a changed surname and birth date, and adds a
«Выгорание» row. Before version 3 it passed with «Педагоги: добавление 1», overwrote the
person and gave S-A their full card and records."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from profdev.models import (
    BurnoutRecord,
    ChangeRecord,
    DeficitDiagnostic,
    Employment,
    Person,
    Upload,
)
from profdev.workbook import rules
from profdev.workbook.importer import analyse_workbook, import_workbook, state_token
from profdev.workbook.sheets import SHEETS
from tests import factories
from tests.html import form_errors, page, rows, text
from tests.profdev.test_views_upload import ERRORS
from tests.profdev.workbook.builders import school as school_row
from tests.profdev.workbook.builders import staff, xlsx

D = dt.date
PART_TIME = Employment.Workplace.PART_TIME
RECORD_MODELS = [*(s.model for s in SHEETS), Person, ChangeRecord]


def record_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in RECORD_MODELS}


def own_row(school) -> dict:
    return school_row(
        school.code, **{"Наименование": school.name, "Краткое наименование": school.short_name}
    )


def named(person, **values) -> dict:
    """A «Педагоги» row of S-A naming `person` as a part-timer with their stored data."""
    return staff(
        person.snils,
        **{
            "Фамилия": person.last_name,
            "Имя": person.first_name,
            "Отчество": person.middle_name,
            "Дата рождения": person.birth_date,
            "Место работы": "совместительство",
            "Дата приема": D(2024, 9, 1),
            **values,
        },
    )


def attack_book(school, victim, **staff_values) -> io.BytesIO:
    row = named(victim, **{"Фамилия": "Захватова", "Дата рождения": D(1990, 1, 1)}, **staff_values)
    burnout = {"СНИЛС": victim.snils, "Дата": D(2025, 1, 15), "Уровень": "высокий"}
    return xlsx({"ОО": [own_row(school)], "Педагоги": [row], "Выгорание": [burnout]})


def errors(analysis) -> list[str]:
    return [f"{e.sheet}/{e.row}/{e.column}: {e.message}" for e in analysis.errors]


def expected_errors(victim) -> list[str]:
    return [
        f"Педагоги/2/СНИЛС: {rules.IDENTITY_MISMATCH}",
        f"Выгорание/2/СНИЛС: {rules.not_kept_message(victim.snils)}",
    ]


@pytest.fixture
def victim(other_school):
    """A teacher kept by the other school, with a diagnostic on record."""
    person = factories.EmploymentFactory(school=other_school).person
    factories.DiagnosticFactory(person=person, instrument="ЕФОМ-2024")
    return person


@pytest.fixture
def far_victim(district):
    """A teacher of a school of another district."""
    elsewhere = factories.SchoolFactory(district=factories.DistrictFactory(code="FAR"))
    return factories.EmploymentFactory(school=elsewhere).person


@pytest.fixture
def part_timer(school, victim):
    """The victim, employed part-time at S-A too (long ago or now): S-A still does not keep them."""
    factories.EmploymentFactory(
        person=victim, school=school, workplace=PART_TIME, hired_on=D(2001, 9, 1)
    )
    return victim


# The importer ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["victim", "far_victim"])
@pytest.mark.parametrize(
    "hired", [{}, {"Дата приема": D(2001, 9, 1), "Дата увольнения": D(2002, 5, 31)}]
)
def test_the_takeover_book_is_refused_and_writes_nothing(request, school_admin, school, who, hired):
    victim = request.getfixturevalue(who)
    before, token = record_counts(), state_token()

    analysis = import_workbook(attack_book(school, victim, **hired), user=school_admin)

    assert errors(analysis) == expected_errors(victim)
    assert not analysis.applied
    assert (record_counts(), state_token()) == (before, token)
    victim.refresh_from_db()
    assert victim.last_name != "Захватова" and victim.birth_date == D(1980, 5, 17)


def test_the_takeover_book_is_refused_by_the_command_with_user(
    school_admin, school, victim, tmp_path
):
    path = tmp_path / "книга.xlsx"
    path.write_bytes(attack_book(school, victim).getvalue())
    before, out = record_counts(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), user=school_admin.username, stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue().splitlines() == [
        f"Лист «Педагоги», строка 2, столбец «СНИЛС»: {rules.IDENTITY_MISMATCH}",
        f"Лист «Выгорание», строка 2, столбец «СНИЛС»: {rules.not_kept_message(victim.snils)}",
    ]
    assert record_counts() == before


def test_the_takeover_book_is_refused_on_the_web_and_cannot_be_confirmed(
    client_for, school_admin, school, victim
):
    client = client_for(school_admin)
    before = record_counts()

    response = client.post(
        reverse("school_upload", args=[school.code]),
        {"file": SimpleUploadedFile("книга.xlsx", attack_book(school, victim).getvalue())},
    )
    preview = client.get(response["Location"])

    assert [
        f"{sheet}/{row}/{column}: {message}"
        for sheet, row, column, message in rows(page(preview), ERRORS)[1:]
    ] == expected_errors(victim)
    html = preview.content.decode()
    assert victim.last_name not in html and "17.05.1980" not in html  # nothing stored shown
    client.post(reverse("upload_confirm", args=[Upload.objects.get().pk]))
    assert record_counts() == before


def test_a_part_timer_named_with_the_stored_data_gets_the_employment_alone(
    school_admin, school, victim
):
    stored = Person.objects.values().get(pk=victim.pk)
    row = named(victim, **{"Образование": "среднее профессиональное педагогическое"})

    analysis = import_workbook(
        xlsx({"ОО": [own_row(school)], "Педагоги": [row]}), user=school_admin
    )

    assert analysis.errors == []
    assert vars(analysis.counts["Педагоги"]) == {
        "created": 1,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
    }
    assert analysis.person_changes() == []
    assert Person.objects.values().get(pk=victim.pk) == stored  # education left as it was
    assert victim.employments.get(school=school).workplace == PART_TIME
    # Employed here now, still kept by their main school: their records stay out of reach.
    burnout = {"СНИЛС": victim.snils, "Дата": D(2025, 1, 15), "Уровень": "высокий"}
    again = analyse_workbook(
        xlsx({"ОО": [own_row(school)], "Выгорание": [burnout]}), user=school_admin
    )
    assert errors(again) == [f"Выгорание/2/СНИЛС: {rules.not_kept_message(victim.snils)}"]
    assert not BurnoutRecord.objects.exists()


def test_an_unchanged_record_of_a_part_timer_is_refused_too(school_admin, school, part_timer):
    """Refusing only changes would tell which records exist."""
    diagnostic = part_timer.diagnostics.get()
    row = {
        "СНИЛС": part_timer.snils,
        "Дата": diagnostic.date,
        "Инструмент": diagnostic.instrument,
        "Предметный": diagnostic.subject,
    }
    analysis = analyse_workbook(
        xlsx({"ОО": [own_row(school)], "Диагностика": [row]}), user=school_admin
    )
    assert errors(analysis) == [f"Диагностика/2/СНИЛС: {rules.not_kept_message(part_timer.snils)}"]


def test_a_methodologist_may_still_correct_anyone_in_the_district(methodologist, school, victim):
    analysis = import_workbook(attack_book(school, victim), user=methodologist)
    assert analysis.errors == []
    victim.refresh_from_db()
    assert (victim.last_name, victim.birth_date) == ("Захватова", D(1990, 1, 1))


# The preview shows every change to a person's own fields -------------------------------------


def test_the_preview_lists_each_change_to_a_kept_persons_own_fields(
    client_for, school_admin, school
):
    teacher = factories.EmploymentFactory(
        school=school, person=factories.PersonFactory(last_name="Лебедева")
    ).person
    row = named(
        teacher,
        **{"Фамилия": "Орлова", "Дата рождения": D(1981, 6, 1), "Место работы": "основное"},
        **{"Дата приема": D(2010, 9, 1), "Пол": "м", "Педагогический стаж с": D(2005, 9, 1)},
    )
    client = client_for(school_admin)
    response = client.post(
        reverse("school_upload", args=[school.code]),
        {
            "file": SimpleUploadedFile(
                "книга.xlsx", xlsx({"ОО": [own_row(school)], "Педагоги": [row]}).getvalue()
            )
        },
    )
    preview = client.get(response["Location"])

    changes = "//table[contains(@class, 'upload-person-changes')]"
    assert rows(page(preview), changes)[1:] == [
        ["2", f"Орлова Анна Сергеевна ({teacher.masked_snils})", "Фамилия", "Лебедева", "Орлова"],
        ["Пол", "ж", "м"],
        ["Дата рождения", "17.05.1980", "01.06.1981"],
    ]
    client.post(reverse("upload_confirm", args=[Upload.objects.get().pk]))
    teacher.refresh_from_db()
    assert teacher.last_name == "Орлова"
    # The stored summary of a written book keeps no personal values: the history has them.
    assert Upload.objects.get().summary["person_changes"] == []


# The card and the forms ---------------------------------------------------------------------


def card_html(client, person) -> str:
    response = client.get(reverse("person_card", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_part_timers_card_shows_the_name_and_this_schools_employment_only(
    client_for, school_admin, school, other_school, part_timer
):
    html = card_html(client_for(school_admin), part_timer)
    assert part_timer.full_name in html
    assert school.short_name in html and "совместительство" in html
    for hidden in (
        part_timer.formatted_snils,
        part_timer.snils,
        "17.05.1980",
        other_school.short_name,
        "ЕФОМ-2024",
        "История изменений",
        reverse("person_edit", args=[part_timer.pk]),
    ):
        assert hidden not in html, hidden
    employment = part_timer.employments.get(school=school)
    assert reverse("record_edit", args=[part_timer.pk, "employments", employment.pk]) in html


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
def test_a_part_timers_records_answer_404_at_every_url(
    client_for, school_admin, part_timer, kind, factory
):
    record = factory(person=part_timer)
    client = client_for(school_admin)
    for url in (
        reverse("record_add", args=[part_timer.pk, kind]),
        reverse("record_edit", args=[part_timer.pk, kind, record.pk]),
        reverse("record_delete", args=[part_timer.pk, kind, record.pk]),
        reverse("person_edit", args=[part_timer.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert type(record).objects.filter(pk=record.pk).exists()
    assert DeficitDiagnostic.objects.filter(person=part_timer).exists()


def test_a_part_timers_employment_here_stays_editable(client_for, school_admin, school, part_timer):
    employment = part_timer.employments.get(school=school)
    response = client_for(school_admin).post(
        reverse("record_edit", args=[part_timer.pk, "employments", employment.pk]),
        {
            "school": school.pk,
            "position": "учитель музыки",
            "category": "педагогический",
            "workplace": "совместительство",
            "hired_on": "01.09.2001",
            "dismissed_on": "31.05.2002",
        },
    )
    assert response.status_code == 302
    employment.refresh_from_db()
    assert (employment.position, employment.dismissed_on) == ("учитель музыки", D(2002, 5, 31))


def test_a_main_employment_overlap_does_not_name_the_other_school(
    client_for, school_admin, school, other_school, part_timer
):
    response = client_for(school_admin).post(
        reverse("record_add", args=[part_timer.pk, "employments"]),
        {
            "school": school.pk,
            "position": "учитель",
            "category": "педагогический",
            "workplace": "основное",
            "hired_on": "01.09.2024",
            "dismissed_on": "",
        },
    )
    overlap = rules.overlap_message(D(2010, 9, 1), None, "")
    assert form_errors(page(response))["hired_on"] == [overlap]
    assert other_school.short_name not in response.content.decode()
    assert part_timer.employments.count() == 2


def test_a_part_timer_cannot_be_paired_with_a_kept_teacher(
    client_for, school_admin, school, part_timer
):
    teacher = factories.EmploymentFactory(school=school).person
    response = client_for(school_admin).post(
        reverse("record_add", args=[teacher.pk, "mentorship"]),
        {"mentor": part_timer.pk, "mentee": teacher.pk, "started_on": "01.09.2024"},
    )
    assert form_errors(page(response))["mentor"] == [
        "Выберите корректный вариант. Вашего варианта нет среди допустимых значений."
    ]
    assert not teacher.mentored_by.exists()


def test_the_schools_own_book_with_a_part_timer_goes_back_unchanged(
    client_for, school_admin, school, part_timer
):
    """The school's book holds the part-timer's employment here and none of their records,
    so export → import is still clean and changes nothing."""
    factories.CourseFactory(person=part_timer, programme="Чужая программа")
    ours = factories.EmploymentFactory(school=school).person
    factories.CourseFactory(person=ours, programme="Наша программа")
    book = client_for(school_admin).get(reverse("school_workbook", args=[school.code])).content
    before, token = record_counts(), state_token()

    analysis = import_workbook(io.BytesIO(book), user=school_admin)

    assert analysis.errors == []
    assert {sheet: c.created + c.updated + c.deleted for sheet, c in analysis.counts.items()} == {
        sheet: 0 for sheet in analysis.counts
    }
    assert analysis.counts["Курсы"].unchanged == 1  # ours only
    assert analysis.counts["Педагоги"].unchanged == 2  # ours, and the part-timer's employment here
    assert record_counts() == before
    assert state_token() == token


def test_a_part_timers_card_runs_a_fixed_number_of_queries(
    client_for, school_admin, part_timer, django_assert_num_queries
):
    client = client_for(school_admin)
    card_html(client, part_timer)
    # session, user, grants, person, access log, whether the school keeps the person,
    # employments here, editable schools, navigation (the user's schools), session saved
    # (savepoint, update, release)
    with django_assert_num_queries(12):
        card_html(client, part_timer)


def test_the_staff_list_tells_nothing_of_a_part_timers_records_or_age(
    client_for, school_admin, school, part_timer
):
    """A part-timer with no course in three years and under 35: neither shows here."""
    Person.objects.filter(pk=part_timer.pk).update(
        birth_date=D(2000, 1, 1), experience_since=D(2024, 9, 1)
    )
    client = client_for(school_admin)
    url = reverse("staff_list", args=[school.code])
    listed = page(client.get(url, {"status": "all"}))
    [courses] = listed.xpath(f"//tr[td[1]='{part_timer.full_name}']/td[last()]")
    assert text(courses) == "—"
    assert courses.xpath("span/@title") == ["Записи ведёт ОО основного места работы"]
    for flag in ("no_courses", "young"):
        filtered = client.get(url, {"status": "all", flag: "on"})
        assert part_timer.full_name not in text(page(filtered)), flag
