"""The teachers of a school's problem subjects and the support they have (results.md, issue
«Pages»): for each person of PED(S) whose «Предметы» include the subject — PED as the
indicators define it (`monitoring.indicators.PED`) — their latest subject ПК in W3 (what
PD_PROBLEM_SUBJECT counts), their latest score in the diagnostic's «Предметный» component in P
(`monitoring.deficits.latest_scores`, the deficits' «latest score») and their route running
in P (`profdev.facts.running_in_period`, what IOM counts).

One query for any number of schools, subjects and teachers: the population's employments
with each fact as a correlated subquery, as `monitoring.deficits.findings` reads scores.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from monitoring.deficits import latest_scores
from monitoring.indicators import PED
from profdev.facts import W3, Period, is_deficit, running_in_period
from profdev.models import CourseCompletion, DevelopmentRoute, Employment

COMPONENT = "subject"  # the diagnostic's «Предметный»


def subject_courses(period: Period, person=None) -> Q:
    """PD_PROBLEM_SUBJECT's counted courses (`monitoring.indicators`): a ПК ending in W3 with
    the topic «предметная»; of `person` (an OuterRef by default)."""
    return Q(
        W3.contains("finished_on", period),
        person=person if person is not None else OuterRef("person"),
        kind=CourseCompletion.Kind.PK,
        topics__contains=f",{CourseCompletion.Topic.SUBJECT},",
    )


@dataclass(frozen=True)
class Teacher:
    person_id: int
    name: str
    course: str  # the latest subject ПК's programme, "" without one
    course_finished_on: dt.date | None
    score: int | None  # the latest «Предметный» score in P
    scored_on: dt.date | None
    route_id: int | None  # a route running in P, the latest started

    @property
    def card_url(self) -> str:
        return reverse("person_card", args=[self.person_id])

    @property
    def route_url(self) -> str:
        if self.route_id is None:
            return ""
        return reverse("route_detail", args=[self.person_id, self.route_id])

    @property
    def deficit(self) -> bool:
        return is_deficit(self.score)


def teachers(
    period: Period, schools: Iterable[int], subjects_of: dict[int, list[str]]
) -> dict[tuple[int, str], list[Teacher]]:
    """(school id, subject) → the teachers of PED(school) who teach the subject, by name, for
    each school's subjects in `subjects_of`; one query."""
    subjects = sorted({s for listed in subjects_of.values() for s in listed})
    if not subjects:
        return {}
    teaches = Q()
    for subject in subjects:
        teaches |= Q(person__subjects__contains=f",{subject},")
    course = CourseCompletion.objects.filter(subject_courses(period)).order_by(
        "-finished_on", "programme"
    )
    score = latest_scores(COMPONENT, period)
    route = DevelopmentRoute.objects.filter(
        running_in_period(period), person=OuterRef("person")
    ).order_by("-started_on")
    population = PED.source.rows(period) & PED.condition(period)
    rows = (
        Employment.objects.filter(population, teaches, school_id__in=list(schools))
        .annotate(
            course=Subquery(course.values("programme")[:1]),
            course_finished_on=Subquery(course.values("finished_on")[:1]),
            score=Subquery(score.values(COMPONENT)[:1]),
            scored_on=Subquery(score.values("date")[:1]),
            route_id=Subquery(route.values("pk")[:1]),
        )
        .order_by("person__last_name", "person__first_name", "person__middle_name", "person_id")
        .values(
            "school_id",
            "person_id",
            "person__last_name",
            "person__first_name",
            "person__middle_name",
            "person__subjects",
            "course",
            "course_finished_on",
            "score",
            "scored_on",
            "route_id",
        )
    )
    found: dict[tuple[int, str], list[Teacher]] = defaultdict(list)
    for row in rows:
        name = " ".join(
            p
            for p in (
                row["person__last_name"],
                row["person__first_name"],
                row["person__middle_name"],
            )
            if p
        )
        teacher = Teacher(
            row["person_id"],
            name,
            row["course"] or "",
            row["course_finished_on"],
            row["score"],
            row["scored_on"],
            row["route_id"],
        )
        for subject in subjects_of.get(row["school_id"], []):
            if f",{subject}," in row["person__subjects"]:
                found[row["school_id"], subject].append(teacher)
    return dict(found)


@dataclass(frozen=True)
class Gaps:
    """What the teachers of a subject lack, counted (the line above their list)."""

    teachers: int
    without_course: int  # no subject ПК in W3
    deficit: int  # their latest «Предметный» score is a deficit
    without_route: int  # no route running in P


def gaps(listed: Iterable[Teacher]) -> Gaps:
    listed = list(listed)
    return Gaps(
        len(listed),
        sum(t.course_finished_on is None for t in listed),
        sum(t.deficit for t in listed),
        sum(t.route_id is None for t in listed),
    )
