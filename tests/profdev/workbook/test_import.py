import datetime as dt

import pytest
from django.test import override_settings

from profdev.models import (
    ChangeRecord,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    Provider,
    RouteActivity,
    School,
)
from profdev.workbook import importer
from profdev.workbook.apply import PlanWriter
from profdev.workbook.importer import StaleWorkbook, analyse_workbook, import_workbook
from profdev.workbook.parse import BookParser
from profdev.workbook.plan import Planner
from tests import factories
from tests.factories import next_snils
from tests.profdev.workbook import builders
from tests.profdev.workbook.builders import course, provider, school, staff, xlsx


def errors(analysis) -> list[str]:
    return [str(e) for e in analysis.errors]


def counts(analysis, sheet) -> tuple[int, int, int, int]:
    c = analysis.counts[sheet]
    return c.created, c.updated, c.deleted, c.unchanged


def test_a_full_record_set_in_varied_spellings_is_stored(district):
    snils = next_snils()
    spelled = f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    mentee = next_snils()
    book = xlsx(
        {
            "оо": [
                school(**{"ШНОР": "Да", "Неблагоприятные условия": 1, "Email": "s@edu.example"})
            ],
            "Организации ДПО": [provider(), provider("ООО «Инфоурок»", **{"Вид": "Сторонняя"})],
            "Педагоги": [
                staff(float(snils), **{"Дата рождения": "04.03.1985", "Пол": "Ж"}),
                staff(
                    mentee, **{"Категория работника": "ПЕДАГОГИЧЕСКИЙ", "Дата приема": "2023-09-01"}
                ),
            ],
            "Курсы": [
                course(
                    spelled,
                    **{
                        "Вид программы": "повышение квалификации",
                        "Форма": "Дистанционная",
                        "Тематика": "Воспитание; цифровые",
                        "Часы": "72",
                    },
                ),
                course(
                    snils,
                    **{
                        "Вид программы": "Профессиональная переподготовка",
                        "Часы": 252.0,
                        "Организация": "  ооо «ИНФОУРОК» ",
                        "Педагогическая направленность": "нет",
                    },
                ),
            ],
            "Наставничество": [
                {
                    "СНИЛС наставника": snils,
                    "СНИЛС наставляемого": mentee,
                    "Дата начала": "01.09.2023",
                }
            ],
            "Диагностика": [
                {
                    "СНИЛС": snils,
                    "Дата": dt.date(2024, 2, 1),
                    "Инструмент": "ЕФОМ",
                    "Цифровой": 55.0,
                }
            ],
        }
    )
    analysis = import_workbook(book)
    assert errors(analysis) == []
    assert counts(analysis, "Курсы") == (2, 0, 0, 0)
    s = School.objects.get(code="S-A")
    assert (s.low_results, s.unfavourable, s.district, s.email) == (
        True,
        True,
        district,
        "s@edu.example",
    )
    person = Person.objects.get(snils=snils)
    assert (person.birth_date, person.sex) == (dt.date(1985, 3, 4), "f")
    pk_course, pp_course = person.courses.order_by("kind")
    assert (pk_course.form, pk_course.distance, pk_course.hours) == ("extramural", True, 72)
    assert pk_course.topics == ",digital,upbringing,"
    assert (pp_course.kind, pp_course.provider.name, pp_course.pedagogical) == (
        "pp",
        "ООО «Инфоурок»",
        False,
    )
    assert MentorshipPair.objects.get().mentee.snils == mentee
    assert DeficitDiagnostic.objects.get().scores()["digital"] == 55


