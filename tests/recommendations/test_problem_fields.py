"""Problem fields of students' results in the letters (hand-computed, Y = 2024, R = 31.08.2025,
W3 from 01.09.2022): S-A fails maths (9 of 48, 18,8 %; the district 31 of 412, 7,5 %), S-B
Russian (8 of 40, 20,0 %; the district 9 of 80, 11,3 %). Of S-A's maths teachers the letter's
appendix names those with no subject ПК in W3 or a «Предметный» deficit, by the reason only."""

import datetime as dt

import pytest

from monitoring.services import compute_year
from profdev.models import CourseCompletion, Employment
from recommendations.drafting import letters_draft
from recommendations.services import letter_pdf
from tests import factories as f
from tests.effectiveness.pdf import text as pdf_text
from tests.monitoring.conftest import teacher
from tests.recommendations.appendix import appendix_rows, text
from tests.recommendations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

NO_COURSE = "нет предметного ПК за 3 года"
DEFICIT = "предметный дефицит по итогам диагностики"
SUPPORT = (
    "Педагогам предметов проблемных полей, названным в приложении к письму ОО, обеспечить "
    "повышение квалификации предметной направленности"
)


def subject_course(person, finished_on):
    return f.CourseFactory(
        person=person,
        finished_on=finished_on,
        topics=",subject,",
        kind=CourseCompletion.Kind.PK,
    )


def subject_score(person, score, date=dt.date(2024, 10, 1)):
    return f.DiagnosticFactory(person=person, date=date, subject=score)


@pytest.fixture
def results(district, school, other_school):
    OrganisationFactory(district=district)
    school.short_name, other_school.short_name = "МБОУ СОШ № 10", "МБОУ СОШ № 2"
    school.save()
    other_school.save()
    for s, subject, failed, participants in (
        (school, "maths", 9, 48),
        (other_school, "maths", 22, 364),
        (school, "russian", 1, 40),
        (other_school, "russian", 8, 40),
    ):
        f.StudentResultFactory(school=s, subject=subject, failed=failed, participants=participants)


@pytest.fixture
def maths_teachers(results, school):
    """S-A's people who teach maths: four in PED, one a manager (outside PED)."""
    people = {
        "covered": teacher(school, last_name="Алексеева", subjects=",maths,"),
        "no_course": teacher(school, last_name="Борисова", subjects=",maths,"),
        "deficit": teacher(school, last_name="Васильева", subjects=",maths,"),
        "both": teacher(school, last_name="Григорьева", subjects=",maths,physics,"),
        "manager": teacher(
            school,
            last_name="Дмитриева",
            subjects=",maths,",
            category=Employment.Category.MANAGERIAL,
        ),
        "russian": teacher(school, last_name="Егорова", subjects=",russian,"),
    }
    subject_course(people["covered"], dt.date(2025, 8, 31))  # W3's last day
    subject_score(people["covered"], 90)
    subject_course(people["deficit"], dt.date(2023, 5, 10))
    subject_score(people["deficit"], 80, dt.date(2024, 9, 20))
    subject_score(people["deficit"], 45)  # the latest score in P: a deficit
    subject_score(people["both"], 50)
    return people


@pytest.fixture
def drafted(district, maths_teachers):
    compute_year(district, 2024)
    year = district.monitoring_years.get(year=2024)
    return {x.school_id: x for x in letters_draft(year=year).letters}


def test_the_school_letter_names_its_problem_fields_and_recommends(drafted, school):
    letter = drafted[school.pk]
    assert letter.figures["problem_fields"] == [
        {
            "subject": "математика",
            "numerator": 9,
            "denominator": 48,
            "value_text": "18,8\u00a0%",
            "district_text": "7,5\u00a0%",
        }
    ]
    body = text(letter.body)
    assert (
        "Проблемные поля по результатам обучающихся: математика (доля не справившихся 18,8 % "
        "при 7,5 % по Тестовому муниципальному району)." in body
    )
    assert SUPPORT in body  # the school-level rule of SCHOOLS_PROBLEM
    assert "Учителям предметов проблемных полей" in body


