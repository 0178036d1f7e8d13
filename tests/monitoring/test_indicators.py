"""Every indicator of indicators.md on a hand-built data set: numerator and denominator.

Y = 2024: R = 31.08.2025, P = [01.09.2024, 31.08.2025], W3 = [01.09.2022, 31.08.2025].
"""

import datetime as dt

import pytest

from monitoring.models import Status
from profdev.models import (
    Attestation,
    BurnoutRecord,
    CourseCompletion,
    Person,
    ProfessionalActivity,
    Provider,
    School,
)
from tests import factories as f
from tests.monitoring.conftest import DAY, P_START, R, manager, teacher

Topic = CourseCompletion.Topic
PK, PP = CourseCompletion.Kind.PK, CourseCompletion.Kind.PP
W3_START = dt.date(2022, 9, 1)
WINDOW_EDGES = {"P": (P_START, R), "W3": (W3_START, R)}


def dated_in_and_out(school, make, window="P"):
    """Four teachers with a record on the window's first and last day (counted) and one day
    outside at each end (not counted)."""
    first, last = WINDOW_EDGES[window]
    for day in (first, last, first - DAY, last + DAY):
        make(teacher(school), day)


# --- Populations ---------------------------------------------------------------------------


def test_active_employment_at_r_dismissal_on_r_still_counts(school, other_school, measure):
    teacher(school, dismissed_on=R)  # dismissed on R: still active
    teacher(school, dismissed_on=R - DAY)
    teacher(school, hired_on=R)
    teacher(school, hired_on=R + DAY)
    teacher(school, workplace="part_time")  # not PED: a part-timer
    manager(school)  # not PED: MGR
    moved = teacher(other_school, dismissed_on=dt.date(2024, 12, 30))
    f.EmploymentFactory(person=moved, school=school, hired_on=dt.date(2024, 12, 31))
    assert measure("DIAG", school) == (0, 3)
    assert measure("DIAG", other_school) == (0, 0)
    assert measure("DIAG_MGR", school) == (0, 1)
    assert measure("DIAG", school, as_of=dt.date(2024, 12, 30)) == (0, 2)
    assert measure("DIAG", other_school, as_of=dt.date(2024, 12, 30)) == (0, 1)


def test_events_count_where_the_person_works_at_r(school, other_school, measure):
    person = teacher(other_school, dismissed_on=dt.date(2025, 1, 31))
    f.EmploymentFactory(person=person, school=school, hired_on=dt.date(2025, 2, 1))
    f.DiagnosticFactory(person=person, date=dt.date(2024, 10, 1))  # while at the other school
    assert measure("DIAG", school) == (1, 1)
    assert measure("DIAG", other_school) == (0, 0)


# --- Diagnostics and routes ------------------------------------------------------------------


def test_diag_counts_diagnostics_in_the_period(school, measure):
    dated_in_and_out(school, lambda p, day: f.DiagnosticFactory(person=p, date=day))
    teacher(school)
    assert measure("DIAG", school) == (2, 5)


def test_diag_mgr_counts_managers_only(school, measure):
    boss = manager(school)
    f.DiagnosticFactory(person=boss, date=R)
    manager(school)
    f.DiagnosticFactory(person=teacher(school))
    assert measure("DIAG_MGR", school) == (1, 2)


def test_deficit_is_a_score_below_60_in_the_period(school, measure, settings):
    f.DiagnosticFactory(person=teacher(school), digital=59)
    f.DiagnosticFactory(person=teacher(school), digital=60)
    late = teacher(school)  # a deficit before P, a clean diagnostic in P
    f.DiagnosticFactory(person=late, date=P_START - DAY, subject=10)
    f.DiagnosticFactory(person=late, date=P_START, instrument="самоанализ", digital=90)
    only = teacher(school)  # one component given, deficient
    f.DiagnosticFactory(
        person=only,
        **dict.fromkeys(
            ("subject", "methodical", "assessment", "psychological", "communicative"), None
        ),
        digital=0,
    )
    teacher(school)  # not diagnosed: outside the population
    assert measure("DEFICIT", school) == (2, 4)
    settings.DEFICIT_SCORE = 61
    assert measure("DEFICIT", school) == (3, 4)


