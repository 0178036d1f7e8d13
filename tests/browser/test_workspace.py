"""A school administrator's day in a real browser: log in, staff list, teacher card."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from profdev.models import RoleGrant
from tests import factories
from tests.browser.audit import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Проверка-входа-2025"


def user_of(school, username: str):
    user = factories.UserFactory(username=username, first_name="Ольга", last_name="Завучева")
    user.set_password(PASSWORD)
    user.save()
    factories.RoleGrantFactory(user=user, role=RoleGrant.Role.SCHOOL_ADMIN, school=school)
    return user


@pytest.fixture
def district_data(transactional_db):
    district = factories.DistrictFactory()
    ours = factories.SchoolFactory(district=district, code="S-A", short_name="МБОУ «Школа № 1»")
    theirs = factories.SchoolFactory(district=district, code="S-B", short_name="МБОУ «Школа № 2»")
    teacher = factories.EmploymentFactory(
        school=ours,
        position="учитель физики",
        person=factories.PersonFactory(last_name="Лебедева", first_name="Мария"),
    ).person
    factories.CourseFactory(person=teacher, programme="Цифровая школа")
    factories.DiagnosticFactory(person=teacher, digital=45)
    for n in range(12):
        factories.EmploymentFactory(
            school=ours,
            position="учитель начальных классов" if n % 2 else "учитель русского языка",
            hired_on=dt.date(2012 + n % 10, 9, 1),
        )
    return {
        "school": ours,
        "teacher": teacher,
        "admin": user_of(ours, "zavuch1"),
        "other_admin": user_of(theirs, "zavuch2"),
    }


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def assert_accessible(page: Page, base: str) -> None:
    """axe-core in the page: no violation of impact serious or critical."""
    serious = axe_violations(page, base)
    assert serious == [], f"{page.url}: " + "; ".join(serious)


def csp_violations(page: Page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def test_school_admin_logs_in_finds_a_teacher_and_opens_the_card(
    browser, live_server, district_data, tmp_path
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    blocked = csp_violations(page)

    page.goto(base + reverse("login"))
    assert_accessible(page, base)
    log_in(page, base, "zavuch1")
    school = district_data["school"]
    expect(page).to_have_url(base + reverse("school_workspace", args=[school.code]))
    expect(page.get_by_role("heading", level=1)).to_have_text("МБОУ «Школа № 1»")
    expect(page.get_by_text("Полнота данных за")).to_be_visible()
    assert_accessible(page, base)

    page.get_by_role("link", name="Список сотрудников").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сотрудники")
    expect(page.get_by_text("Найдено: 13")).to_be_visible()
    assert_accessible(page, base)
    page.screenshot(path=tmp_path / "staff-1280.png", full_page=True)
    page.set_viewport_size({"width": 768, "height": 1000})
    page.screenshot(path=tmp_path / "staff-768.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Search with the keyboard only: type, Enter submits the filter form.
    page.get_by_label("Поиск по ФИО").fill("лебед")
    page.get_by_label("Поиск по ФИО").press("Enter")
    expect(page.get_by_text("Найдено: 1")).to_be_visible()
    teacher = district_data["teacher"]
    expect(page.get_by_text(teacher.masked_snils)).to_be_visible()
    page.get_by_role("link", name=teacher.full_name).click()

    expect(page).to_have_url(base + reverse("person_card", args=[teacher.pk]))
    expect(page.get_by_text(teacher.formatted_snils)).to_be_visible()
    expect(page.get_by_role("cell", name="Цифровая школа", exact=True)).to_be_visible()
    # Tabs work from the keyboard: arrow keys move between them, once the page's scripts ran
    # (the text above may show while they still load).
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("tab", name=re.compile("Курсы")).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name=re.compile("Аттестация"))).to_have_attribute(
        "aria-selected", "true"
    )
    page.get_by_role("tab", name=re.compile("Диагностика")).click()
    expect(page.get_by_text("дефицит", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile("#diagnostics$"))
    assert_accessible(page, base)
    page.set_viewport_size({"width": 768, "height": 1000})
    page.screenshot(path=tmp_path / "card-768.png", full_page=True)
    # Nothing sticks out sideways at 768 px: wide tables scroll inside their own box.
    assert page.evaluate("() => document.documentElement.scrollWidth") == 768

    page.get_by_role("button", name="Меню").click()  # the navigation collapses at 768 px
    # Bootstrap marks the menu `.show` once it has finished opening: click only then.
    expect(page.locator("#main-nav.show")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    assert blocked == []
    context.close()


def test_school_admin_adds_a_teacher_with_a_course_through_the_forms(
    browser, live_server, district_data, tmp_path
):
    base = live_server.url
    factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    blocked = csp_violations(page)
    log_in(page, base, "zavuch1")
    page.get_by_role("link", name="Сотрудники", exact=True).click()
    page.get_by_role("link", name="Добавить работника").click()
    assert_accessible(page, base)

    # A wrong control number is refused next to the field, and nothing is saved.
    page.get_by_label("СНИЛС *").fill("112-233-445 00")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("неверное контрольное число СНИЛС")).to_be_visible()
    expect(page.get_by_text("Не сохранено: исправьте отмеченные поля.")).to_be_visible()
    assert_accessible(page, base)
    page.screenshot(path=tmp_path / "teacher-form-errors.png", full_page=True)

    page.get_by_label("СНИЛС *").fill(factories.next_snils())
    page.get_by_label("Фамилия *").fill("Новикова")
    page.get_by_label("Имя *").fill("Дарья")
    page.get_by_label("Пол *").select_option("ж")
    page.get_by_label("Дата рождения *").fill("2001-04-03")
    page.get_by_label("Должность *").fill("учитель английского языка")
    page.get_by_label("Категория работника *").select_option("педагогический")
    page.get_by_label("Место работы *").select_option("основное")
    page.get_by_label("Образование *").select_option("высшее педагогическое")
    page.get_by_label("Педагогический стаж с *").fill("2024-09-01")
    page.get_by_label("Дата приема *").fill("2024-09-01")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Работник добавлен: Новикова Дарья.")).to_be_visible()

    page.get_by_role("link", name="Добавить курсы").click()
    page.get_by_label("Вид программы *").select_option("ПК")
    page.get_by_label("Программа *").fill("Функциональная грамотность")
    page.get_by_label("Организация *").select_option(
        label="ГАУ ДПО «Институт развития образования»"
    )
    page.get_by_label("Часы *").fill("36")
    page.get_by_label("Форма *").select_option("очная")
    page.get_by_label("Дата окончания *").fill("2024-11-15")
    page.get_by_label("цифровые").check()
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_role("cell", name="Функциональная грамотность", exact=True)).to_be_visible()
    page.get_by_role("tab", name=re.compile("История изменений")).click()
    expect(page.get_by_text("часы: — → 36")).to_be_visible()

    page.get_by_role("link", name="Сотрудники", exact=True).click()
    page.get_by_label("Поиск по ФИО").fill("Новикова")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("link", name="Новикова Дарья")).to_be_visible()
    assert blocked == []
    context.close()


def test_other_school_admin_cannot_open_the_card(browser, live_server, district_data):
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, "zavuch2")
    expect(page.get_by_role("heading", level=1)).to_have_text("МБОУ «Школа № 2»")
    teacher = district_data["teacher"]
    response = page.goto(base + reverse("person_card", args=[teacher.pk]))
    assert response.status == 404
    response = page.goto(base + reverse("staff_list", args=[district_data["school"].code]))
    assert response.status == 404
    context.close()
