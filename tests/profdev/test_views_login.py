from django.urls import NoReverseMatch, reverse

from profdev.models import RoleGrant
from tests import factories


def test_login_form_logs_in_and_lands_school_admin_on_their_workspace(client, school, school_admin):
    school_admin.set_password("верный-пароль-2025")
    school_admin.save()
    response = client.post(
        reverse("login"),
        {"username": school_admin.username, "password": "верный-пароль-2025"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("school_workspace", args=[school.code])


def test_wrong_password_is_refused_in_russian(client, school_admin):
    response = client.post(reverse("login"), {"username": school_admin.username, "password": "x"})
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.content.decode()


def test_login_page_has_labelled_fields(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<label class="form-label" for="id_username">' in html
    assert '<label class="form-label" for="id_password">' in html


def test_logout_is_a_post(client_for, school_admin):
    client = client_for(school_admin)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_district_staff_land_on_the_district_overview_or_its_fallback(client_for, methodologist):
    try:
        expected = reverse("monitoring:overview")
    except NoReverseMatch:  # the monitoring app not yet routed
        expected = reverse("admin:index")
    assert client_for(methodologist).get(reverse("home"))["Location"] == expected


def test_admin_of_several_schools_switches_and_returns_to_the_last_one(
    client_for, school, other_school, school_admin
):
    factories.RoleGrantFactory(
        user=school_admin, role=RoleGrant.Role.SCHOOL_ADMIN, school=other_school
    )
    client = client_for(school_admin)
    assert client.get(reverse("home"))["Location"] == reverse(
        "school_workspace", args=[school.code]
    )
    html = client.get(reverse("school_workspace", args=[other_school.code])).content.decode()
    assert 'id="school-switcher"' in html
    assert f'href="{reverse("school_workspace", args=[school.code])}"' in html
    assert f"ОО: {other_school.short_name}" in html
    assert client.get(reverse("home"))["Location"] == reverse(
        "school_workspace", args=[other_school.code]
    )


def test_single_school_admin_has_no_switcher(client_for, school, school_admin):
    html = client_for(school_admin).get(reverse("school_workspace", args=[school.code]))
    assert 'id="school-switcher"' not in html.content.decode()
    assert reverse("staff_list", args=[school.code]) in html.content.decode()


def test_user_without_role_is_told_so(client_for, db):
    response = client_for(factories.UserFactory()).get(reverse("home"))
    assert "не назначена роль" in response.content.decode()


def test_anonymous_home_redirects_to_login(client, db):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
