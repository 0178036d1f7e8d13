"""The region overview: districts × indicators, the pooled region row first (regional staff)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Indicator, IndicatorValue, MonitoringYear, Status
from profdev.models import Job
from tests import factories
from tests.monitoring.conftest import teacher
from tests.monitoring.factories import MonitoringYearFactory, stored_value

URL = reverse("monitoring:region", args=[2024])


@pytest.fixture
def regional(db):
    user = factories.UserFactory()
    factories.RoleGrantFactory(user=user, role="regional_methodologist")
    return user


@pytest.fixture
def other_district(db):
    return factories.DistrictFactory(code="OT", name="Другой район")


@pytest.fixture
def stored_2024(district, other_district):
    """ZH: DIAG 10 of 18 (green against its own target 50), 2 vacancies; OT: DIAG 14 of 14,
    3 vacancies. The region: DIAG 24 of 32 = 75,0 % (yellow against 80), 5 vacancies."""
    diag, vacancy = Indicator.objects.get(code="DIAG"), Indicator.objects.get(code="VACANCY")
    zh = MonitoringYearFactory(district=district, year=2024)
    stored_value(zh, None, diag, 10, 18, Status.GREEN, target=Decimal(50))
    stored_value(zh, None, vacancy, 2, None, Status.RED, value=2, target=Decimal(0))
    ot = MonitoringYearFactory(district=other_district, year=2024)
    stored_value(ot, None, diag, 14, 14, Status.GREEN)
    stored_value(ot, None, vacancy, 3, None, Status.RED, value=3, target=Decimal(0))
    return zh, ot


def _row(page: str, name: str) -> str:
    start = page.index(f">{name}<", page.index("<tbody>"))
    return page[start : page.index("</tr>", start)]


def test_the_regional_methodologist_sees_districts_and_the_pooled_region(
    client_for, regional, stored_2024
):
    response = client_for(regional).get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    body = page[page.index("<tbody>") :]
    assert body.index(">Регион<") < body.index(">Другой район<") < body.index(">Тестовый")
    region = _row(page, "Регион")
    below, above = "ниже целевого значения", "выше допустимого (целевого) значения"
    assert f'class="status-yellow" title="24 из 32: {below}, в пределах допуска">75,0' in region
    assert f'class="status-red" title="{above}">5<' in region
    district_row = _row(page, "Тестовый муниципальный район")
    assert 'class="status-green" title="10 из 18: не ниже целевого значения">55,6' in district_row
    assert f'href="{reverse("monitoring:overview", args=[2024])}?district=OT"' in page


def test_nothing_is_recomputed_or_stored(client_for, regional, stored_2024):
    client_for(regional).get(URL)

    assert IndicatorValue.objects.count() == 4


def test_the_query_count_does_not_grow_with_districts(
    client_for, regional, stored_2024, django_assert_num_queries
):
    client = client_for(regional)
    client.get(URL)
    # session, user, roles, years, catalogue, districts, values, the session's save (3).
    with django_assert_num_queries(10):
        client.get(URL)
    diag = Indicator.objects.get(code="DIAG")
    for code in ("A1", "A2", "A3"):
        year = MonitoringYearFactory(district=factories.DistrictFactory(code=code), year=2024)
        stored_value(year, None, diag, 1, 2, Status.RED)
    with django_assert_num_queries(10):
        client.get(URL)


def test_a_year_nobody_computed_says_so(client_for, regional, stored_2024):
    page = client_for(regional).get(reverse("monitoring:region", args=[2020])).content.decode()

    assert "ни один муниципалитет ещё не рассчитан" in page


def test_compute_all_districts_runs_as_a_job(client_for, regional, district, other_district):
    teacher(factories.SchoolFactory(district=district, code="S-A"))
    teacher(factories.SchoolFactory(district=other_district, code="S-O"))

    response = client_for(regional).post(
        reverse("monitoring:region_compute", args=[2024]), follow=True
    )

    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    assert "Показатели 2 муниципалитетов за 2024/2025 рассчитаны" in response.content.decode()
    assert MonitoringYear.objects.filter(year=2024, computed_at__isnull=False).count() == 2
    region = client_for(regional).get(URL).content.decode()
    assert 'title="0 из 2: ниже целевого значения, за пределами допуска">0,0' in _row(
        region, "Регион"
    )


@pytest.mark.parametrize("role", ["methodologist", "head", "school_admin"])
def test_outsiders_get_404(request, client_for, stored_2024, role):
    client = client_for(request.getfixturevalue(role))

    assert client.get(URL).status_code == 404
    assert client.get(reverse("monitoring:region")).status_code == 404
    assert client.post(reverse("monitoring:region_compute", args=[2024])).status_code == 404
    assert not Job.objects.exists()
