"""The sheet «Результаты обучающихся» and the column «Предметы» of «Педагоги» (results.md)."""

from decimal import Decimal

import pytest

from profdev.models import Person, StudentResult
from profdev.workbook.importer import analyse_workbook, import_workbook
from tests import factories
from tests.factories import next_snils
from tests.profdev.student_results import stored_results
from tests.profdev.workbook.builders import school as school_cells
from tests.profdev.workbook.builders import staff, xlsx

SHEET = "Результаты обучающихся"


def result(code="S-A", **values) -> dict:
    return {
        "Код ОО": code,
        "Учебный год": "2024/2025",
        "Процедура": "ВПР",
        "Предмет": "математика",
        "Параллель": 5,
        "Участников": 48,
        "Не справились": 9,
        **values,
    }


def schools_row(s) -> dict:
    return school_cells(s.code, **{"Наименование": s.name, "Краткое наименование": s.short_name})


def book(school, *rows, **sheets):
    return xlsx({"ОО": [schools_row(school)], SHEET: list(rows), **sheets})


def messages(analysis) -> list[str]:
    return [f"{e.row}/{e.column}: {e.message}" for e in analysis.errors]


@pytest.mark.parametrize("written", ["2024/2025", "2024-2025", " 2024/2025 "])
def test_an_academic_year_is_its_start_year_in_either_spelling(school, written):
    analysis = import_workbook(book(school, result(**{"Учебный год": written})))
    assert analysis.errors == []
    assert stored_results() == [("S-A", 2024, "vpr", "maths", 5, 48, 9, None)]


YEAR_RULE = "пишите год начала и год окончания через «/» или «-», например 2024/2025"


@pytest.mark.parametrize(
    "written, shown",
    [
        ("2024/2026", "2024/2026"),  # not the next year
        ("2025/2024", "2025/2024"),
        ("2024/2024", "2024/2024"),
        ("2024", "2024"),
        (2024, "2024"),  # a number cell
        ("24/25", "24/25"),
        ("2024 / 2025", "2024 / 2025"),
        ("2024.2025", "2024.2025"),
        ("2024/25", "2024/25"),
    ],
)
def test_anything_else_is_not_an_academic_year(school, written, shown):
    analysis = import_workbook(book(school, result(**{"Учебный год": written})))
    assert messages(analysis) == [f"2/Учебный год: «{shown}» — не учебный год: {YEAR_RULE}"]
    assert stored_results() == []


def test_failed_may_equal_participants_but_not_exceed_them(school):
    analysis = import_workbook(
        book(
            school,
            result(**{"Участников": 12, "Не справились": 12}),
            result(**{"Параллель": 6, "Участников": 12, "Не справились": 13}),
            result(**{"Параллель": 7, "Участников": 12, "Не справились": 0}),
        )
    )
    assert messages(analysis) == ["3/Не справились: «13» — больше, чем участников (12)"]
    assert stored_results() == []  # nothing written on any error
    analysis = import_workbook(book(school, result(**{"Участников": 12, "Не справились": 12})))
    assert analysis.errors == []
    assert stored_results()[0][5:7] == (12, 12)


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("Участников", 0, "«0» — число должно быть не меньше 1"),
        ("Участников", "", "обязательное поле не заполнено"),
        ("Параллель", 0, "«0» — число должно быть от 1 до 11"),
        ("Параллель", 12, "«12» — число должно быть от 1 до 11"),
        ("Параллель", 5.5, "«5.5» — не целое число"),
        ("Не справились", -1, "«-1» — число должно быть не меньше 0"),
        ("Средний балл", -0.5, "«-0.5» — число должно быть от 0 до 99999,99"),
        ("Средний балл", "4 балла", "«4 балла» — не число"),
        ("Средний балл", 100000, "«100000» — число должно быть от 0 до 99999,99"),
        (
            "Предмет",
            "алгебра",
            "«алгебра» — нет такого значения; допустимо: русский язык · математика · физика · "
            "химия · биология · география · история · обществознание · информатика · "
            "литература · иностранный язык · окружающий мир",
        ),
        ("Процедура", "ГИА", "«ГИА» — нет такого значения; допустимо: ВПР · ОГЭ · ЕГЭ · НОКО"),
        ("Код ОО", "NOPE", "ОО с кодом «NOPE» нет ни на листе «ОО», ни в системе"),
    ],
)
def test_bad_values_are_refused_in_russian_naming_the_value(school, column, value, message):
    analysis = import_workbook(book(school, result(**{column: value})))
    assert messages(analysis) == [f"2/{column}: {message}"]
    assert stored_results() == []


@pytest.mark.parametrize(
    "written, expected",
    [
        (4.125, Decimal("4.13")),  # half up, not to even
        ("4,125", Decimal("4.13")),
        ("4.124", Decimal("4.12")),
        (2.675, Decimal("2.68")),  # as written, not as the float is stored
        ("0", Decimal("0.00")),
        (17, Decimal("17.00")),
        (None, None),
    ],
)
def test_the_average_score_is_rounded_half_up_to_two_places(school, written, expected):
    analysis = import_workbook(book(school, result(**{"Средний балл": written})))
    assert analysis.errors == []
    assert stored_results()[0][7] == expected


