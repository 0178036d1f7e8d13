from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Indicator, Status
from tests import factories
from tests.html import page, rows, text, texts
from tests.monitoring.factories import MonitoringYearFactory, stored_value


@pytest.fixture
def diag():
    return Indicator.objects.get(code="DIAG")


@pytest.fixture
def year_2024(district, school, other_school, diag):
    """2024: school S-A red at 1 of 8 (12,5 %), S-B green at 9 of 10, the district 10 of 18."""
    my = MonitoringYearFactory(district=district, year=2024)
    stored_value(my, None, diag, 10, 18, Status.RED)
    stored_value(my, school, diag, 1, 8, Status.RED)
    stored_value(my, other_school, diag, 9, 10, Status.GREEN)
    return my


def _url(year=2024, **query):
    url = reverse("monitoring:overview", args=[year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _row_names(response) -> list[str]:
    """The table's rows below its two header rows: the district's, then each school's."""
    return [r[0] for r in rows(page(response))[2:]]


@pytest.mark.parametrize("role", ["methodologist", "head"])
def test_district_staff_see_the_coloured_overview(
    request, client_for, year_2024, school, other_school, role
):
    response = client_for(request.getfixturevalue(role)).get(_url())

    assert response.status_code == 200
    content = response.content.decode()
    html = page(response)
    [red] = html.xpath("//td[@title='1 из 8: ниже целевого значения, за пределами допуска']")
    assert (red.get("class"), text(red)) == (
        "status-red",
        "12,5\u00a0%, ниже целевого значения, за пределами допуска",  # the words for readers
    )
    [green] = html.xpath("//td[@title='9 из 10: не ниже целевого значения']")
    assert (green.get("class"), text(green)) == ("status-green", "90,0\u00a0%")
    # The district row comes first, before any school.
    names = [str(year_2024.district), school.short_name, other_school.short_name]
    assert _row_names(response) == names
    [district_row] = html.xpath("//tr[@class='district-row']")
    assert "55,6\u00a0%, ниже целевого значения, за пределами допуска" in texts(district_row, "td")
    assert "приказ № 01-02/115 от 12.05.2025" in content
    assert "Дата среза: 31.08.2025" in content


def test_bare_address_shows_the_latest_year_on_record(client_for, methodologist, year_2024, diag):
    MonitoringYearFactory(district=year_2024.district, year=2023)

    response = client_for(methodologist).get(reverse("monitoring:overview"))

    html = page(response)
    assert text(html.xpath("//h1")[0]) == "Мониторинг за 2024/2025 учебный год"
    assert texts(html, "//nav[@aria-label='Учебный год']//a[@aria-current]") == ["2024/2025"]


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("monitoring:overview", []),
        ("monitoring:indicator", ["DIAG"]),
        ("monitoring:providers", []),
        ("monitoring:targets", []),
    ],
)
def test_every_district_page_switches_the_year_on_the_same_page(client_for, year_2024, name, args):
    """The regional methodologist on another district's page: the years on record, the shown
    one current, each link to the same page of that year and district."""
    other = factories.DistrictFactory(code="OT", name="Другой район")
    MonitoringYearFactory(district=other, year=2023)
    MonitoringYearFactory(district=other, year=2024)
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role="regional_methodologist")

    response = client_for(regional).get(reverse(name, args=[2024, *args]) + "?district=OT")

    content = response.content.decode()
    switcher = content[content.index('<nav aria-label="Учебный год"') :]
    switcher = switcher[: switcher.index("</nav>")]
    current = reverse(name, args=[2024, *args]) + "?district=OT"
    earlier = reverse(name, args=[2023, *args]) + "?district=OT"
    assert f'active" aria-current="page" href="{current}">2024/2025</a>' in switcher
    assert f'href="{earlier}">2023/2024</a>' in switcher
    assert switcher.index("2024/2025") < switcher.index("2023/2024")


def test_sorting_by_a_column_orders_schools_and_keeps_the_district_first(
    client_for, methodologist, year_2024, school, other_school
):
    client = client_for(methodologist)

    ascending = client.get(_url(sort="DIAG", order="asc"))
    descending = client.get(_url(sort="DIAG", order="desc"))

    district, low, high = str(year_2024.district), school.short_name, other_school.short_name
    assert _row_names(ascending) == [district, low, high]
    assert _row_names(descending) == [district, high, low]


