"""Reads of the stored official values, shaped for dashboards (a fixed number of queries)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from monitoring.models import Indicator, IndicatorValue, MonitoringYear
from profdev.models import District, School


@dataclass
class SchoolRow:
    school: School
    values: dict[str, IndicatorValue] = field(default_factory=dict)


@dataclass
class YearTable:
    """A computed year: indicators as columns, the district row and one row per school."""

    monitoring_year: MonitoringYear
    indicators: list[Indicator]
    district: dict[str, IndicatorValue]
    schools: list[SchoolRow]

    @property
    def school_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if not i.district_only]


def year_table(monitoring_year: MonitoringYear) -> YearTable:
    """The stored values of a year, schools ordered by code; two queries."""
    indicators = list(Indicator.objects.all())
    district: dict[str, IndicatorValue] = {}
    rows: dict[int, SchoolRow] = {}
    values = monitoring_year.values.select_related("school").order_by("school__code")
    for value in values:
        if value.school is None:
            district[value.indicator_id] = value
        else:
            rows.setdefault(value.school_id, SchoolRow(value.school)).values[value.indicator_id] = (
                value
            )
    return YearTable(monitoring_year, indicators, district, list(rows.values()))


def school_values(monitoring_year: MonitoringYear, school: School) -> dict[str, IndicatorValue]:
    """One school's stored values of a year by indicator code; one query."""
    values = monitoring_year.values.filter(school=school).select_related("indicator")
    return {v.indicator_id: v for v in values}


def years_on_record(district: District) -> QuerySet[MonitoringYear]:
    """The district's computed years, latest first."""
    return MonitoringYear.objects.filter(district=district, computed_at__isnull=False).order_by(
        "-year"
    )


def indicator_trend(
    district: District, indicator: Indicator | str, school: School | None = None
) -> list[IndicatorValue]:
    """One indicator's stored value in every computed year, oldest first (the district's
    row when `school` is None); one query, each value with its `monitoring_year`."""
    return list(
        IndicatorValue.objects.filter(
            monitoring_year__district=district,
            monitoring_year__computed_at__isnull=False,
            indicator=indicator,
            school=school,
        )
        .select_related("monitoring_year")
        .order_by("monitoring_year__year")
    )
