"""From numerators and denominators to values and statuses (indicators.md, «Values», «Status»).

All arithmetic is on integers and Decimals: the shown value is rounded half-up in integers, and
the status compares the exact ratio with the target, never the rounded value.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monitoring.engine import SchoolPeople, SchoolTallies, Tally
from monitoring.indicators import BY_CODE, SchoolsWhere, Share
from monitoring.models import Indicator, Status
from profdev.models import School

TEN = Decimal(10)


def share_tenths(numerator: int, denominator: int) -> int | None:
    """100·numerator/denominator in tenths of a percent, rounded half-up; None for 0/0."""
    if not denominator:
        return None
    return (2000 * numerator + denominator) // (2 * denominator)


def status_of(
    indicator: Indicator, numerator: int, denominator: int | None, target: Decimal | None
) -> str | None:
    if target is None:
        return None
    if indicator.kind == Indicator.Kind.COUNT:
        return Status.GREEN if numerator <= target else Status.RED
    if not denominator:
        return Status.NO_DATA
    band = min(TEN, target / 2)
    exact = 100 * numerator  # compared with T·denominator: the exact ratio, not the rounded one
    if indicator.direction == Indicator.Direction.UP:
        if exact >= target * denominator:
            return Status.GREEN
        return Status.YELLOW if exact >= (target - band) * denominator else Status.RED
    if exact <= target * denominator:
        return Status.GREEN
    return Status.YELLOW if exact <= (target + band) * denominator else Status.RED


@dataclass(frozen=True)
class Result:
    """One indicator's value at one school or for the district."""

    indicator: Indicator
    numerator: int
    denominator: int | None
    value: Decimal | int | None
    status: str | None
    target: Decimal | None
    # Who or what is behind the figure, stored with it: the persons a school's value misses
    # (indicators that name people), the schools a district-only count counts.
    people: tuple[int, ...] = ()
    schools: tuple[int, ...] = ()

    @classmethod
    def of(
        cls,
        indicator: Indicator,
        tally: Tally,
        target: Decimal | None,
        people: Iterable[int] = (),
        schools: Iterable[int] = (),
    ) -> "Result":
        if indicator.kind == Indicator.Kind.COUNT:
            value = tally.numerator
            denominator = None
        else:
            denominator = tally.denominator or 0
            tenths = share_tenths(tally.numerator, denominator)
            value = None if tenths is None else Decimal(tenths) / TEN
        status = status_of(indicator, tally.numerator, denominator, target)
        return cls(
            indicator,
            tally.numerator,
            denominator,
            value,
            status,
            target,
            tuple(people),
            tuple(schools),
        )

    @classmethod
    def not_applicable(cls, indicator: Indicator, target: Decimal | None) -> "Result":
        status = None if target is None else Status.NOT_APPLICABLE
        return cls(indicator, 0, 0, None, status, target)

    def as_json(self) -> dict:
        if self.value is None or isinstance(self.value, int):
            value = self.value
        else:
            value = float(self.value)
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": value,
            "status": None if self.status is None else str(self.status),
            "target": None if self.target is None else float(self.target),
        }


@dataclass
class SchoolResult:
    school: School
    results: dict[str, Result]


@dataclass
class YearResult:
    """A computed year: every school's results and the district's (pooled) ones."""

    year: int
    reference_date: dt.date
    indicators: list[Indicator]
    district: dict[str, Result]
    schools: list[SchoolResult] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "as_of": self.reference_date.isoformat(),
            "district": {"indicators": _json(self.district)},
            "schools": {s.school.code: {"indicators": _json(s.results)} for s in self.schools},
        }


def _json(results: dict[str, Result]) -> dict:
    return {code: result.as_json() for code, result in results.items()}


def _scope(indicator: Indicator):
    definition = BY_CODE[indicator.code]
    return definition.scope if isinstance(definition, Share) else None


def _pooled(tallies: Iterable[Tally]) -> Tally:
    numerator, denominator = 0, None
    for tally in tallies:
        numerator += tally.numerator
        if tally.denominator is not None:
            denominator = (denominator or 0) + tally.denominator
    return Tally(numerator, denominator)


def evaluate(
    *,
    year: int,
    reference_date: dt.date,
    indicators: list[Indicator],
    targets: dict[str, Decimal | None],
    schools: list[School],
    tallies: SchoolTallies,
    missing: SchoolPeople | None = None,
) -> YearResult:
    """Values and statuses of every school in `schools` and of all of them pooled; with
    `missing`, the persons behind each school's values in scope."""
    zero = Tally(0, 0)
    missing = missing or {}
    result = YearResult(year, reference_date, indicators, district={})
    # What each indicator asks, looked up once rather than once per school.
    asks = [(i, i.code, targets[i.code], _scope(i)) for i in indicators]
    of_schools = [(s, tallies.get(s.pk, {})) for s in schools]
    for school, school_tallies in of_schools:
        school_missing = missing.get(school.pk, {})
        results = {}
        for indicator, code, target, scope in asks:
            if indicator.district_only:
                continue
            if scope is None or scope(school):
                tally = school_tallies.get(code, zero)
                people = school_missing.get(code, ())
                results[code] = Result.of(indicator, tally, target, people)
            else:
                results[code] = Result.not_applicable(indicator, target)
        result.schools.append(SchoolResult(school, results))
    for indicator, code, target, scope in asks:
        definition = BY_CODE[code]
        if isinstance(definition, SchoolsWhere):
            school_tallies = [(s.pk, t.get(code, zero)) for s, t in of_schools]
            passing = [
                pk for pk, t in school_tallies if definition.test(t.numerator, t.denominator)
            ]
            result.district[code] = Result.of(
                indicator, Tally(len(passing), None), target, schools=passing
            )
            continue
        in_scope = [t for s, t in of_schools if scope is None or scope(s)]
        if not in_scope and scope:
            result.district[code] = Result.not_applicable(indicator, target)
            continue
        pooled = _pooled(t.get(code, zero) for t in in_scope)
        result.district[code] = Result.of(indicator, pooled, target)
    return result