def test_labels_match_in_any_case_with_spaces_and_yo(school):
    analysis = import_workbook(
        book(
            school,
            result(**{"Предмет": "  Русский   ЯЗЫК ", "Процедура": "впр"}),
            result(**{"Предмет": "Окружающий мир", "Процедура": "Ноко", "Параллель": 4}),
            result(**{"Предмет": "ОБЩЕСТВОЗНАНИЕ", "Процедура": "егэ", "Параллель": 11}),
            result(**{"Предмет": "иностранный язык", "Процедура": "огэ", "Параллель": 9}),
        )
    )
    assert analysis.errors == []
    assert [r[2:5] for r in stored_results()] == [
        ("vpr", "russian", 5),
        ("noko", "world", 4),
        ("ege", "social", 11),
        ("oge", "foreign", 9),
    ]


def test_the_same_key_twice_in_a_book_is_an_error(school):
    analysis = import_workbook(
        book(
            school,
            result(),
            result(**{"Учебный год": "2024-2025", "Предмет": "Математика", "Участников": 50}),
        )
    )
    assert messages(analysis) == ["3/Код ОО: повторяет строку 2: тот же ключ записи"]
    assert stored_results() == []


def test_a_row_updates_its_record_deletes_it_or_leaves_it(school):
    factories.StudentResultFactory(school=school, participants=40, failed=2)
    kept = factories.StudentResultFactory(school=school, subject="russian")
    gone = factories.StudentResultFactory(school=school, subject="physics", grade=8)
    analysis = import_workbook(
        book(
            school,
            result(**{"Средний балл": 3.6}),
            result(**{"Предмет": "физика", "Параллель": 8, "Удалить": "да"}),
            result(**{"Предмет": "русский язык", "Участников": 50, "Не справились": 5}),
            result(**{"Процедура": "ОГЭ", "Параллель": 9}),
        )
    )
    assert analysis.errors == []
    c = analysis.counts[SHEET]
    assert (c.created, c.updated, c.deleted, c.unchanged) == (1, 1, 1, 1)
    assert stored_results() == [
        ("S-A", 2024, "vpr", "maths", 5, 48, 9, Decimal("3.60")),
        ("S-A", 2024, "vpr", "russian", 5, 50, 5, None),
        ("S-A", 2024, "oge", "maths", 9, 48, 9, None),
    ]
    assert not StudentResult.objects.filter(pk=gone.pk).exists()
    assert StudentResult.objects.filter(pk=kept.pk).exists()


def test_deleting_a_row_that_is_not_stored_is_an_error(school):
    analysis = import_workbook(book(school, result(**{"Удалить": "да", "Участников": None})))
    assert messages(analysis) == ["2/Код ОО: нет такой записи: удалять нечего"]


def test_a_book_without_the_sheet_leaves_the_results(school):
    factories.StudentResultFactory(school=school)
    before = stored_results()
    analysis = import_workbook(xlsx({"ОО": [schools_row(school)]}))
    assert analysis.errors == [] and SHEET not in analysis.counts
    assert stored_results() == before


def test_a_school_that_has_results_cannot_be_deleted(school):
    factories.StudentResultFactory(school=school)
    analysis = import_workbook(xlsx({"ОО": [{**schools_row(school), "Удалить": "да"}]}))
    assert messages(analysis) == [
        "2/Код ОО: нельзя удалить ОО, пока у неё есть трудоустройства, вакансии, результаты "
        "обучающихся или администраторы"
    ]


def test_school_admin_creates_changes_and_deletes_their_schools_rows_only(
    school, other_school, school_admin
):
    ours = factories.StudentResultFactory(school=school, subject="physics", grade=8)
    factories.StudentResultFactory(school=school, participants=40)
    theirs = factories.StudentResultFactory(school=other_school)
    analysis = import_workbook(
        book(
            school,
            result(),
            result(**{"Предмет": "физика", "Параллель": 8, "Удалить": "да"}),
            result(**{"Предмет": "химия", "Параллель": 8}),
        ),
        user=school_admin,
    )
    assert analysis.errors == []
    assert not StudentResult.objects.filter(pk=ours.pk).exists()
    assert StudentResult.objects.filter(school=school).count() == 2
    for row in (
        result("S-B"),  # update
        result("S-B", **{"Удалить": "да"}),
        result("S-B", **{"Предмет": "химия"}),  # create
    ):
        analysis = analyse_workbook(book(school, row), user=school_admin)
        assert messages(analysis) == ["2/Код ОО: нет прав на данные ОО с кодом «S-B»"]
    theirs.refresh_from_db()
    assert (theirs.participants, theirs.failed) == (50, 5)


# «Предметы» on «Педагоги» ------------------------------------------------------------------


