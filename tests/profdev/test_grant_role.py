import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from profdev.models import RoleGrant
from profdev.scoping import scope_for


def test_creates_school_admin_bound_to_school(school):
    call_command(
        "grant_role",
        "zavuch",
        "school_admin",
        "--school",
        school.code,
        "--password",
        "dlinnyi-parol-1",
    )
    user = get_user_model().objects.get(username="zavuch")
    assert user.check_password("dlinnyi-parol-1")
    assert list(scope_for(user).schools()) == [school]


def test_methodologist_gets_the_only_district(district):
    call_command("grant_role", "metodist", "methodologist")
    grant = RoleGrant.objects.get(user__username="metodist")
    assert grant.district == district


def test_admin_role_opens_django_admin(db):
    call_command("grant_role", "it", "admin")
    user = get_user_model().objects.get(username="it")
    assert user.is_superuser and user.is_staff and not user.has_usable_password()


def test_granting_twice_keeps_one_grant(school):
    for _ in range(2):
        call_command("grant_role", "zavuch", "school_admin", "--school", school.code)
    assert RoleGrant.objects.filter(user__username="zavuch").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["school_admin"], "укажите ОО"),
        (["school_admin", "--school", "NOPE"], "ОО с кодом «NOPE» не найдена"),
        (["head", "--district", "NOPE"], "Муниципалитет с кодом «NOPE» не найден"),
        (["head", "--password", "short"], "Введённый пароль слишком короткий"),
    ],
)
def test_bad_input_is_refused_in_russian_and_creates_nothing(district, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", "someone", *args)
    assert not get_user_model().objects.filter(username="someone").exists()


def test_admin_site_is_closed_to_other_roles(client, methodologist):
    client.force_login(methodologist)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