def test_every_bad_row_is_reported_in_sheet_then_row_order_and_nothing_is_written(district):
    snils = next_snils()
    book = xlsx(
        {
            "Курсы": [course(snils, **{"Часы": 12})],
            "ОО": [school(), school("S-B", **{"Тип ОО": "гимназия"})],
            "Педагоги": [
                staff(snils, **{"Дата увольнения": "01.01.2009"}),
                staff("123-456-789 00"),
                staff(next_snils(), **{"Дата рождения": "2024/01/01", "Фамилия": "  "}),
            ],
            "Наставничество": [
                {
                    "СНИЛС наставника": snils,
                    "СНИЛС наставляемого": snils,
                    "Дата начала": "01.09.2023",
                }
            ],
            "Диагностика": [{"СНИЛС": snils, "Дата": "01.02.2024", "Инструмент": "ЕФОМ"}],
        }
    )
    analysis = import_workbook(book)
    assert errors(analysis) == [
        "Лист «ОО», строка 3, столбец «Тип ОО»: «гимназия» — нет такого значения; допустимо: "
        "общеобразовательная · дошкольная · дополнительного образования",
        "Лист «Педагоги», строка 2, столбец «Дата увольнения»: «01.01.2009» — раньше даты "
        "начала 01.09.2010",
        "Лист «Педагоги», строка 3, столбец «СНИЛС»: «123-456-789 00» — неверное контрольное число "
        "СНИЛС (по первым девяти цифрам должно быть 64)",
        "Лист «Педагоги», строка 4, столбец «Фамилия»: обязательное поле не заполнено",
        "Лист «Педагоги», строка 4, столбец «Дата рождения»: «2024/01/01» — не дата: пишите "
        "ДД.ММ.ГГГГ или ГГГГ-ММ-ДД",
        "Лист «Курсы», строка 2, столбец «Часы»: «12» — программа ПК должна быть не "
        "короче 16 часов",
        "Лист «Наставничество», строка 2, столбец «СНИЛС наставляемого»: наставник и "
        "наставляемый — "
        "один и тот же человек",
        "Лист «Диагностика», строка 2, столбец «Предметный»: нужна оценка хотя бы по "
        "одной составляющей",
    ]
    assert not analysis.applied
    assert School.objects.count() == Person.objects.count() == 0


def test_file_level_checks(district, tmp_path):
    random_bytes = tmp_path / "random.xlsx"
    random_bytes.write_bytes(b"\x00\x01 not a workbook" * 20)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert errors(analyse_workbook(random_bytes)) == [
        "Файл: файл не является книгой Excel (.xlsx) или повреждён"
    ]
    assert errors(analyse_workbook(empty)) == ["Файл: файл пустой"]
    assert errors(analyse_workbook(tmp_path / "missing.xlsx")) == [
        "Файл: не удаётся открыть файл (No such file or directory)"
    ]
    assert errors(analyse_workbook(xlsx({"Курсы": [course(next_snils())]}))) == [
        "Файл: в книге нет листа «ОО»"
    ]


def test_size_and_row_limits(district):
    book = xlsx({"ОО": [school(), school("S-B")]})
    with override_settings(WORKBOOK_MAX_BYTES=1000):
        assert errors(analyse_workbook(book)) == [
            "Файл: файл больше 0 МБ: разделите книгу на несколько файлов"
        ]
    with override_settings(WORKBOOK_MAX_ROWS=2):
        assert errors(analyse_workbook(book)) == [
            "Файл: в книге больше 2 строк: разделите её на части"
        ]


def test_zip_bomb_is_refused(district, tmp_path):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 3_000_000)
    with override_settings(WORKBOOK_MAX_BYTES=100_000):
        assert errors(analyse_workbook(bomb)) == [
            "Файл: после распаковки файл занимает больше 2 МБ: разделите книгу на несколько файлов"
        ]


def test_headers_and_sheets_are_matched_loosely_unknown_ones_warned(district):
    row = {
        " код оо ": "S-A",
        "НАИМЕНОВАНИЕ": "Школа",
        "Краткое наименование": "Ш",
        "Тип ОО": "общеобразовательная",
        "Примечание": "x",
    }
    analysis = import_workbook(xlsx({"ОО": [row], "Черновик": [{"a": 1}]}))
    assert errors(analysis) == []
    assert analysis.warnings == [
        "лист «Черновик» не входит в формат книги и пропущен",
        "лист «ОО»: столбец «Примечание» не входит в формат и пропущен",
    ]


