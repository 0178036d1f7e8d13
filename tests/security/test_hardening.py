"""Hardened settings, verified on real responses: headers, session expiry, login throttling,
password length, logout."""

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse

from profdev.models import RoleGrant
from profdev.roles import grant_role
from tests.security.crawl import crawl

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "верный-пароль-2025"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
LOCKED = "Вход для этой учётной записи с вашего адреса заблокирован на 15 минут"
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)

# Run under the production settings (DJANGO_DEBUG off, no PROFDEV_TESTING): one request over
# HTTPS and one over HTTP, through the whole middleware stack.
PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Static files are not collected here: plain storage instead of the hashed manifest.
plain_static = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client(HTTP_HOST="portal.example.ru")
with override_settings(STORAGES=plain_static):
    secure = client.get("/login/", secure=True)
    plain = client.get("/login/")
cookie = secure.cookies["csrftoken"]
print(json.dumps({
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie": {"secure": cookie["secure"], "samesite": cookie["samesite"]},
    "plain": [plain.status_code, plain.headers.get("Location")],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROFDEV_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "profdev.settings",
        "DJANGO_SECRET_KEY": "production-probe-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_hsts_and_secure_cookies_and_redirects_http(production):
    headers = production["headers"]
    assert production["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert production["csrf_cookie"]["secure"] is True
    assert production["session_cookie_secure"] is True
    assert production["session_cookie_httponly"] is True
    assert production["plain"] == [301, "https://portal.example.ru/login/"]


def test_production_csp_allows_only_own_scripts(production):
    policy = directives(production["headers"]["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in production["headers"]["Content-Security-Policy"]


def directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


def test_an_inline_script_runs_only_with_the_nonce_sent_in_the_policy(rf, settings):
    """No page has an inline script today; one that ever needs it must carry the nonce."""
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    response = CSPMiddleware(view)(rf.get("/"))
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    assert directives(response["Content-Security-Policy"])["script-src"] == [
        "'self'",
        f"'nonce-{nonce}'",
    ]


def inline_scripts(page) -> list[str]:
    """Script tags that would run code written in the page itself (CSP refuses them)."""
    return [
        attributes
        for attributes in SCRIPT.findall(page.text)
        if 'src="/static/' not in attributes and 'type="application/json"' not in attributes
    ]


@pytest.mark.parametrize("role", ["methodologist", "school_admin"])
def test_no_page_has_an_inline_script(client, world, role):
    client.force_login(world.users[role])
    pages = [p for p in crawl(client, ["/"]) if p.content_type.startswith("text/html")]
    assert len(pages) >= 5
    assert not [(p.url, inline_scripts(p)) for p in pages if inline_scripts(p)]


def test_pages_carry_the_policy_and_frame_denial(client, world):
    client.force_login(world.users["school_admin"])
    response = client.get(reverse("staff_list", args=[world.school.code]))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


# Session expiry --------------------------------------------------------------------------


def test_session_expires_after_30_minutes_of_inactivity(client, school, school_admin, time_machine):
    time_machine.move_to(START, tick=False)
    client.force_login(school_admin)
    workspace = reverse("school_workspace", args=[school.code])

    time_machine.shift(dt.timedelta(minutes=29))
    assert client.get(workspace).status_code == 200  # idle 29 minutes: still in

    time_machine.shift(dt.timedelta(minutes=29))
    assert client.get(workspace).status_code == 200  # each request restarts the 30 minutes

    time_machine.shift(dt.timedelta(minutes=31))
    response = client.get(workspace)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Login throttling -----------------------------------------------------------------------


def login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def account(school_admin):
    school_admin.set_password(PASSWORD)
    school_admin.save()
    return school_admin


def test_five_failures_lock_the_username_at_the_address_for_15_minutes(
    client, account, time_machine
):
    time_machine.move_to(START, tick=False)
    for attempt in range(4):
        response = login(client, account.username, f"неверный-{attempt}")
        assert response.status_code == 200
        assert "введите правильные имя пользователя и пароль" in response.content.decode()

    fifth = login(client, account.username, "неверный-5")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()

    sixth = login(client, account.username, PASSWORD)  # the right password is refused too
    assert sixth.status_code == 429
    assert LOCKED in sixth.content.decode()
    assert not is_logged_in(client)

    time_machine.shift(dt.timedelta(minutes=14, seconds=59))
    assert login(client, account.username, PASSWORD).status_code == 429  # and not restarted

    time_machine.shift(dt.timedelta(seconds=2))
    response = login(client, account.username, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_holds_only_for_that_username_and_address(client, account, time_machine):
    time_machine.move_to(START, tick=False)
    for attempt in range(5):
        login(client, account.username, f"неверный-{attempt}")

    assert login(client, account.username, PASSWORD, address="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    other = grant_role(
        username="другой", role=RoleGrant.Role.METHODOLOGIST, password="другой-пароль-2025"
    ).user
    assert login(client, other.username, "другой-пароль-2025").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, account, time_machine):
    time_machine.move_to(START, tick=False)
    for attempt in range(4):
        login(client, account.username, f"неверный-{attempt}")
    assert login(client, account.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for attempt in range(4):
        assert login(client, account.username, f"снова-неверный-{attempt}").status_code == 200
    assert login(client, account.username, PASSWORD).status_code == 302


# Passwords and logout -------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Кор0ткий", "123456789"])
def test_passwords_shorter_than_10_characters_are_refused(district, password):
    with pytest.raises(ValidationError) as error:
        grant_role(username="новый", role=RoleGrant.Role.METHODOLOGIST, password=password)
    assert "Он должен состоять из как минимум 10 символов" in " ".join(error.value.messages)


def test_a_common_password_of_10_characters_is_refused_too(district):
    with pytest.raises(ValidationError) as error:
        grant_role(username="новый", role=RoleGrant.Role.METHODOLOGIST, password="qwertyuiop")
    assert "слишком широко распространён" in " ".join(error.value.messages)


def test_a_long_enough_uncommon_password_is_accepted(district):
    grant = grant_role(
        username="новый", role=RoleGrant.Role.METHODOLOGIST, password="мел-доска-2025"
    )
    assert grant.user.check_password("мел-доска-2025")


def test_logout_deletes_the_session_and_the_old_cookie_is_useless(client, account):
    assert login(client, account.username, PASSWORD).status_code == 302
    old_key = client.session.session_key
    assert Session.objects.filter(session_key=old_key).exists()

    client.post(reverse("logout"))

    assert not Session.objects.filter(session_key=old_key).exists()
    client.cookies["sessionid"] = old_key  # replaying the stolen cookie
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
