"""The navigation of a school administrator leads to their current school: the school of the
page, else the one whose workspace they opened last, else their first."""

import pytest
from django.urls import reverse

from profdev.models import RoleGrant
from tests import factories
from tests.html import page, text


@pytest.fixture
def admin_of_two(school_admin, other_school):
    factories.RoleGrantFactory(
        user=school_admin, role=RoleGrant.Role.SCHOOL_ADMIN, school=other_school
    )
    return school_admin


def navigation(response) -> dict[str, str]:
    """The navigation bar's links: text → address."""
    [bar, *_] = page(response).xpath("//nav")
    return {text(a): a.get("href") for a in bar.xpath(".//a[@href]")}


def test_the_navigation_leads_to_the_page_school_else_the_last_opened_else_the_first(
    client_for, admin_of_two, school, other_school
):
    client = client_for(admin_of_two)
    teacher = factories.EmploymentFactory(school=other_school).person
    card = reverse("person_card", args=[teacher.pk])
    assert navigation(client.get(card))["Сотрудники"] == reverse("staff_list", args=["S-A"])
    staff_b = client.get(reverse("staff_list", args=[other_school.code]))
    links = navigation(staff_b)
    assert links["Рабочий стол ОО"] == reverse("school_workspace", args=["S-B"])
    assert links["Показатели ОО"] == reverse("monitoring:school", args=["S-B"])
    assert f"ОО: {other_school.short_name}" in text(page(staff_b))
    # Only opening a workspace makes the school current for the other pages and the start.
    assert navigation(client.get(card))["Сотрудники"] == reverse("staff_list", args=["S-A"])
    client.get(reverse("school_workspace", args=[other_school.code]))
    assert navigation(client.get(card))["Сотрудники"] == reverse("staff_list", args=["S-B"])
    assert client.get(reverse("home"))["Location"] == reverse("school_workspace", args=["S-B"])


def test_district_staff_have_no_school_links(client_for, methodologist, school):
    links = navigation(client_for(methodologist).get(reverse("staff_list", args=[school.code])))
    assert "Рабочий стол ОО" not in links and "Показатели ОО" not in links


def test_the_switcher_lists_schools_in_natural_order_and_starts_with_the_first(
    client_for, school_admin, school, district
):
    """«№ 2» before «№ 10», whatever the codes' order; with no workspace opened yet the
    navigation leads to the first of them."""
    school.short_name = "МБОУ «Школа № 10»"
    school.save()
    for code, number in [("S-C", 2), ("S-0", 1)]:
        other = factories.SchoolFactory(
            district=district, code=code, short_name=f"МБОУ «Школа № {number}»"
        )
        factories.RoleGrantFactory(
            user=school_admin, role=RoleGrant.Role.SCHOOL_ADMIN, school=other
        )

    html = page(client_for(school_admin).get(reverse("home"), follow=True))

    switcher = [text(a) for a in html.xpath("//ul[@aria-labelledby='school-switcher']//a")]
    assert switcher == ["МБОУ «Школа № 1»", "МБОУ «Школа № 2»", "МБОУ «Школа № 10»"]
    bar = {text(a): a.get("href") for a in html.xpath("//nav//a[@href]")}
    assert bar["Рабочий стол ОО"] == reverse("school_workspace", args=["S-0"])
