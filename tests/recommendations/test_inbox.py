"""The signing inbox and the district's letter list: «На подпись: N», filters by year and
status, schools in natural order, acknowledgements by name."""

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Letter, LetterEvent
from recommendations.services import letter_send, letter_sign
from tests import factories
from tests.html import page, rows, texts
from tests.recommendations.factories import MonitoringYearFactory

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
INBOX = "//a[@data-signing-inbox]"


def names(response) -> list[str]:
    """The letters' addressees as the list shows them (the link of each row)."""
    return texts(page(response), "//tbody/tr/td/a[contains(@href, '/letters/')]")


def test_the_heads_landing_and_menu_count_letters_awaiting_signature(
    client_for, head, methodologist, numbered
):
    for letter in list(numbered.values())[:2]:
        letter_send(letter=letter, user=methodologist)
    response = client_for(head).get(reverse("home"), follow=True)
    [inbox] = page(response).xpath(INBOX)
    assert " ".join(inbox.text_content().split()) == "На подпись: 2"
    assert inbox.get("href") == f"{LIST}?year=all&status=sent"
    waiting = client_for(head).get(inbox.get("href"))
    assert sorted(names(waiting)) == sorted(x.addressee_short for x in list(numbered.values())[:2])


def test_only_a_head_has_the_inbox(client_for, methodologist, school_admin, letters):
    for user in (methodologist, school_admin):
        assert not page(client_for(user).get(LIST)).xpath(INBOX)


def test_schools_in_natural_order_the_district_letter_first(client_for, methodologist, numbered):
    shown = names(client_for(methodologist).get(LIST))
    assert shown[0] == "Руководителям ОО"
    assert [x for x in shown if "СОШ" in x] == ["МБОУ СОШ № 1", "МБОУ СОШ № 2", "МБОУ СОШ № 10"]


def test_filter_by_status_keeps_the_year_and_the_sorting(client_for, methodologist, numbered, year):
    letter_send(letter=numbered["МБОУ СОШ № 2"], user=methodologist)
    letter_send(letter=numbered["МБОУ СОШ № 10"], user=methodologist)
    client = client_for(methodologist)
    query = {"year": year.pk, "status": "sent", "sort": "addressee", "desc": "on"}
    response = client.get(LIST, query)
    assert names(response) == ["МБОУ СОШ № 10", "МБОУ СОШ № 2"]
    root = page(response)
    assert root.xpath("//select[@name='status']/option[@selected]/text()") == ["На подписи"]
    assert root.xpath("//select[@name='year']/option[@selected]/@value") == [str(year.pk)]
    assert root.xpath("//input[@name='sort']/@value") == ["addressee"]
    # a header link keeps the filters
    [header] = root.xpath("//th/a[starts-with(normalize-space(.), 'Статус')]/@href")
    assert f"year={year.pk}" in header and "status=sent" in header


def test_filter_by_year(client_for, methodologist, district, letters, year):
    older = MonitoringYearFactory(district=district, year=2023)
    Letter.objects.create(
        monitoring_year=older,
        kind=Letter.Kind.DISTRICT,
        title="Письмо 2023",
        addressee="Руководителям ОО",
        body="<p>x</p>",
    )
    client = client_for(methodologist)
    assert names(client.get(LIST, {"year": older.pk})) == ["Руководителям ОО"]
    assert len(names(client.get(LIST, {"year": "all"}))) == len(letters) + 1
    assert len(names(client.get(LIST))) == len(letters)  # the latest year by default


def test_an_unknown_filter_value_says_so_and_shows_the_default(client_for, methodologist, letters):
    response = client_for(methodologist).get(LIST, {"year": "999", "status": "lost"})
    [alert] = texts(page(response), "//div[contains(@class, 'alert-warning')]")
    assert "Учебный год" in alert and "Статус" in alert and "lost" in alert
    assert len(names(response)) == len(letters)


def test_outsiders_see_no_letters_of_another_district(client_for, letters):
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role="head", district=factories.DistrictFactory(code="OTHER")
    )
    response = client_for(outsider).get(LIST, {"year": "all"})
    assert names(response) == []
    assert " ".join(page(response).xpath(INBOX)[0].text_content().split()) == "На подпись: 0"


def test_acknowledgements_show_names_and_dates_and_who_has_not(
    client_for, methodologist, school_admin, numbered, signer
):
    signed_1 = letter_sign(letter=numbered["МБОУ СОШ № 1"], user=signer)
    signed_2 = letter_sign(letter=numbered["МБОУ СОШ № 2"], user=signer)
    school_admin.first_name, school_admin.last_name = "Татьяна", "Смирнова"
    school_admin.save()
    event = LetterEvent.objects.create(letter=signed_1, kind="confirmed", user=school_admin)
    client = client_for(methodologist)
    root = page(client.get(LIST))
    row_1 = next(r for r in rows(root) if r[0] == "МБОУ СОШ № 1")
    assert row_1[-1] == f"Татьяна Смирнова ({timezone.localtime(event.at):%d.%m.%Y})"
    assert next(r for r in rows(root) if r[0] == "МБОУ СОШ № 2")[-1] == "не ознакомлены"
    unconfirmed = client.get(LIST, {"status": "unconfirmed"})
    assert names(unconfirmed) == [signed_2.addressee_short]


def test_a_login_stands_for_a_user_without_a_name(
    client_for, methodologist, school_admin, signed, school
):
    LetterEvent.objects.create(letter=signed, kind="confirmed", user=school_admin)
    root = page(client_for(methodologist).get(LIST))
    row = next(r for r in rows(root) if r[0] == school.short_name)
    assert row[-1].startswith(f"{school_admin.username} (")


@pytest.mark.parametrize(
    ("status", "queries"),
    # none unconfirmed: no acknowledgements to read
    [("", 11), ("sent", 11), ("unconfirmed", 10)],
)
def test_the_list_query_count_does_not_grow_with_the_letters(
    client_for, head, methodologist, year, numbered, django_assert_num_queries, status, queries
):
    client = client_for(head)
    for letter in numbered.values():
        letter_send(letter=letter, user=methodologist)
    with django_assert_num_queries(queries):
        client.get(LIST, {"year": year.pk, "status": status})
    for n in range(3, 9):
        school = factories.SchoolFactory(district=year.district, short_name=f"МБОУ ООШ № {n}")
        Letter.objects.create(
            monitoring_year=year,
            kind=Letter.Kind.SCHOOL,
            school=school,
            title="t",
            addressee="a",
            body="<p>x</p>",
            status="sent",
        )
    with django_assert_num_queries(queries):
        response = client.get(LIST, {"year": year.pk, "status": status})
    assert response.status_code == 200
