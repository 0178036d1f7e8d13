"""The admin speaks Russian: app and model names, headings, columns and counts, with no
English heading and no noun in the wrong case next to a number."""

import gettext
import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from profdev.roles import grant_role
from tests import factories
from tests.profdev.sample_jobs import rename_districts
from tests.recommendations.factories import MonitoringYearFactory, OrganisationFactory

PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
LATIN = re.compile(r"[a-z]", re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")
# What a reader takes for a heading: the page title, headings, table captions and column
# names, form labels (the index names its models in row headers); a bare <h2> is a record's
# own name, data rather than a heading.
HEADINGS = re.compile(
    r"<(title|h1|h2(?=\s)|h3|caption|label|th scope=\"(?:col|row)\")[^>]*>"
    r"(.*?)</(?:title|h\d|caption|label|th)>",
    re.S,
)
CHANGE_LINK = re.compile(r'href="(/admin/[\w-]+/\w+/[^/"]+/change/)"')


def headings(page: str) -> list[str]:
    found = (html.unescape(TAGS.sub("", text)) for _, text in HEADINGS.findall(page))
    return [" ".join(text.split()) for text in found if text.strip()]


def latin_only(texts: list[str]) -> list[str]:
    return [t for t in texts if LATIN.search(t) and not CYRILLIC.search(t)]


@pytest.fixture
def administrator(db):
    return grant_role(username="it", role="admin").user


@pytest.fixture
def one_of_everything(db, settings):
    """A row in every list, so that each list shows its columns and each record its page."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    employment = factories.EmploymentFactory()
    person = employment.person
    for factory in (
        factories.CourseFactory,
        factories.AttestationFactory,
        factories.ContestFactory,
        factories.DiagnosticFactory,
        factories.RouteFactory,
        factories.ActivityFactory,
        factories.BurnoutFactory,
    ):
        factory(person=person)
    factories.MentorshipFactory(mentor=person)
    factories.VacancyFactory(school=employment.school)
    OrganisationFactory(district=employment.school.district)
    MonitoringYearFactory(district=employment.school.district)
    rename_districts.enqueue(user=factories.UserFactory(), steps=1, suffix="")  # queued
    return employment


def admin_pages(client) -> dict[str, str]:
    """The index, every model's list and the page of the first row of each list."""
    pages = {"/admin/": client.get("/admin/").content.decode()}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
        first_row = CHANGE_LINK.search(pages[url])
        if first_row:
            row_url = html.unescape(first_row.group(1))
            pages[row_url] = client.get(row_url).content.decode()
    return pages


def test_admin_headings_are_russian(administrator, one_of_everything, client):
    client.force_login(administrator)
    pages = admin_pages(client)
    english = {url: latin_only(headings(page)) for url, page in pages.items()}
    english = {url: found for url, found in english.items() if found}
    assert english == {}, "\n".join(f"{url}: {found}" for url, found in english.items())
    index = headings(pages["/admin/"])
    for name in ("Блокировка входа", "Очередь заданий", "Задания", "Попытки входа"):
        assert name in index


def test_lists_are_headed_by_the_plural_and_count_without_a_noun(
    administrator, one_of_everything, client
):
    client.force_login(administrator)
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "<h1>Пользователи</h1>" in users
    assert "Выберите" not in users
    jobs = client.get(reverse("admin:profdev_job_changelist")).content.decode()
    assert "<h1>Фоновые задачи</h1>" in jobs
    factories.UserFactory.create_batch(14)
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert re.search(r"Записей: 16\s", users)
    assert not re.search(r"\d+ пользовател", users)


def test_add_and_change_pages_name_the_model_after_a_colon(administrator, client):
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    assert "<h1>Добавление: пользователь</h1>" in page
    page = client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content
    assert "<h1>Изменение: пользователь</h1>" in page.decode()
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Добавить: пользователь" in page


def test_compiled_messages_match_their_source():
    """The committed .mo is what `make messages` builds from the .po."""
    source = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for entry in source.translated_entries():
        if entry.msgid_plural:
            forms = [catalog.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 3, 5)]
            assert forms == [entry.msgstr_plural[i] for i in (0, 1, 2)], entry.msgid
        elif entry.msgctxt:
            assert catalog.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert catalog.gettext(entry.msgid) == entry.msgstr, entry.msgid
