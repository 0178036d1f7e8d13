"""The providers report (portal.md; 003 «учёт организаций, реализующих программы ДПО»).

Every provider the district's teachers studied with in a window: completions, distinct
teachers, hours, the share of 16–36-hour programmes and of distance learning (ДОТ).
A completion belongs to the district when its teacher was employed at one of the
district's schools on the day it ended.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from monitoring.models import Indicator, MonitoringYear
from monitoring.results import share_tenths
from monitoring.tables import format_number
from profdev.facts import Period, academic_year_label, between, employed_at
from profdev.models import CourseCompletion, District, Employment, Provider
from profdev.text import natural_key

SHORT_PROGRAMME_HOURS = (16, 36)


def share(part: int, whole: int) -> Decimal | None:
    """A percentage rounded as the indicators round it (half-up tenths, in integers)."""
    tenths = share_tenths(part, whole)
    return None if tenths is None else Decimal(tenths) / 10


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider | None  # None: the totals row
    completions: int
    teachers: int
    total_hours: int
    short_programmes: int
    distance: int

    @property
    def short_share(self) -> Decimal | None:
        return share(self.short_programmes, self.completions)

    @property
    def distance_share(self) -> Decimal | None:
        return share(self.distance, self.completions)

    @property
    def short_text(self) -> str:
        return format_number(self.short_share, Indicator.Kind.SHARE)

    @property
    def distance_text(self) -> str:
        return format_number(self.distance_share, Indicator.Kind.SHARE)

    @property
    def unlicensed(self) -> bool:
        return self.provider is not None and not self.provider.licence.strip()


def district_completions(district: District, start: dt.date, end: dt.date):
    """Courses ended in [start, end] by people employed in the district on the end date."""
    employed_then = Employment.objects.filter(
        employed_at(OuterRef("finished_on")), person=OuterRef("person"), school__district=district
    )
    return CourseCompletion.objects.filter(
        Exists(employed_then), between("finished_on", start, end)
    )


# Of one teacher's completions with one provider; a provider's teachers are its rows.
_PER_TEACHER = {
    "completions": Count("id"),
    "total_hours": Sum("hours"),
    "short_programmes": Count("id", filter=Q(hours__range=SHORT_PROGRAMME_HOURS)),
    "distance": Count("id", filter=Q(distance=True)),
}


@dataclass(frozen=True)
class ProvidersReport:
    district: District
    year: int
    three_years: bool  # the window: the three years up to the reference date, or the year
    start: dt.date
    end: dt.date
    rows: list[ProviderRow]  # most completions first, then by name in natural order
    totals: ProviderRow

    @property
    def label(self) -> str:
        return academic_year_label(self.year)


def providers_report(district: District, year: int, *, three_years: bool) -> ProvidersReport:
    """The report of academic year `year` up to its reference date (the stored one, else the
    default); three queries, whatever the data size: the completions are read once, grouped
    by provider and teacher, and summed here per provider and in total."""
    monitoring_year = MonitoringYear.objects.filter(district=district, year=year).first()
    period = Period.of(year, monitoring_year.reference_date if monitoring_year else None)
    start = period.three_years_start if three_years else period.start
    completions = district_completions(district, start, period.reference_date)
    by_provider: dict[int, dict[str, int]] = {}
    teachers: set[int] = set()
    for group in completions.values("provider", "person").annotate(**_PER_TEACHER).order_by():
        sums = by_provider.setdefault(group["provider"], dict.fromkeys(_PER_TEACHER, 0))
        for name in _PER_TEACHER:
            sums[name] += group[name] or 0
        sums["teachers"] = sums.get("teachers", 0) + 1
        teachers.add(group["person"])
    providers = Provider.objects.in_bulk(list(by_provider))
    rows = [ProviderRow(provider=providers[pk], **sums) for pk, sums in by_provider.items()]
    rows.sort(key=lambda r: (-r.completions, natural_key(r.provider.name)))
    totals = {name: sum(sums[name] for sums in by_provider.values()) for name in _PER_TEACHER}
    return ProvidersReport(
        district,
        year,
        three_years,
        start,
        period.reference_date,
        rows,
        ProviderRow(provider=None, teachers=len(teachers), **totals),
    )
