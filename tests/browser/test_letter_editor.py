"""A methodologist edits a draft letter in a real browser: the editor, and the plain textarea
left when JavaScript is off."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from profdev.models import RoleGrant
from recommendations.models import Letter, LetterEvent
from tests import factories
from tests.browser.test_workspace import assert_accessible, csp_violations
from tests.recommendations.factories import MonitoringYearFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "<p>Уважаемые коллеги!</p><p>По итогам мониторинга рекомендуем:</p>"


@pytest.fixture
def draft(transactional_db):
    district = factories.DistrictFactory()
    school = factories.SchoolFactory(district=district, short_name="МБОУ «Школа № 1»")
    return Letter.objects.create(
        monitoring_year=MonitoringYearFactory(district=district),
        kind=Letter.Kind.SCHOOL,
        school=school,
        title="Об адресных рекомендациях",
        addressee="Директору МБОУ «Школа № 1»",
        body=BODY,
        generated_body=BODY,
        figures={"findings": []},
    )


def methodologist_page(browser, live_server, draft, **options):
    user = factories.UserFactory()
    district = draft.monitoring_year.district
    factories.RoleGrantFactory(user=user, role=RoleGrant.Role.METHODOLOGIST, district=district)
    client = Client()
    client.force_login(user)
    # Reduced motion: Bootstrap's buttons change colour without a transition, so the audit
    # right after a click reads the final colours.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ru-RU", reduced_motion="reduce", **options
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(live_server.url + reverse("recommendations:edit", args=[draft.pk]))
    return page


def test_the_methodologist_types_a_list_in_the_editor_and_the_letter_shows_it(
    browser, live_server, draft
):
    page = methodologist_page(browser, live_server, draft)
    blocked = csp_violations(page)
    page.reload()
    editor = page.get_by_role("textbox", name="Текст письма")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name='body']")).to_be_hidden()
    assert_accessible(page, live_server.url)

    editor.get_by_text("По итогам мониторинга рекомендуем:").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("обновить план повышения квалификации;")
    list_button = page.get_by_role("button", name="Список", exact=True)
    list_button.click()
    expect(list_button).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+B")  # the shortcut the bold button names
    page.keyboard.type("провести диагностику")
    expect(page.get_by_role("button", name="Жирный")).to_have_attribute("aria-pressed", "true")
    undo = page.get_by_role("button", name="Отменить")
    expect(undo).to_be_enabled()
    assert_accessible(page, live_server.url)

    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Текст письма сохранён.")).to_be_visible()
    items = page.locator(".letter-text ul > li")
    expect(items).to_have_text(["обновить план повышения квалификации;", "провести диагностику"])
    expect(items.nth(1).locator("b")).to_have_text("провести диагностику")
    draft.refresh_from_db()
    assert draft.body == (
        "<p>Уважаемые коллеги!</p><p>По итогам мониторинга рекомендуем:</p>"
        "<ul><li>обновить план повышения квалификации;</li>"
        "<li><b>провести диагностику</b></li></ul>"
    )
    assert draft.edited and draft.events.filter(kind=LetterEvent.Kind.EDITED).count() == 1
    assert blocked == []


def test_names_kept_whole_stay_so_after_an_edit(browser, live_server, draft):
    """A name the letter keeps from breaking across lines (<span class="name">) keeps its
    class through the editor."""
    draft.body = draft.generated_body = (
        '<p>Не прошли диагностику: <span class="name">Иванова А.\u00a0С.</span>.</p>'
    )
    draft.save()
    page = methodologist_page(browser, live_server, draft)
    editor = page.get_by_role("textbox", name="Текст письма")
    editor.get_by_text("Не прошли диагностику:").click()
    page.keyboard.press("Home")
    page.keyboard.type("Итоги. ")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Текст письма сохранён.")).to_be_visible()
    draft.refresh_from_db()
    assert draft.body == (
        '<p>Итоги. Не прошли диагностику: <span class="name">Иванова А.&nbsp;С.</span>.</p>'
    )


def test_opening_and_saving_without_a_change_leaves_the_letter_unedited(
    browser, live_server, draft
):
    page = methodologist_page(browser, live_server, draft)
    page.get_by_role("textbox", name="Текст письма").click()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Текст письма сохранён.")).to_be_visible()
    draft.refresh_from_db()
    assert (draft.body, draft.edited) == (BODY, False)


def test_without_javascript_the_plain_textarea_edits_the_letter(browser, live_server, draft):
    page = methodologist_page(browser, live_server, draft, java_script_enabled=False)
    expect(page.get_by_role("toolbar")).to_be_hidden()
    textarea = page.get_by_role("textbox", name="Текст письма")
    expect(textarea).to_have_value(BODY)
    expect(page.get_by_text("абзацы — <p>…</p>")).to_be_visible()
    textarea.fill("<p>Новый текст</p><ol><li>пункт</li></ol>")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".letter-text ol > li")).to_have_text(["пункт"])
