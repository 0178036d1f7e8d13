import datetime as dt

import pytest
from django.urls import reverse

from monitoring.models import Indicator, IndicatorValue, MissingPerson, Status
from tests import factories
from tests.html import page, row, script_data, text, texts
from tests.monitoring.conftest import teacher
from tests.monitoring.factories import MonitoringYearFactory, stored_value


@pytest.fixture
def stored(district, school, other_school):
    """2023 and 2024 on record; DIAG at S-A: 2 of 4 in 2023, 1 of 3 in 2024."""
    diag = Indicator.objects.get(code="DIAG")
    my_2023 = MonitoringYearFactory(district=district, year=2023)
    my_2024 = MonitoringYearFactory(district=district, year=2024)
    stored_value(my_2023, school, diag, 2, 4, Status.RED)
    stored_value(my_2024, school, diag, 1, 3, Status.RED)
    stored_value(my_2024, None, diag, 5, 10, Status.RED)
    stored_value(my_2024, other_school, diag, 4, 7, Status.RED)
    return my_2024


@pytest.fixture
def staff(stored, school, other_school):
    """At S-A: one teacher diagnosed in 2024/2025, two not; at S-B: one not diagnosed; the
    missing ones stored behind DIAG as the computation stores them."""
    diagnosed = teacher(school, last_name="Алексеева")
    factories.DiagnosticFactory(person=diagnosed, date=dt.date(2024, 10, 1))
    missing = [teacher(school, last_name="Борисова"), teacher(school, last_name="Волкова")]
    elsewhere = teacher(other_school, last_name="Григорьева")
    for where, person in [(school, p) for p in missing] + [(other_school, elsewhere)]:
        MissingPerson.objects.create(
            monitoring_year=stored, school=where, person=person, indicators="DIAG"
        )
    return {"diagnosed": diagnosed, "missing": missing, "elsewhere": elsewhere}


def _url(code="S-A", year=2024):
    return reverse("monitoring:school", args=[year, code])


def _named(response) -> dict[str, list[str]]:
    """The indicators naming who is missing from their numerator, and the names."""
    return {
        text(item.xpath("summary/span")[0]): texts(item, ".//li")
        for item in page(response).xpath("//details")
    }


def _name(code: str) -> str:
    return Indicator.objects.get(code=code).name


@pytest.mark.parametrize("role", ["methodologist", "head", "school_admin"])
def test_school_page_shows_values_targets_district_and_trend(request, client_for, stored, role):
    response = client_for(request.getfixturevalue(role)).get(_url())

    assert response.status_code == 200
    html = page(response)
    # Indicator, the school, numerator / denominator, target, the district, the years; a
    # value short of its target says so to screen readers too.
    red = ", ниже целевого значения, за пределами допуска"
    assert row(html, _name("DIAG"))[:5] == [
        _name("DIAG"),
        f"33,3\u00a0%{red}",
        "1 из 3",
        "не менее 80,0\u00a0%",
        f"50,0\u00a0%{red}",
    ]
    [diag] = html.xpath(f"//tr[th='{_name('DIAG')}']")
    assert "status-red" in diag.xpath("td[1]/@class")[0]
    assert texts(diag, "td[5]/span[@title]") == [
        f"2023/2024: 50,0\u00a0%{red}",
        f"2024/2025: 33,3\u00a0%{red}",
    ]
    links = {text(a): a.get("href") for a in html.xpath("//a")}
    assert links["Сотрудники ОО"] == reverse("staff_list", args=["S-A"])
    assert links["Рабочее место ОО"] == reverse("school_workspace", args=["S-A"])


def test_named_people_missing_from_the_numerator_link_to_their_cards(
    client_for, methodologist, stored, staff
):
    response = client_for(methodologist).get(_url())

    names = _named(response)[_name("DIAG")]
    assert names == [p.full_name for p in staff["missing"]]
    summaries = texts(page(response), "//details/summary")
    assert f"{_name('DIAG')} — 2 чел. (ниже целевого значения, за пределами допуска)" in summaries
    links = page(response).xpath("//details//li/a/@href")
    for person in staff["missing"]:
        assert reverse("person_card", args=[person.pk]) in links
    assert staff["diagnosed"].full_name not in names


