"""Writes of the monitoring app: computing (and storing) a year, targets, a year's basis."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from monitoring import deficits, problem_fields
from monitoring.engine import SchoolPeople, SchoolTallies, counted_rows, tally_and_missing
from monitoring.failures import Limits, failures, limits_for
from monitoring.indicators import BY_CODE, REGISTRY
from monitoring.models import (
    CountedSchool,
    CountedVacancy,
    Indicator,
    IndicatorValue,
    MissingPerson,
    MonitoringYear,
    ProblemLimits,
    ProblemLimitsChange,
    Status,
    Target,
    TargetChange,
)
from monitoring.results import YearResult, evaluate, status_of
from profdev.bulk import insert_rows
from profdev.collector import uncollected
from profdev.facts import Period
from profdev.models import District, School

MAX_SHARE_TARGET = Decimal(100)
# What is stored of each vacancy behind a school's VACANCY count (`CountedVacancy`).
VACANCY_FIELDS = ("position", "count", "opened_on")


def targets_for(
    district: District | None, year: int, indicators: list[Indicator]
) -> dict[str, Decimal | None]:
    """The year's target of every indicator: the district's own, else the default."""
    overrides = {}
    if district is not None:
        overrides = dict(
            Target.objects.filter(district=district, year=year).values_list("indicator", "value")
        )
    return _targets(indicators, overrides)


def _targets(indicators: list[Indicator], overrides: dict[str, Decimal]) -> dict:
    return {
        i.code: None if i.informational else overrides.get(i.code, i.default_target)
        for i in indicators
    }


def _evaluate(
    period: Period,
    schools: list[School],
    tallies: SchoolTallies,
    missing: SchoolPeople | None,
    indicators: list[Indicator],
    overrides: dict[str, Decimal],
) -> YearResult:
    return evaluate(
        year=period.year,
        reference_date=period.reference_date,
        indicators=indicators,
        targets=_targets(indicators, overrides),
        schools=schools,
        tallies=tallies,
        missing=missing,
    )


@uncollected()
def compute_districts(
    districts: list[District],
    year: int,
    as_of: dict[int, dt.date | None] | None = None,
    store: bool = True,
) -> dict[District, YearResult]:
    """Every indicator for every school of each district and for each district (pooled).

    `as_of` maps a district's id to its reference date (default: 31 August of Y+1). The
    districts sharing a reference date are tallied together, so a region of many districts
    costs the queries of one. With `store`, each district's result replaces its official
    values of the year, with the people behind the values of the indicators that name them,
    the vacancies behind the VACANCY counts, the schools each district-only count counts and
    the deficit map (`monitoring.deficits`: its shares, tallied in the same grouped queries,
    and the people behind them) and the failure shares of students' results with their
    problem fields (`monitoring.problem_fields`).
    """
    as_of = as_of or {}
    periods = {d.pk: Period.of(year, as_of.get(d.pk)) for d in districts}
    indicators = list(Indicator.objects.all())
    named = [BY_CODE[i.code] for i in indicators if i.names_people] if store else []
    overrides: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for district_id, code, value in Target.objects.filter(
        district__in=districts, year=year
    ).values_list("district", "indicator", "value"):
        overrides[district_id][code] = value
    schools: dict[int, list[School]] = defaultdict(list)
    for school in School.objects.filter(district__in=districts).order_by("code"):
        schools[school.district_id].append(school)
    results = {}
    vacancies: dict[int, list[dict]] = defaultdict(list)  # school → its counted vacancies
    stored_tallies: SchoolTallies = {}
    found: list[deficits.Finding] = []
    for period in set(periods.values()):
        members = [d for d in districts if periods[d.pk] == period]
        in_districts = Q(district__in=members)
        tallies, missing = tally_and_missing(
            period, in_districts, (*REGISTRY, *deficits.PROFILE) if store else REGISTRY, named
        )
        if store:
            for row in counted_rows(period, in_districts, BY_CODE["VACANCY"], VACANCY_FIELDS):
                vacancies[row["school"]].append(row)
            stored_tallies.update(tallies)
            found += deficits.findings(period, in_districts)
        for district in members:
            results[district] = _evaluate(
                period, schools[district.pk], tallies, missing, indicators, overrides[district.pk]
            )
    if store:
        year_failures = failures(year, Q(pk__in=[d.pk for d in districts]))
        with transaction.atomic():  # a region is stored whole or not at all
            for district in districts:
                monitoring_year = _store(district, results[district], vacancies)
                deficits.store(monitoring_year, schools[district.pk], stored_tallies, found)
                problem_fields.store(
                    monitoring_year, schools[district.pk], year_failures.of(district.pk)
                )
    return results


def compute_year(
    district: District, year: int, as_of: dt.date | None = None, store: bool = True
) -> YearResult:
    """Every indicator for every school of the district and for the district (pooled).

    With `store`, the result replaces the year's official values in one transaction.
    """
    return compute_districts([district], year, {district.pk: as_of}, store)[district]


@transaction.atomic
def _store(
    district: District, result: YearResult, vacancies: dict[int, list[dict]]
) -> MonitoringYear:
    monitoring_year, _ = MonitoringYear.objects.select_for_update().get_or_create(
        district=district, year=result.year, defaults={"reference_date": result.reference_date}
    )
    monitoring_year.reference_date = result.reference_date
    monitoring_year.computed_at = timezone.now()
    monitoring_year.save(update_fields=["reference_date", "computed_at"])
    monitoring_year.values.all().delete()
    monitoring_year.missing_people.all().delete()
    monitoring_year.counted_schools.all().delete()
    monitoring_year.counted_vacancies.all().delete()
    year_id = monitoring_year.pk
    schools = [(s.school.pk, s.results) for s in result.schools]
    insert_rows(
        IndicatorValue,
        [
            "monitoring_year_id",
            "school_id",
            "indicator_id",
            "numerator",
            "denominator",
            "value",
            "status",
            "target",
        ],
        (
            [year_id, school, code, r.numerator, r.denominator, r.value, r.status, r.target]
            for school, results in [(None, result.district), *schools]
            for code, r in results.items()
        ),
    )
    missed: dict[tuple[int, int], list[str]] = defaultdict(list)
    for school, results in schools:
        for code, r in results.items():
            for person in r.people:
                missed[school, person].append(code)
    insert_rows(
        MissingPerson,
        ["monitoring_year_id", "school_id", "person_id", "indicators"],
        ([year_id, school, person, " ".join(codes)] for (school, person), codes in missed.items()),
    )
    insert_rows(
        CountedSchool,
        ["monitoring_year_id", "indicator_id", "school_id"],
        ([year_id, code, school] for code, r in result.district.items() for school in r.schools),
    )
    insert_rows(
        CountedVacancy,
        ["monitoring_year_id", "school_id", *VACANCY_FIELDS],
        (
            [year_id, school, *(row[f] for f in VACANCY_FIELDS)]
            for school, _ in schools
            for row in vacancies.get(school, ())
        ),
    )
    return monitoring_year


def _tenths(value, what: str) -> Decimal:
    """A non-negative number with at most one decimal, typed with a comma or a point."""
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationError(f"{what} «{value}» — не число.") from None
    if not number.is_finite() or number < 0:
        raise ValidationError(f"{what} должно быть неотрицательным числом.")
    if number != number.quantize(Decimal("0.1")):
        raise ValidationError(f"{what} задаётся с точностью до десятых.")
    return number.quantize(Decimal("0.1"))


def _target_value(indicator: Indicator, value) -> Decimal:
    target = _tenths(value, "Целевое значение")
    if indicator.kind == Indicator.Kind.SHARE and target > MAX_SHARE_TARGET:
        raise ValidationError("Целевое значение доли не может быть больше 100 %.")
    if indicator.kind == Indicator.Kind.COUNT and target != target.to_integral_value():
        raise ValidationError("Целевое значение количества должно быть целым числом.")
    return target


@transaction.atomic
def set_target(
    *, district: District, year: int, indicator: Indicator, value, user
) -> Target | None:
    """Sets the district's target for the year, records who changed it, and re-colours the
    year's stored values (a status depends only on numerator, denominator and target).

    Returns the Target, or None when the value equals the one in force (nothing changes).
    """
    if indicator.informational:
        raise ValidationError(
            f"Показатель «{indicator.short_name}» информационный: целевое значение не задаётся."
        )
    new_value = _target_value(indicator, value)
    target = (
        Target.objects.select_for_update()
        .filter(district=district, year=year, indicator=indicator)
        .first()
    )
    old_value = target.value if target else indicator.default_target
    if old_value == new_value:
        return None
    if target is None:
        target = Target(district=district, year=year, indicator=indicator, value=new_value)
    target.value = new_value
    target.full_clean()
    target.save()
    TargetChange.objects.create(
        district=district,
        year=year,
        indicator=indicator,
        old_value=old_value,
        new_value=new_value,
        user=user,
    )
    stored = list(
        IndicatorValue.objects.filter(
            monitoring_year__district=district, monitoring_year__year=year, indicator=indicator
        )
    )
    for stored_value in stored:
        stored_value.target = new_value
        if stored_value.status != Status.NOT_APPLICABLE:
            stored_value.status = status_of(
                indicator, stored_value.numerator, stored_value.denominator, new_value
            )
    IndicatorValue.objects.bulk_update(stored, ["target", "status"])
    return target


def _limit_value(value, what: str) -> Decimal:
    limit = _tenths(value, what)
    if limit > MAX_SHARE_TARGET:
        raise ValidationError(f"{what} не может быть больше 100.")
    return limit


@transaction.atomic
def set_problem_limits(
    *, district: District, year: int, threshold, margin, user
) -> list[ProblemLimitsChange]:
    """Sets the district's limits of a problem field for the year (results.md: `T`, `M`) and
    records each change: who, when, old → new. Returns the changes (none when both values
    are those in force). The stored problem fields follow at the year's next computation."""
    new = {
        ProblemLimitsChange.Limit.THRESHOLD: _limit_value(threshold, "Порог доли"),
        ProblemLimitsChange.Limit.MARGIN: _limit_value(margin, "Превышение доли муниципалитета"),
    }
    limits = ProblemLimits.objects.select_for_update().filter(district=district, year=year).first()
    old = limits_for(Q(pk=district.pk), year).get(district.pk, Limits())
    old_values = {
        ProblemLimitsChange.Limit.THRESHOLD: old.threshold,
        ProblemLimitsChange.Limit.MARGIN: old.margin,
    }
    changed = [limit for limit, value in new.items() if value != old_values[limit]]
    if not changed:
        return []
    if limits is None:
        limits = ProblemLimits(district=district, year=year)
    limits.threshold = new[ProblemLimitsChange.Limit.THRESHOLD]
    limits.margin = new[ProblemLimitsChange.Limit.MARGIN]
    limits.full_clean()
    limits.save()
    return [
        ProblemLimitsChange.objects.create(
            district=district,
            year=year,
            limit=limit,
            old_value=old_values[limit],
            new_value=new[limit],
            user=user,
        )
        for limit in changed
    ]


def monitoring_year_update(
    monitoring_year: MonitoringYear,
    *,
    basis_number: str,
    basis_date: dt.date | None,
    basis_body: str,
) -> MonitoringYear:
    """Edits the basis of a year's monitoring (the order it was carried out under)."""
    monitoring_year.basis_number = basis_number
    monitoring_year.basis_date = basis_date
    monitoring_year.basis_body = basis_body
    monitoring_year.full_clean()
    monitoring_year.save(update_fields=["basis_number", "basis_date", "basis_body"])
    return monitoring_year
