"""Failure shares of students' results and «проблемные поля» (results.md), in integers.

For a school and a subject of year Y: the pupils who failed over the participants, summed over
every procedure and grade (one grouped query for every school at once); the district pools its
schools. A subject is a problem field of a school when its share reaches the district's
threshold `T` or the district's own share of the subject plus `M` percentage points; both
tests compare exact ratios (`100·n ≥ T·d`, `100·n·D ≥ (100·N + M·D)·d`), never rounded values.

The indicators (`monitoring.indicators`) ask which rows fall in a problem field: the problem
fields of the year are found here and handed to SQL as conditions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from monitoring.models import ProblemLimits
from profdev.models import District, StudentResult, Subject

DEFAULT_THRESHOLD = Decimal(15)  # T, %
DEFAULT_MARGIN = Decimal(10)  # M, percentage points


@dataclass(frozen=True)
class Limits:
    threshold: Decimal = DEFAULT_THRESHOLD
    margin: Decimal = DEFAULT_MARGIN


def limits_for(districts: Q, year: int) -> dict[int, Limits]:
    """The limits of the year the districts matching `districts` (a filter on District) set
    themselves; the others keep `Limits()`. One query."""
    return {
        district: Limits(threshold, margin)
        for district, threshold, margin in ProblemLimits.objects.filter(
            district__in=District.objects.filter(districts).values("pk"), year=year
        ).values_list("district", "threshold", "margin")
    }


@dataclass(frozen=True)
class Count:
    """Pupils who failed (numerator) of the participants (denominator)."""

    numerator: int
    denominator: int


def is_problem(school: Count, district: Count, limits: Limits) -> bool:
    n, d = school.numerator, school.denominator
    big_n, big_d = district.numerator, district.denominator
    if d == 0:
        return False
    return (
        100 * n >= limits.threshold * d
        or 100 * n * big_d >= (100 * big_n + limits.margin * big_d) * d
    )


@dataclass
class Failures:
    """One district's failures of a year: by school and subject, pooled by subject, and its
    limits. Subjects and schools without participants are absent."""

    limits: Limits
    schools: dict[int, dict[str, Count]] = field(default_factory=dict)  # school id → subject

    @property
    def pooled(self) -> dict[str, Count]:
        """The district's counts by subject (Σ numerators / Σ denominators), in the order of
        the subject list."""
        sums: dict[str, list[int]] = {}
        for counts in self.schools.values():
            for subject, count in counts.items():
                total = sums.setdefault(subject, [0, 0])
                total[0] += count.numerator
                total[1] += count.denominator
        return {s.value: Count(*sums[s.value]) for s in Subject if s.value in sums}

    def problems(self) -> dict[int, list[str]]:
        """The problem fields: school id → its problem subjects in the subject list's order."""
        pooled = self.pooled
        order = list(Subject.values)
        found: dict[int, list[str]] = {}
        for school, counts in self.schools.items():
            subjects = [s for s, c in counts.items() if is_problem(c, pooled[s], self.limits)]
            if subjects:
                found[school] = sorted(subjects, key=order.index)
        return found


@dataclass
class YearFailures:
    """The failures of a year in several districts."""

    limits: dict[int, Limits]  # district id → its own limits
    schools: dict[int, dict[int, dict[str, Count]]]  # district id → school id → subject

    def of(self, district: int) -> Failures:
        return Failures(self.limits.get(district, Limits()), self.schools.get(district, {}))


def failures(year: int, districts: Q | None = None) -> YearFailures:
    """The failures of year Y in the districts matching `districts` (a filter on District;
    None: all of them); two queries: the sums by school and subject, the limits."""
    districts = districts or Q()
    rows = (
        StudentResult.objects.filter(
            year=year, school__district__in=District.objects.filter(districts).values("pk")
        )
        .values("school__district", "school", "subject")
        .annotate(failed=Sum("failed"), participants=Sum("participants"))
        .order_by()
    )
    schools: dict[int, dict[int, dict[str, Count]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        schools[row["school__district"]][row["school"]][row["subject"]] = Count(
            row["failed"], row["participants"]
        )
    return YearFailures(limits_for(districts, year), schools)


def problem_subjects(year: int) -> dict[str, list[int]]:
    """Every problem field of year Y in every district, as subject → the ids of the schools
    where it is one (for the indicators' conditions); two queries."""
    by_subject: dict[str, list[int]] = defaultdict(list)
    year_failures = failures(year)
    for district in year_failures.schools:
        for school, subjects in year_failures.of(district).problems().items():
            for subject in subjects:
                by_subject[subject].append(school)
    return dict(by_subject)
