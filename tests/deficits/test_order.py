"""The course order (план-заказ): built from the target groups, settled line by line by the
methodologist, exported; district staff only."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from deficits.models import CourseOrder, CourseOrderLine
from profdev.models import Provider
from tests import factories
from tests.deficits.test_views import diagnostic, staff, threshold  # noqa: F401 (fixtures)
from tests.html import page, rows, text, texts
from tests.monitoring.conftest import teacher

pytestmark = pytest.mark.django_db

ORDER = reverse("deficits:order", args=[2024])


def line_url(component: str) -> str:
    return reverse("deficits:order_line", args=[2024, component])


@pytest.fixture
def built(client_for, methodologist, staff, school, other_school):  # noqa: F811
    diagnostic(teacher(other_school), digital=10)
    client_for(methodologist).post(ORDER)
    return CourseOrder.objects.get()


def test_the_order_is_built_from_the_groups(client_for, methodologist, built, school, other_school):
    html = page(client_for(methodologist).get(ORDER))

    lines = rows(html)
    assert [r[:3] for r in lines[1:]] == [
        ["Предметный", "предметная", "1"],
        ["Методический", "федеральные программы, методическая", "0"],
        ["Оценочный", "оценка качества", "0"],
        ["Психолого-педагогический", "инклюзия, таланты, воспитание", "0"],
        ["Коммуникативный", "профориентация, воспитание", "0"],
        ["Цифровой", "цифровые", "2"],
    ]
    by_school = rows(html, "(//table)[2]")
    assert by_school[1:] == [
        [school.short_name, "1", "0", "0", "0", "0", "1"],
        [other_school.short_name, "0", "0", "0", "0", "0", "1"],
    ]
    assert (built.year, built.reference_date, built.built_by) == (
        2024,
        dt.date(2025, 8, 31),
        methodologist,
    )
    assert "План-заказ курсов на 2025/2026 учебный год" in text(html.xpath("//h1")[0])


def test_a_line_is_settled_by_the_methodologist(client_for, methodologist, built):
    provider = factories.ProviderFactory(name="ГАУ ДПО ИРО", kind=Provider.Kind.REGIONAL)
    client = client_for(methodologist)

    response = client.post(
        line_url("digital"),
        {
            "digital-provider": provider.pk,
            "digital-programme": "Цифровая образовательная среда",
            "digital-form": "mixed",
            "digital-hours": "36",
            "digital-number": "3",
        },
        follow=True,
    )

    assert "Строка «Цифровой» сохранена." in texts(
        page(response), "//div[contains(@class,'alert')]"
    )
    line = CourseOrderLine.objects.get(component="digital")
    assert (line.provider, line.programme, line.form, line.hours, line.number, line.proposed) == (
        provider,
        "Цифровая образовательная среда",
        "mixed",
        36,
        3,
        2,
    )


def test_a_bad_line_changes_nothing(client_for, methodologist, built):
    client = client_for(methodologist)

    response = client.post(
        line_url("digital"),
        {"digital-hours": "10", "digital-number": "-1", "digital-provider": "999999"},
    )

    assert response.status_code == 400
    errors = texts(page(response), "//div[contains(@class,'invalid-feedback')]")
    assert "Программа повышения квалификации — не менее 16 часов." in errors
    assert "Число мест — целое неотрицательное число." in errors
    assert "Такой организации нет: выберите из списка." in errors
    line = CourseOrderLine.objects.get(component="digital")
    assert (line.hours, line.number, line.provider) == (None, 2, None)
    assert client.post(line_url("nothing"), {}).status_code == 404


def test_building_again_replaces_the_lines(client_for, methodologist, built, school):
    CourseOrderLine.objects.filter(component="digital").update(number=10)
    diagnostic(teacher(school), digital=5)

    client_for(methodologist).post(ORDER)

    line = CourseOrderLine.objects.get(component="digital")
    assert (line.proposed, line.number) == (3, 3)
    assert CourseOrder.objects.count() == 1


def test_the_order_export(client_for, methodologist, built, school):
    response = client_for(methodologist).get(reverse("deficits:order_export", args=[2024]))

    book = load_workbook(BytesIO(response.content))
    lines, schools = book.worksheets
    assert lines.title == "План-заказ 2025_2026"
    assert [c.value for c in lines[7]][:4] == ["Цифровой", "цифровые", 2, 2]
    assert [c.value for c in schools[2]] == [school.short_name, 1, 0, 0, 0, 0, 1]


def test_the_order_is_for_district_staff(client_for, school_admin, district):
    client = client_for(school_admin)
    assert client.get(ORDER).status_code == 404
    assert client.post(ORDER).status_code == 404
    assert not CourseOrder.objects.exists()


def test_no_order_yet(client_for, methodologist, district):
    client = client_for(methodologist)
    assert "ещё не сформирован" in text(page(client.get(ORDER)).xpath("//main")[0])
    export = client.get(reverse("deficits:order_export", args=[2024]), follow=True)
    assert export.redirect_chain == [(ORDER, 302)]
    assert "План-заказ ещё не сформирован: сформируйте его по целевым группам." in texts(
        page(export), "//div[contains(@class,'alert')]"
    )


def test_the_order_page_query_count_is_fixed(
    client_for, methodologist, built, school, django_assert_num_queries
):
    client = client_for(methodologist)
    client.get(ORDER)
    # Session, user, role grants, district (4); the order, its lines, the schools (3); the
    # providers for the six lines' lists (6: one per select); session saved (3).
    with django_assert_num_queries(4 + 3 + 6 + 3):
        client.get(ORDER)
    diagnostic(teacher(factories.SchoolFactory(district=school.district)), subject=1)
    client.post(ORDER)
    with django_assert_num_queries(4 + 3 + 6 + 3):
        client.get(ORDER)