def subjects_of(snils: str) -> str:
    return Person.objects.get(snils=snils).subjects


def test_subjects_are_read_separated_by_semicolons_or_commas(school):
    first, second, third = next_snils(), next_snils(), next_snils()
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [schools_row(school)],
                "Педагоги": [
                    staff(first, **{"Предметы": "Физика; математика"}),
                    staff(second, **{"Предметы": "литература,  РУССКИЙ язык,"}),
                    staff(third, **{"Предметы": None}),
                ],
            }
        )
    )
    assert analysis.errors == []
    # Stored in the list's order, whatever the order written.
    assert subjects_of(first) == ",maths,physics,"
    assert subjects_of(second) == ",russian,literature,"
    assert subjects_of(third) == ""


def test_an_unknown_subject_or_subjects_differing_across_a_persons_rows_are_errors(
    school, other_school
):
    snils, other = next_snils(), next_snils()
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [schools_row(school), schools_row(other_school)],
                "Педагоги": [
                    staff(snils, **{"Предметы": "математика"}),
                    staff(
                        snils,
                        "S-B",
                        **{"Предметы": "физика", "Место работы": "совместительство"},
                    ),
                    staff(other, **{"Предметы": "математика; пение"}),
                ],
            }
        )
    )
    assert messages(analysis) == [
        "3/Предметы: «физика» — не совпадает с полем «предметы» того же работника в строке 2",
        "4/Предметы: предмет «пение» — нет такого значения; допустимо: русский язык · "
        "математика · физика · химия · биология · география · история · обществознание · "
        "информатика · литература · иностранный язык · окружающий мир",
    ]


def test_an_empty_cell_clears_the_subjects_and_an_absent_column_keeps_them(school):
    employment = factories.EmploymentFactory(school=school)
    person = employment.person
    person.subjects = ",maths,"
    person.save()
    row = staff(
        person.snils,
        **{
            "Фамилия": person.last_name,
            "Имя": person.first_name,
            "Отчество": person.middle_name,
            "Пол": person.get_sex_display(),
            "Дата рождения": person.birth_date,
            "Образование": person.get_education_display(),
            "Педагогический стаж с": person.experience_since,
            "Должность": employment.position,
            "Категория работника": employment.get_category_display(),
            "Место работы": employment.get_workplace_display(),
            "Дата приема": employment.hired_on,
        },
    )
    older_book = xlsx({"ОО": [schools_row(school)], "Педагоги": [row]})
    analysis = import_workbook(older_book)
    assert analysis.errors == []
    assert analysis.counts["Педагоги"].unchanged == 1
    assert subjects_of(person.snils) == ",maths,"
    analysis = import_workbook(
        xlsx({"ОО": [schools_row(school)], "Педагоги": [{**row, "Предметы": "математика"}]})
    )
    assert analysis.counts["Педагоги"].unchanged == 1
    analysis = import_workbook(
        xlsx({"ОО": [schools_row(school)], "Педагоги": [{**row, "Предметы": "  "}]})
    )
    assert analysis.counts["Педагоги"].updated == 1
    assert subjects_of(person.snils) == ""
    change = person.changes.get()
    assert change.changes == {"subjects": [",maths,", ""]}


def test_a_school_does_not_change_the_subjects_of_a_part_timer_kept_elsewhere(
    school, other_school, school_admin
):
    main = factories.EmploymentFactory(school=other_school)
    person = main.person
    person.subjects = ",physics,"
    person.save()
    row = staff(
        person.snils,
        **{
            "Фамилия": person.last_name,
            "Имя": person.first_name,
            "Отчество": person.middle_name,
            "Пол": person.get_sex_display(),
            "Дата рождения": person.birth_date,
            "Место работы": "совместительство",
            "Предметы": "математика",
        },
    )
    analysis = import_workbook(
        xlsx({"ОО": [schools_row(school)], "Педагоги": [row]}), user=school_admin
    )
    assert analysis.errors == []
    assert subjects_of(person.snils) == ",physics,"


def test_the_import_writes_the_changes_into_the_schools_history(school):
    factories.StudentResultFactory(school=school, participants=40, failed=2)
    analysis = import_workbook(
        book(
            school,
            result(**{"Средний балл": "3,5"}),
            result(**{"Предмет": "химия", "Параллель": 8}),
        )
    )
    assert analysis.errors == []
    changes = school.changes.order_by("record_label")
    assert [(c.person, c.action, c.record_label, c.changes) for c in changes] == [
        (
            None,
            "update",
            "2024/2025, ВПР, математика, 5",
            {"participants": [40, 48], "failed": [2, 9], "average_score": [None, "3.50"]},
        ),
        (
            None,
            "create",
            "2024/2025, ВПР, химия, 8",
            {
                "school": [None, "S-A"],
                "year": [None, 2024],
                "procedure": [None, "vpr"],
                "subject": [None, "chemistry"],
                "grade": [None, 8],
                "participants": [None, 48],
                "failed": [None, 9],
            },
        ),
    ]
