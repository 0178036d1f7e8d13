"""The named people behind a school's numbers, for the indicators where a person can act.

Which indicators name people, and with what phrase, is the catalogue's (`Indicator.
people_phrase`); results that are sensitive in themselves (deficits, burnout levels) never do.
The people are those stored with the figures, read through monitoring's selectors.
"""

from monitoring.models import MonitoringYear
from monitoring.selectors import missing_by_indicator
from profdev.models import School


def short_name(person) -> str:
    """«Иванова Анна Сергеевна» → «Иванова А. С.»: enough to act on, no more."""
    initials = " ".join(f"{p[0]}." for p in (person.first_name, person.middle_name) if p)
    return f"{person.last_name} {initials}".strip()


def people_missing(year: MonitoringYear, school: School, codes: list[str]) -> dict[str, list[str]]:
    """For each listed indicator code that names people, the people of the school missing from
    its stored numerator (one query)."""
    return {
        code: [short_name(p) for p in people]
        for code, people in missing_by_indicator(year, school, codes).items()
    }
