"""The record facts (indicators.md, «Время» and «Кого считаем») on hand-computed edge cases:
which rows each rule lets through, at the first and last day it can."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from profdev import facts
from profdev.facts import EVER, W3, P, Period, PeriodError
from profdev.models import (
    Attestation,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    Person,
    Vacancy,
)
from tests import factories as f

D = dt.date
DAY = dt.timedelta(days=1)


def full_years(a: dt.date, b: dt.date) -> int:
    """The spec's formula: the difference of the years, less 1 if a's day has not come in b."""
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


dates = st.dates(min_value=D(1930, 1, 1), max_value=D(2090, 12, 31))


# --- Dates ----------------------------------------------------------------------------------


@given(birth=dates, reference=dates, years=st.integers(0, 80))
def test_age_cutoff_agrees_with_the_full_years_formula(birth, reference, years):
    assert (birth <= facts.years_before(reference, years)) == (
        full_years(birth, reference) >= years
    )


@given(granted=dates, reference=dates)
def test_category_cutoff_agrees_with_five_years_after(granted, reference):
    valid = reference <= facts.years_after(granted, 5)
    assert (granted >= facts.earliest_date_running_at(reference, 5)) == valid


@pytest.mark.parametrize(
    ("day", "years", "before", "after"),
    [
        (D(2025, 3, 1), 35, D(1990, 3, 1), D(2060, 3, 1)),
        (D(2024, 2, 29), 35, D(1989, 2, 28), D(2059, 2, 28)),  # 29 February → 28 February
        (D(2024, 2, 29), 4, D(2020, 2, 29), D(2028, 2, 29)),  # leap year to leap year
    ],
)
def test_years_before_and_after(day, years, before, after):
    assert facts.years_before(day, years) == before
    assert facts.years_after(day, years) == after


def test_a_term_running_at_29_february_started_on_1_march_at_the_earliest():
    # A term granted on 28.02.2023 ends on 28.02.2028; one granted on 01.03.2023 still runs.
    assert facts.earliest_date_running_at(D(2028, 2, 29), 5) == D(2023, 3, 1)
    assert facts.earliest_date_running_at(D(2025, 2, 28), 5) == D(2020, 2, 28)


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2024, 8, 31), 2023), (D(2024, 9, 1), 2024), (D(2025, 1, 15), 2024)],
)
def test_academic_year_starts_on_the_first_of_september(day, year):
    assert facts.academic_year(day) == year
    assert Period.at(day) == Period(year, day)


def test_a_period_runs_from_1_september_to_31_august_by_default():
    period = Period.of(2024)
    assert (period.start, period.reference_date, period.end) == (
        D(2024, 9, 1),
        D(2025, 8, 31),
        D(2025, 8, 31),
    )
    assert period.three_years_start == D(2022, 9, 1)
    assert period.label == facts.academic_year_label(2024) == "2024/2025"


@pytest.mark.parametrize("as_of", [D(2024, 8, 31), D(2025, 9, 1)])
def test_a_reference_date_outside_the_academic_year_is_refused(as_of):
    with pytest.raises(PeriodError) as error:
        Period.of(2024, as_of)
    assert str(error.value) == (
        f"Дата среза {as_of:%d.%m.%Y} вне учебного года 2024/2025: "
        "нужна дата с 01.09.2024 по 31.08.2025."
    )


# --- Windows --------------------------------------------------------------------------------

R = D(2025, 5, 15)
PERIOD = Period.of(2024, R)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("finished_on", "in_p", "in_w3", "ever"),
    [
        (D(2024, 9, 1), True, True, True),  # the first day of P
        (D(2024, 8, 31), False, True, True),
        (D(2022, 9, 1), False, True, True),  # the first day of W3
        (D(2022, 8, 31), False, False, True),
        (D(1990, 1, 1), False, False, True),
        (R, True, True, True),  # the last day of every window is R
        (R + DAY, False, False, False),
    ],
)
def test_windows_include_both_ends(finished_on, in_p, in_w3, ever):
    f.CourseFactory(finished_on=finished_on)
    took = {
        window: Person.objects.filter(facts.took_course(window, PERIOD, person="pk")).exists()
        for window in (P, W3, EVER)
    }
    assert took == {P: in_p, W3: in_w3, EVER: ever}


@pytest.mark.django_db
def test_dated_within_a_sheets_dating():
    f.CourseFactory(finished_on=D(2024, 9, 1))
    f.CourseFactory(finished_on=D(2025, 9, 1))
    courses = CourseCompletion.objects.filter(
        facts.dated_within(("finished_on",), D(2024, 9, 1), D(2025, 8, 31))
    )
    assert [c.finished_on for c in courses] == [D(2024, 9, 1)]


# --- Rows -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hired_on", "dismissed_on", "active"),
    [
        (R, None, True),  # hired on R
        (R + DAY, None, False),
        (D(2010, 9, 1), R, True),  # dismissal on R counts as active
        (D(2010, 9, 1), R - DAY, False),
    ],
)
def test_employed_at(hired_on, dismissed_on, active):
    f.EmploymentFactory(hired_on=hired_on, dismissed_on=dismissed_on)
    assert Employment.objects.filter(facts.employed_at(R)).exists() == active
    assert Person.objects.filter(facts.employed_at(R, "employments__")).exists() == active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("started_on", "ended_on", "running"),
    [
        (D(2023, 1, 1), D(2024, 9, 1), True),  # ended on the first day of P
        (D(2023, 1, 1), D(2024, 8, 31), False),
        (R, None, True),  # started on R
        (R + DAY, None, False),
        (D(2020, 1, 1), None, True),
    ],
)
def test_a_route_runs_in_the_period(started_on, ended_on, running):
    f.RouteFactory(started_on=started_on, ended_on=ended_on)
    assert DevelopmentRoute.objects.filter(facts.running_in_period(PERIOD)).exists() == running


def _persons(q) -> set[str]:
    return set(Person.objects.filter(q).values_list("last_name", flat=True))


@pytest.mark.django_db
def test_young_is_under_35_full_years_and_under_3_full_years_of_experience():
    day = D(2025, 3, 10)
    started = D(2024, 9, 1)
    f.PersonFactory(last_name="34", birth_date=D(1990, 3, 11), experience_since=started)
    f.PersonFactory(last_name="35 today", birth_date=D(1990, 3, 10), experience_since=started)
    f.PersonFactory(
        last_name="3 years less a day", birth_date=D(2000, 1, 1), experience_since=D(2022, 3, 11)
    )
    f.PersonFactory(
        last_name="3 years today", birth_date=D(2000, 1, 1), experience_since=D(2022, 3, 10)
    )
    assert _persons(facts.young(day)) == {"34", "3 years less a day"}


@pytest.mark.django_db
def test_born_on_29_february_one_turns_35_on_1_march_of_a_common_year():
    f.PersonFactory(birth_date=D(1992, 2, 29), experience_since=D(2025, 9, 1))
    assert Person.objects.filter(facts.young(D(2027, 2, 28))).exists()
    assert not Person.objects.filter(facts.young(D(2027, 3, 1))).exists()
    employment = f.EmploymentFactory(person=Person.objects.get())
    young_staff = Employment.objects.filter(facts.young(D(2027, 2, 28), "person__"))
    assert list(young_staff) == [employment]


@pytest.mark.django_db
def test_pension_age_is_60_for_women_and_65_for_men_by_default():
    day = D(2025, 3, 10)
    female, male = Person.Sex.FEMALE, Person.Sex.MALE
    f.PersonFactory(last_name="ж 60 today", sex=female, birth_date=D(1965, 3, 10))
    f.PersonFactory(last_name="ж 60 tomorrow", sex=female, birth_date=D(1965, 3, 11))
    f.PersonFactory(last_name="м 65 today", sex=male, birth_date=D(1960, 3, 10))
    f.PersonFactory(last_name="м 64", sex=male, birth_date=D(1960, 3, 11))
    assert _persons(facts.pension_age(day)) == {"ж 60 today", "м 65 today"}


@pytest.mark.django_db
def test_pension_ages_come_from_the_settings(settings):
    settings.PENSION_AGE_FEMALE, settings.PENSION_AGE_MALE = 58, 63
    day = D(2025, 3, 10)
    f.PersonFactory(last_name="ж 58", sex=Person.Sex.FEMALE, birth_date=D(1967, 3, 10))
    f.PersonFactory(last_name="м 63", sex=Person.Sex.MALE, birth_date=D(1962, 3, 10))
    f.PersonFactory(last_name="м 62", sex=Person.Sex.MALE, birth_date=D(1962, 3, 11))
    assert _persons(facts.pension_age(day)) == {"ж 58", "м 63"}


@pytest.mark.django_db
def test_pension_age_of_a_29_february_birthday():
    f.PersonFactory(sex=Person.Sex.FEMALE, birth_date=D(1964, 2, 29))
    assert not Person.objects.filter(facts.pension_age(D(2024, 2, 28))).exists()
    assert Person.objects.filter(facts.pension_age(D(2024, 2, 29))).exists()


@pytest.mark.django_db
def test_a_deficit_is_any_component_below_the_deficit_score(settings):
    f.DiagnosticFactory(instrument="59", digital=59)
    f.DiagnosticFactory(instrument="60", digital=60)
    f.DiagnosticFactory(instrument="none", digital=None)

    def deficient():
        return set(
            DeficitDiagnostic.objects.filter(facts.deficit()).values_list("instrument", flat=True)
        )

    assert deficient() == {"59"}
    assert (facts.is_deficit(59), facts.is_deficit(60), facts.is_deficit(None)) == (
        True,
        False,
        False,
    )
    settings.DEFICIT_SCORE = 61
    assert deficient() == {"59", "60"}
    assert facts.is_deficit(60)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("granted", "result", "day", "valid"),
    [
        (D(2018, 9, 1), Attestation.Result.FIRST, D(2023, 9, 1), True),  # the anniversary
        (D(2018, 9, 1), Attestation.Result.FIRST, D(2023, 9, 2), False),
        (D(2020, 2, 29), Attestation.Result.HIGHEST, D(2025, 2, 28), True),
        (D(2020, 2, 29), Attestation.Result.HIGHEST, D(2025, 3, 1), False),
        (D(2023, 2, 28), Attestation.Result.FIRST, D(2028, 2, 29), False),
        (D(2023, 3, 1), Attestation.Result.FIRST, D(2028, 2, 29), True),
        (D(2023, 9, 1), Attestation.Result.METHODIST, D(2060, 1, 1), True),  # perpetual
        (D(2023, 8, 31), Attestation.Result.MENTOR, D(2028, 9, 1), False),
        (D(2024, 3, 1), Attestation.Result.CONFORMITY, D(2024, 3, 1), False),  # no category
        (D(2024, 3, 2), Attestation.Result.FIRST, D(2024, 3, 1), False),  # not granted yet
    ],
)
def test_valid_category(granted, result, day, valid):
    f.AttestationFactory(date=granted, result=result)
    assert Attestation.objects.filter(facts.valid_category(day)).exists() == valid
    assert Person.objects.filter(facts.valid_category(day, "attestations__")).exists() == valid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opened_on", "closed_on", "is_open"),
    [
        (R, None, True),  # opened on R
        (R + DAY, None, False),
        (D(2024, 1, 1), R + DAY, True),
        (D(2024, 1, 1), R, False),  # closed on R: no longer open, unlike a dismissal
    ],
)
def test_vacancy_open_at(opened_on, closed_on, is_open):
    f.VacancyFactory(opened_on=opened_on, closed_on=closed_on)
    assert Vacancy.objects.filter(facts.vacancy_open_at(R)).exists() == is_open
