"""The region: every district's stored official values, and the region pooled from them.

Nothing is recomputed: a district's row is its stored district value (school is null), and
the region's value of an indicator pools the districts' stored numerators and denominators
against the default target.
"""

from monitoring.engine import Tally
from monitoring.models import Indicator, IndicatorValue, MonitoringYear, Status
from monitoring.results import Result
from monitoring.services import targets_for
from monitoring.tables import STORED_FIELDS, Stored
from profdev.models import District


def region_years() -> list[int]:
    """Years computed in at least one district, latest first; one query."""
    years = MonitoringYear.objects.filter(computed_at__isnull=False).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def district_values(year: int) -> dict[tuple[int, str], Stored]:
    """Each district's stored value of every indicator in the year, keyed by
    (district id, indicator code); one query."""
    rows = IndicatorValue.objects.filter(
        monitoring_year__year=year,
        monitoring_year__computed_at__isnull=False,
        school__isnull=True,
    ).values_list("monitoring_year__district_id", "indicator_id", *STORED_FIELDS)
    return {(row[0], row[1]): Stored(*row[2:]) for row in rows}


def pooled(indicator: Indicator, stored: list[Stored], target) -> Stored | None:
    """The region's value: the sum of the districts' numerators over the sum of their
    denominators (districts where it does not apply are left out)."""
    applicable = [s for s in stored if s.status != Status.NOT_APPLICABLE]
    if not stored:
        return None
    if not applicable:
        result = Result.not_applicable(indicator, target)
    else:
        denominators = [s.denominator for s in applicable if s.denominator is not None]
        tally = Tally(
            sum(s.numerator or 0 for s in applicable), sum(denominators) if denominators else None
        )
        result = Result.of(indicator, tally, target)
    return Stored(result.numerator, result.denominator, result.value, result.status, result.target)


def region_values(
    year: int, districts: list[District], indicators: list[Indicator]
) -> dict[tuple[int | None, str], Stored]:
    """The districts' stored values and the region's pooled ones (key `(None, code)`)."""
    values = district_values(year)
    targets = targets_for(None, year, indicators)
    for indicator in indicators:
        stored = [
            values[(d.pk, indicator.code)] for d in districts if (d.pk, indicator.code) in values
        ]
        region = pooled(indicator, stored, targets[indicator.code])
        if region is not None:
            values[(None, indicator.code)] = region
    return values