def test_missing_required_column_is_an_error(district):
    row = school()
    del row["Тип ОО"]
    assert errors(analyse_workbook(xlsx({"ОО": [row]}))) == [
        "Лист «ОО», строка 1, столбец «Тип ОО»: нет обязательного столбца"
    ]


def test_blank_rows_are_skipped_and_row_numbers_are_excel_ones(district):
    book = xlsx({"ОО": [school(), {}, {"Код ОО": "   "}, school("S-B", **{"Тип ОО": "?"})]})
    assert [e.row for e in analyse_workbook(book).errors] == [5]


def test_same_key_twice_in_a_file(district):
    snils = next_snils()
    book = xlsx(
        {
            "ОО": [school()],
            "Педагоги": [staff(snils), staff(snils.replace("", ""), **{"Должность": "директор"})],
        }
    )
    assert errors(analyse_workbook(book)) == [
        "Лист «Педагоги», строка 3, столбец «СНИЛС»: повторяет строку 2: тот же ключ записи"
    ]


def test_person_fields_must_agree_across_rows(district):
    snils = next_snils()
    book = xlsx(
        {
            "ОО": [school(), school("S-B")],
            "Педагоги": [
                staff(snils, **{"Место работы": "совместительство"}),
                staff(snils, "S-B", **{"Имя": "Марина"}),
            ],
        }
    )
    assert errors(analyse_workbook(book)) == [
        "Лист «Педагоги», строка 3, столбец «Имя»: «Марина» — не совпадает с полем «имя» "
        "того же работника в строке 2"
    ]


def test_two_main_employments_may_not_overlap_in_the_file_or_with_the_database(
    school, other_school
):
    person = factories.PersonFactory()
    factories.EmploymentFactory(
        person=person,
        school=other_school,
        hired_on=dt.date(2015, 1, 1),
        dismissed_on=None,
        workplace="main",
    )
    newcomer = next_snils()
    book = xlsx(
        {
            "ОО": [school_row(school)],
            "Педагоги": [
                staff(person.snils, **_person_cells(person), **{"Дата приема": "01.09.2020"}),
                staff(newcomer, **{"Дата приема": "01.09.2020"}),
                staff(newcomer, **{"Дата приема": "01.01.2021", "Должность": "директор"}),
                staff(
                    newcomer, **{"Дата приема": "01.01.2022", "Место работы": "совместительство"}
                ),
            ],
        }
    )
    assert errors(analyse_workbook(book)) == [
        "Лист «Педагоги», строка 2, столбец «Дата приема»: основное место работы пересекается "
        "с другим основным местом работы (ОО «S-B») с 01.01.2015 по настоящее время",
        "Лист «Педагоги», строка 4, столбец «Дата приема»: основное место работы пересекается "
        "с другим основным местом работы (строка 3) с 01.09.2020 по настоящее время",
    ]


def school_row(s: School) -> dict:
    return school(s.code, **{"Наименование": s.name, "Краткое наименование": s.short_name})


def _person_cells(person: Person) -> dict:
    return {
        "Фамилия": person.last_name,
        "Имя": person.first_name,
        "Отчество": person.middle_name,
        "Дата рождения": person.birth_date,
        "Педагогический стаж с": person.experience_since,
    }


def test_references_must_exist_in_the_file_or_the_database(district):
    book = xlsx(
        {
            "ОО": [school()],
            "Педагоги": [staff(code="S-X")],
            "Курсы": [course("123-456-789 64", **{"Организация": "Нет такой"})],
        }
    )
    assert errors(analyse_workbook(book)) == [
        "Лист «Педагоги», строка 2, столбец «Код ОО»: ОО с кодом «S-X» нет ни на листе "
        "«ОО», ни в системе",
        "Лист «Курсы», строка 2, столбец «СНИЛС»: работника со СНИЛС 123-456-789 64 нет "
        "ни на листе "
        "«Педагоги», ни в системе",
        "Лист «Курсы», строка 2, столбец «Организация»: организации «Нет такой» нет ни на листе "
        "«Организации ДПО», ни в системе",
    ]