def test_no_names_for_sensitive_results(client_for, methodologist, stored, staff):
    response = client_for(methodologist).get(_url())

    sensitive = ("DEFICIT", "BURNOUT_HIGH", "YOUNG", "PENSION", "PARTTIME")
    assert set(_named(response)).isdisjoint(_name(code) for code in sensitive)


def test_school_admin_gets_404_for_another_school(client_for, school_admin, stored):
    assert client_for(school_admin).get(_url("S-B")).status_code == 404
    assert client_for(school_admin).get(_url("S-B") + "export.xlsx").status_code == 404


def test_outsider_and_anonymous(client, client_for, stored):
    assert client.get(_url()).status_code == 302
    assert client_for(factories.UserFactory()).get(_url()).status_code == 404


def test_bare_school_address_opens_the_latest_year(client_for, school_admin, stored):
    response = client_for(school_admin).get(reverse("monitoring:school", args=["S-A"]))

    assert "Мониторинг за 2024/2025 учебный год" in text(page(response))


def test_query_count_is_fixed(
    client_for, methodologist, school, stored, staff, django_assert_num_queries
):
    client = client_for(methodologist)
    client.get(_url())
    # Request overhead (6), school, district, years, catalogue, values, the people stored
    # behind the figures with someone missing and the stored problem fields (none here, so
    # no teachers to read): none grows with the staff.
    with django_assert_num_queries(13):
        client.get(_url())
    for _ in range(3):
        teacher(school)
    with django_assert_num_queries(13):
        client.get(_url())


@pytest.mark.parametrize("role", ["methodologist", "head"])
def test_indicator_page_has_every_school_and_the_trend(
    request, client_for, stored, school, other_school, role
):
    url = reverse("monitoring:indicator", args=[2024, "DIAG"])

    response = client_for(request.getfixturevalue(role)).get(url)

    assert response.status_code == 200
    html = page(response)
    chart = script_data(html, "chart-by-school")
    schools = [school.short_name, other_school.short_name]
    assert (chart["labels"], chart["values"]) == (schools, [33.3, 57.1])
    assert (chart["statuses"], chart["target"], chart["unit"]) == (["red", "red"], 80.0, "%")
    trend = script_data(html, "chart-trend")
    assert (trend["labels"], trend["values"]) == (["2023/2024", "2024/2025"], [None, 50.0])
    content = response.content.decode()
    assert 'id="chart-by-school" type="application/json"' in content
    assert "style=" not in content


def test_indicator_page_is_for_district_staff_only(client_for, school_admin, stored):
    url = reverse("monitoring:indicator", args=[2024, "DIAG"])
    assert client_for(school_admin).get(url).status_code == 404


def test_indicator_page_query_count(client_for, methodologist, stored, django_assert_num_queries):
    url = reverse("monitoring:indicator", args=[2024, "DIAG"])
    client = client_for(methodologist)
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    factories.SchoolFactory(district=stored.district)
    with django_assert_num_queries(11):
        client.get(url)


def test_no_names_where_the_stored_number_has_nobody_missing(
    client_for, methodologist, school, stored, staff
):
    # Records changed after the computation: the page keeps to the stored figure.
    IndicatorValue.objects.filter(school=school, indicator="DIAG").update(
        numerator=3, denominator=3
    )
    response = client_for(methodologist).get(_url())
    assert _name("DIAG") not in _named(response)


def test_links_from_the_school_page_keep_the_picked_district(client, school, stored):
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role="regional_methodologist")
    client.force_login(regional)
    page = client.get(_url() + f"?district={school.district.code}").content.decode()
    dq = f"?district={school.district.code}"
    assert reverse("monitoring:overview", args=[2024]) + dq in page
    assert reverse("monitoring:indicator", args=[2024, "DIAG"]) + dq in page


def test_who_is_not_counted_stays_folded_with_the_counts(client_for, methodologist, staff):
    html = page(client_for(methodologist).get(_url()))
    [item] = html.xpath("//details")
    assert item.get("open") is None  # folded even where the school misses the target
    assert text(item.xpath("summary")[0]).startswith(f"{_name('DIAG')} — 2 чел.")
    assert "Списки есть по 1\u00a0показателю" in text(html)