def test_sort_headers_say_the_order_and_link_to_the_reverse(client_for, methodologist, year_2024):
    html = page(client_for(methodologist).get(_url(sort="DIAG", order="asc", delta=1)))

    [sorted_header] = html.xpath("//th[@aria-sort='ascending']")
    assert "Диагностика педагогов" in text(sorted_header)
    [link] = sorted_header.xpath("a[@class='sort-link']")
    assert (text(link), link.get("href")) == ("▲", "?delta=1&sort=DIAG&order=desc")
    [school_header] = html.xpath("//th[contains(@class, 'col-school')][@aria-sort]")
    assert school_header.get("aria-sort") == "none"
    assert school_header.xpath("a/@href") == ["?delta=1&sort=school&order=asc"]


def test_group_filter_keeps_only_that_groups_columns(client_for, methodologist, year_2024, diag):
    response = client_for(methodologist).get(_url(group=diag.group))

    columns = texts(page(response), "//th[contains(@class, 'ind-head')]/a[1]")
    assert "Диагностика педагогов" in columns
    assert columns == [i.short_name for i in Indicator.objects.filter(group=diag.group)]


def test_change_since_previous_year(client_for, methodologist, year_2024, school, diag):
    my_2023 = MonitoringYearFactory(district=year_2024.district, year=2023)
    stored_value(my_2023, school, diag, 1, 10, Status.RED)  # 10,0 % → 12,5 %

    content = client_for(methodologist).get(_url(delta=1)).content.decode()

    assert '<small class="d-block delta-better">+2,5\u00a0п.п.</small>' in content


def test_count_indicator_is_shown_as_an_integer(client_for, methodologist, year_2024, school):
    vacancy = Indicator.objects.get(code="VACANCY")
    stored_value(
        year_2024, school, vacancy, 3, None, Status.RED, value=Decimal(3), target=Decimal(0)
    )

    html = page(client_for(methodologist).get(_url()))

    above = "выше допустимого (целевого) значения"
    [cell] = html.xpath(f"//td[@class='status-red'][@title='{above}']")
    assert text(cell) == f"3, {above}"


def test_query_count_does_not_grow_with_schools(
    client_for, methodologist, year_2024, diag, django_assert_num_queries
):
    MonitoringYearFactory(district=year_2024.district, year=2023)
    client = client_for(methodologist)
    client.get(_url())
    # session, user, roles, district, years, catalogue, schools, values, previous values,
    # and the session's save (savepoint, update, release).
    with django_assert_num_queries(12):
        client.get(_url(delta=1))
    for _ in range(5):
        new_school = factories.SchoolFactory(district=year_2024.district)
        stored_value(year_2024, new_school, diag, 1, 2, Status.RED)
    with django_assert_num_queries(12):
        client.get(_url(delta=1))


def test_school_admin_and_outsiders_get_404(client_for, school_admin, year_2024):
    assert client_for(school_admin).get(_url()).status_code == 404
    outsider = factories.UserFactory()
    assert client_for(outsider).get(_url()).status_code == 404


def test_methodologist_of_another_district_sees_only_their_own(client_for, year_2024):
    other = factories.DistrictFactory(code="OT", name="Другой район")
    user = factories.UserFactory()
    factories.RoleGrantFactory(user=user, role="methodologist", district=other)

    response = client_for(user).get(_url())

    assert "Другой район" in text(page(response).xpath("//h1/following-sibling::span")[0])
    assert "12,5" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, year_2024):
    response = client.get(_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_each_group_heads_one_run_of_columns(client_for, methodologist, year_2024):
    """The catalogue interleaves its groups; the table keeps each group's columns together,
    in the catalogue's order within the group."""
    html = page(client_for(methodologist).get(_url()))
    heads = texts(html, "//th[@class='group-head']")
    assert len(heads) == len(set(heads)) == len(set(Indicator.objects.values_list("group")))
    columns = texts(html, "//th[contains(@class, 'ind-head')]/a[1]")
    by_group = [i.short_name for g in heads for i in Indicator.objects.filter(group=g)]
    assert columns == by_group
