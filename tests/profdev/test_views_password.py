"""A user changes their own password (Django's PasswordChangeView in the portal's layout)."""

import pytest
from django.test import Client
from django.urls import reverse

OLD = "старый-пароль-2025"
NEW = "новый-надёжный-пароль"


@pytest.fixture
def user(school_admin):
    school_admin.set_password(OLD)
    school_admin.save()
    return school_admin


def change(client, old=OLD, new=NEW, again=None):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
        follow=True,
    )


def can_log_in(user, password: str) -> bool:
    """Through the login form (django-axes wants a real request)."""
    response = Client().post(reverse("login"), {"username": user.username, "password": password})
    return response.status_code == 302


def test_the_user_menu_links_to_the_page_in_the_portal_layout(client_for, user, school):
    client = client_for(user)
    workspace = client.get(reverse("school_workspace", args=[school.code])).content.decode()
    assert f'href="{reverse("password_change")}">Сменить пароль</a>' in workspace

    html = client.get(reverse("password_change")).content.decode()

    assert '<h1 class="h3 mb-3">Смена пароля</h1>' in html
    assert 'aria-label="Основная навигация"' in html  # the portal's menu around it
    for label in ("Старый пароль", "Новый пароль", "Подтверждение нового пароля"):
        assert label in html


def test_a_changed_password_works_the_old_one_no_longer_and_the_session_stays(client, user):
    client.force_login(user)

    response = change(client)

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Пароль изменён" in response.content.decode()
    assert can_log_in(user, NEW) and not can_log_in(user, OLD)
    assert client.get(reverse("password_change")).status_code == 200  # still logged in


def test_other_sessions_of_the_user_end(client, user):
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)

    change(client)

    assert elsewhere.get(reverse("password_change"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("не-тот-пароль", NEW, None, "Ваш старый пароль введен неправильно"),
        (OLD, "короткий", None, "Введённый пароль слишком короткий"),
        (OLD, "1234567890123", None, "Введённый пароль состоит только из цифр"),
        (OLD, "password1234", None, "Введённый пароль слишком широко распространён"),
        (OLD, NEW, "другой-пароль-2025", "Введенные пароли не совпадают"),
    ],
)
def test_a_refused_password_is_explained_in_russian_and_nothing_changes(
    client, user, old, new, again, message
):
    client.force_login(user)

    html = change(client, old, new, again).content.decode()

    assert "Пароль не изменён: исправьте ошибки ниже." in html
    assert message in html
    assert can_log_in(user, OLD)


def test_anonymous_goes_to_login(client, db):
    for name in ("password_change", "password_change_done"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))