def test_references_to_records_already_stored(school):
    person = factories.PersonFactory()
    factories.ProviderFactory(name="АНО ДПО «Ёлка»")
    book = xlsx(
        {
            "ОО": [school_row(school)],
            "Курсы": [course(person.snils, **{"Организация": " ано дпо «елка» "})],
        }
    )
    analysis = import_workbook(book)
    assert errors(analysis) == []
    assert CourseCompletion.objects.get().provider.name == "АНО ДПО «Ёлка»"


def test_second_import_of_the_same_file_changes_nothing(district):
    snils = next_snils()
    rows = {
        "ОО": [school()],
        "Организации ДПО": [provider()],
        "Педагоги": [staff(snils)],
        "Курсы": [course(snils)],
    }
    import_workbook(xlsx(rows))
    history = ChangeRecord.objects.count()
    again = import_workbook(xlsx(rows))
    assert [counts(again, s) for s in rows] == [(0, 0, 0, 1)] * 4
    assert ChangeRecord.objects.count() == history


def test_update_replaces_present_columns_empty_clears_absent_keeps(district):
    snils = next_snils()
    full = course(
        snils,
        **{"Номер документа": "123", "ДОТ": "да", "Федеральный реестр": "да", "Тематика": "ШНОР"},
    )
    first = xlsx(
        {
            "ОО": [school(**{"Руководитель": "Петров П. П."})],
            "Организации ДПО": [provider()],
            "Педагоги": [staff(snils)],
            "Курсы": [full],
        }
    )
    assert import_workbook(first).applied
    update = course(snils, **{"Номер документа": " ", "ДОТ": None, "Часы": 40})
    analysis = import_workbook(xlsx({"ОО": [school(**{"ШНОР": "нет"})], "Курсы": [update]}))
    assert errors(analysis) == []
    assert counts(analysis, "Курсы") == (0, 1, 0, 0)
    assert counts(analysis, "ОО") == (0, 0, 0, 1)
    stored = CourseCompletion.objects.get()
    assert (stored.hours, stored.document_number, stored.distance) == (40, "", False)
    assert (stored.federal_register, stored.topics) == (True, ",low_results,")
    assert School.objects.get().head_name == "Петров П. П."


def test_person_update_is_recorded_in_history(district):
    snils = next_snils()
    import_workbook(xlsx({"ОО": [school()], "Педагоги": [staff(snils)]}))
    person = Person.objects.get()
    assert person.changes.filter(action="create", source="workbook").count() == 2
    analysis = import_workbook(
        xlsx({"ОО": [school()], "Педагоги": [staff(snils, **{"Фамилия": "Сидорова"})]})
    )
    assert counts(analysis, "Педагоги") == (0, 1, 0, 0)
    person.refresh_from_db()
    assert (person.last_name, person.version) == ("Сидорова", 2)
    change = person.changes.get(action="update")
    assert (change.record_label, change.changes) == (
        "Сидорова Мария Петровна",
        {"last_name": ["Иванова", "Сидорова"]},
    )


def test_delete_column(district):
    snils = next_snils()
    first = {"ОО": [school()], "Организации ДПО": [provider()], "Педагоги": [staff(snils)]}
    assert import_workbook(xlsx({**first, "Курсы": [course(snils)]})).applied
    book = xlsx(
        {
            "ОО": [school()],
            "Педагоги": [{**staff(snils, **{"Имя": ""}), "Удалить": "да"}],
            "Курсы": [
                {**course(snils), "Удалить": "Да"},
                {**course(snils, **{"Программа": "Другая"}), "Удалить": "да"},
            ],
        }
    )
    analysis = analyse_workbook(book)
    assert errors(analysis) == [
        "Лист «Курсы», строка 3, столбец «СНИЛС»: нет такой записи: удалять нечего"
    ]
    book = xlsx(
        {
            "ОО": [school()],
            "Педагоги": [{**staff(snils), "Удалить": "да"}],
            "Курсы": [{**course(snils), "Удалить": "Да"}],
        }
    )
    analysis = import_workbook(book)
    assert counts(analysis, "Педагоги") == (0, 0, 1, 0)
    assert Employment.objects.count() == CourseCompletion.objects.count() == 0
    assert Person.objects.filter(snils=snils).exists()  # the person and the rest stay


