"""The analytical report (аналитическая справка) of a year: indicators with their dynamics over
the years on record, conclusions, recommendations and measures, from stored values only."""

from collections import defaultdict
from dataclasses import dataclass

from effectiveness.report import Report, Verdict, verdict
from monitoring.models import BREACH_STATUSES, Indicator
from monitoring.selectors import years_on_record
from monitoring.tables import Stored, format_delta, format_number, history_values
from profdev.facts import academic_year_label
from recommendations.models import Audience, RecommendationRule


@dataclass
class Dynamics:
    indicator: Indicator
    values: list[str]  # one per year on record, oldest first
    target: str
    status: str | None
    change: str
    trend: str  # a Verdict: this year against the previous one

    @property
    def breached(self) -> bool:
        return self.status in BREACH_STATUSES


def _dynamics(indicator: Indicator, years: list[int], history: dict, year: int) -> Dynamics:
    stored: list[Stored | None] = [history.get((y, None, indicator.code)) for y in years]
    current = history.get((year, None, indicator.code))
    previous = history.get((year - 1, None, indicator.code))
    now = current.value if current else None
    then = previous.value if previous else None
    return Dynamics(
        indicator=indicator,
        values=[format_number(s.value if s else None, indicator.kind) for s in stored],
        target=format_number(current.target if current else None, indicator.kind),
        status=current.status if current else None,
        change="" if now is None or then is None else format_delta(now - then, indicator.kind),
        trend=verdict(indicator, then, now),
    )


def analytical_context(report: Report) -> dict:
    """What the аналитическая справка says, built on the effectiveness report of the year."""
    district, year = report.district, report.year
    years = sorted(m.year for m in years_on_record(district) if m.year <= year)
    history = history_values(district, [])
    rows = [_dynamics(i, years, history, year) for i in Indicator.objects.all()]
    breached = [r for r in rows if r.breached]
    codes = {r.indicator.code: r.status for r in breached}
    recommendations: dict[str, list[str]] = defaultdict(list)
    rules = RecommendationRule.objects.filter(active=True, indicator__in=codes).order_by(
        "order", "id"
    )
    for rule in rules:
        if (
            rule.fires_on(codes[rule.indicator_id])
            and rule.text not in recommendations[rule.audience]
        ):
            recommendations[rule.audience].append(rule.text)
    return {
        "report": report,
        "years": [academic_year_label(y) for y in years],
        "rows": rows,
        "breached": breached,
        "improved": [r for r in rows if r.trend == Verdict.IMPROVED],
        "worse": [r for r in rows if r.trend == Verdict.WORSE],
        "recommendations": [
            (str(Audience(a).label), recommendations[a])
            for a in Audience.values
            if recommendations[a]
        ],
    }
