"""The deliberately messy example of tests/data imports cleanly."""

import io

import pytest
from django.core.management import CommandError, call_command

from profdev.models import ChangeRecord, CourseCompletion, Employment, Person, School
from tests.data import EXAMPLE
from tests.profdev.workbook.builders import school, staff, xlsx

EXPECTED = """\
ОО: создано 7, изменено 0, удалено 0, без изменений 0
Организации ДПО: создано 8, изменено 0, удалено 0, без изменений 0
Педагоги: создано 116, изменено 0, удалено 0, без изменений 0
Курсы: создано 180, изменено 0, удалено 0, без изменений 0
Аттестация: создано 77, изменено 0, удалено 0, без изменений 0
Конкурсы: создано 70, изменено 0, удалено 0, без изменений 0
Наставничество: создано 26, изменено 0, удалено 0, без изменений 0
Диагностика: создано 110, изменено 0, удалено 0, без изменений 0
ИОМ: создано 40, изменено 0, удалено 0, без изменений 0
Деятельность: создано 107, изменено 0, удалено 0, без изменений 0
Выгорание: создано 102, изменено 0, удалено 0, без изменений 0
Вакансии: создано 0, изменено 0, удалено 0, без изменений 0
Предупреждение: лист «Педагоги»: столбец «Примечание» не входит в формат и пропущен
"""


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_workbook", *args, stdout=out)
    return out.getvalue()


def test_example_imports_with_the_expected_counts_and_warning(district):
    assert run(str(EXAMPLE)) == EXPECTED
    assert School.objects.filter(district=district).count() == 7
    assert Person.objects.count() == 111  # 116 employments, five people work at two schools
    assert Employment.objects.count() == 116
    assert CourseCompletion.objects.filter(distance=True, form="extramural").count() >= 1
    # Every person and every record of theirs is in the history.
    assert (
        ChangeRecord.objects.filter(action="create").count()
        == 111 + 116 + 180 + 77 + 70 + 26 * 2 + 110 + 40 + 107 + 102
    )
    second = run(str(EXAMPLE))
    assert "Педагоги: создано 0, изменено 0, удалено 0, без изменений 116" in second


def test_dry_run_prints_the_counts_and_writes_nothing(district):
    output = run(str(EXAMPLE), "--dry-run")
    assert output.startswith("Проверка без записи: в базе ничего не изменено.\nОО: создано 7,")
    assert School.objects.count() == 0


def test_errors_are_printed_and_the_exit_code_is_1(district, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(
        xlsx({"ОО": [school(**{"ШНОР": "возможно"})], "Педагоги": [staff(code="NOPE")]}).getvalue()
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), stdout=out)
    assert exit_.value.code == 1
    assert out.getvalue() == (
        "Лист «ОО», строка 2, столбец «ШНОР»: «возможно» — ожидается «да» или «нет»\n"
        "Лист «Педагоги», строка 2, столбец «Код ОО»: ОО с кодом «NOPE» нет ни на листе "
        "«ОО», ни в системе\n"
    )
    assert School.objects.count() == 0
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04garbage")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_workbook", str(garbage), stdout=out)
    assert out.getvalue() == "Файл: файл не является книгой Excel (.xlsx) или повреждён\n"


def test_user_option(school, school_admin):
    with pytest.raises(CommandError, match="Пользователь «nobody» не найден"):
        run(str(EXAMPLE), "--user", "nobody")
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_workbook", str(EXAMPLE), "--user", school_admin.username, stdout=out)
    assert (
        "Лист «ОО», строка 2, столбец «Код ОО»: нет прав на данные ОО с кодом «ZH-01»"
        in out.getvalue()
    )
