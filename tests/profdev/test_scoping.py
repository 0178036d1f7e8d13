import datetime as dt

import pytest
from django.http import Http404

from profdev import models
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