SCHOOL_IN_USE = (
    "Лист «ОО», строка 2, столбец «Код ОО»: нельзя удалить ОО, пока у неё есть "
    "трудоустройства, вакансии, результаты обучающихся или администраторы"
)
PROVIDER_IN_USE = (
    "Лист «Организации ДПО», строка 2, столбец «Наименование»: нельзя удалить организацию, "
    "пока есть пройденные в ней программы"
)


def deleted(row: dict) -> dict:
    return {**row, "Удалить": "да"}


def vacancy(code="S-A") -> dict:
    return {
        "Код ОО": code,
        "Должность": "учитель физики",
        "Количество": 1,
        "Дата открытия": dt.date(2025, 6, 1),
    }


@pytest.mark.parametrize(
    "named_by",
    [
        lambda school: factories.EmploymentFactory(school=school),
        lambda school: factories.VacancyFactory(school=school),
        lambda school: factories.RoleGrantFactory(role="school_admin", school=school),
    ],
    ids=["employment", "vacancy", "administrator"],
)
def test_a_school_named_by_a_stored_row_cannot_be_deleted(school, named_by):
    named_by(school)
    analysis = analyse_workbook(xlsx({"ОО": [deleted(school_row(school))]}))
    assert errors(analysis) == [SCHOOL_IN_USE]


def test_a_school_goes_with_the_rows_naming_it_but_not_under_a_new_one(school):
    person = factories.EmploymentFactory(school=school).person
    factories.VacancyFactory(school=school)
    rows = {
        "ОО": [deleted(school_row(school))],
        "Педагоги": [deleted(staff(person.snils))],
        "Вакансии": [deleted(vacancy())],
    }
    assert errors(import_workbook(xlsx(rows))) == []
    assert not School.objects.exists()
    school = factories.SchoolFactory(code="S-A")
    newcomer = staff(code="S-A", **{"Дата приема": dt.date(2020, 9, 1)})
    analysis = analyse_workbook(xlsx({"ОО": [deleted(school_row(school))], "Педагоги": [newcomer]}))
    assert errors(analysis) == [
        SCHOOL_IN_USE,
        "Лист «Педагоги», строка 2, столбец «Код ОО»: ОО с кодом «S-A» нет ни на листе «ОО», "
        "ни в системе",
    ]


def test_a_provider_goes_with_its_courses_only(school):
    course_done = factories.CourseFactory(provider=factories.ProviderFactory(name="АНО «Ёлка»"))
    row = deleted(provider("АНО «Ёлка»"))
    assert errors(
        analyse_workbook(xlsx({"ОО": [school_row(school)], "Организации ДПО": [row]}))
    ) == [PROVIDER_IN_USE]
    rows = {
        "ОО": [school_row(school)],
        "Организации ДПО": [row],
        "Курсы": [
            deleted(
                course(
                    course_done.person.snils,
                    **{
                        "Программа": course_done.programme,
                        "Организация": "АНО «Ёлка»",
                        "Дата окончания": course_done.finished_on,
                    },
                )
            )
        ],
    }
    assert errors(import_workbook(xlsx(rows))) == []
    assert not Provider.objects.exists()


