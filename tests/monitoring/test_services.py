"""Stored values, the people and schools behind them, targets, selectors and query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from monitoring import selectors
from monitoring.engine import MAX_BITS, tally_and_missing
from monitoring.indicators import BY_CODE, PED, REGISTRY, Share, course
from monitoring.models import (
    Indicator,
    IndicatorValue,
    MissingPerson,
    MonitoringYear,
    Status,
    TargetChange,
)
from monitoring.services import (
    compute_districts,
    compute_year,
    monitoring_year_update,
    set_target,
)
from profdev.facts import W3, Period
from profdev.models import School
from tests import factories as f
from tests.monitoring.conftest import R, manager, teacher

PERIOD = Period.of(2024)


def test_catalogue_rows_and_definitions_match(db):
    catalogue = list(Indicator.objects.values_list("code", flat=True))
    assert catalogue == [d.code for d in REGISTRY]
    assert len(catalogue) == 33
    district_only = Indicator.objects.filter(district_only=True).values_list("code", flat=True)
    assert set(district_only) == {"SCHOOLS_NO_IOM", "SCHOOLS_VACANCY", "SCHOOLS_PROBLEM"}
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
        f.StudentResultFactory(school=school, failed=n, participants=20)  # from n = 3 a problem
        for _ in range(2):
            person = teacher(school, subjects=",maths,")
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
    # catalogue, targets, schools; the rows of the employments and of the routes (2) and, for
    # the employments' persons, one query per model of their records: diagnostics, routes,
    # courses, attestations, contests, activities, mentorships, burnout (8); one per source
    # without persons: vacancies, students' results (2); the problem fields of the year,
    # found for the two conditions that ask for them (teachers of a problem subject, results
    # in a problem field): sums and limits, twice (4)
    tallied = 3 + 2 + 8 + 2 + 4
    with django_assert_num_queries(tallied):
        result = compute_year(district, 2024, store=False)
    assert len(result.schools) == schools
    assert result.district["DIAG"].denominator == 2 * schools
    # Storing: the people behind the values (read with the employments' rows), the vacancies
    # behind the counts (one) and the deficits found (one; the deficit map's shares are
    # tallied with the employments too); the year locked, created and saved (3); the
    # values, people, schools, vacancies, deficit shares, deficits and failure shares deleted
    # (7) and written in bulk (7: on PostgreSQL COPY, which the query log does not see); the
    # failures of the year for their shares (2); six savepoints.
    written = 7 if connection.vendor == "sqlite" else 0
    with django_assert_num_queries(tallied + 2 + 3 + 7 + written + 2 + 6):
        compute_year(district, 2024)
    assert MissingPerson.objects.count() == 3 * schools  # each teacher and manager, once


def test_several_districts_are_tallied_together_and_kept_apart(district, django_assert_num_queries):
    other = f.DistrictFactory(code="OTHER", name="Соседний округ")
    populate(district, 2)
    populate(other, 3)
    alone = {d: compute_year(d, 2024, store=False) for d in (district, other)}
    # The same queries for a region as for one district (one shared reference date).
    with django_assert_num_queries(3 + 2 + 8 + 2 + 4):
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


def named_codes() -> set[str]:
    return set(Indicator.objects.exclude(people_phrase="").values_list("code", flat=True))


def stored_people(year, school) -> dict[str, list[str]]:
    """What the computation stored behind the school's values: code → last names."""
    codes = list(Indicator.objects.values_list("code", flat=True))
    stored = selectors.missing_by_indicator(year, school, codes)
    return {code: [p.last_name for p in people] for code, people in stored.items()}


def test_people_are_named_only_where_a_school_can_act(db):
    """The catalogue's phrases: never for sensitive results nor for staffing facts."""
    assert named_codes() == {
        "DIAG",
        "DIAG_MGR",
        "IOM",
        "PD_3Y",
        "PD_REGION",
        "RETRAIN_NONPED",
        "DPO_NOPROF",
        "PD_T_ASSESS",
        "PD_T_TALENT",
        "PD_T_CAREER",
        "PD_T_UPBRING",
        "PD_T_PRESCHOOL",
        "PD_T_FEDERAL",
        "PD_LOWRES",
        "ATTEST",
        "MENTOR_YOUNG",
        "BURNOUT_DIAG",
    }
    district_phrases = Indicator.objects.exclude(district_phrase="")
    assert {i.code: i.district_phrase.format(n=2) for i in district_phrases} == {
        "SCHOOLS_NO_IOM": "Не разработаны индивидуальные образовательные маршруты в 2 ОО",
        "SCHOOLS_VACANCY": "Кадровый дефицит в 2 ОО",
        "SCHOOLS_PROBLEM": "Проблемные поля по результатам обучающихся выявлены в 2 ОО",
    }


