"""Two districts: a district's staff reach only their own on every monitoring page; the
regional methodologist reaches both (`?district=CODE`)."""

import pytest
from django.urls import reverse

from monitoring.models import Indicator, MonitoringYear, Status, Target
from profdev.models import Job
from tests import factories
from tests.monitoring.factories import MonitoringYearFactory, stored_value


@pytest.fixture
def other(db):
    """District OT with school S-O and a computed 2024 (DIAG 3 of 4 at S-O)."""
    district = factories.DistrictFactory(code="OT", name="Другой район")
    school = factories.SchoolFactory(district=district, code="S-O", short_name="Школа О")
    year = MonitoringYearFactory(district=district, year=2024)
    diag = Indicator.objects.get(code="DIAG")
    stored_value(year, None, diag, 3, 4, Status.YELLOW)
    stored_value(year, school, diag, 3, 4, Status.YELLOW)
    return district


@pytest.fixture
def own(district, school):
    year = MonitoringYearFactory(district=district, year=2024)
    stored_value(year, None, Indicator.objects.get(code="DIAG"), 1, 8, Status.RED)
    return district


def _pages(query: str) -> list[str]:
    return [
        reverse("monitoring:overview", args=[2024]) + query,
        reverse("monitoring:overview_export", args=[2024]) + query,
        reverse("monitoring:indicator", args=[2024, "DIAG"]) + query,
        reverse("monitoring:providers", args=[2024]) + query,
        reverse("monitoring:providers_export", args=[2024]) + query,
        reverse("monitoring:targets", args=[2024]) + query,
    ]


SCHOOL_PAGES = [
    reverse("monitoring:school", args=["S-O"]),
    reverse("monitoring:school", args=[2024, "S-O"]),
    reverse("monitoring:school_export", args=[2024, "S-O"]),
]


@pytest.mark.parametrize("role", ["methodologist", "head"])
def test_district_staff_reach_only_their_district(request, client_for, own, other, role):
    client = client_for(request.getfixturevalue(role))

    for url in _pages(""):
        assert client.get(url).status_code == 200, url
    for url in _pages("?district=OT") + SCHOOL_PAGES:
        assert client.get(url).status_code == 404, url
    overview = client.get(reverse("monitoring:overview", args=[2024])).content.decode()
    assert "Тестовый муниципальный район" in overview and "Школа О" not in overview


@pytest.mark.parametrize("role", ["methodologist", "head"])
def test_district_staff_cannot_change_another_district(request, client_for, own, other, role):
    client = client_for(request.getfixturevalue(role))
    query = "?district=OT"

    posts = [
        (reverse("monitoring:targets", args=[2024]), {"indicator": "DIAG", "value": "50"}),
        (reverse("monitoring:basis", args=[2024]), {"basis_number": "1"}),
        (reverse("monitoring:compute", args=[2024]), {"reference_date": "20.05.2025"}),
    ]
    for url, data in posts:
        assert client.post(url + query, data).status_code == 404, url
    assert not Target.objects.exists() and not Job.objects.exists()
    assert MonitoringYear.objects.get(district=other).basis_number == "01-02/115"


def test_the_regional_methodologist_reaches_every_district(client_for, own, other):
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role="regional_methodologist")
    client = client_for(regional)

    for url in _pages("?district=OT") + SCHOOL_PAGES:
        assert client.get(url).status_code == 200, url
    overview = client.get(reverse("monitoring:overview", args=[2024]) + "?district=OT")
    page = overview.content.decode()
    assert "Другой район" in page and "Школа О" in page and "75,0" in page
    response = client.post(
        reverse("monitoring:compute", args=[2024]) + "?district=OT",
        {"reference_date": "20.05.2025"},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("job", args=[job.pk])
    assert job.district == other and job.status == Job.Status.DONE


def test_a_school_admin_sees_only_their_schools_page(client_for, school_admin, own, other):
    client = client_for(school_admin)

    assert client.get(reverse("monitoring:school", args=[2024, "S-A"])).status_code == 200
    for url in _pages("") + _pages("?district=OT") + SCHOOL_PAGES:
        assert client.get(url).status_code == 404, url
