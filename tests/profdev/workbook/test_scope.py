"""«Who may change what»: a school administrator's file, a methodologist's file."""

import datetime as dt

import pytest

from profdev.models import Employment, Provider, School, Vacancy
from profdev.workbook.importer import analyse_workbook, import_workbook
from tests import factories
from tests.factories import next_snils
from tests.profdev.workbook.builders import course, provider, staff, xlsx
from tests.profdev.workbook.builders import school as school_cells

PART_TIME = Employment.Workplace.PART_TIME


def row_of(s: School, **values) -> dict:
    return school_cells(
        s.code, **{"Наименование": s.name, "Краткое наименование": s.short_name}, **values
    )


def messages(analysis) -> list[str]:
    return [f"{e.sheet}/{e.row}/{e.column}: {e.message}" for e in analysis.errors]


@pytest.fixture
def staffed(school, other_school):
    """A teacher of the administrator's school and one of the other school."""
    ours = factories.EmploymentFactory(school=school).person
    theirs = factories.EmploymentFactory(school=other_school).person
    known = factories.ProviderFactory(name="ОГБУ ДПО «Институт развития образования»")
    return ours, theirs, known


def test_school_admin_may_do_what_workbook_md_lists(school_admin, school, staffed):
    ours, _, _ = staffed
    newcomer = next_snils()
    book = xlsx(
        {
            "ОО": [row_of(school, **{"Руководитель": "Новый Руководитель Иванович"})],
            "Организации ДПО": [provider("ООО «Новая»", **{"Вид": "сторонняя"})],
            "Педагоги": [staff(newcomer, school.code)],
            "Курсы": [course(ours.snils), course(newcomer, **{"Организация": "ООО «Новая»"})],
            "Вакансии": [
                {
                    "Код ОО": "S-A",
                    "Должность": "учитель",
                    "Количество": 1,
                    "Дата открытия": "01.06.2025",
                }
            ],
        }
    )
    analysis = import_workbook(book, user=school_admin)
    assert analysis.errors == []
    assert School.objects.get(code="S-A").head_name == "Новый Руководитель Иванович"
    assert Employment.objects.filter(person__snils=newcomer, school=school).exists()
    assert Provider.objects.get(name="ООО «Новая»").kind == "external"
    assert Vacancy.objects.filter(school=school).count() == 1


@pytest.mark.parametrize("code", ["S-B", "S-NONE"])
def test_another_schools_rows_are_refused_without_revealing_it(school_admin, staffed, code):
    book = xlsx(
        {
            "ОО": [school_cells(code)],
            "Педагоги": [staff(code=code)],
            "Вакансии": [
                {
                    "Код ОО": code,
                    "Должность": "учитель",
                    "Количество": 1,
                    "Дата открытия": "01.06.2025",
                }
            ],
        }
    )
    expected = f"нет прав на данные ОО с кодом «{code}»"
    assert messages(analyse_workbook(book, user=school_admin)) == [
        f"ОО/2/Код ОО: {expected}",
        f"Педагоги/2/Код ОО: {expected}",
        f"Вакансии/2/Код ОО: {expected}",
    ]


def test_school_admin_cannot_change_own_school_type_or_flags(school_admin, school, staffed):
    book = xlsx({"ОО": [row_of(school, **{"Тип ОО": "дошкольная", "ШНОР": "да"})]})
    assert messages(analyse_workbook(book, user=school_admin)) == [
        "ОО/2/Тип ОО: администратор ОО не может изменить это поле своей ОО",
        "ОО/2/ШНОР: администратор ОО не может изменить это поле своей ОО",
    ]


def test_school_admin_cannot_change_a_known_provider_or_add_a_non_external_one(
    school_admin, school, staffed
):
    book = xlsx(
        {
            "ОО": [row_of(school)],
            "Организации ДПО": [
                provider(**{"Лицензия": "другая"}),
                provider("ГАУ ДПО «Новый институт»"),
            ],
        }
    )
    assert messages(analyse_workbook(book, user=school_admin)) == [
        "Организации ДПО/2/Наименование: администратор ОО не может изменять строки этого листа",
        "Организации ДПО/3/Наименование: новую организацию администратор ОО может добавить "
        "только с видом «сторонняя»",
    ]


