"""Breaches in words, for every direction, kind and status."""

import pytest

from monitoring.models import Indicator, Status
from monitoring.wording import band_mark, breach, status_label, target_phrase

UP_SHARE = Indicator(code="DIAG", direction="up", kind="share")
DOWN_SHARE = Indicator(code="PD_EXT_DIST", direction="down", kind="share")
COUNT = Indicator(code="VACANCY", direction="down", kind="count")


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (UP_SHARE, "ниже целевого значения"),
        (DOWN_SHARE, "выше допустимого (целевого) значения"),
        (COUNT, "выше допустимого (целевого) значения"),
    ],
)
def test_a_breach_is_below_for_up_and_above_for_down_and_counts(indicator, expected):
    assert breach(indicator) == expected


@pytest.mark.parametrize(
    ("indicator", "target", "expected"),
    [
        (UP_SHARE, "80,0 %", "не менее 80,0 %"),
        (DOWN_SHARE, "20,0 %", "не более 20,0 %"),
        (COUNT, "0", "не более 0"),
    ],
)
def test_the_target_is_a_bound_in_the_indicators_direction(indicator, target, expected):
    assert target_phrase(indicator, target) == expected


@pytest.mark.parametrize(
    ("indicator", "status", "expected"),
    [
        (UP_SHARE, Status.GREEN, "не ниже целевого значения"),
        (UP_SHARE, Status.YELLOW, "ниже целевого значения, в пределах допуска"),
        (UP_SHARE, Status.RED, "ниже целевого значения, за пределами допуска"),
        (DOWN_SHARE, Status.GREEN, "не выше целевого значения"),
        (DOWN_SHARE, Status.YELLOW, "выше допустимого (целевого) значения, в пределах допуска"),
        (DOWN_SHARE, Status.RED, "выше допустимого (целевого) значения, за пределами допуска"),
        (COUNT, Status.GREEN, "не выше целевого значения"),
        (COUNT, Status.RED, "выше допустимого (целевого) значения"),
        (UP_SHARE, Status.NO_DATA, "нет данных"),
        (UP_SHARE, Status.NOT_APPLICABLE, "не применимо"),
        (UP_SHARE, None, "информационный показатель, без целевого значения"),
    ],
)
def test_each_status_reads_in_the_indicators_direction(indicator, status, expected):
    assert status_label(indicator, status) == expected


def test_only_breaches_carry_a_band_mark():
    assert band_mark(Status.RED) == "за пределами допуска"
    assert band_mark(Status.YELLOW) == "в пределах допуска"
    assert band_mark(Status.GREEN) == band_mark(None) == ""
