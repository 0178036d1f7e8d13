import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import (
    Indicator,
    IndicatorValue,
    MonitoringYear,
    Status,
    Target,
    TargetChange,
)
from profdev.models import Job
from tests import factories
from tests.monitoring.conftest import teacher
from tests.monitoring.factories import MonitoringYearFactory, stored_value

URL = reverse("monitoring:targets", args=[2024])


@pytest.fixture
def diag():
    return Indicator.objects.get(code="DIAG")


def test_methodologist_changes_a_target_with_history(client_for, methodologist, district, diag):
    client = client_for(methodologist)

    response = client.post(URL, {"indicator": "DIAG", "value": "75,5"}, follow=True)

    assert response.status_code == 200
    assert Target.objects.get(district=district, year=2024, indicator=diag).value == Decimal("75.5")
    change = TargetChange.objects.get()
    assert (change.old_value, change.new_value, change.user) == (
        Decimal("80.0"),
        Decimal("75.5"),
        methodologist,
    )
    content = response.content.decode()
    assert "80,0 → 75,5" in content
    assert "75,5\u00a0%" in content


def test_new_target_recolours_the_stored_values(client_for, methodologist, district, diag):
    my = MonitoringYearFactory(district=district, year=2024)
    value = stored_value(my, None, diag, 7, 10, Status.YELLOW)

    client_for(methodologist).post(URL, {"indicator": "DIAG", "value": "70"})

    value.refresh_from_db()
    assert (value.status, value.target) == (Status.GREEN, Decimal("70.0"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [("150", "больше 100"), ("abc", "не число"), ("-1", "неотрицательным"), ("", "Укажите")],
)
def test_bad_target_is_rejected_with_a_russian_message(client_for, methodologist, raw, message):
    response = client_for(methodologist).post(URL, {"indicator": "DIAG", "value": raw})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()
    assert not TargetChange.objects.exists()


def test_count_target_must_be_whole(client_for, methodologist):
    response = client_for(methodologist).post(URL, {"indicator": "VACANCY", "value": "1,5"})

    assert response.status_code == 400
    assert "целым" in response.content.decode()


def test_basis_is_saved(client_for, methodologist, district):
    MonitoringYearFactory(district=district, year=2024, basis_number="", basis_body="")
    data = {"basis_number": "01-05/77", "basis_date": "01.06.2025", "basis_body": "Отдел"}

    response = client_for(methodologist).post(
        reverse("monitoring:basis", args=[2024]), data, follow=True
    )

    year = MonitoringYear.objects.get(district=district, year=2024)
    assert (year.basis_number, year.basis_date, year.basis_body) == (
        "01-05/77",
        dt.date(2025, 6, 1),
        "Отдел",
    )
    assert "сохранено" in response.content.decode()


def test_bad_basis_date_is_reported(client_for, methodologist, district):
    MonitoringYearFactory(district=district, year=2024, basis_number="")
    data = {"basis_number": "1", "basis_date": "31.02.2025", "basis_body": "Отдел"}

    response = client_for(methodologist).post(
        reverse("monitoring:basis", args=[2024]), data, follow=True
    )

    assert "ДД.ММ.ГГГГ" in response.content.decode()
    assert MonitoringYear.objects.get().basis_number == ""


def test_compute_now_stores_the_official_values(client_for, methodologist, district, school):
    factories.DiagnosticFactory(person=teacher(school), date=dt.date(2025, 3, 1))
    teacher(school)

    response = client_for(methodologist).post(
        reverse("monitoring:compute", args=[2024]), {"reference_date": "20.05.2025"}, follow=True
    )

    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("job", args=[job.pk])
    year = MonitoringYear.objects.get(district=district, year=2024)
    assert year.reference_date == dt.date(2025, 5, 20)
    diag = IndicatorValue.objects.get(monitoring_year=year, school=school, indicator="DIAG")
    assert (diag.numerator, diag.denominator) == (1, 2)
    page = response.content.decode()
    assert "рассчитаны" in page
    assert reverse("monitoring:overview", args=[2024]) in page


def test_compute_rejects_a_date_outside_the_year(client_for, methodologist, district):
    response = client_for(methodologist).post(
        reverse("monitoring:compute", args=[2024]), {"reference_date": "01.09.2025"}, follow=True
    )

    assert "Дата среза 01.09.2025 вне учебного года 2024/2025" in response.content.decode()
    assert not MonitoringYear.objects.exists()


def test_school_admin_and_outsiders_cannot_edit(client, client_for, school_admin):
    admin = client_for(school_admin)
    assert admin.get(URL).status_code == 404
    assert admin.post(URL, {"indicator": "DIAG", "value": "50"}).status_code == 404
    assert admin.post(reverse("monitoring:compute", args=[2024])).status_code == 404
    assert not Target.objects.exists()
    client.logout()
    assert client.get(URL).status_code == 302


def test_head_may_edit(client_for, head):
    response = client_for(head).post(URL, {"indicator": "DIAG", "value": "60"})

    assert response.status_code == 302
    assert TargetChange.objects.get().user == head


def test_targets_page_query_count(
    client_for, methodologist, district, diag, django_assert_num_queries
):
    client = client_for(methodologist)
    client.post(URL, {"indicator": "DIAG", "value": "60"})
    client.get(URL)
    # 12, and the limits of the problem fields with their history (2)
    with django_assert_num_queries(14):
        client.get(URL)
    client.post(URL, {"indicator": "DIAG", "value": "65"})
    with django_assert_num_queries(14):
        client.get(URL)