def test_district_column_default_and_several_districts(district):
    analysis = import_workbook(xlsx({"ОО": [school()]}))
    assert School.objects.get().district == district
    factories.DistrictFactory(code="ZZ", name="Другой")
    analysis = analyse_workbook(xlsx({"ОО": [school("S-B")]}))
    assert errors(analysis) == [
        "Лист «ОО», строка 2, столбец «Муниципалитет»: укажите муниципалитет: в системе "
        "их несколько"
    ]
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [
                    school("S-B", **{"Муниципалитет": "ZZ"}),
                    school("S-C", **{"Муниципалитет": "QQ"}),
                ]
            }
        )
    )
    assert errors(analysis) == [
        "Лист «ОО», строка 3, столбец «Муниципалитет»: муниципалитета с кодом «QQ» нет в системе"
    ]


def test_a_load_against_a_checked_state_refuses_when_the_database_changed_since(district):
    book = xlsx({"ОО": [school()]})
    checked = analyse_workbook(book)
    factories.ProviderFactory()
    with pytest.raises(StaleWorkbook):
        import_workbook(book, expected_token=checked.state_token)
    assert School.objects.count() == 0


def test_a_load_against_a_checked_state_writes_what_the_check_counted(district):
    book = xlsx({"ОО": [school()], "Организации ДПО": [provider()]})
    checked = analyse_workbook(book)
    assert School.objects.count() == 0
    written = import_workbook(book, expected_token=checked.state_token)
    assert written.applied and written.counts == checked.counts
    assert Provider.objects.get().name_key == "огбу дпо «институт развития образования»"
    assert School.objects.count() == 1


def test_a_check_reads_a_part_at_a_time_and_counts_as_a_whole(district, monkeypatch):
    """A check holds no more of a sheet than a load does: a part of PART rows at a time,
    its counts, errors and warnings those of the whole sheet."""
    snils = [next_snils() for _ in range(3)]
    courses = [course(s, **{"Дата окончания": dt.date(2024, 5, 3)}) for s in snils]
    courses.append(course(snils[0], **{"Часы": 10}))  # too short: an error on row 5
    people = [staff(s) for s in snils]
    book = xlsx(
        {"ОО": [school()], "Организации ДПО": [provider()], "Педагоги": people, "Курсы": courses}
    )
    whole = analyse_workbook(book)
    planned = []
    plan = Planner.plan

    def planning(self, data, rows):
        planned.append((data.sheet.name, [row.number for row in rows]))
        return plan(self, data, rows)

    monkeypatch.setattr(Planner, "plan", planning)
    monkeypatch.setattr(importer, "PART", 2)
    parts = analyse_workbook(book)
    # (row 5, in error, is not planned)
    assert planned[-3:] == [("Педагоги", [2, 3, 4]), ("Курсы", [2, 3]), ("Курсы", [4])]
    assert [str(e) for e in parts.errors] == [str(e) for e in whole.errors] != []
    assert parts.errors[0].row == 5
    assert (parts.counts, parts.warnings) == (whole.counts, whole.warnings)
    assert counts(parts, "Курсы") == (3, 0, 0, 0)


def test_dry_run_writes_nothing(district):
    analysis = import_workbook(xlsx({"ОО": [school()]}), dry_run=True)
    assert counts(analysis, "ОО") == (1, 0, 0, 0)
    assert School.objects.count() == 0


# --- written sheet by sheet (`import_workbook`) ------------------------------------------


