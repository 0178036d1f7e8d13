"""The named people and vacancies behind a school's numbers, as the letters cite them.

Which indicators name people, and with what phrase, is the catalogue's (`Indicator.
people_phrase`); results that are sensitive in themselves (deficits, burnout levels) never do.
The people and the vacancies are those stored with the figures, read through monitoring's
selectors.
"""

from monitoring.models import CountedVacancy, MonitoringYear
from monitoring.selectors import missing_by_indicator
from profdev.models import School
from recommendations.text import NBSP, initials


def short_name(person) -> str:
    """«Иванова Анна Сергеевна» → «Иванова А. С.» (non-breaking spaces): enough to act on."""
    given = initials(person.first_name, person.middle_name)
    return NBSP.join(p for p in (person.last_name, given) if p)


def people_missing(year: MonitoringYear, school: School, codes: list[str]) -> dict[str, list[str]]:
    """For each listed indicator code that names people, the people of the school missing from
    its stored numerator (one query)."""
    return {
        code: [short_name(p) for p in people]
        for code, people in missing_by_indicator(year, school, codes).items()
    }


def vacancy_row(vacancy: CountedVacancy) -> dict:
    """A counted vacancy as a letter's appendix lists it."""
    return {
        "school": vacancy.school.short_name,
        "position": vacancy.position,
        "count": vacancy.count,
        "opened": f"{vacancy.opened_on:%d.%m.%Y}",
    }


def letter_people(letter) -> set[str]:
    """Everyone a letter's appendix names (short names)."""
    rows = letter.figures.get("appendix", {}).get("people", [])
    return {name for row in rows for name in row["people"]}
