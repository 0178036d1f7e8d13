"""The head's signing inbox in a real browser: two letters ticked, one confirmation, signed."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from monitoring.models import Status
from profdev.models import RoleGrant
from recommendations.drafting import letters_draft
from recommendations.models import Letter
from recommendations.services import letter_send
from recommendations.signing import certificate_make_dev
from tests import factories
from tests.recommendations.factories import (
    MonitoringYearFactory,
    OrganisationFactory,
    catalogue,
    value,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Проверка-подписи-2025"


@pytest.fixture
def inbox(transactional_db, letters_deletable_at_teardown):
    """Three letters on the head's desk: to schools № 2, № 10 and № 11."""
    district = factories.DistrictFactory()
    OrganisationFactory(district=district)
    year = MonitoringYearFactory(district=district)
    diag = catalogue()["DIAG"]
    for n in (10, 2, 11):
        school = factories.SchoolFactory(district=district, short_name=f"МБОУ СОШ № {n}")
        value(year, diag, school, 1, 20, Status.RED)
    methodologist = factories.UserFactory(username="metodist")
    factories.RoleGrantFactory(
        user=methodologist, role=RoleGrant.Role.METHODOLOGIST, district=district
    )
    for letter in letters_draft(year=year).letters:
        if letter.school_id:
            letter_send(letter=letter, user=methodologist)
    head = factories.UserFactory(username="nachalnik", first_name="Ольга", last_name="Олейникова")
    head.set_password(PASSWORD)
    head.save()
    factories.RoleGrantFactory(user=head, role=RoleGrant.Role.HEAD, district=district)
    certificate_make_dev(
        user=head, owner="Олейникова Ольга Владимировна", position="Начальник отдела образования"
    )
    return head


def test_the_head_signs_two_letters_with_one_confirmation(browser, live_server, inbox):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page: Page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Имя пользователя").fill("nachalnik")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="На подпись: 3").click()
    page.get_by_label("Выбрать: МБОУ СОШ № 2").check()
    page.get_by_label("Выбрать: МБОУ СОШ № 10").check()
    page.get_by_role("button", name="Подписать выбранные").click()

    expect(page.get_by_role("heading", name="Сертификат подписи")).to_be_visible()
    expect(page.locator("[data-certificate]")).to_contain_text("Олейникова Ольга Владимировна")
    expect(page.get_by_role("heading", name="Будет подписано: 2 письма")).to_be_visible()
    page.get_by_role("button", name="Подписать", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Подписано писем: 2 из 2.")
    page.get_by_role("link", name="Перейти к результату").click()
    expect(page.get_by_role("link", name="На подпись: 1")).to_be_visible()
    signed = Letter.objects.filter(status="signed").order_by("serial")
    assert [x.school.short_name for x in signed] == ["МБОУ СОШ № 2", "МБОУ СОШ № 10"]
    assert signed[1].serial == signed[0].serial + 1
    context.close()