def test_the_appendix_lists_the_teachers_to_act_on_with_the_reason_only(drafted, school):
    letter = drafted[school.pk]
    tables = letter.figures["appendix"]["problem_teachers"]
    assert tables == [
        {
            "subject": "математика",
            "teachers": [
                {"name": "Борисова\u00a0А.\u00a0С.", "reasons": [NO_COURSE]},
                {"name": "Васильева\u00a0А.\u00a0С.", "reasons": [DEFICIT]},
                {"name": "Григорьева\u00a0А.\u00a0С.", "reasons": [NO_COURSE, DEFICIT]},
            ],
        }
    ]
    rows = appendix_rows(letter)
    start = rows.index(["№ п/п", "Педагог", "Основание"])
    assert rows[start + 1 : start + 4] == [
        ["1", "Борисова А. С.", NO_COURSE],
        ["2", "Васильева А. С.", DEFICIT],
        ["3", "Григорьева А. С.", f"{NO_COURSE}; {DEFICIT}"],
    ]
    assert "45" not in " ".join(" ".join(r) for r in rows[start:])  # never a score


def test_the_pdf_reads_the_problem_fields_and_the_table(drafted, school):
    """The tables: 1 the breaches, 2 the people missing from the indicators, 3 maths."""
    read = pdf_text(letter_pdf(drafted[school.pk]))
    assert (
        "Проблемные поля по результатам обучающихся: математика (доля не справившихся 18,8 % "
        "при 7,5 % по Тестовому муниципальному району)." in read
    )
    assert "перечислены в приложении (в таблице 3)." in read
    title = (
        "Таблица 3. Проблемное поле «математика»: педагоги без предметного повышения "
        "квалификации или с предметным дефицитом"
    )
    table = read[read.index(title) :]
    assert f"1 Борисова А. С. {NO_COURSE}" in table
    assert f"2 Васильева А. С. {DEFICIT}" in table
    assert f"3 Григорьева А. С. {NO_COURSE}; {DEFICIT}" in table
    assert not {"Алексеева", "Дмитриева", "Егорова", "45", "50"} & set(table.split())


def test_the_district_letter_tables_the_problem_fields_of_every_school(drafted):
    letter = drafted[None]
    body = text(letter.body)
    assert (
        "Проблемные поля по результатам обучающихся выявлены в 2 образовательных "
        "организациях; образовательные организации, предметы и доли не справившихся в "
        "сравнении с долями по Тестовому муниципальному району приведены в приложении "
        "(таблица 2)." in body
    )
    rows = appendix_rows(letter)
    start = rows.index(["№ п/п", "ОО", "Предмет", "Доля не справившихся в ОО", "По муниципалитету"])
    assert rows[start + 1 : start + 3] == [
        ["1", "МБОУ СОШ № 2", "русский язык", "20,0 %", "11,3 %"],
        ["2", "МБОУ СОШ № 10", "математика", "18,8 %", "7,5 %"],
    ]
    schools_problem = next(x for x in rows if x[1].startswith("Количество ОО с проблемными"))
    assert schools_problem[2] == "2"
    assert "Таблица 2. Проблемные поля по результатам обучающихся" in pdf_text(letter_pdf(letter))


def test_a_problem_field_alone_gets_the_school_a_letter(district, results, school):
    """No breach of its own (no staff at all: no data), yet a problem field: a letter."""
    compute_year(district, 2024)
    year = district.monitoring_years.get(year=2024)
    letter = next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)
    assert letter.figures["findings"] == []
    body = text(letter.body)
    assert "показатели, по которым есть данные, достигают целевых значений." in body
    assert "Проблемные поля по результатам обучающихся: математика" in body
    assert "перечислены в приложении" not in body  # nobody to name
    assert letter.figures["appendix"]["problem_teachers"] == []


def test_drafting_reads_the_teachers_in_a_fixed_number_of_queries(
    district, drafted, school, django_assert_num_queries
):
    """Redrafting the three letters: the same queries with three teachers named or eight (the
    problem fields, the teachers and their names are three of them; the breaches the letters
    cite, replaced, two more)."""
    year = district.monitoring_years.get(year=2024)
    with django_assert_num_queries(28):
        letters_draft(year=year)
    for n in range(5):
        teacher(school, last_name=f"Новикова{n}", subjects=",maths,")
    with django_assert_num_queries(28):
        report = letters_draft(year=year)
    letter = next(x for x in report.letters if x.school_id == school.pk)
    assert len(letter.figures["appendix"]["problem_teachers"][0]["teachers"]) == 8
