"""What the effectiveness analysis recommends for each measure, by what its targeted schools
did against the others."""

import datetime as dt
from decimal import Decimal

import pytest

from effectiveness.analytical.advice import measure_advice
from effectiveness.models import Measure
from effectiveness.report import Effect, Pooled
from tests.effectiveness.conftest import indicator

pytestmark = pytest.mark.django_db


def effect(code: str, targeted: tuple, others: tuple) -> Effect:
    i = indicator(code)
    return Effect(
        i,
        Pooled(i, *(Decimal(v) for v in targeted), schools=2),
        Pooled(i, *(Decimal(v) for v in others), schools=5),
    )


def measure(kind=Measure.Kind.SEMINAR, responsible="Смирнова О. И.") -> Measure:
    return Measure(title="Семинар", date=dt.date(2024, 10, 17), kind=kind, responsible=responsible)


AHEAD = ("DIAG", ("40", "50"), ("40", "42"))  # +10 against +2: +8,0 п.п.
BEHIND = ("IOM", ("40", "41"), ("40", "45"))  # +1 against +5: −4,0 п.п.
# Burnout is «down»: the targeted schools fell by 6, the others by 1 — ahead.
AHEAD_DOWN = ("BURNOUT_HIGH", ("30", "24"), ("30", "29"))


def test_a_measure_whose_schools_moved_ahead_is_continued():
    text = measure_advice(measure(), [effect(*AHEAD), effect(*AHEAD_DOWN)])
    assert text == (
        "«Семинар» (семинар, 17.10.2024): целевые ОО опередили остальные по показателям "
        "«Доля педагогов, прошедших диагностику профессиональных дефицитов» (+8,0\u00a0п.п.), "
        "«Доля педагогов с высоким уровнем профессионального выгорания» (−5,0\u00a0п.п.) — "
        "продолжить мероприятие и распространить опыт на другие ОО."
    )


def test_a_measure_behind_is_replaced_and_courses_change_their_provider():
    text = measure_advice(measure(), [effect(*BEHIND)])
    assert text.endswith(
        "не опередили остальные по показателю «Доля педагогов с выявленными дефицитами, "
        "работающих по ИОМ» (−4,0\u00a0п.п.) — заменить форму работы или сменить исполнителя "
        "(Смирнова О. И.)."
    )
    courses = measure(Measure.Kind.COURSES, "ГАУ ДПО «ИРО»")
    assert measure_advice(courses, [effect(*BEHIND)]).endswith(
        "— сменить организацию, проводящую курсы (ГАУ ДПО «ИРО»)."
    )


def test_a_mixed_measure_is_continued_with_its_content_revised():
    text = measure_advice(measure(), [effect(*AHEAD), effect(*BEHIND)])
    assert "опередили остальные по показателю «Доля педагогов, прошедших диагностику" in text
    assert ", но не по показателю «Доля педагогов с выявленными дефицитами" in text
    assert text.endswith(
        "продолжить мероприятие, пересмотрев его содержание по отстающим показателям."
    )
