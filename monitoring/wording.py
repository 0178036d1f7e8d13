"""How a figure is described against its target, by the indicator's direction and kind.

One rule for every place a breach is put into words: the letters, the analytical report, the
dashboards and their exports. An «up» indicator short of its target is below it; a «down» one
(and every count, which has a limit) is above what is allowed. A status is red outside the
tolerance band and yellow within it, and the text says which; a count has no band.
"""

from monitoring.models import Indicator, Status

BELOW = "ниже целевого значения"
ABOVE = "выше допустимого (целевого) значения"
BAND_MARKS = {
    Status.RED: "за пределами допуска",
    Status.YELLOW: "в пределах допуска",
}


def lower_is_better(indicator: Indicator) -> bool:
    return indicator.direction == Indicator.Direction.DOWN


def breach(indicator: Indicator) -> str:
    """What missing the target means for this indicator: «ниже целевого значения» or «выше
    допустимого (целевого) значения»."""
    return ABOVE if lower_is_better(indicator) else BELOW


def target_phrase(indicator: Indicator, target_text: str) -> str:
    """The target as a bound: «не менее 80,0 %», «не более 20,0 %», «не более 0»."""
    bound = "не более" if lower_is_better(indicator) else "не менее"
    return f"{bound} {target_text}"


def band_mark(status: str | None) -> str:
    """«за пределами допуска» for red, «в пределах допуска» for yellow, else empty."""
    return BAND_MARKS.get(status, "")


def status_label(indicator: Indicator, status: str | None) -> str:
    """A status in words for this indicator: «ниже целевого значения, в пределах допуска»,
    «не выше целевого значения», «нет данных»… (None: an informational indicator)."""
    if status is None:
        return "информационный показатель, без целевого значения"
    if status == Status.GREEN:
        bound = "не выше" if lower_is_better(indicator) else "не ниже"
        return f"{bound} целевого значения"
    if status in BAND_MARKS:
        if indicator.kind == Indicator.Kind.COUNT:  # a count has a limit, not a band
            return breach(indicator)
        return f"{breach(indicator)}, {band_mark(status)}"
    return str(Status(status).label)