def test_iom_counts_routes_active_in_the_period(school, measure):
    def deficient():
        person = teacher(school)
        f.DiagnosticFactory(person=person, subject=30)
        return person

    f.RouteFactory(person=deficient(), started_on=R)
    f.RouteFactory(person=deficient(), started_on=dt.date(2023, 1, 1), ended_on=P_START)
    f.RouteFactory(person=deficient(), started_on=dt.date(2023, 1, 1), ended_on=P_START - DAY)
    f.RouteFactory(person=deficient(), started_on=R + DAY)
    deficient()
    f.RouteFactory(person=teacher(school))  # a route without a deficit: outside the population
    assert measure("IOM", school) == (2, 5)


def test_iom_tutor_counts_routes_not_people(school, other_school, measure):
    two = teacher(school)
    f.RouteFactory(person=two, started_on=dt.date(2024, 9, 1), curator="", tutor="Тьютор А. А.")
    f.RouteFactory(person=two, started_on=dt.date(2025, 1, 1), curator="", tutor="")
    f.RouteFactory(person=teacher(school), curator="Куратор Б. Б.")
    f.RouteFactory(person=teacher(school), ended_on=P_START - DAY, started_on=dt.date(2024, 1, 1))
    f.RouteFactory(person=teacher(school, workplace="part_time"))  # not PED
    moved = teacher(other_school, dismissed_on=dt.date(2020, 6, 30))  # a past employment
    f.EmploymentFactory(person=moved, school=school, hired_on=dt.date(2020, 9, 1))
    f.RouteFactory(person=moved, curator="")
    assert measure("IOM_TUTOR", school) == (2, 4)
    assert measure("IOM_TUTOR", other_school) == (0, 0)


# --- Professional development ------------------------------------------------------------------


def test_pd_3y_counts_any_course_in_three_years(school, measure):
    dated_in_and_out(school, lambda p, day: f.CourseFactory(person=p, finished_on=day), "W3")
    f.CourseFactory(person=teacher(school), kind=PP, hours=300)
    teacher(school)
    assert measure("PD_3Y", school) == (3, 6)


def test_pd_region_counts_regional_and_municipal_pk_in_the_period(school, measure):
    kinds = Provider.Kind
    dated_in_and_out(school, lambda p, day: f.CourseFactory(person=p, finished_on=day))
    f.CourseFactory(person=teacher(school), provider=f.ProviderFactory(kind=kinds.MUNICIPAL))
    f.CourseFactory(person=teacher(school), provider=f.ProviderFactory(kind=kinds.FEDERAL))
    f.CourseFactory(person=teacher(school), provider=f.ProviderFactory(kind=kinds.EXTERNAL))
    f.CourseFactory(person=teacher(school), kind=PP, hours=300)
    assert measure("PD_REGION", school) == (3, 8)


def test_pd_ext_dist_counts_distance_pk_of_third_parties(school, measure):
    external = f.ProviderFactory(kind=Provider.Kind.EXTERNAL)
    dated_in_and_out(
        school,
        lambda p, day: f.CourseFactory(person=p, finished_on=day, provider=external, distance=True),
    )
    f.CourseFactory(person=teacher(school), provider=external, distance=False)
    f.CourseFactory(person=teacher(school), distance=True)  # regional
    f.CourseFactory(person=teacher(school), provider=external, distance=True, kind=PP, hours=300)
    assert measure("PD_EXT_DIST", school) == (2, 7)


def test_retrain_nonped_divides_by_non_pedagogical_education(school, measure):
    Education = Person.Education
    higher = teacher(school, education=Education.HIGHER_NONPED)
    f.CourseFactory(person=higher, kind=PP, hours=500, finished_on=dt.date(2001, 6, 1))
    vocational = teacher(school, education=Education.VOCATIONAL_NONPED)
    f.CourseFactory(person=vocational, kind=PP, hours=300, pedagogical=False, finished_on=R)
    late = teacher(school, education=Education.VOCATIONAL_NONPED)
    f.CourseFactory(person=late, kind=PP, hours=300, finished_on=R + DAY)
    pk_only = teacher(school, education=Education.HIGHER_NONPED)
    f.CourseFactory(person=pk_only)
    f.CourseFactory(person=teacher(school), kind=PP, hours=300)  # pedagogical education
    assert measure("RETRAIN_NONPED", school) == (1, 4)


