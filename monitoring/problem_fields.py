"""Problem fields of a year (results.md) as the portal reports and stores them: the failure
shares with their rounded values (as share indicators), the problem fields of each school,
and the shares stored with the year's official values.

The counting and the test of a problem field are `monitoring.failures`'; the two indicators
built on them are in the catalogue (`monitoring.indicators`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from monitoring.failures import Count, Failures, failures
from monitoring.models import FailureShare, MonitoringYear
from monitoring.results import TEN, share_tenths
from profdev.bulk import insert_rows
from profdev.models import District, School, Subject

SUBJECT_NAMES = dict(Subject.choices)


def share_value(count: Count) -> Decimal | None:
    tenths = share_tenths(count.numerator, count.denominator)
    return None if tenths is None else Decimal(tenths) / TEN


@dataclass(frozen=True)
class ProblemField:
    """A subject that is a problem field of a school, with the school's counts."""

    school: School
    subject: str
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return share_value(Count(self.numerator, self.denominator))

    @property
    def subject_name(self) -> str:
        return str(SUBJECT_NAMES[self.subject])


def problem_fields(district: District, year: int) -> dict[School, list[ProblemField]]:
    """Each school of the district with a problem field in year Y, by code, with its problem
    subjects (in the subject list's order) and their counts; from the records, three queries."""
    found = failures(year, Q(pk=district.pk)).of(district.pk)
    problems = found.problems()
    schools = School.objects.filter(pk__in=list(problems)).order_by("code")
    return {
        school: [
            ProblemField(school, subject, count.numerator, count.denominator)
            for subject in problems[school.pk]
            for count in [found.schools[school.pk][subject]]
        ]
        for school in schools
    }


# --- Stored with the year's official values ----------------------------------------------------


def store(monitoring_year: MonitoringYear, schools: list[School], found: Failures) -> None:
    """Replace the year's stored failure shares (the district's and every school's subjects
    with participants, each marked a problem field or not); part of the computation's
    transaction."""
    monitoring_year.failure_shares.all().delete()
    problems = found.problems()
    rows = [(None, found.pooled, [])] + [
        (s.pk, found.schools.get(s.pk, {}), problems.get(s.pk, [])) for s in schools
    ]
    insert_rows(
        FailureShare,
        [
            "monitoring_year_id",
            "school_id",
            "subject",
            "numerator",
            "denominator",
            "value",
            "problem",
        ],
        (
            [
                monitoring_year.pk,
                school,
                subject,
                count.numerator,
                count.denominator,
                share_value(count),
                subject in flagged,
            ]
            for school, counts, flagged in rows
            for subject, count in counts.items()
        ),
    )
