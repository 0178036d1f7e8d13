"""Everyday data entry in a real browser: one course for many teachers, a provider proposed
from the course form and confirmed by the methodologist, people found as one types, and the
school monitoring page's «Кто не учтён» lists folded."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from monitoring.services import compute_year
from profdev.models import CourseCompletion, Provider, RoleGrant, School
from profdev.roles import grant_role
from tests import factories
from tests.browser.test_workspace import PASSWORD, assert_accessible, log_in, user_of
from tests.data import EXAMPLE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTED = "ГАУ ДПО «Институт развития образования»"
PROPOSED = "АНО ДПО «Школа учителя»"


@pytest.fixture
def school_data(transactional_db):
    district = factories.DistrictFactory()
    school = factories.SchoolFactory(district=district, code="S-A", short_name="МБОУ «Школа № 1»")
    teachers = [
        factories.EmploymentFactory(
            school=school,
            hired_on=dt.date(2015, 9, 1),
            person=factories.PersonFactory(last_name=last, first_name=first, middle_name=""),
        ).person
        for last, first in (("Лебедева", "Мария"), ("Лебедев", "Иван"), ("Орлова", "Анна"))
    ]
    factories.ProviderFactory(name=LISTED)
    methodologist = factories.UserFactory(username="metod1")
    methodologist.set_password(PASSWORD)
    methodologist.save()
    factories.RoleGrantFactory(
        user=methodologist, role=RoleGrant.Role.METHODOLOGIST, district=district
    )
    return {"school": school, "teachers": teachers, "admin": user_of(school, "zavuch1")}


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    return context, context.new_page()


def fill_course(page, programme: str) -> None:
    page.get_by_label("Вид программы *").select_option("ПК")
    page.get_by_label("Программа *").fill(programme)
    page.get_by_label("Часы *").fill("36")
    page.get_by_label("Форма *").select_option("очная")
    page.get_by_label("Дата окончания *").fill("2024-11-15")


def test_one_course_for_the_teachers_ticked_in_the_staff_list(browser, live_server, school_data):
    base = live_server.url
    context, page = new_page(browser)
    log_in(page, base, "zavuch1")
    page.goto(base + reverse("staff_list", args=["S-A"]))
    for teacher in school_data["teachers"]:
        page.get_by_label(f"Отметить: {teacher.full_name}").check()
    page.get_by_role("button", name="Добавить курс отмеченным").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Курс для нескольких сотрудников")
    expect(page.locator("#course-people li")).to_have_count(3)
    assert_accessible(page, base)
    fill_course(page, "Функциональная грамотность")
    page.get_by_label("Организация *").select_option(label=LISTED)
    page.get_by_role("button", name="Записать курс всем").click()
    expect(page.get_by_text("Курс добавлен 3 сотрудникам.")).to_be_visible()
    assert CourseCompletion.objects.filter(programme="Функциональная грамотность").count() == 3
    context.close()


def test_a_provider_proposed_by_the_school_is_confirmed_by_the_methodologist(
    browser, live_server, school_data
):
    base = live_server.url
    teacher = school_data["teachers"][2]
    context, page = new_page(browser)
    log_in(page, base, "zavuch1")
    page.goto(base + reverse("record_add", args=[teacher.pk, "courses"]))
    fill_course(page, "Наставничество в школе")
    page.get_by_label("Новая организация (если её нет в списке)").fill(PROPOSED)
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_role("cell", name="Наставничество в школе", exact=True)).to_be_visible()
    page.goto(base + reverse("record_add", args=[teacher.pk, "courses"]))
    expect(page.get_by_label("Организация *").locator("option")).to_contain_text(
        [f"{PROPOSED} (предложена ОО, не подтверждена)"]
    )
    context.close()

    context, page = new_page(browser)
    log_in(page, base, "metod1")
    page.get_by_role("link", name="Предложенные организации").click()
    expect(page.get_by_role("heading", level=2, name=PROPOSED)).to_be_visible()
    expect(page.get_by_text("Предложили: МБОУ «Школа № 1»")).to_be_visible()
    assert_accessible(page, base)
    page.get_by_label("Вид").select_option("региональная")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_text(f"Организация «{PROPOSED}» подтверждена")).to_be_visible()
    expect(page.get_by_role("cell", name="подтверждена", exact=True)).to_be_visible()
    assert_accessible(page, base)
    provider = Provider.objects.get(name=PROPOSED)
    assert provider.confirmed and provider.kind == Provider.Kind.REGIONAL
    context.close()


def test_people_are_found_as_one_types(browser, live_server, school_data):
    base = live_server.url
    context, page = new_page(browser)
    log_in(page, base, "zavuch1")
    page.goto(base + reverse("staff_list", args=["S-A"]))
    search = page.get_by_role("combobox", name="Поиск по ФИО")
    search.press_sequentially("лебед", delay=50)
    options = page.get_by_role("listbox", name="Найденные сотрудники").get_by_role("option")
    expect(options).to_have_count(2)
    expect(page.get_by_role("status").filter(has_text="Найдено: 2")).to_have_count(1)
    expect(search).to_have_attribute("aria-expanded", "true")
    assert_accessible(page, base)
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    search.press("ArrowUp")
    search.press("Enter")  # the first by name: Лебедев Иван
    expect(page).to_have_url(base + reverse("person_card", args=[school_data["teachers"][1].pk]))

    # A picker: the route's person chosen by typing.
    page.goto(base + reverse("route_list", args=["S-A"]))
    picker = page.get_by_role("combobox", name=re.compile("Найти по ФИО"))
    picker.press_sequentially("орло", delay=50)
    found = page.get_by_role("listbox", name="Найденные сотрудники").get_by_role("option")
    expect(found).to_have_count(1)
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(page.locator("#route-person")).to_have_value(str(school_data["teachers"][2].pk))
    context.close()


def test_the_school_monitoring_page_folds_who_is_not_counted(
    browser, live_server, transactional_db
):
    district = factories.DistrictFactory()
    call_command("import_workbook", str(EXAMPLE), stdout=StringIO())
    compute_year(district, 2024)
    school = School.objects.order_by("code").first()
    grant_role(username="metod2", role=RoleGrant.Role.METHODOLOGIST, password=PASSWORD)
    base = live_server.url
    context, page = new_page(browser)
    log_in(page, base, "metod2")
    page.goto(base + reverse("monitoring:school", args=[2024, school.code]))
    lists = page.locator("details:has(.people-list)")
    count = lists.count()
    assert count > 0
    expect(page.locator("details[open]:has(.people-list)")).to_have_count(0)
    first = lists.first
    expect(first.locator(".people-list")).to_be_hidden()
    expect(first.locator("summary")).to_contain_text("чел.")
    first.locator("summary").click()
    expect(first.locator(".people-list")).to_be_visible()
    assert_accessible(page, base)
    context.close()
