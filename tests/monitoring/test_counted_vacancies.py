"""The vacancies behind each school's VACANCY count are stored with the figures: exactly the
ones the count sums (open at the reference date), until the year is computed again."""

import datetime as dt

import pytest

from monitoring import selectors
from monitoring.models import CountedVacancy, IndicatorValue, MonitoringYear
from monitoring.services import compute_year
from tests import factories as f

pytestmark = pytest.mark.django_db


def stored(school) -> list[tuple[str, int, dt.date]]:
    year = MonitoringYear.objects.get(year=2024)
    return [(v.position, v.count, v.opened_on) for v in selectors.counted_vacancies(year, school)]


def test_the_stored_vacancies_are_exactly_those_the_count_sums(district, school, other_school):
    f.VacancyFactory(
        school=school, position="учитель математики", count=2, opened_on=dt.date(2025, 3, 1)
    )
    f.VacancyFactory(school=school, position="педагог-психолог", opened_on=dt.date(2024, 9, 1))
    # Closed before the reference date, opened after it, closed on it: not counted.
    f.VacancyFactory(
        school=school,
        position="учитель химии",
        opened_on=dt.date(2024, 1, 10),
        closed_on=dt.date(2025, 5, 1),
    )
    f.VacancyFactory(school=school, position="учитель музыки", opened_on=dt.date(2025, 9, 1))
    f.VacancyFactory(
        school=school,
        position="логопед",
        opened_on=dt.date(2025, 1, 1),
        closed_on=dt.date(2025, 8, 31),
    )
    f.VacancyFactory(school=other_school, position="учитель физики")
    compute_year(district, 2024)

    assert stored(school) == [
        ("педагог-психолог", 1, dt.date(2024, 9, 1)),
        ("учитель математики", 2, dt.date(2025, 3, 1)),
    ]
    count = IndicatorValue.objects.get(school=school, indicator="VACANCY").numerator
    assert count == sum(n for _, n, _ in stored(school)) == 3
    assert [p for p, _, _ in stored(other_school)] == ["учитель физики"]
    year = MonitoringYear.objects.get(year=2024)
    assert len(selectors.counted_vacancies(year)) == 3


def test_records_changed_since_change_nothing_until_computed_again(district, school):
    vacancy = f.VacancyFactory(school=school, position="учитель математики")
    compute_year(district, 2024)
    vacancy.closed_on = dt.date(2025, 7, 1)
    vacancy.save()
    f.VacancyFactory(school=school, position="учитель истории")
    assert [p for p, _, _ in stored(school)] == ["учитель математики"]

    compute_year(district, 2024)
    assert [p for p, _, _ in stored(school)] == ["учитель истории"]
    assert CountedVacancy.objects.count() == 1
