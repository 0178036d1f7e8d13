"""Stored values, targets, people behind the numbers, selectors and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from monitoring import selectors
from monitoring.engine import missing_people
from monitoring.indicators import BY_CODE, REGISTRY
from monitoring.models import Indicator, IndicatorValue, MonitoringYear, Status, TargetChange
from monitoring.services import (
    compute_districts,
    compute_year,
    monitoring_year_update,
    set_target,
)
from profdev.facts import Period
from profdev.models import School
from tests import factories as f
from tests.monitoring.conftest import R, manager, teacher

PERIOD = Period.of(2024)


def test_catalogue_rows_and_definitions_match(db):
    catalogue = list(Indicator.objects.values_list("code", flat=True))
    assert catalogue == [d.code for d in REGISTRY]
    assert len(catalogue) == 31
    district_only = Indicator.objects.filter(district_only=True).values_list("code", flat=True)
    assert set(district_only) == {"SCHOOLS_NO_IOM", "SCHOOLS_VACANCY"}
    informational = Indicator.objects.filter(default_target__isnull=True)
    assert set(informational.values_list("code", flat=True)) == {
        "DEFICIT",
        "YOUNG",
        "PENSION",
        "PARTTIME",
    }
    assert all(i.name and i.short_name and i.group for i in Indicator.objects.all())


def populate(district, schools):
    """`schools` schools with staff and a record of every kind."""
    for n in range(schools):
        school = f.SchoolFactory(district=district, kind=School.Kind.PRESCHOOL, low_results=True)
        for _ in range(2):
            person = teacher(school)
            f.DiagnosticFactory(person=person, subject=10)
            f.RouteFactory(person=person)
            f.CourseFactory(person=person, topics=",preschool,")
            f.AttestationFactory(person=person)
            f.ContestFactory(person=person)
            f.ActivityFactory(person=person)
            f.BurnoutFactory(person=person)
            f.MentorshipFactory(mentee=person)
        manager(school)
        f.VacancyFactory(school=school, count=n + 1)


@pytest.mark.parametrize("schools", [2, 10])
def test_query_count_does_not_depend_on_schools_or_people(
    district, schools, django_assert_num_queries
):
    populate(district, schools)
    # catalogue, targets, schools, then one query per source: employments, routes, vacancies
    with django_assert_num_queries(6):
        result = compute_year(district, 2024, store=False)
    assert len(result.schools) == schools
    assert result.district["DIAG"].denominator == 2 * schools


def test_several_districts_are_tallied_together_and_kept_apart(district, django_assert_num_queries):
    other = f.DistrictFactory(code="OTHER", name="Соседний округ")
    populate(district, 2)
    populate(other, 3)
    alone = {d: compute_year(d, 2024, store=False) for d in (district, other)}
    # The same six queries for a region as for one district (one shared reference date).
    with django_assert_num_queries(6):
        together = compute_districts([district, other], 2024, store=False)
    for d, result in alone.items():
        assert together[d].as_json() == result.as_json()
    assert together[other].district["DIAG"].denominator == 6


def test_districts_with_their_own_reference_dates(district):
    other = f.DistrictFactory(code="OTHER", name="Соседний округ")
    populate(district, 1)
    populate(other, 1)
    early = dt.date(2025, 5, 20)
    results = compute_districts([district, other], 2024, {other.pk: early}, store=True)
    assert results[district].reference_date == R
    assert results[other].reference_date == early
    assert MonitoringYear.objects.get(district=other, year=2024).reference_date == early


def test_store_writes_the_official_values(district, school, other_school):
    f.DiagnosticFactory(person=teacher(school))
    compute_year(district, 2024, as_of=dt.date(2025, 5, 20))
    year = MonitoringYear.objects.get(district=district, year=2024)
    assert year.reference_date == dt.date(2025, 5, 20)
    assert year.computed_at is not None
    school_codes = Indicator.objects.filter(district_only=False).count()
    assert year.values.count() == 2 * school_codes + Indicator.objects.count()
    diag = year.values.get(school=school, indicator="DIAG")
    assert (diag.numerator, diag.denominator, diag.value) == (1, 1, Decimal("100.0"))
    assert (diag.status, diag.target) == (Status.GREEN, Decimal(80))
    district_row = year.values.get(school=None, indicator="SCHOOLS_NO_IOM")
    assert (district_row.value, district_row.denominator) == (1, None)


def test_no_store_writes_nothing(district, school):
    teacher(school)
    compute_year(district, 2024, store=False)
    assert not MonitoringYear.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_recompute_replaces_values_and_keeps_the_basis(district, school):
    person = teacher(school)
    compute_year(district, 2024)
    year = MonitoringYear.objects.get()
    monitoring_year_update(
        year, basis_number="123-о", basis_date=dt.date(2025, 9, 1), basis_body="Отдел образования"
    )
    f.DiagnosticFactory(person=person)
    compute_year(district, 2024)
    year.refresh_from_db()
    assert year.basis_number == "123-о"
    assert year.values.filter(indicator="DIAG").count() == 2
    assert year.values.get(school=school, indicator="DIAG").numerator == 1


def test_years_are_kept_apart(district, school):
    teacher(school)
    compute_year(district, 2023)
    compute_year(district, 2024)
    assert list(selectors.years_on_record(district).values_list("year", flat=True)) == [2024, 2023]


def test_district_target_overrides_the_default_and_is_recorded(district, school, methodologist):
    f.DiagnosticFactory(person=teacher(school))
    for _ in range(2):
        teacher(school)  # DIAG = 1/3 = 33.3 %: red against 80
    compute_year(district, 2024)
    diag = Indicator.objects.get(code="DIAG")
    set_target(district=district, year=2024, indicator=diag, value="30", user=methodologist)
    stored = IndicatorValue.objects.get(school=school, indicator=diag)
    assert (stored.target, stored.status) == (Decimal(30), Status.GREEN)
    assert compute_year(district, 2024, store=False).district["DIAG"].target == Decimal(30)
    assert compute_year(district, 2025, store=False).district["DIAG"].target == Decimal(80)
    set_target(district=district, year=2024, indicator=diag, value="40,5", user=methodologist)
    history = list(TargetChange.objects.values_list("old_value", "new_value", "user"))
    assert history == [
        (Decimal("30.0"), Decimal("40.5"), methodologist.pk),
        (Decimal("80.0"), Decimal("30.0"), methodologist.pk),
    ]
    assert set_target(district=district, year=2024, indicator=diag, value="40.5", user=None) is None
    assert TargetChange.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("YOUNG", "10", "информационный"),
        ("DIAG", "сто", "не число"),
        ("DIAG", "101", "больше 100"),
        ("DIAG", "-1", "неотрицательным"),
        ("DIAG", "10.25", "десятых"),
        ("VACANCY", "1.5", "целым"),
    ],
)
def test_bad_targets_are_refused(district, methodologist, code, value, message):
    indicator = Indicator.objects.get(code=code)
    with pytest.raises(ValidationError, match=message):
        set_target(district=district, year=2024, indicator=indicator, value=value, user=None)
    assert not TargetChange.objects.exists()


def test_people_behind_a_share(school, other_school, django_assert_num_queries):
    done = teacher(school)
    f.DiagnosticFactory(person=done)
    missing = teacher(school)
    teacher(other_school)
    with django_assert_num_queries(1):
        assert list(missing_people(BY_CODE["DIAG"], school, PERIOD)) == [missing]


def test_people_behind_iom_tutor_and_out_of_scope(school):
    person = teacher(school)
    f.RouteFactory(person=person, curator="")
    assert list(missing_people(BY_CODE["IOM_TUTOR"], school, PERIOD)) == [person]
    f.CourseFactory(person=person, topics=",preschool,")
    assert not missing_people(BY_CODE["PD_T_PRESCHOOL"], school, PERIOD).exists()
    with pytest.raises(ValueError, match="нет списка"):
        missing_people(BY_CODE["VACANCY"], school, PERIOD)
