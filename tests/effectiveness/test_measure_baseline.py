"""Which year's report judges a measure: «before» is the year whose reference date precedes the
measure, «after» the next. With the default reference dates (31 August) a measure of academic
year M is judged by M−1 against M."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from effectiveness.report import effectiveness_report
from effectiveness.services import measure_create
from tests.effectiveness.conftest import indicator
from tests.html import page, text
from tests.monitoring.factories import MonitoringYearFactory
from tests.recommendations.factories import value

pytestmark = pytest.mark.django_db


def network_by_year(district, school, other_school, references: dict[int, dt.date]):
    """NETWORK in S-A (the measures' school): 20,0 → 40,0 → 70,0 % in 2022–2024; S-B 50,0."""
    network = indicator("NETWORK")
    for year, numerator in ((2022, 2), (2023, 4), (2024, 7)):
        kept = MonitoringYearFactory(
            district=district,
            year=year,
            reference_date=references.get(year, dt.date(year + 1, 8, 31)),
        )
        value(kept, network, school, numerator, 10, "red")
        value(kept, network, other_school, 5, 10, "red")


def measures_on(district, school, *dates: dt.date) -> None:
    for date in dates:
        measure_create(
            district=district,
            title=f"Семинар {date:%d.%m.%Y}",
            date=date,
            kind="seminar",
            indicators=[indicator("NETWORK")],
            schools=[school],
        )


def judged(district, year: int) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Title → the targeted school's NETWORK before and after, in year `year`'s report."""
    return {
        m.measure.title: (m.effects[0].targeted.before, m.effects[0].targeted.after)
        for m in effectiveness_report(district, year).measures
    }


def test_default_reference_dates_judge_a_measure_by_its_academic_year(
    district, school, other_school
):
    network_by_year(district, school, other_school, {})
    measures_on(
        district,
        school,
        dt.date(2023, 9, 1),  # the first day of 2023/2024
        dt.date(2023, 11, 15),  # «Методический день 15.11.2023»
        dt.date(2024, 8, 31),  # the last day of 2023/2024: its reference date
        dt.date(2024, 9, 1),  # the first day of 2024/2025
        dt.date(2025, 8, 31),  # the last day of 2024/2025: its reference date
        dt.date(2025, 9, 1),  # 2025/2026: not judged yet
    )
    assert judged(district, 2023) == {
        "Семинар 01.09.2023": (Decimal(20), Decimal(40)),
        "Семинар 15.11.2023": (Decimal(20), Decimal(40)),
        "Семинар 31.08.2024": (Decimal(20), Decimal(40)),
    }
    assert judged(district, 2024) == {
        "Семинар 01.09.2024": (Decimal(40), Decimal(70)),
        "Семинар 31.08.2025": (Decimal(40), Decimal(70)),
    }
    assert effectiveness_report(district, 2024).measures_window == (
        dt.date(2024, 9, 1),
        dt.date(2025, 8, 31),
    )


def test_a_measure_after_an_earlier_reference_date_is_judged_by_the_next_year(
    district, school, other_school
):
    """Reference dates on 31 May: a measure in June is after its year's values were taken."""
    network_by_year(
        district, school, other_school, {2023: dt.date(2024, 5, 31), 2024: dt.date(2025, 5, 31)}
    )
    measures_on(
        district,
        school,
        dt.date(2024, 5, 31),  # 2023/2024's reference date itself
        dt.date(2024, 6, 1),  # the day after it, still in academic year 2023/2024
        dt.date(2024, 8, 31),  # the last day of 2023/2024
        dt.date(2025, 5, 31),  # 2024/2025's reference date itself
        dt.date(2025, 6, 1),  # the day after it: judged by 2025/2026
    )
    assert judged(district, 2023) == {"Семинар 31.05.2024": (Decimal(20), Decimal(40))}
    assert judged(district, 2024) == {
        "Семинар 01.06.2024": (Decimal(40), Decimal(70)),
        "Семинар 31.08.2024": (Decimal(40), Decimal(70)),
        "Семинар 31.05.2025": (Decimal(40), Decimal(70)),
    }
    assert list(judged(district, 2025)) == ["Семинар 01.06.2025"]


def test_the_report_names_the_dates_of_the_measures_it_judges(
    client_for, methodologist, district, school, other_school
):
    network_by_year(district, school, other_school, {2023: dt.date(2024, 5, 31)})
    response = client_for(methodologist).get(reverse("effectiveness:report", args=[2024]))
    assert (
        "Мероприятия с 01.06.2024 по 31.08.2025: «до» — значения 2023/2024 (срез раньше "
        "мероприятия), «после» — 2024/2025" in text(page(response))
    )
