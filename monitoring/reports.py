"""The providers report (portal.md; 003 «учёт организаций, реализующих программы ДПО»).

Every provider the district's teachers studied with in a window: completions, distinct
teachers, hours, the share of 16–36-hour programmes and of distance learning (ДОТ).
A completion belongs to the district when its teacher was employed at one of the
district's schools on the day it ended.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef

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


# A provider's figures, then the totals': completions, distinct teachers, hours, 16–36-hour
# programmes, distance learning.
_FIGURES = (
    "COUNT(*), COUNT(DISTINCT person_id), SUM(hours), "
    "COUNT(CASE WHEN hours BETWEEN %s AND %s THEN 1 END), COUNT(CASE WHEN distance THEN 1 END)"
)
_NAMES = ("completions", "teachers", "total_hours", "short_programmes", "distance")


def _grouped(completions) -> list[tuple]:
    """Rows (provider, *figures) of every provider, then (None, *figures) of all: the
    completions are selected once (a materialised CTE: each needs a look-up of its teacher's
    employment) and counted twice, in one statement."""
    sql, params = (
        completions.values_list("provider_id", "person_id", "hours", "distance")
        .order_by()
        .query.sql_with_params()
    )
    figures_params = [*SHORT_PROGRAMME_HOURS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH rows (provider_id, person_id, hours, distance) AS MATERIALIZED ({sql}) "
            f"SELECT provider_id, {_FIGURES} FROM rows GROUP BY provider_id "
            f"UNION ALL SELECT NULL, {_FIGURES} FROM rows",
            [*params, *figures_params, *figures_params],
        )
        return cursor.fetchall()


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
    default); three queries, whatever the data size: the completions are selected once and
    counted by provider and in total in the database (`_grouped`)."""
    monitoring_year = MonitoringYear.objects.filter(district=district, year=year).first()
    period = Period.of(year, monitoring_year.reference_date if monitoring_year else None)
    start = period.three_years_start if three_years else period.start
    rows = _grouped(district_completions(district, start, period.reference_date))
    figures = {provider: dict(zip(_NAMES, values, strict=True)) for provider, *values in rows}
    totals = figures.pop(None)
    totals["total_hours"] = totals["total_hours"] or 0
    providers = Provider.objects.in_bulk(list(figures))
    rows = [ProviderRow(provider=providers[pk], **sums) for pk, sums in figures.items()]
    rows.sort(key=lambda r: (-r.completions, natural_key(r.provider.name)))
    return ProvidersReport(
        district,
        year,
        three_years,
        start,
        period.reference_date,
        rows,
        ProviderRow(provider=None, **totals),
    )
