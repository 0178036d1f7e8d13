"""Failure shares and problem fields (results.md), with hand-computed edge cases: the
threshold T and the margin M exactly met and just missed, schools without results, the two
indicators built on them, the limits per district and year with their history, the command."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Q

from monitoring.failures import Count, failures
from monitoring.models import FailureShare, MonitoringYear, ProblemLimits, ProblemLimitsChange
from monitoring.problem_fields import problem_fields
from monitoring.selectors import counted_schools
from monitoring.services import compute_year, set_problem_limits
from profdev.models import CourseCompletion, Employment, StudentResult
from tests import factories as f
from tests.monitoring.conftest import teacher

OGE = StudentResult.Procedure.OGE


def result(school, subject="maths", failed=0, participants=20, **fields):
    return f.StudentResultFactory(
        school=school, subject=subject, failed=failed, participants=participants, **fields
    )


def found(district, year=2024):
    return failures(year, Q(pk=district.pk)).of(district.pk)


def problems(district, year=2024):
    return found(district, year).problems()


# --- Shares and the two tests ---------------------------------------------------------------


def test_share_sums_every_procedure_and_grade_of_the_year(district, school, other_school):
    result(school, failed=2, participants=10, grade=5)
    result(school, failed=1, participants=10, grade=9, procedure=OGE)
    result(school, failed=9, participants=10, year=2023)  # another year
    result(other_school, failed=17, participants=180)
    counts = found(district)
    assert counts.schools[school.pk] == {"maths": Count(3, 20)}
    assert counts.pooled == {"maths": Count(20, 200)}  # pooled, not a mean of 15 % and 9.4 %


def test_a_share_exactly_at_the_threshold_is_a_problem_field(district, school, other_school):
    result(school, failed=2, participants=10, grade=5)
    result(school, failed=1, participants=10, grade=9, procedure=OGE)  # 3/20 = 15 %
    result(other_school, failed=17, participants=180)  # 9.4 %; district 10 %, + 10 = 20 %
    assert problems(district) == {school.pk: ["maths"]}


def test_a_share_just_below_the_threshold_is_not(district, school, other_school):
    result(school, failed=299, participants=2000)  # 14.95 %, shown as «15,0 %»
    result(other_school, failed=1, participants=2000)  # district 7.5 %, + 10 = 17.5 %
    assert problems(district) == {}


def test_a_share_exactly_the_districts_plus_the_margin_is_a_problem_field(
    district, school, other_school
):
    result(school, failed=12, participants=100)  # 12 %
    result(other_school, failed=0, participants=500)  # district 12/600 = 2 %, + 10 = 12 %
    assert problems(district) == {school.pk: ["maths"]}


def test_a_share_just_below_the_districts_plus_the_margin_is_not(district, school, other_school):
    result(school, failed=12, participants=100)  # 12 %
    result(other_school, failed=1, participants=500)  # district 13/600 = 2.17 %, + 10 = 12.17 %
    assert problems(district) == {}


def test_a_school_without_results_has_no_subjects_and_no_problem(district, school, other_school):
    result(other_school, subject="physics", failed=5, participants=10, grade=7)  # one grade
    counts = found(district)
    assert school.pk not in counts.schools
    assert counts.schools[other_school.pk] == {"physics": Count(5, 10)}
    assert problems(district) == {other_school.pk: ["physics"]}


def test_problem_fields_for_other_apps(district, school, other_school):
    result(school, subject="russian", failed=4, participants=20)
    result(school, failed=5, participants=20)
    result(other_school, failed=0, participants=200)
    fields = problem_fields(district, 2024)
    assert list(fields) == [school]
    assert [(p.subject, p.numerator, p.denominator, p.value) for p in fields[school]] == [
        ("russian", 4, 20, Decimal("20.0")),
        ("maths", 5, 20, Decimal("25.0")),
    ]
    assert fields[school][0].subject_name == "русский язык"


def test_districts_are_kept_apart(district, school, other_school):
    result(school, failed=12, participants=100)
    result(other_school, failed=0, participants=500)  # exactly at the margin, as above
    elsewhere = f.SchoolFactory(district=f.DistrictFactory(code="OTHER"), code="X-1")
    result(elsewhere, failed=90, participants=100)  # would raise the district's share
    ProblemLimits.objects.create(
        district=elsewhere.district, year=2024, threshold=Decimal(1), margin=Decimal(0)
    )
    assert problems(district) == {school.pk: ["maths"]}
    assert found(elsewhere.district).limits.threshold == Decimal(1)


# --- The indicators -------------------------------------------------------------------------


@pytest.fixture
def maths_problem(school, other_school):
    """Maths is a problem field of S-A (25 %), not of S-B (0 %); physics of neither."""
    result(school, failed=5, participants=20)
    result(school, subject="physics", failed=0, participants=20)
    result(other_school, failed=0, participants=60)
    result(other_school, subject="physics", failed=0, participants=20)


def subject_course(person, finished_on, **fields):
    defaults = {"topics": ",subject,", "kind": CourseCompletion.Kind.PK}
    return f.CourseFactory(person=person, finished_on=finished_on, **{**defaults, **fields})


def test_teachers_of_a_problem_subject_and_their_subject_courses_in_w3(
    maths_problem, school, other_school, measure
):
    subject_course(teacher(school, subjects=",maths,"), dt.date(2022, 9, 1))  # W3's first day
    subject_course(teacher(school, subjects=",maths,physics,"), dt.date(2025, 8, 31))  # last
    subject_course(teacher(school, subjects=",maths,"), dt.date(2022, 8, 31))  # a day before
    subject_course(teacher(school, subjects=",maths,"), dt.date(2024, 1, 1), topics=",digital,")
    subject_course(
        teacher(school, subjects=",maths,"),
        dt.date(2024, 1, 1),
        kind=CourseCompletion.Kind.PP,
        hours=250,
    )
    teacher(school, subjects=",physics,")  # not a problem field of S-A
    teacher(school)  # no subjects
    teacher(other_school, subjects=",maths,")  # maths is no problem field of S-B
    # Outside PED: part-time, a manager, dismissed before R.
    teacher(school, subjects=",maths,", workplace=Employment.Workplace.PART_TIME)
    teacher(school, subjects=",maths,", category=Employment.Category.MANAGERIAL)
    teacher(school, subjects=",maths,", dismissed_on=dt.date(2025, 6, 30))
    assert measure("PD_PROBLEM_SUBJECT", school) == (2, 5)
    assert measure("PD_PROBLEM_SUBJECT", other_school) == (0, 0)
    assert measure("PD_PROBLEM_SUBJECT") == (2, 5)
    assert measure("SCHOOLS_PROBLEM") == (1, None)


def test_a_teacher_of_two_problem_subjects_counts_once(school, measure):
    result(school, failed=5, participants=20)
    result(school, subject="physics", failed=5, participants=20)
    subject_course(teacher(school, subjects=",maths,physics,"), dt.date(2024, 1, 1))
    assert measure("PD_PROBLEM_SUBJECT", school) == (1, 1)


def test_without_problem_fields_the_indicators_are_empty(school, result_of):
    result(school, failed=0)
    teacher(school, subjects=",maths,")
    district = result_of()
    assert district["SCHOOLS_PROBLEM"].numerator == 0
    assert district["SCHOOLS_PROBLEM"].status == "green"
    assert district["PD_PROBLEM_SUBJECT"].status == "no_data"


def test_computing_stores_the_shares_with_the_year(district, maths_problem, school, other_school):
    compute_year(district, 2024)
    year = MonitoringYear.objects.get()
    stored = {
        (s.school_id, s.subject): (s.numerator, s.denominator, s.value, s.problem)
        for s in FailureShare.objects.filter(monitoring_year=year)
    }
    assert stored == {
        (None, "maths"): (5, 80, Decimal("6.3"), False),
        (None, "physics"): (0, 40, Decimal("0.0"), False),
        (school.pk, "maths"): (5, 20, Decimal("25.0"), True),
        (school.pk, "physics"): (0, 20, Decimal("0.0"), False),
        (other_school.pk, "maths"): (0, 60, Decimal("0.0"), False),
        (other_school.pk, "physics"): (0, 20, Decimal("0.0"), False),
    }
    assert year.values.get(school=None, indicator="SCHOOLS_PROBLEM").numerator == 1
    assert [s.code for s in counted_schools(year)["SCHOOLS_PROBLEM"]] == ["S-A"]


# --- The limits per district and year ---------------------------------------------------------


def test_limits_are_per_year_with_their_history(district, school, other_school, methodologist):
    for year in (2023, 2024):
        result(school, failed=3, participants=20, year=year)  # 15 %
        result(other_school, failed=17, participants=180, year=year)
    changes = set_problem_limits(
        district=district, year=2024, threshold="20", margin="10", user=methodologist
    )
    assert [(c.limit, c.old_value, c.new_value, c.user) for c in changes] == [
        ("threshold", Decimal(15), Decimal(20), methodologist)
    ]
    assert problems(district, 2024) == {}
    assert problems(district, 2023) == {school.pk: ["maths"]}  # the default still holds
    assert (
        set_problem_limits(
            district=district, year=2024, threshold="20,0", margin="10", user=methodologist
        )
        == []
    )
    set_problem_limits(district=district, year=2024, threshold="20", margin="7.5", user=None)
    history = ProblemLimitsChange.objects.filter(district=district, year=2024)
    assert [(c.limit, c.old_value, c.new_value) for c in history] == [
        ("margin", Decimal(10), Decimal("7.5")),
        ("threshold", Decimal(15), Decimal(20)),
    ]


@pytest.mark.parametrize(
    ("threshold", "margin", "message"),
    [
        ("abc", "10", "Порог доли «abc» — не число."),
        ("150", "10", "Порог доли не может быть больше 100."),
        ("15", "-1", "Превышение доли муниципалитета должно быть неотрицательным числом."),
        ("15", "2.25", "Превышение доли муниципалитета задаётся с точностью до десятых."),
    ],
)
def test_bad_limits_are_refused_and_nothing_changes(district, threshold, margin, message):
    with pytest.raises(ValidationError) as error:
        set_problem_limits(
            district=district, year=2024, threshold=threshold, margin=margin, user=None
        )
    assert error.value.messages == [message]
    assert not ProblemLimits.objects.exists()
    assert not ProblemLimitsChange.objects.exists()


# --- The command ---------------------------------------------------------------------------


def test_command_prints_the_shape_of_results_md(district, school, other_school):
    third = f.SchoolFactory(district=district, code="S-C")  # no results
    result(school, failed=5, participants=20)
    result(school, subject="russian", failed=4, participants=20)
    result(other_school, failed=0, participants=60)
    result(other_school, subject="history", failed=5, participants=10)
    teacher(school, subjects=",maths,")
    subject_course(teacher(school, subjects=",russian,"), dt.date(2024, 1, 1))
    out = StringIO()
    call_command("problem_fields", "--year", "2024", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "year": 2024,
        "district": {
            "subjects": {
                "русский язык": {"numerator": 4, "denominator": 20, "value": 20.0},
                "математика": {"numerator": 5, "denominator": 80, "value": 6.3},
                "история": {"numerator": 5, "denominator": 10, "value": 50.0},
            }
        },
        "schools": {
            "S-A": {
                "subjects": {
                    "русский язык": {
                        "numerator": 4,
                        "denominator": 20,
                        "value": 20.0,
                        "problem": True,
                    },
                    "математика": {
                        "numerator": 5,
                        "denominator": 20,
                        "value": 25.0,
                        "problem": True,
                    },
                }
            },
            "S-B": {
                "subjects": {
                    "математика": {
                        "numerator": 0,
                        "denominator": 60,
                        "value": 0.0,
                        "problem": False,
                    },
                    "история": {
                        "numerator": 5,
                        "denominator": 10,
                        "value": 50.0,
                        "problem": True,
                    },
                }
            },
            third.code: {"subjects": {}},
        },
        "problem_fields": [["S-A", "математика"], ["S-A", "русский язык"], ["S-B", "история"]],
        "indicators": {
            "SCHOOLS_PROBLEM": 2,
            "PD_PROBLEM_SUBJECT": {"numerator": 1, "denominator": 2, "value": 50.0},
        },
    }


def test_command_value_is_null_without_teachers(district, school):
    result(school, failed=5, participants=20)
    out = StringIO()
    call_command("problem_fields", "--year", "2024", "--format", "json", stdout=out)
    indicators = json.loads(out.getvalue())["indicators"]
    assert indicators == {
        "SCHOOLS_PROBLEM": 1,
        "PD_PROBLEM_SUBJECT": {"numerator": 0, "denominator": 0, "value": None},
    }