def test_dpo_noprof_counts_any_course_ever(school, measure):
    none = Person.Education.NONE
    f.CourseFactory(person=teacher(school, education=none), finished_on=dt.date(1999, 1, 1))
    f.CourseFactory(person=teacher(school, education=none), finished_on=R + DAY)
    teacher(school, education=none)
    f.CourseFactory(person=teacher(school))
    assert measure("DPO_NOPROF", school) == (1, 3)


TOPIC_INDICATORS = [
    ("PD_T_ASSESS", Topic.ASSESSMENT),
    ("PD_T_TALENT", Topic.TALENT),
    ("PD_T_CAREER", Topic.CAREER),
    ("PD_T_UPBRING", Topic.UPBRINGING),
    ("PD_T_PRESCHOOL", Topic.PRESCHOOL),
    ("PD_T_FEDERAL", Topic.FEDERAL),
]


@pytest.mark.parametrize(("code", "topic"), TOPIC_INDICATORS)
def test_topic_indicators_count_courses_with_the_topic_in_three_years(
    district, measure, code, topic
):
    school = f.SchoolFactory(district=district, kind=School.Kind.PRESCHOOL)
    both = CourseCompletion.encode_topics([topic, Topic.DIGITAL])
    dated_in_and_out(
        school, lambda p, day: f.CourseFactory(person=p, finished_on=day, topics=both), "W3"
    )
    other = Topic.INCLUSION
    f.CourseFactory(person=teacher(school), topics=CourseCompletion.encode_topics([other]))
    f.CourseFactory(
        person=teacher(school), kind=PP, hours=300, topics=CourseCompletion.encode_topics([topic])
    )
    assert measure(code, school) == (3, 6)


def test_preschool_topic_is_not_applicable_outside_preschools(district, school, result_of):
    kindergarten = f.SchoolFactory(district=district, kind=School.Kind.PRESCHOOL)
    topics = CourseCompletion.encode_topics([Topic.PRESCHOOL])
    f.CourseFactory(person=teacher(school), topics=topics)
    f.CourseFactory(person=teacher(kindergarten), topics=topics)
    teacher(kindergarten)
    general = result_of(school)["PD_T_PRESCHOOL"]
    assert (general.numerator, general.denominator, general.value, general.status) == (
        0,
        0,
        None,
        Status.NOT_APPLICABLE,
    )
    assert result_of(kindergarten)["PD_T_PRESCHOOL"].numerator == 1
    pooled = result_of()["PD_T_PRESCHOOL"]
    assert (pooled.numerator, pooled.denominator) == (1, 2)


def test_lowres_counts_pk_in_the_period_at_flagged_schools(district, school, measure, result_of):
    low = f.SchoolFactory(district=district, low_results=True)
    poor = f.SchoolFactory(district=district, unfavourable=True)
    for flagged in (low, poor):
        f.CourseFactory(person=teacher(flagged), finished_on=P_START)
        f.CourseFactory(person=teacher(flagged), finished_on=P_START - DAY)
        f.CourseFactory(person=teacher(flagged), kind=PP, hours=300)
    f.CourseFactory(person=teacher(school))
    assert measure("PD_LOWRES", low) == (1, 3)
    assert measure("PD_LOWRES", poor) == (1, 3)
    assert result_of(school)["PD_LOWRES"].status == Status.NOT_APPLICABLE
    assert measure("PD_LOWRES") == (2, 6)


def test_district_is_not_applicable_when_no_school_is_in_scope(school, result_of):
    f.CourseFactory(person=teacher(school))
    district = result_of()["PD_LOWRES"]
    assert (district.numerator, district.denominator, district.value, district.status) == (
        0,
        0,
        None,
        Status.NOT_APPLICABLE,
    )
    assert district.target == 50


# --- Categories and activity -------------------------------------------------------------------


def test_attest_counts_categories_valid_at_r(school, measure):
    def granted(day, result=Attestation.Result.FIRST):
        f.AttestationFactory(person=teacher(school), date=day, result=result)

    granted(dt.date(2020, 8, 31))  # exactly five years before R: valid through R
    granted(dt.date(2020, 8, 30), Attestation.Result.HIGHEST)  # five years and a day: expired
    granted(dt.date(2024, 1, 10), Attestation.Result.METHODIST)
    granted(dt.date(2024, 1, 10), Attestation.Result.MENTOR)
    granted(dt.date(2025, 1, 10), Attestation.Result.CONFORMITY)
    granted(R + DAY)
    teacher(school)
    assert measure("ATTEST", school) == (3, 7)