def test_store_keeps_the_people_missing_from_each_named_value(district, school, other_school):
    done = teacher(school, last_name="Алексеева")
    f.DiagnosticFactory(person=done, subject=10)  # diagnosed, a deficit, no route
    teacher(school, last_name="Борисова", birth_date=dt.date(1950, 1, 1))
    teacher(other_school, last_name="Волкова")
    compute_year(district, 2024)
    year = MonitoringYear.objects.get()
    people = stored_people(year, school)
    assert people["DIAG"] == ["Борисова"]
    assert people["PD_3Y"] == ["Алексеева", "Борисова"]
    assert people["IOM"] == ["Алексеева"]
    assert set(people) <= named_codes()  # nobody behind DEFICIT, PENSION, YOUNG…
    assert "PD_T_PRESCHOOL" not in people  # a school out of the indicator's scope
    assert stored_people(year, other_school)["DIAG"] == ["Волкова"]
    # Each stored number counts exactly the people stored behind it.
    for value in year.values.filter(school=school, indicator__in=named_codes()):
        assert value.denominator - value.numerator == len(people.get(value.indicator_id, []))


def test_store_keeps_the_schools_each_district_count_counted(district, school, other_school):
    teacher(school)  # staff and no route: a school without ИОМ
    f.RouteFactory(person=teacher(other_school))
    f.VacancyFactory(school=other_school)
    compute_year(district, 2024)
    year = MonitoringYear.objects.get()
    counted = selectors.counted_schools(year)
    assert {code: [s.code for s in schools] for code, schools in counted.items()} == {
        "SCHOOLS_NO_IOM": ["S-A"],
        "SCHOOLS_VACANCY": ["S-B"],
    }
    district_values = year.values.filter(school=None, indicator__district_only=True)
    assert {v.indicator_id: v.numerator for v in district_values} == {
        "SCHOOLS_NO_IOM": 1,
        "SCHOOLS_VACANCY": 1,
        "SCHOOLS_PROBLEM": 0,
    }


def test_recompute_replaces_the_people_and_the_schools(district, school):
    person = teacher(school, last_name="Алексеева")
    compute_year(district, 2024)
    year = MonitoringYear.objects.get()
    f.DiagnosticFactory(person=person)
    f.RouteFactory(person=person)
    assert stored_people(year, school)["DIAG"] == ["Алексеева"]  # stored, not live
    compute_year(district, 2024)
    assert "DIAG" not in stored_people(year, school)
    assert "SCHOOLS_NO_IOM" not in selectors.counted_schools(year)


def test_a_deleted_person_leaves_the_stored_lists(district, school):
    person = teacher(school, last_name="Алексеева")
    teacher(school, last_name="Борисова")
    compute_year(district, 2024)
    person.delete()
    year = MonitoringYear.objects.get()
    assert stored_people(year, school)["DIAG"] == ["Борисова"]


def test_the_people_of_every_school_are_a_few_queries_per_source(
    school, other_school, django_assert_num_queries
):
    route = f.RouteFactory(person=teacher(school), curator="")
    teacher(other_school)
    definitions = [BY_CODE["DIAG"], BY_CODE["IOM_TUTOR"]]  # employments, routes
    # the rows of each source, and the employments' persons' diagnostics
    with django_assert_num_queries(3):
        _, people = tally_and_missing(PERIOD, None, (), definitions)
    assert people[school.pk]["IOM_TUTOR"] == [route.person_id]
    assert set(people) == {school.pk, other_school.pk}
    with pytest.raises(ValueError, match="нет списка"):
        tally_and_missing(PERIOD, None, (), [BY_CODE["VACANCY"]])


def test_more_conditions_on_one_model_than_an_sql_integer_has_bits_are_refused(school):
    teacher(school)
    # Each condition on the persons' courses is a bit of one integer per course read.
    definitions = [Share(f"T{n}", PED, course(W3, topic=f"topic{n}")) for n in range(MAX_BITS + 1)]
    with pytest.raises(ValueError, match=f"Больше {MAX_BITS} условий"):
        tally_and_missing(PERIOD, None, definitions, ())
