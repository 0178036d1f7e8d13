import datetime as dt

import pytest
from django.http import Http404

from profdev import models, scoping
from profdev.scoping import scope_for
from tests import factories


@pytest.fixture
def two_schools(school, other_school):
    ours = factories.EmploymentFactory(school=school).person
    theirs = factories.EmploymentFactory(school=other_school).person
    # A teacher who moved from the other school to ours: visible to both.
    moved = factories.EmploymentFactory(
        school=other_school, hired_on=dt.date(2015, 9, 1), dismissed_on=dt.date(2020, 8, 31)
    ).person
    factories.EmploymentFactory(person=moved, school=school, hired_on=dt.date(2020, 9, 1))
    for person in (ours, theirs, moved):
        factories.CourseFactory(person=person)
    return ours, theirs, moved


def test_school_admin_sees_only_people_ever_employed_at_their_school(two_schools, school_admin):
    ours, theirs, moved = two_schools
    scope = scope_for(school_admin)
    assert set(scope.persons()) == {ours, moved}
    assert set(scope.records(models.CourseCompletion).values_list("person", flat=True)) == {
        ours.pk,
        moved.pk,
    }
    with pytest.raises(Http404):
        scope.person_or_404(theirs.pk)


def test_school_admin_of_other_school_sees_moved_teacher_and_not_ours(
    two_schools, other_school_admin, school
):
    _ours, theirs, moved = two_schools
    scope = scope_for(other_school_admin)
    assert set(scope.persons()) == {theirs, moved}
    with pytest.raises(Http404):
        scope.school_or_404(school.code)


def test_methodologist_sees_the_whole_district_and_not_another(two_schools, methodologist):
    foreign = factories.SchoolFactory(district=factories.DistrictFactory(code="OTHER"))
    outsider = factories.EmploymentFactory(school=foreign).person
    scope = scope_for(methodologist)
    assert set(scope.persons()) == set(two_schools)
    assert outsider not in scope.persons()
    assert foreign not in scope.schools()


def test_vacancies_scoped_by_school(school, other_school, school_admin):
    mine = factories.VacancyFactory(school=school)
    factories.VacancyFactory(school=other_school)
    assert list(scope_for(school_admin).records(models.Vacancy)) == [mine]


def test_user_without_role_sees_nothing(two_schools):
    user = factories.UserFactory()
    scope = scope_for(user)
    assert not scope.persons().exists()
    assert not scope.schools().exists()


def test_mentorship_visible_when_either_side_in_scope(school, other_school, school_admin):
    ours = factories.EmploymentFactory(school=school).person
    theirs = factories.EmploymentFactory(school=other_school).person
    pair = factories.MentorshipFactory(mentor=theirs, mentee=ours)
    factories.MentorshipFactory(
        mentor=theirs, mentee=factories.EmploymentFactory(school=other_school).person
    )
    assert list(scope_for(school_admin).records(models.MentorshipPair)) == [pair]


def test_a_school_keeps_its_main_staff_and_whom_it_employed_last(school, other_school):
    """workbook.md «Who may change what»: main employment active today, else the latest one."""
    today = dt.date.today()
    main_here = factories.EmploymentFactory(school=school).person
    part_timer = factories.EmploymentFactory(school=other_school).person
    factories.EmploymentFactory(
        person=part_timer, school=school, workplace=models.Employment.Workplace.PART_TIME
    )
    # A long-past part-time employment here changes nothing: the main one is elsewhere.
    past = factories.EmploymentFactory(school=other_school).person
    factories.EmploymentFactory(
        person=past,
        school=school,
        workplace=models.Employment.Workplace.PART_TIME,
        hired_on=dt.date(2001, 9, 1),
        dismissed_on=dt.date(2002, 5, 31),
    )
    # No main employment today: the latest employment (the open part-time one) decides.
    left_elsewhere = factories.EmploymentFactory(
        school=other_school, dismissed_on=today - dt.timedelta(days=30)
    ).person
    factories.EmploymentFactory(
        person=left_elsewhere,
        school=school,
        workplace=models.Employment.Workplace.PART_TIME,
        hired_on=dt.date(2012, 9, 1),
    )
    # Dismissed from both: the one that ended last.
    retired = factories.EmploymentFactory(
        school=school, hired_on=dt.date(2000, 9, 1), dismissed_on=dt.date(2023, 6, 30)
    ).person
    factories.EmploymentFactory(
        person=retired,
        school=other_school,
        workplace=models.Employment.Workplace.PART_TIME,
        hired_on=dt.date(2015, 9, 1),
        dismissed_on=dt.date(2016, 5, 31),
    )
    kept = scoping.persons_kept_by([school.pk], today=today)
    assert set(kept) == {main_here, left_elsewhere, retired}
    assert set(scoping.persons_kept_by([other_school.pk], today=today)) == {part_timer, past}


def test_school_admin_reads_records_only_of_the_persons_kept(school, other_school, school_admin):
    ours = factories.EmploymentFactory(school=school).person
    part_timer = factories.EmploymentFactory(school=other_school).person
    employment = factories.EmploymentFactory(
        person=part_timer, school=school, workplace=models.Employment.Workplace.PART_TIME
    )
    factories.CourseFactory(person=ours)
    factories.CourseFactory(person=part_timer)
    scope = scope_for(school_admin)
    assert set(scope.persons()) == {ours, part_timer}
    assert set(scope.kept_persons()) == {ours}
    assert scope.keeps(ours) and not scope.keeps(part_timer)
    assert [c.person for c in scope.records(models.CourseCompletion)] == [ours]
    # The part-timer's employment here, not their main one at the other school.
    assert set(scope.records(models.Employment)) == {ours.employments.get(), employment}


def test_district_questions_answer_by_the_districts_read_in_full(
    school, methodologist, school_admin
):
    far = factories.DistrictFactory(code="FA")
    far_school = factories.SchoolFactory(district=far)
    regional = factories.UserFactory()
    factories.RoleGrantFactory(user=regional, role=models.RoleGrant.Role.REGIONAL_METHODOLOGIST)
    schools = models.School.objects.all()
    answers = {
        user.pk: (
            scope_for(user).is_regionwide,
            set(scope_for(user).in_districts(schools, "district")),
            [scope_for(user).reads_district(d.pk) for d in (school.district, far)],
        )
        for user in (methodologist, school_admin, regional)
    }
    assert answers == {
        methodologist.pk: (False, {school}, [True, False]),
        school_admin.pk: (False, set(), [False, False]),
        regional.pk: (True, {school, far_school}, [True, True]),
    }