def test_attest_categories_from_1_september_2023_never_expire(school, measure):
    f.AttestationFactory(person=teacher(school), date=dt.date(2023, 8, 31))
    f.AttestationFactory(person=teacher(school), date=dt.date(2023, 9, 1))
    assert measure("ATTEST", school, year=2027) == (2, 2)  # R = 31.08.2028: the anniversary
    assert measure("ATTEST", school, year=2028, as_of=dt.date(2028, 9, 1)) == (1, 2)
    assert measure("ATTEST", school, year=2035) == (1, 2)


def test_attest_29_february_grant_runs_through_28_february(school, measure):
    f.AttestationFactory(person=teacher(school), date=dt.date(2020, 2, 29))
    assert measure("ATTEST", school, as_of=dt.date(2025, 2, 28)) == (1, 1)
    assert measure("ATTEST", school, as_of=dt.date(2025, 3, 1)) == (0, 1)


def test_attest_at_29_february_reference_date(school, measure):
    f.AttestationFactory(person=teacher(school), date=dt.date(2023, 2, 28))  # ended 28.02.2028
    f.AttestationFactory(person=teacher(school), date=dt.date(2023, 3, 1))
    assert measure("ATTEST", school, year=2027, as_of=dt.date(2028, 2, 29)) == (1, 2)


def test_contest_counts_participation_in_the_period(school, measure):
    dated_in_and_out(school, lambda p, day: f.ContestFactory(person=p, date=day))
    assert measure("CONTEST", school) == (2, 4)


Kind = ProfessionalActivity.Kind


@pytest.mark.parametrize(
    ("code", "counted", "other"),
    [
        ("EXPERT", [Kind.EXPERT], Kind.NETWORK),
        ("METHOD_ASSET", [Kind.METHOD_ASSET, Kind.SHARING], Kind.EXPERT),
        ("NETWORK", [Kind.METHOD_ASSOCIATION, Kind.NETWORK], Kind.SHARING),
    ],
)
def test_activity_indicators(school, measure, code, counted, other):
    dated_in_and_out(school, lambda p, day: f.ActivityFactory(person=p, kind=counted[0], date=day))
    for kind in counted[1:]:
        f.ActivityFactory(person=teacher(school), kind=kind)
    f.ActivityFactory(person=teacher(school), kind=other)
    assert measure(code, school) == (1 + len(counted), 4 + len(counted))


# --- Staff ---------------------------------------------------------------------------------------

NEW = dt.date(2024, 9, 1)  # experience well under three years at R


def test_young_is_under_35_with_under_3_years_of_experience_at_r(school, measure):
    teacher(school, birth_date=dt.date(1990, 8, 31), experience_since=NEW)  # 35 on R: not young
    teacher(school, birth_date=dt.date(1990, 9, 1), experience_since=NEW)  # 34: young
    teacher(school, birth_date=dt.date(2000, 1, 1), experience_since=dt.date(2022, 8, 31))  # 3
    teacher(school, birth_date=dt.date(2000, 1, 1), experience_since=dt.date(2022, 9, 1))  # 2
    teacher(school, birth_date=dt.date(2000, 1, 1), experience_since=R + DAY)  # not started
    assert measure("YOUNG", school) == (3, 5)


def test_mentor_young_counts_mentees_of_active_mentorships(school, measure):
    def young_teacher():
        return teacher(school, birth_date=dt.date(1999, 1, 1), experience_since=NEW)

    f.MentorshipFactory(mentee=young_teacher(), started_on=R)
    earlier = dt.date(2023, 9, 1)
    f.MentorshipFactory(mentee=young_teacher(), started_on=earlier, ended_on=P_START)
    f.MentorshipFactory(mentee=young_teacher(), started_on=earlier, ended_on=P_START - DAY)
    f.MentorshipFactory(mentee=young_teacher(), started_on=R + DAY)
    f.MentorshipFactory(mentor=young_teacher())  # a mentor, not a mentee
    f.MentorshipFactory(mentee=teacher(school))  # not young
    assert measure("MENTOR_YOUNG", school) == (2, 5)


