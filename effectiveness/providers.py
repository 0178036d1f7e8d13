"""Closure of deficits by provider (004 «анализ качества освоения программ ДПО»): of the
deficits re-diagnosed after a course, how many the course's provider's teachers closed.

For one teacher and component, two consecutive scores (d1, d2) with d1 a deficit and d2 dated
in the academic years `year - 1` or `year` are a retest; it is credited once to every provider
with a course of the teacher finished in (d1, d2], and closed when d2 is no deficit. Two
queries: the diagnostics, the courses."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.db.models import Exists, OuterRef

from effectiveness.selectors import academic_years
from monitoring.models import Indicator
from monitoring.tables import format_number
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    CourseCompletion,
    DeficitDiagnostic,
    District,
    Employment,
)


@dataclass
class ProviderClosure:
    provider: str
    retested: int
    closed: int

    @property
    def share(self) -> Decimal:
        return (Decimal(100 * self.closed) / Decimal(self.retested)).quantize(Decimal("0.1"))

    @property
    def share_text(self) -> str:
        return format_number(self.share, Indicator.Kind.SHARE)


def provider_closures(district: District, year: int) -> list[ProviderClosure]:
    teachers = Employment.objects.filter(
        person=OuterRef("person"),
        school__district=district,
        category=Employment.Category.PEDAGOGICAL,
    )
    start, end = academic_years(year - 1, year)
    diagnostics = defaultdict(list)
    rows = (
        DeficitDiagnostic.objects.filter(Exists(teachers), date__lte=end)
        .order_by("person_id", "date")
        .values_list("person_id", "date", *DIAGNOSTIC_COMPONENTS)
    )
    for person, date, *scores in rows:
        diagnostics[person].append((date, scores))
    courses = defaultdict(list)
    for person, finished, provider in CourseCompletion.objects.filter(
        Exists(teachers), finished_on__lte=end
    ).values_list("person_id", "finished_on", "provider__name"):
        courses[person].append((finished, provider))
    retested: dict[str, int] = defaultdict(int)
    closed: dict[str, int] = defaultdict(int)
    for person, dated in diagnostics.items():
        for c in range(len(DIAGNOSTIC_COMPONENTS)):
            scored = [(date, scores[c]) for date, scores in dated if scores[c] is not None]
            for (d1, before), (d2, after) in pairwise(scored):
                if before >= settings.DEFICIT_SCORE or not start <= d2 <= end:
                    continue
                for provider in {p for finished, p in courses[person] if d1 < finished <= d2}:
                    retested[provider] += 1
                    closed[provider] += after >= settings.DEFICIT_SCORE
    return [ProviderClosure(p, retested[p], closed[p]) for p in sorted(retested)]
