"""Pages and files with personal data are never stored by a browser or a proxy."""

from django.contrib.staticfiles import finders
from django.db import transaction
from django.test import Client

from tests.security.access import ROLES, table


def test_every_page_and_file_shown_to_any_role_is_not_stored(world, samples):
    """Every GET of docs/access-control.md that answers 200, for every role it answers."""
    checked = 0
    for rule in table():
        url = rule.url.format(**samples)
        for role in ROLES:
            if rule.method != "GET" or rule.expected[role] != 200:
                continue
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[role])
            with transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
            assert response.status_code == 200, (role, url)
            assert "no-store" in response.get("Cache-Control", ""), (role, url)
            checked += 1
    assert checked >= 140  # pages, .xlsx and PDFs


def test_a_teachers_card_and_the_schools_workbook_say_no_store(client_for, world, samples):
    client = client_for(world.users["school_admin"])
    for url in (f"/persons/{samples['person']}/", f"/schools/{samples['school']}/workbook.xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control


def test_static_files_keep_their_caching(client):
    assert finders.find("css/portal.css")
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
