import datetime as dt

import pytest

from monitoring.services import compute_year
from profdev.models import Employment
from tests import factories

R = dt.date(2025, 8, 31)  # the reference date of Y = 2024
P_START = dt.date(2024, 9, 1)
DAY = dt.timedelta(days=1)


def teacher(school, category=Employment.Category.PEDAGOGICAL, workplace="main", **person):
    """A person with an employment at `school` active at R; `person` sets their own fields."""
    employment = {k: person.pop(k) for k in ("hired_on", "dismissed_on") if k in person}
    return factories.EmploymentFactory(
        school=school,
        person=factories.PersonFactory(**person),
        category=category,
        workplace=workplace,
        **employment,
    ).person


def manager(school, **person):
    return teacher(school, category=Employment.Category.MANAGERIAL, **person)


@pytest.fixture
def measure(district):
    """`measure(code, school=None, year=2024, as_of=None)` → (numerator, denominator) of a
    school, or of the district when `school` is None; computed without storing."""

    def run(code, school=None, year=2024, as_of=None):
        result = compute_year(district, year, as_of, store=False)
        values = (
            result.district
            if school is None
            else next(s.results for s in result.schools if s.school == school)
        )
        return values[code].numerator, values[code].denominator

    return run


@pytest.fixture
def result_of(district):
    """`result_of(school=None, year=2024, as_of=None)` → {code: Result} of a school or district."""

    def run(school=None, year=2024, as_of=None):
        result = compute_year(district, year, as_of, store=False)
        if school is None:
            return result.district
        return next(s.results for s in result.schools if s.school == school)

    return run
