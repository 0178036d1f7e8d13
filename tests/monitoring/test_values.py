"""Rounding, the traffic light and pooling (indicators.md, «Values» and «Status»)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring.models import Indicator, Status
from monitoring.results import share_tenths, status_of
from tests import factories as f
from tests.monitoring.conftest import teacher

GREEN, YELLOW, RED, NO_DATA = Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA


@given(numerator=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_rounding_is_half_up_to_one_decimal(numerator, extra):
    denominator = numerator + extra
    if not denominator:
        return
    exact = Decimal(100 * numerator) / Decimal(denominator)
    expected = (Decimal(100 * numerator * 10) / denominator).quantize(0, ROUND_HALF_UP)
    assert share_tenths(numerator, denominator) == expected
    assert abs(Decimal(share_tenths(numerator, denominator)) / 10 - exact) <= Decimal("0.05")


def test_shares_of_an_eighth_and_a_sixteenth_round_half_up(district, result_of):
    eighth = f.SchoolFactory(district=district)
    sixteenth = f.SchoolFactory(district=district)
    f.DiagnosticFactory(person=teacher(eighth))
    for _ in range(7):
        teacher(eighth)
    f.DiagnosticFactory(person=teacher(sixteenth))
    for _ in range(15):
        teacher(sixteenth)
    assert result_of(eighth)["DIAG"].value == Decimal("12.5")
    assert result_of(sixteenth)["DIAG"].value == Decimal("6.3")  # 6.25 → 6.3
    assert result_of(sixteenth)["DIAG"].as_json()["value"] == 6.3
    district_value = result_of()["DIAG"]  # pooled 2/24 = 8.33, not the mean 9.4 of 12.5 and 6.3
    assert (district_value.numerator, district_value.denominator) == (2, 24)
    assert district_value.value == Decimal("8.3")


def indicator(direction="up", kind="share"):
    return Indicator(code="X", direction=direction, kind=kind)


@pytest.mark.parametrize(
    ("numerator", "denominator", "status"),
    [
        (80, 100, GREEN),
        (7999, 10000, YELLOW),
        (1999, 2500, YELLOW),  # 79.96 % is shown as 80,0 but is below 80
        (70, 100, YELLOW),
        (6999, 10000, RED),
        (0, 0, NO_DATA),
    ],
)
def test_status_up_at_the_boundaries(numerator, denominator, status):
    assert status_of(indicator(), numerator, denominator, Decimal(80)) == status


def test_seventy_nine_point_nine_six_shows_as_eighty_but_is_below_target():
    assert share_tenths(1999, 2500) == 800
    assert status_of(indicator(), 1999, 2500, Decimal(80)) == YELLOW


@pytest.mark.parametrize(
    ("numerator", "denominator", "status"),
    [(20, 100, GREEN), (2001, 10000, YELLOW), (30, 100, YELLOW), (3001, 10000, RED)],
)
def test_status_down_at_the_boundaries(numerator, denominator, status):
    assert status_of(indicator("down"), numerator, denominator, Decimal(20)) == status


@pytest.mark.parametrize(("numerator", "status"), [(10, GREEN), (5, YELLOW), (4, RED)])
def test_a_target_of_10_has_a_band_of_5(numerator, status):
    assert status_of(indicator(), numerator, 100, Decimal(10)) == status


@pytest.mark.parametrize(
    ("numerator", "target", "status"), [(0, 0, GREEN), (1, 0, RED), (2, 2, GREEN), (3, 2, RED)]
)
def test_counts_have_no_yellow_band(numerator, target, status):
    assert status_of(indicator("down", "count"), numerator, None, Decimal(target)) == status


def test_informational_indicators_have_no_status(school, result_of):
    teacher(school, birth_date=dt.date(1999, 1, 1), experience_since=dt.date(2024, 9, 1))
    young = result_of(school)["YOUNG"]
    assert (young.value, young.status, young.target) == (Decimal(100), None, None)
    empty = result_of(school)["DEFICIT"]
    assert (empty.value, empty.status, empty.target) == (None, None, None)


def test_empty_population_is_no_data(school, result_of):
    diag = result_of(school)["DIAG"]
    assert (diag.numerator, diag.denominator, diag.value, diag.status) == (0, 0, None, NO_DATA)
    assert diag.as_json() == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "status": "no_data",
        "target": 80.0,
    }


def test_district_value_is_pooled_not_averaged(school, other_school, result_of):
    f.DiagnosticFactory(person=teacher(school))
    for _ in range(3):
        teacher(other_school)
    district = result_of()["DIAG"]
    assert (district.numerator, district.denominator, district.value) == (1, 4, Decimal(25))