@pytest.mark.parametrize("who", ["theirs", "part_timer", "unknown"])
def test_records_of_persons_the_school_does_not_keep_are_refused_alike(
    school_admin, school, staffed, who
):
    _, theirs, _ = staffed
    if who == "part_timer":
        factories.EmploymentFactory(person=theirs, school=school, workplace=PART_TIME)
    snils = next_snils() if who == "unknown" else theirs.snils
    book = xlsx({"ОО": [row_of(school)], "Курсы": [course(snils)]})
    shown = f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    assert messages(analyse_workbook(book, user=school_admin)) == [
        f"Курсы/2/СНИЛС: работник со СНИЛС {shown} не числится среди работников, чьи данные "
        "ведут ваши ОО (по основному месту работы)"
    ]


def test_school_admin_cannot_delete_employments_or_change_vacancies(school_admin, school, staffed):
    ours, _, _ = staffed
    factories.VacancyFactory(
        school=school, position="учитель", count=1, opened_on=dt.date(2025, 6, 1)
    )
    employment = ours.employments.get()
    row = staff(ours.snils, **{"Дата приема": employment.hired_on, "Удалить": "да"})
    vacancy = {
        "Код ОО": "S-A",
        "Должность": "учитель",
        "Количество": 2,
        "Дата открытия": "01.06.2025",
    }
    book = xlsx({"ОО": [row_of(school)], "Педагоги": [row], "Вакансии": [vacancy]})
    assert messages(analyse_workbook(book, user=school_admin)) == [
        "Педагоги/2/СНИЛС: администратор ОО не может удалять строки этого листа",
        "Вакансии/2/Код ОО: администратор ОО не может изменять строки этого листа",
    ]


def test_overlap_with_another_schools_employment_does_not_name_it(school_admin, school, staffed):
    _, theirs, _ = staffed
    row = staff(theirs.snils, **_cells(theirs), **{"Дата приема": "01.09.2020"})
    assert messages(
        analyse_workbook(xlsx({"ОО": [row_of(school)], "Педагоги": [row]}), user=school_admin)
    ) == [
        "Педагоги/2/Дата приема: основное место работы пересекается с другим основным местом "
        "работы с 01.09.2010 по настоящее время"
    ]


def _cells(person) -> dict:
    return {
        "Фамилия": person.last_name,
        "Имя": person.first_name,
        "Отчество": person.middle_name,
        "Дата рождения": person.birth_date,
        "Педагогический стаж с": person.experience_since,
    }


def test_methodologist_may_touch_the_district_but_not_another(methodologist, school, staffed):
    other_district = factories.DistrictFactory(code="XX", name="Соседний")
    factories.SchoolFactory(district=other_district, code="X-1")
    book = xlsx(
        {
            "ОО": [
                row_of(school, **{"Тип ОО": "дошкольная", "Муниципалитет": "ZH"}),
                school_cells("S-NEW", **{"Муниципалитет": "ZH"}),
                school_cells("X-1", **{"Муниципалитет": "XX"}),
                school_cells("X-2", **{"Муниципалитет": "XX"}),
            ],
            "Педагоги": [staff(code="S-NEW")],
        }
    )
    assert messages(analyse_workbook(book, user=methodologist)) == [
        "ОО/4/Код ОО: нет прав на данные ОО с кодом «X-1»",
        "ОО/5/Код ОО: нет прав на данные ОО с кодом «X-2»",
    ]


def test_regional_methodologist_may_touch_every_district(school, staffed):
    regional = factories.RoleGrantFactory(role="regional_methodologist").user
    other_district = factories.DistrictFactory(code="XX", name="Соседний")
    factories.SchoolFactory(district=other_district, code="X-1")
    _, theirs, known = staffed
    book = xlsx(
        {
            "ОО": [
                row_of(school, **{"Муниципалитет": "ZH"}),
                school_cells("X-1", **{"Муниципалитет": "XX"}),
                school_cells("X-2", **{"Муниципалитет": "XX"}),
            ],
            "Педагоги": [staff(code="X-2")],
            "Курсы": [course(theirs.snils, **{"Организация": known.name})],
        }
    )
    assert import_workbook(book, user=regional).errors == []
    assert School.objects.get(code="X-2").district == other_district


def test_user_without_a_role_may_not_upload(district):
    user = factories.UserFactory()
    assert [str(e) for e in analyse_workbook(xlsx({"ОО": [school_cells()]}), user=user).errors] == [
        "Файл: у пользователя нет прав на загрузку книги"
    ]
