"""The named people and vacancies behind a school's numbers, as the letters cite them.

Which indicators name people, and with what phrase, is the catalogue's (`Indicator.
people_phrase`); results that are sensitive in themselves (deficits, burnout levels) never do.
The people and the vacancies are those stored with the figures, read through monitoring's
selectors.
"""

from collections import defaultdict
from dataclasses import dataclass

from monitoring.models import CountedVacancy, MonitoringYear
from monitoring.selectors import Name, counted_vacancies, missing_names
from profdev.models import School
from recommendations.text import NBSP, initials


def short_name(person) -> str:
    """«Иванова Анна Сергеевна» → «Иванова А. С.» (non-breaking spaces): enough to act on."""
    given = initials(person.first_name, person.middle_name)
    return NBSP.join(p for p in (person.last_name, given) if p)


@dataclass(frozen=True)
class YearPeople:
    """The people and vacancies behind every school's stored figures of a year, read at once
    for the district's letters (two queries, whatever the number of schools)."""

    missing: dict[int, dict[str, list[str]]]  # school id → code → short names
    vacancies: dict[int, list[dict]]  # school id → counted vacancies (`vacancy_row`)

    def people_missing(self, school: School, codes: list[str]) -> dict[str, list[str]]:
        """For each listed code that names people, the school's people missing from its
        stored numerator."""
        missing = self.missing.get(school.pk, {})
        return {code: missing[code] for code in codes if code in missing}


def year_people(year: MonitoringYear) -> YearPeople:
    vacancies: dict[int, list[dict]] = defaultdict(list)
    for vacancy in counted_vacancies(year):
        vacancies[vacancy.school_id].append(vacancy_row(vacancy))
    shorts: dict[Name, str] = {}  # a person missing from several figures is named once
    missing: dict[int, dict[str, list[str]]] = {}
    for school, codes in missing_names(year).items():
        missing[school] = by_code = {}
        for code, names in codes.items():
            by_code[code] = [shorts.get(n) or shorts.setdefault(n, short_name(n)) for n in names]
    return YearPeople(missing=missing, vacancies=vacancies)


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