def test_each_sheet_is_written_as_planned_a_part_at_a_time(district, monkeypatch):
    """A region's load holds one part of one sheet at a time: each part of a sheet's rows
    (PART rows) is written before the next is read, and a sheet before the next sheet; the
    persons' sheet goes whole."""
    events = []
    parse, write = BookParser.rows, PlanWriter.sheet

    def parsed(self, data):
        for row in parse(self, data):
            events.append(("read", data.sheet.name, row.number))
            yield row

    def written(self, plan, *args):
        events.append(("write", plan.sheet_name, [s.row for s in plan.steps]))
        return write(self, plan, *args)

    monkeypatch.setattr(BookParser, "rows", parsed)
    monkeypatch.setattr(PlanWriter, "sheet", written)
    monkeypatch.setattr(importer, "PART", 2)
    snils = [next_snils() for _ in range(3)]
    courses = [course(s, **{"Дата окончания": dt.date(2024, 5, 3)}) for s in snils]
    book = {"ОО": [school()], "Педагоги": [staff(s) for s in snils], "Курсы": courses}
    analysis = import_workbook(xlsx({**book, "Организации ДПО": [provider()]}))
    assert analysis.applied
    assert events == [
        ("read", "ОО", 2),
        ("write", "ОО", [2]),
        ("read", "Организации ДПО", 2),
        ("write", "Организации ДПО", [2]),
        ("read", "Педагоги", 2),
        ("read", "Педагоги", 3),
        ("read", "Педагоги", 4),
        ("write", "Педагоги", [2, 3, 4]),
        ("read", "Курсы", 2),
        ("read", "Курсы", 3),
        ("write", "Курсы", [2, 3]),
        ("read", "Курсы", 4),
        ("write", "Курсы", [4]),
    ]
    assert counts(analysis, "Курсы") == (3, 0, 0, 0)
    assert CourseCompletion.objects.count() == 3
    # the load's history: one moment, the persons' creation before their records'
    history = list(ChangeRecord.objects.order_by("pk").values_list("record_type", "at"))
    assert [kind for kind, _ in history] == [
        *["работник"] * 3,
        *["трудоустройство"] * 3,
        *["пройденная программа"] * 3,
    ]
    assert len({at for _, at in history}) == 1


def test_an_error_found_after_the_last_sheet_undoes_the_sheets_written(school):
    """The deletion checks need every sheet: a school still in use is found at the end, and
    what the sheets before wrote (a new school, a new person) is rolled back."""
    factories.EmploymentFactory(school=school)
    newcomer = next_snils()
    rows = {
        "ОО": [deleted(school_row(school)), builders.school("S-B")],
        "Педагоги": [staff(newcomer, code="S-B")],
    }
    analysis = import_workbook(xlsx(rows))
    assert errors(analysis) == [SCHOOL_IN_USE]
    assert not analysis.applied
    assert list(School.objects.values_list("code", flat=True)) == ["S-A"]
    assert Person.objects.count() == 1
    assert not ChangeRecord.objects.exists()


def test_a_route_replaced_in_one_file_goes_before_the_new_one_is_kept(district):
    """The deletions go last, the sheets' in reverse order: the old route's activities, then
    the route, while the new route and its activities are written with their sheets."""
    snils = next_snils()
    old_route = {"СНИЛС": snils, "Дата начала": dt.date(2024, 10, 15), "Куратор": "Смирнова"}
    old_plan = {
        "СНИЛС": snils,
        "Дата начала ИОМ": dt.date(2024, 10, 15),
        "Вид": "стажировка",
        "Мероприятие": "Стажировка в лицее",
        "Дата начала": dt.date(2024, 11, 1),
    }
    book = {"ОО": [school()], "Педагоги": [staff(snils)]}
    first = import_workbook(xlsx({**book, "ИОМ": [old_route], "Мероприятия ИОМ": [old_plan]}))
    assert first.ok, first.errors
    new_route = {**old_route, "Дата начала": dt.date(2025, 1, 10)}
    new_plan = {**old_plan, "Дата начала ИОМ": dt.date(2025, 1, 10)}
    second = import_workbook(
        xlsx(
            {
                **book,
                "ИОМ": [deleted(old_route), new_route],
                "Мероприятия ИОМ": [deleted(old_plan), new_plan],
            }
        )
    )
    assert second.ok, second.errors
    assert counts(second, "ИОМ") == (1, 0, 1, 0)
    assert counts(second, "Мероприятия ИОМ") == (1, 0, 1, 0)
    route = DevelopmentRoute.objects.get()
    assert route.started_on == dt.date(2025, 1, 10)
    assert [(a.route_id, a.starts_on) for a in RouteActivity.objects.all()] == [
        (route.pk, dt.date(2024, 11, 1))
    ]