def test_pension_age_is_60_for_women_and_65_for_men_at_r(school, measure, settings):
    female, male = Person.Sex.FEMALE, Person.Sex.MALE
    teacher(school, sex=female, birth_date=dt.date(1965, 8, 31))  # 60 on R
    teacher(school, sex=female, birth_date=dt.date(1965, 9, 1))
    teacher(school, sex=male, birth_date=dt.date(1960, 8, 31))  # 65 on R
    teacher(school, sex=male, birth_date=dt.date(1960, 9, 1))
    teacher(school, sex=male, birth_date=dt.date(1962, 1, 1))  # 63
    assert measure("PENSION", school) == (2, 5)
    settings.PENSION_AGE_MALE = 63
    assert measure("PENSION", school) == (4, 5)


def test_pension_age_of_a_29_february_birthday(school, measure):
    teacher(school, birth_date=dt.date(1964, 2, 29))
    assert measure("PENSION", school, year=2023, as_of=dt.date(2024, 2, 28)) == (0, 1)
    assert measure("PENSION", school, year=2023, as_of=dt.date(2024, 2, 29)) == (1, 1)
    assert measure("PENSION", school, year=2024, as_of=dt.date(2025, 2, 28)) == (1, 1)


def test_parttime_counts_employments(school, other_school, measure):
    both = teacher(school)
    f.EmploymentFactory(person=both, school=other_school, workplace="part_time")
    f.EmploymentFactory(person=teacher(other_school), school=school, workplace="part_time")
    teacher(school, workplace="part_time", dismissed_on=R - DAY)
    manager(school, workplace="part_time")
    assert measure("PARTTIME", school) == (1, 2)
    assert measure("PARTTIME", other_school) == (1, 2)
    assert measure("PARTTIME") == (2, 4)


# --- Burnout ------------------------------------------------------------------------------------

Level = BurnoutRecord.Level


def test_burnout_diag_counts_records_in_the_period(school, measure):
    dated_in_and_out(school, lambda p, day: f.BurnoutFactory(person=p, date=day))
    assert measure("BURNOUT_DIAG", school) == (2, 4)


def test_burnout_high_uses_the_latest_record_in_the_period(school, measure):
    def records(*dated_levels):
        person = teacher(school)
        for day, level in dated_levels:
            f.BurnoutFactory(person=person, date=day, level=level)

    records((P_START, Level.LOW), (R, Level.HIGH))
    records((P_START, Level.EXTREME))
    records((P_START, Level.HIGH), (R, Level.MEDIUM))  # recovered
    records((R, Level.HIGH), (R + DAY, Level.LOW))  # the later record is after R
    records((P_START - DAY, Level.HIGH))  # nothing in P: outside the population
    assert measure("BURNOUT_HIGH", school) == (3, 4)


# --- Counts -------------------------------------------------------------------------------------


def test_vacancy_sums_positions_open_at_r(school, other_school, result_of):
    f.VacancyFactory(school=school, position="учитель физики", count=2, opened_on=R)
    f.VacancyFactory(school=school, position="учитель химии", closed_on=R + DAY)
    f.VacancyFactory(school=school, position="учитель музыки", closed_on=R)  # closed on R
    f.VacancyFactory(school=school, position="логопед", opened_on=R + DAY)
    vacancy = result_of(school)["VACANCY"]
    assert (vacancy.numerator, vacancy.denominator, vacancy.value) == (3, None, 3)
    assert vacancy.status == Status.RED
    assert result_of(other_school)["VACANCY"].status == Status.GREEN
    district = result_of()
    assert district["VACANCY"].value == 3
    assert district["SCHOOLS_VACANCY"].value == 1
    assert district["SCHOOLS_VACANCY"].status == Status.RED


def test_schools_no_iom_counts_staffed_schools_without_active_routes(
    district, school, other_school, result_of
):
    f.RouteFactory(person=teacher(school))
    teacher(other_school)
    ended = dt.date(2023, 9, 1), P_START - DAY
    f.RouteFactory(person=teacher(other_school), started_on=ended[0], ended_on=ended[1])
    part_timers_only = f.SchoolFactory(district=district)  # no PED: not counted
    f.RouteFactory(person=teacher(part_timers_only, workplace="part_time"))
    f.SchoolFactory(district=district)  # no staff: not counted
    results = result_of()
    assert results["SCHOOLS_NO_IOM"].value == 1  # other_school only
    assert "SCHOOLS_NO_IOM" not in result_of(school)
