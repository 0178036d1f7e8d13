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
    Letter.objects.create(kind=Letter.Kind.DISTRICT, school=None, **fields)
    Letter.objects.create(kind=Letter.Kind.SCHOOL, school=school, **fields)
    assert refused(lambda: Letter.objects.create(kind=Letter.Kind.DISTRICT, **fields))
    assert refused(lambda: Letter.objects.create(kind=Letter.Kind.SCHOOL, school=school, **fields))


@pytest.mark.parametrize(
    "kind, addressed",
    [
        ("school", {}),  # a school's letter without its school
        ("district", {"school": True}),  # the district letter naming a school
        ("course_order", {}),  # a course order without its provider
        ("course_order", {"school": True, "provider": True}),
    ],
)
def test_a_letter_names_the_addressee_of_its_kind_only(district, school, kind, addressed):
    year = MonitoringYear.objects.create(district=district, year=2024, reference_date="2025-08-31")
    provider = factories.ProviderFactory()
    fields = {"monitoring_year": year, "title": "t", "addressee": "a", "body": ""}
    fields["school"] = school if addressed.get("school") else None
    fields["provider"] = provider if addressed.get("provider") else None
    assert refused(lambda: Letter.objects.create(kind=kind, generated_body="", **fields))


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
