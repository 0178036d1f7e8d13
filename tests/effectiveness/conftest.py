import datetime as dt

import pytest
from django.utils import timezone

from monitoring.models import Indicator, Status
from recommendations.drafting import letters_draft
from recommendations.models import Letter, LetterEvent
from tests import factories
from tests.monitoring.factories import MonitoringYearFactory
from tests.recommendations.factories import OrganisationFactory, value

RED, YELLOW, GREEN = Status.RED, Status.YELLOW, Status.GREEN


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def mark_signed(letter: Letter, number: str) -> Letter:
    """A drafted letter as signing leaves it (the signing itself is the letters app's test)."""
    Letter.objects.filter(pk=letter.pk).update(
        status=Letter.State.SIGNED,
        number=number,
        date=dt.date(2024, 10, 1),
        pdf=b"%PDF-1.7 signed",
        sha256="0" * 64,
        signed_at=timezone.now(),
    )
    return Letter.objects.get(pk=letter.pk)


@pytest.fixture
def third_school(district):
    return factories.SchoolFactory(district=district, code="S-C")


@pytest.fixture
def two_years(district, school, other_school, third_school):
    """Stored values of 2023/2024 and 2024/2025 (hand-built).

    S-A: DIAG 50,0 → 51,0 (exactly +1,0 п.п.: unchanged); BURNOUT_HIGH (down) 40,0 → 20,0
    (improved); VACANCY (count, down) 2 → 3 (worse); IOM 95,0 yellow → no value (нет данных).
    S-B: DIAG 50,0 → 51,1 (+1,1 п.п.: improved). S-C: green everywhere in 2023.
    District row: DIAG 45,0 → 40,0 (worse).
    """
    OrganisationFactory(district=district)
    before = MonitoringYearFactory(district=district, year=2023)
    after = MonitoringYearFactory(district=district, year=2024)
    diag, burnout, vacancy, iom = (indicator(c) for c in ("DIAG", "BURNOUT_HIGH", "VACANCY", "IOM"))
    value(before, diag, school, 10, 20, RED)
    value(before, burnout, school, 4, 10, RED)
    value(before, vacancy, school, 2, None, RED)
    value(before, iom, school, 19, 20, YELLOW)
    value(before, diag, other_school, 10, 20, RED)
    value(before, diag, third_school, 18, 20, GREEN)
    value(before, diag, None, 27, 60, RED)
    value(after, diag, school, 102, 200, RED)
    value(after, burnout, school, 2, 10, GREEN)
    value(after, vacancy, school, 3, None, RED)
    value(after, diag, other_school, 511, 1000, RED)
    value(after, diag, third_school, 0, 0, Status.NO_DATA)
    value(after, diag, None, 24, 60, RED)
    return before, after


@pytest.fixture
def signed_letters(two_years, school):
    """The letters of 2023/2024 drafted from the stored values and signed; S-A confirmed."""
    report = letters_draft(year=two_years[0])
    letters = {
        letter.school.code if letter.school else None: mark_signed(letter, f"01-14/{n}")
        for n, letter in enumerate(report.letters, start=1)
    }
    LetterEvent.objects.create(
        letter=letters["S-A"],
        kind=LetterEvent.Kind.CONFIRMED,
        user=factories.UserFactory(),
    )
    return letters
