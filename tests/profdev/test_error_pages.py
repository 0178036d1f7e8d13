"""With DEBUG off every error answers with a Russian page in the portal's layout and a way
back to the home page, never Django's English default."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse

from tests import factories


def crash(request):
    raise RuntimeError("сбой")


def forbidden(request):
    raise PermissionDenied


def malformed(request):
    raise SuspiciousOperation("испорченный запрос")


# The portal's own URLs plus three views that fail on purpose (`pytest.mark.urls`).
urlpatterns = [
    path("crash/", crash),
    path("forbidden/", forbidden),
    path("malformed/", malformed),
    path("", include("profdev.urls")),
]

ENGLISH = ("Not Found", "Server Error", "Forbidden", "Bad Request", "CSRF")


def assert_russian_error_page(response, status: int, heading: str) -> None:
    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="ru">' in page
    assert f"<h1>{heading}</h1>" in page
    assert f'href="{reverse("home")}">На главную страницу</a>' in page
    assert [word for word in ENGLISH if word in page] == []


@pytest.fixture(autouse=True)
def production_errors(client):
    assert settings.DEBUG is False  # pytest-django runs tests as production would
    client.raise_request_exception = False


def test_a_wrong_verification_link_shows_the_russian_not_found_page(db, client):
    response = client.get(reverse("recommendations:verify", args=["не-тот-код"]))

    assert_russian_error_page(response, 404, "Страница не найдена")


def test_a_signed_in_user_keeps_the_portal_navigation_on_a_missing_page(db, client):
    user = factories.UserFactory(first_name="Ольга", last_name="Смирнова")
    factories.RoleGrantFactory(user=user, district=factories.DistrictFactory())
    client.force_login(user)

    response = client.get("/нет-такой-страницы/")

    assert_russian_error_page(response, 404, "Страница не найдена")
    assert "Смирнова" in response.content.decode()  # the navigation bar, signed in


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/crash/", 500, "Ошибка на сервере"),
        ("/forbidden/", 403, "Доступ запрещён"),
        ("/malformed/", 400, "Неверный запрос"),
    ],
)
def test_server_errors_refusals_and_bad_requests_are_in_russian(db, client, url, status, heading):
    assert_russian_error_page(client.get(url), status, heading)


def test_a_form_sent_without_its_csrf_token_is_refused_in_russian(db):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": "metodist", "password": "x"})

    assert_russian_error_page(response, 403, "Форма устарела")
