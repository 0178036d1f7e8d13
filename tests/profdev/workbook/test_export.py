import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from profdev.models import (
    AccessLog,
    Attestation,
    BurnoutRecord,
    ContestParticipation,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    ProfessionalActivity,
    Provider,
    School,
    StudentResult,
    Vacancy,
)
from profdev.workbook.exporter import export_workbook
from profdev.workbook.importer import import_workbook
from profdev.workbook.sheets import SHEETS
from tests import factories

MODELS = [
    School,
    Provider,
    Person,
    Employment,
    CourseCompletion,
    Attestation,
    ContestParticipation,
    MentorshipPair,
    DeficitDiagnostic,
    DevelopmentRoute,
    ProfessionalActivity,
    BurnoutRecord,
    Vacancy,
    StudentResult,
]


@pytest.fixture
def district_data(school, other_school):
    school.low_results = True
    school.head_name = "=cmd|' /C calc'!A0"
    school.save()
    teacher = factories.EmploymentFactory(school=school, dismissed_on=dt.date(2024, 8, 31)).person
    teacher.middle_name = ""
    teacher.last_name = "-Дефис"
    teacher.subjects = ",russian,literature,"
    teacher.save()
    mentee = factories.EmploymentFactory(school=school, workplace="part_time").person
    stranger = factories.EmploymentFactory(school=other_school).person
    provider = factories.ProviderFactory(name="+Плюс «Ёлка»", licence="")
    factories.CourseFactory(
        person=teacher,
        provider=provider,
        form="extramural",
        distance=True,
        topics=",digital,low_results,",
        document_number="@123",
        pedagogical=False,
        federal_register=True,
    )
    factories.CourseFactory(person=stranger, kind="pp", hours=300)
    factories.AttestationFactory(person=teacher, order_number="№ 1-о")
    factories.ContestFactory(person=mentee, result="prize")
    factories.MentorshipFactory(mentor=teacher, mentee=mentee, ended_on=dt.date(2025, 5, 31))
    factories.MentorshipFactory(mentor=stranger, mentee=mentee)
    factories.DiagnosticFactory(person=teacher, subject=None, digital=0)
    factories.RouteFactory(person=mentee, ended_on=dt.date(2025, 1, 1), tutor="")
    factories.ActivityFactory(person=teacher)
    factories.BurnoutFactory(person=mentee, level="extreme")
    factories.VacancyFactory(school=school, closed_on=dt.date(2025, 9, 1), count=3)
    factories.StudentResultFactory(school=school, average_score=Decimal("3.75"))
    factories.StudentResultFactory(school=other_school, procedure="ege", grade=11, failed=0)
    return teacher, mentee, stranger


def snapshot() -> dict:
    """Every stored record by its natural data, without ids."""
    result = {}
    for model in MODELS:
        names = [
            f.name
            + ("__code" if f.name in ("school", "district") else "")
            + ("__snils" if f.name in ("person", "mentor", "mentee") else "")
            + ("__name" if f.name == "provider" else "")
            for f in model._meta.concrete_fields
            if f.name not in ("id", "version")
        ]
        result[model.__name__] = sorted(model.objects.values_list(*names))
    return result


def exported(schools=None) -> io.BytesIO:
    buffer = io.BytesIO()
    export_workbook(buffer, schools=schools)
    buffer.seek(0)
    return buffer


def test_export_then_import_into_an_empty_database_reproduces_the_data(district_data):
    before = snapshot()
    book = exported()
    for model in reversed(MODELS):
        model.objects.all().delete()
    analysis = import_workbook(book)
    assert analysis.errors == [] and analysis.warnings == []
    assert snapshot() == before


def test_export_then_import_into_the_same_database_changes_nothing(district_data):
    analysis = import_workbook(exported())
    assert analysis.errors == []
    assert {name: (c.created, c.updated, c.deleted) for name, c in analysis.counts.items()} == {
        s.name: (0, 0, 0) for s in SHEETS
    }
    assert sum(c.unchanged for c in analysis.counts.values()) == 20


