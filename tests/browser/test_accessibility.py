"""Every page each demo role reaches by following links passes axe-core (no serious or
critical violation, in Chromium) and the Nu HTML Checker (no error).

The demo district, made smaller: the methodologist, the head, a school administrator and the
IT administrator. Pages are found by following links with the test client (downloads left
out), one page per view: a teacher's card stands for every card. The IT administrator's part
is the Django admin: its index, each app's page, each model's list and one record's page.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

from profdev.demo import loading
from tests.browser.audit import axe_violations, html_errors
from tests.security.crawl import crawl

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("letters_deletable_at_teardown"),  # the demo signs letters
]

ROLES = ["metodist", "nachalnik", "ou-ZR-01", "admin"]
DOWNLOAD = re.compile(r"\.(pdf|xlsx|json)$")
LEFT_ALONE = ("/static/", "/logout/", "/admin/logout/")
ADMIN_PAGES = re.compile(r"admin:(index|app_list|\w+_changelist|\w+_change)$")


def one_per_view(path: str) -> tuple | None:
    """A page of each view; no downloads; in the admin, the index, each app, each model's
    list and the page of one of its records."""
    if path.startswith(LEFT_ALONE) or DOWNLOAD.search(path):
        return None
    try:
        view = resolve(path).view_name
    except Resolver404:
        return (path,)  # a broken link: visited, and answers 404
    if view.startswith("admin:") and not ADMIN_PAGES.match(view):
        return None
    return (view, path) if view == "admin:app_list" else (view,)


@pytest.fixture
def demo(transactional_db, monkeypatch):
    monkeypatch.setattr(loading, "DEMO_REGION", {**loading.DEMO_REGION, "schools": 3, "staff": 60})
    # In a thread of its own: signing runs asyncio, and Playwright holds this thread's loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(loading.load_demo, lambda line: None).result()


def test_every_page_of_every_role_passes_axe_and_the_html_checker(
    browser, live_server, demo, tmp_path
):
    base = live_server.url
    violations, pages = [], {}
    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        found = [
            p
            for p in crawl(client, ["/"], per_view=1, key=one_per_view)
            if p.content_type.startswith("text/html")
        ]
        assert [p.url for p in found if p.status != 200] == []
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        for visited in found:
            page.goto(base + visited.url)
            name = f"{username} {urlsplit(visited.url).path}"
            violations += [f"{name}: {v}" for v in axe_violations(page, base)]
            pages[name] = visited.text
        context.close()

    assert len(pages) > 60
    assert violations == [], "\n".join(violations)
    errors = html_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
