"""Rows whose school is empty (district rows, district letters, plain grants) are unique too,
on SQLite as on PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from monitoring.models import Indicator, IndicatorValue, MonitoringYear
from profdev.models import RoleGrant
from recommendations.models import Letter
from tests import factories


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_one_district_row_per_indicator_and_year(district, school):
    year = MonitoringYear.objects.create(district=district, year=2024, reference_date="2025-08-31")
    indicator = Indicator.objects.get(code="DIAG")
    IndicatorValue.objects.create(monitoring_year=year, school=None, indicator=indicator)
    IndicatorValue.objects.create(monitoring_year=year, school=school, indicator=indicator)
    assert refused(
        lambda: IndicatorValue.objects.create(
            monitoring_year=year, school=None, indicator=indicator
        )
    )
    assert refused(
        lambda: IndicatorValue.objects.create(
            monitoring_year=year, school=school, indicator=indicator
        )
    )


def test_one_district_letter_per_year(district, school):
    year = MonitoringYear.objects.create(district=district, year=2024, reference_date="2025-08-31")
    fields = {
        "monitoring_year": year,
        "title": "t",
        "addressee": "a",
        "body": "",
        "generated_body": "",
    }
    Letter.objects.create(school=None, **fields)
    Letter.objects.create(school=school, **fields)
    assert refused(lambda: Letter.objects.create(school=None, **fields))
    assert refused(lambda: Letter.objects.create(school=school, **fields))


@pytest.mark.parametrize("scope", ["plain", "district", "school"])
def test_a_grant_is_given_once(district, school, scope):
    user = factories.UserFactory()
    grant = {
        "plain": {"role": RoleGrant.Role.REGIONAL_METHODOLOGIST},
        "district": {"role": RoleGrant.Role.METHODOLOGIST, "district": district},
        "school": {"role": RoleGrant.Role.SCHOOL_ADMIN, "school": school},
    }[scope]
    RoleGrant.objects.create(user=user, **grant)
    assert refused(lambda: RoleGrant.objects.create(user=user, **grant))