def test_exported_cells_are_the_formats_spellings_and_formulas_stay_text(district_data):
    teacher, _, _ = district_data
    book = CalamineWorkbook.from_filelike(exported())
    assert book.sheet_names == ["Инструкция", *(s.name for s in SHEETS)]
    schools = book.get_sheet_by_name("ОО").to_python()
    assert schools[0] == [c.header for c in SHEETS[0].columns] + ["Удалить"]
    assert schools[1][3:6] == ["общеобразовательная", "да", "нет"]
    assert schools[1][6] == "=cmd|' /C calc'!A0"
    courses = book.get_sheet_by_name("Курсы").to_python()
    teacher_course = next(r for r in courses if r[4] == "+Плюс «Ёлка»")
    shown = f"{teacher.snils[:3]}-{teacher.snils[3:6]}-{teacher.snils[6:9]} {teacher.snils[9:]}"
    assert teacher_course == [
        shown,
        f"-Дефис {teacher.first_name}",  # the name beside the СНИЛС, no empty patronymic
        "ПК",
        teacher_course[3],
        "+Плюс «Ёлка»",
        36.0,
        "заочная",
        "да",
        dt.date(2024, 11, 15),
        "@123",
        "цифровые; ШНОР",
        "нет",
        "да",
        "",  # «Удалить», empty
    ]


def test_export_of_one_school(district_data):
    book = CalamineWorkbook.from_filelike(exported(School.objects.filter(code="S-A")))
    rows = {name: book.get_sheet_by_name(name).to_python()[1:] for name in book.sheet_names}
    assert [r[0] for r in rows["ОО"]] == ["S-A"]
    assert len(rows["Педагоги"]) == 2
    assert [r[4] for r in rows["Курсы"]] == ["+Плюс «Ёлка»"]
    assert [r[0] for r in rows["Организации ДПО"]] == ["+Плюс «Ёлка»"]
    assert len(rows["Наставничество"]) == 1  # the pair with the other school's mentor stays out
    assert len(rows["Вакансии"]) == 1
    assert rows["Результаты обучающихся"] == [
        ["S-A", "2024/2025", "ВПР", "математика", 5.0, 50.0, 5.0, 3.75, ""]
    ]
    teacher = next(r for r in rows["Педагоги"] if r[1] == "-Дефис")
    assert teacher[14] == "русский язык; литература"


def test_school_admin_reimports_their_schools_export_unchanged(district_data, school_admin):
    analysis = import_workbook(exported(School.objects.filter(code="S-A")), user=school_admin)
    assert analysis.errors == []
    assert sum(c.created + c.updated + c.deleted for c in analysis.counts.values()) == 0


def test_export_command(district_data, tmp_path):
    target = tmp_path / "school.xlsx"
    out = io.StringIO()
    call_command("export_workbook", str(target), "--school", "S-A", stdout=out)
    assert out.getvalue() == f"Книга записана: {target}\n"
    assert (
        CalamineWorkbook.from_path(str(target)).get_sheet_by_name("ОО").to_python()[1][0] == "S-A"
    )
    # Personal data left the portal: the access log says so (a command has no user).
    entry = AccessLog.objects.get()
    assert (entry.action, entry.school.code, entry.user) == ("export", "S-A", None)
    assert entry.subject == "книга ОО (.xlsx)"
    with pytest.raises(CommandError, match="ОО с кодом «NOPE» нет"):
        call_command("export_workbook", str(target), "--school", "NOPE")


def test_enumerations_offer_their_values_in_drop_down_lists(district_data):
    sheet = load_workbook(exported())["Курсы"]
    headers = [c.value for c in sheet[1]]
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}

    def offered(header: str) -> str | None:
        letter = get_column_letter(headers.index(header) + 1)
        return lists.get(f"{letter}2:{letter}1048576")

    assert offered("Вид программы") == '"ПК,ПП"'
    assert offered("Форма") == '"очная,очно-заочная,заочная"'
    assert offered("Удалить") == '"да,нет"'
    assert offered("Программа") is None  # free text
    results = load_workbook(exported())["Результаты обучающихся"]
    lists = {str(v.sqref): v.formula1 for v in results.data_validations.dataValidation}
    assert lists["C2:C1048576"] == '"ВПР,ОГЭ,ЕГЭ,НОКО"'
    assert lists["D2:D1048576"] == (
        '"русский язык,математика,физика,химия,биология,география,история,обществознание,'
        'информатика,литература,иностранный язык,окружающий мир"'
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 17  # «СНИЛС» fits 123-456-789 01
