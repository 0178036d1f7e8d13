"""The district's indicators over the years on record, from stored values only: the table of
the analytical report and the figures its conclusions are written from."""

from dataclasses import dataclass
from decimal import Decimal

from effectiveness.report import verdict
from monitoring.models import BREACH_STATUSES, Indicator
from monitoring.selectors import years_on_record
from monitoring.tables import Stored, format_delta, format_number, history_values
from profdev.facts import academic_year_label
from profdev.models import District

# More year columns than this do not fit a portrait page: the table goes on a landscape one.
PORTRAIT_YEARS = 3


@dataclass
class Dynamics:
    indicator: Indicator
    values: list[str]  # one per year on record, oldest first
    value: Decimal | None  # this year's
    target: str
    status: str | None
    change: str
    trend: str  # a Verdict: this year against the previous one

    @property
    def breached(self) -> bool:
        return self.status in BREACH_STATUSES

    @property
    def value_text(self) -> str:
        return format_number(self.value, self.indicator.kind)


@dataclass
class DistrictDynamics:
    years: list[str]  # labels, oldest first
    rows: list[Dynamics]

    @property
    def wide(self) -> bool:
        return len(self.years) > PORTRAIT_YEARS

    @property
    def breached(self) -> list[Dynamics]:
        return [r for r in self.rows if r.breached]

    def trending(self, trend: str) -> list[Dynamics]:
        return [r for r in self.rows if r.trend == trend]


def _dynamics(indicator: Indicator, years: list[int], history: dict, year: int) -> Dynamics:
    stored: list[Stored | None] = [history.get((y, None, indicator.code)) for y in years]
    current = history.get((year, None, indicator.code))
    previous = history.get((year - 1, None, indicator.code))
    now = current.value if current else None
    then = previous.value if previous else None
    return Dynamics(
        indicator=indicator,
        values=[format_number(s.value if s else None, indicator.kind) for s in stored],
        value=now,
        target=format_number(current.target if current else None, indicator.kind),
        status=current.status if current else None,
        change="" if now is None or then is None else format_delta(now - then, indicator.kind),
        trend=verdict(indicator, then, now),
    )


def district_dynamics(district: District, year: int) -> DistrictDynamics:
    """Every indicator of the district over the years on record up to `year`."""
    years = sorted(m.year for m in years_on_record(district) if m.year <= year)
    history = history_values(district, [])
    return DistrictDynamics(
        years=[academic_year_label(y) for y in years],
        rows=[_dynamics(i, years, history, year) for i in Indicator.objects.all()],
    )
