"""The SQL computation against the plain-Python reference (tests/reference_indicators.py) on a
generated region: every indicator of every school, at several reference dates, including the
first and last day of an academic year, agree exactly."""

import datetime as dt
import io

import pytest
from django.db import transaction

from monitoring.engine import tally
from monitoring.indicators import REGISTRY
from profdev.demo.generator import write_region
from profdev.facts import Period
from profdev.models import District, School
from profdev.workbook.importer import import_workbook
from tests import reference_indicators

REGION = {"schools": 10, "staff": 600, "years": 5, "last_year": 2025, "seed": 5}


@pytest.fixture(scope="module")
def region(django_db_setup, django_db_blocker):
    """The region imported once for the module, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        District.objects.create(code="ZR", name="Заречный муниципальный округ")
        buffer = io.BytesIO()
        write_region(buffer, **REGION)
        buffer.seek(0)
        analysis = import_workbook(buffer)
        assert [str(e) for e in analysis.errors] == []
        yield reference_indicators.load(School.objects.all())
        transaction.set_rollback(True)


def engine_tallies(period: Period) -> dict[int, dict[str, tuple]]:
    computed = tally(period)
    return {
        school: {
            d.code: (
                (computed[school][d.code].numerator, computed[school][d.code].denominator)
                if d.code in computed.get(school, {})
                else (0, None if d.code in reference_indicators.COUNT_CODES else 0)
            )
            for d in REGISTRY
        }
        for school in School.objects.values_list("pk", flat=True)
    }


@pytest.mark.parametrize(
    "year, as_of",
    [
        (2024, None),  # R = 31.08.2025, the last day of the year
        (2023, None),
        (2022, None),
        (2024, dt.date(2024, 9, 1)),  # R on the first day of P
        (2024, dt.date(2025, 2, 28)),
        (2021, dt.date(2022, 5, 20)),
    ],
)
@pytest.mark.django_db
def test_sql_and_plain_python_agree_on_every_indicator(region, year, as_of):
    period = Period.of(year, as_of)
    expected = reference_indicators.tallies(region, year, period.reference_date)
    assert engine_tallies(period) == expected
    # Not vacuous: the generated region fills most indicators.
    filled = {code for row in expected.values() for code, (n, _) in row.items() if n}
    assert len(filled) >= 15


def test_the_reference_covers_the_whole_catalogue():
    codes = set(reference_indicators.SHARE_CODES) | set(reference_indicators.COUNT_CODES)
    assert codes == {d.code for d in REGISTRY}
