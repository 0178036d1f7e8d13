"""The workbook's round trip with its «ФИО» columns in a real browser: a school's deputy head
downloads the school's book from the upload page, finds each course's teacher named beside
the СНИЛС, types another name there while changing the course, uploads the book and is warned
that the name is not that СНИЛС's owner's; the import still goes on."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from profdev.models import CourseCompletion
from profdev.text import format_snils
from tests import factories
from tests.browser.test_workspace import log_in, user_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OTHER_NAME = "Соколова Ирина Павловна"


@pytest.fixture
def course(transactional_db):
    school = factories.SchoolFactory(
        district=factories.DistrictFactory(), code="S-A", short_name="МБОУ «Школа № 1»"
    )
    teacher = factories.EmploymentFactory(
        school=school,
        person=factories.PersonFactory(
            last_name="Лебедева", first_name="Мария", middle_name="Игоревна"
        ),
    ).person
    user_of(school, "zavuch1")
    return factories.CourseFactory(person=teacher, programme="Цифровая школа", hours=36)


def test_a_name_beside_a_snils_that_is_not_its_owners_is_a_warning_and_the_import_goes_on(
    browser, live_server, course, tmp_path
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    log_in(page, base, "zavuch1")
    page.get_by_role("link", name="Книга Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачайте текущие данные ОО").click()
    path = tmp_path / "Книга ОО.xlsx"
    download.value.save_as(path)

    book = load_workbook(path)
    sheet = book["Курсы"]
    headers = [c.value for c in sheet[1]]
    snils, name = headers.index("СНИЛС"), headers.index("ФИО")
    assert name == snils + 1  # the name beside the СНИЛС
    row = sheet[2]
    assert row[snils].value == format_snils(course.person.snils)
    assert row[name].value == "Лебедева Мария Игоревна"
    row[name].value = OTHER_NAME
    row[headers.index("Часы")].value = 72
    book.save(path)

    page.get_by_label("Файл книги (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Проверить").click()

    expect(page.get_by_role("status")).to_contain_text("Ошибок нет")
    warnings = page.get_by_role("region", name="Предупреждения")
    expect(warnings).to_contain_text(
        re.compile(f"«{OTHER_NAME}».*принадлежит «Лебедева Мария Игоревна»")
    )
    page.get_by_role("button", name="Записать изменения").click()

    expect(page.get_by_role("status")).to_contain_text("Книга записана: добавлено 0, изменено 1")
    course.refresh_from_db()
    assert course.hours == 72
    assert CourseCompletion.objects.count() == 1
    context.close()
