"""The «ФИО» beside a СНИЛС: exported, and on import checked against the person's name, a
warning when they differ (workbook.md «ФИО рядом со СНИЛС»)."""

import io

import pytest
from python_calamine import CalamineWorkbook

from profdev.models import CourseCompletion, MentorshipPair
from profdev.workbook.exporter import export_workbook
from profdev.workbook.importer import import_workbook
from profdev.workbook.sheets import MENTORSHIP, SHEETS, STAFF
from tests import factories
from tests.factories import next_snils
from tests.profdev.workbook.builders import course, provider, school, staff, xlsx


@pytest.fixture
def petrova(district):
    person = factories.PersonFactory(
        last_name="Петрова", first_name="Мария", middle_name="Ивановна"
    )
    factories.ProviderFactory(name="ОГБУ ДПО «Институт развития образования»")
    return person


def spelled(snils: str) -> str:
    return f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"


def test_every_sheet_naming_a_person_by_snils_has_a_name_column_beside_it():
    assert STAFF.name_headers == {}
    assert MENTORSHIP.headers[:4] == (
        "СНИЛС наставника",
        "ФИО наставника",
        "СНИЛС наставляемого",
        "ФИО наставляемого",
    )
    for sheet in SHEETS:
        for field, header in sheet.name_headers.items():
            snils_at = sheet.headers.index(sheet.header_of(field))
            assert sheet.headers[snils_at + 1] == header


def test_a_name_that_differs_is_a_warning_naming_both_and_the_import_goes_on(petrova):
    analysis = import_workbook(
        xlsx({"ОО": [school()], "Курсы": [course(petrova.snils, **{"ФИО": "Иванова Мария"})]})
    )
    assert analysis.errors == []
    assert analysis.warnings == [
        f"лист «Курсы»: в строке 2 указано «Иванова Мария», а СНИЛС {spelled(petrova.snils)} "
        "принадлежит «Петрова Мария Ивановна»"
    ]
    assert CourseCompletion.objects.filter(person=petrova).count() == 1


@pytest.mark.parametrize(
    "written",
    ["Петрова Мария Ивановна", "  петрова   МАРИЯ ивановна ", "Пётрова Мария Ивановна", None],
)
def test_case_yo_spaces_and_an_empty_cell_match(petrova, written):
    analysis = import_workbook(
        xlsx({"ОО": [school()], "Курсы": [course(petrova.snils, **{"ФИО": written})]})
    )
    assert analysis.errors == [] and analysis.warnings == []


def test_a_name_is_checked_against_the_one_declared_in_the_same_book(district):
    snils, mentee = next_snils(), next_snils()
    book = xlsx(
        {
            "ОО": [school()],
            "Организации ДПО": [provider()],
            "Педагоги": [staff(snils), staff(mentee, **{"Фамилия": "Сидорова"})],
            "Наставничество": [
                {
                    "СНИЛС наставника": snils,
                    "ФИО наставника": "Иванова Мария Петровна",
                    "СНИЛС наставляемого": mentee,
                    "ФИО наставляемого": "Иванова Мария Петровна",
                    "Дата начала": "01.09.2024",
                }
            ],
        }
    )
    analysis = import_workbook(book)
    assert analysis.errors == []
    assert analysis.warnings == [
        f"лист «Наставничество»: в строке 2 указано «Иванова Мария Петровна», а СНИЛС "
        f"{spelled(mentee)} принадлежит «Сидорова Мария Петровна»"
    ]
    assert MentorshipPair.objects.count() == 1


def test_a_school_admin_never_sees_the_name_of_a_person_out_of_reach(other_school, school_admin):
    theirs = factories.EmploymentFactory(school=other_school).person
    factories.ProviderFactory(name="ОГБУ ДПО «Институт развития образования»")
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [school()],
                "Курсы": [course(theirs.snils, **{"ФИО": "Кто-то Другой"})],
            }
        ),
        user=school_admin,
    )
    assert analysis.warnings == []
    assert theirs.last_name not in " ".join(str(e) for e in analysis.errors)


def test_the_export_writes_the_names_and_reads_back_without_warnings(petrova):
    factories.CourseFactory(person=petrova)
    buffer = io.BytesIO()
    export_workbook(buffer)
    book = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    courses = book.get_sheet_by_name("Курсы").to_python()
    assert courses[0][:3] == ["СНИЛС", "ФИО", "Вид программы"]
    assert courses[1][:2] == [spelled(petrova.snils), "Петрова Мария Ивановна"]
    buffer.seek(0)
    analysis = import_workbook(buffer)
    assert analysis.errors == [] and analysis.warnings == []
