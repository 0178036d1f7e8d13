"""A school administrator uploads the school's workbook in a real browser: a file with an
error is listed with its sheet, row and column; the fixed file is confirmed; the new staff
appear in the staff list."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_workspace import assert_accessible, csp_violations, log_in, user_of
from tests.factories import next_snils
from tests.profdev.workbook.builders import course, staff, xlsx
from tests.profdev.workbook.builders import school as school_row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BAD_SNILS = "123-456-789 00"


@pytest.fixture
def school(transactional_db):
    school = factories.SchoolFactory(
        district=factories.DistrictFactory(), code="S-A", short_name="МБОУ «Школа № 1»"
    )
    factories.EmploymentFactory(school=school)
    factories.ProviderFactory(name="ОГБУ ДПО «Институт развития образования»")
    user_of(school, "zavuch1")
    return school


def workbook(path, school, snils: str):
    row = school_row(
        school.code, **{"Наименование": school.name, "Краткое наименование": school.short_name}
    )
    newcomer = staff(snils, school.code, **{"Фамилия": "Новикова", "Имя": "Дарья"})
    book = xlsx({"ОО": [row], "Педагоги": [newcomer], "Курсы": [course(snils)]})
    path.write_bytes(book.getvalue())
    return path


def test_school_admin_fixes_a_workbook_and_sees_the_new_teacher(
    browser, live_server, school, tmp_path
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    blocked = csp_violations(page)
    log_in(page, base, "zavuch1")

    sent = []  # the form sends its file with XMLHttpRequest, showing the progress
    page.on("request", lambda r: sent.append(r.resource_type) if r.method == "POST" else None)

    page.get_by_role("link", name="Книга Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Загрузка книги ОО")
    assert_accessible(page, base)
    notes = tmp_path / "Сотрудники.csv"
    notes.write_text("СНИЛС;Фамилия\n")
    page.get_by_label("Файл книги (.xlsx)").set_input_files(notes)
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_role("alert")).to_contain_text("«Сотрудники.csv» — не книга Excel .xlsx.")
    expect(page.get_by_label("Файл книги (.xlsx)")).to_be_focused()
    page.get_by_label("Файл книги (.xlsx)").set_input_files(
        workbook(tmp_path / "Сотрудники.xlsx", school, BAD_SNILS)
    )
    page.get_by_role("button", name="Проверить").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Книга «Сотрудники.xlsx»")
    expect(page.get_by_role("alert")).to_contain_text("Ошибок в файле: 2. Ничего не записано")
    errors = page.get_by_role("table")
    first = errors.get_by_role("row").nth(1)
    expect(first.get_by_role("cell")).to_have_text(
        ["Педагоги", "2", "СНИЛС", re.compile(f"«{BAD_SNILS}» — неверное контрольное число СНИЛС")]
    )
    expect(errors.get_by_role("row").nth(2).get_by_role("cell").first).to_have_text("Курсы")
    expect(page.get_by_role("button", name="Записать изменения")).to_have_count(0)
    assert_accessible(page, base)

    page.get_by_role("link", name="Загрузить исправленный файл").click()
    page.get_by_label("Файл книги (.xlsx)").set_input_files(
        workbook(tmp_path / "Сотрудники-исправлено.xlsx", school, next_snils())
    )
    page.get_by_role("button", name="Проверить").click()

    expect(page.get_by_role("status")).to_contain_text("Ошибок нет")
    counts = page.get_by_role("table", name=re.compile("Что будет записано"))
    expect(counts.get_by_role("row", name=re.compile("^Педагоги"))).to_contain_text("1")
    assert_accessible(page, base)
    page.get_by_role("button", name="Записать изменения").click()

    expect(page.get_by_role("status")).to_contain_text("Книга записана: добавлено 2")
    page.get_by_role("link", name="К списку сотрудников").click()
    expect(page).to_have_url(base + reverse("staff_list", args=[school.code]))
    expect(page.get_by_role("link", name=re.compile("Новикова Дарья"))).to_be_visible()
    expect(page.get_by_text("Найдено: 2")).to_be_visible()
    assert blocked == []
    assert sent == ["xhr", "xhr", "xhr", "document"]  # three files, then the confirmation
    context.close()
