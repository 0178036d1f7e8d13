"""Writes of the deficit pages: the district's mapping of components to course topics (with
its history), routes (ИОМ) for the people of a target group, the course order (with its lines
for the problem fields of students' results)."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from deficits.models import CourseOrder, CourseOrderLine, CourseOrderSchool
from monitoring.deficits import (
    COMPONENTS,
    DEFAULT_TOPICS,
    LABELS,
    component_topics,
    period_of,
    target_groups,
)
from monitoring.models import ComponentTopics, ComponentTopicsChange
from monitoring.problem_fields import problem_fields
from profdev.facts import academic_year_label
from profdev.models import CourseCompletion, DevelopmentRoute, District, Person, Subject
from profdev.services import records_create, route_record
from profdev.workbook import sheets
from recommendations.problems import teachers_to_support

TOPICS = dict(CourseCompletion.Topic.choices)


@transaction.atomic
def mapping_update(*, district: District, topics: dict[str, Iterable[str]], user) -> int:
    """The topics that address each given component in the district from now on, all or
    none; returns how many components changed."""
    return sum(_set_topics(district, c, chosen, user) for c, chosen in topics.items())


def _set_topics(district: District, component: str, topics: Iterable[str], user) -> bool:
    """Records who changed the component's topics from what; False when they equal the ones
    in force (nothing changes)."""
    topics = list(topics)
    if component not in LABELS:
        raise ValidationError(f"Компонента «{component}» нет.")
    unknown = sorted(set(topics) - set(TOPICS))
    if unknown:
        raise ValidationError(f"Тематики «{', '.join(unknown)}» нет.")
    new = CourseCompletion.encode_topics(topics)
    row = (
        ComponentTopics.objects.select_for_update()
        .filter(district=district, component=component)
        .first()
    )
    old = row.topics if row else CourseCompletion.encode_topics(DEFAULT_TOPICS[component])
    if old == new:
        return False
    if row is None:
        row = ComponentTopics(district=district, component=component)
    row.topics = new
    row.save()
    ComponentTopicsChange.objects.create(
        district=district, component=component, old_topics=old, new_topics=new, user=user
    )
    return True


@dataclass(frozen=True)
class RoutesCreated:
    created: int
    skipped: int  # already on a route not ended before the start


@transaction.atomic
def routes_create(
    *, persons: dict[Person, list[str]], started_on: dt.date, curator: str, user
) -> RoutesCreated:
    """A route (ИОМ) from `started_on`, addressing the person's components, for each person
    without one still running then (not ended before it), all or none; each with its
    history (`profdev.services.records_create`: a fixed number of queries)."""
    running = set(
        DevelopmentRoute.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on), person__in=list(persons)
        ).values_list("person_id", flat=True)
    )
    created = records_create(
        sheet=sheets.ROUTES,
        records=[
            route_record(
                person=person, started_on=started_on, components=components, curator=curator.strip()
            )
            for person, components in persons.items()
            if person.pk not in running
        ],
        user=user,
    )
    return RoutesCreated(len(created), len(persons) - len(created))


@transaction.atomic
def order_build(*, district: District, year: int, user) -> CourseOrder:
    """The course order for the year after `year`, from the target groups of `year` (at its
    stored reference date) and the district's mapping: a line per component with its people
    per school; building again replaces the lines and their adjustments."""
    period = period_of(district, year)
    mapping = component_topics(district)
    found = target_groups(period, Q(district=district), mapping)
    order, _ = CourseOrder.objects.update_or_create(
        district=district,
        year=year,
        defaults={"reference_date": period.reference_date, "built_by": user},
    )
    order.lines.all().delete()
    per_school: dict[str, Counter] = {c: Counter() for c in COMPONENTS}
    for f in found:
        per_school[f.component][f.school_id] += 1
    lines = CourseOrderLine.objects.bulk_create(
        CourseOrderLine(
            order=order,
            component=c,
            topics=CourseCompletion.encode_topics(mapping[c]),
            proposed=per_school[c].total(),
            number=per_school[c].total(),
        )
        for c in COMPONENTS
    )
    CourseOrderSchool.objects.bulk_create(
        CourseOrderSchool(line=line, school_id=school, proposed=n)
        for line in lines
        for school, n in per_school[line.component].items()
    )
    return order


@dataclass(frozen=True)
class ProblemLines:
    added: int
    updated: int


@transaction.atomic
def order_problem_lines(*, order: CourseOrder) -> ProblemLines:
    """A «Предметный» line per problem field's subject of the order's year (students' results,
    from the records), proposing per school the teachers of the subject in the schools where it
    is a problem field who lack a subject ПК in W3 or have a «Предметный» deficit — the school
    letters' selection (`recommendations.problems.teachers_to_support`). Adding again updates
    the lines' people and keeps what the methodologist settled (places, provider, programme);
    a fixed number of queries."""
    found = problem_fields(order.district, order.year)
    fields = {school.pk: [f.subject for f in subjects] for school, subjects in found.items()}
    if not fields:
        raise ValidationError(
            f"В результатах обучающихся {academic_year_label(order.year)} учебного года "
            "проблемных полей нет: добавлять нечего."
        )
    period = period_of(order.district, order.year)
    per_subject: dict[str, Counter] = {
        s: Counter() for s in Subject.values if any(s in f for f in fields.values())
    }
    for row in teachers_to_support(period, fields):
        per_subject[row.subject][row.school_id] += 1
    component = CourseOrderLine.SUBJECT_COMPONENT
    existing = {
        line.subject: line
        for line in order.lines.filter(component=component, subject__in=list(per_subject))
    }
    topics = CourseCompletion.encode_topics([CourseCompletion.Topic.SUBJECT])
    for subject, line in existing.items():
        line.proposed, line.topics = per_subject[subject].total(), topics
    CourseOrderLine.objects.bulk_update(existing.values(), ["proposed", "topics"])
    added = CourseOrderLine.objects.bulk_create(
        CourseOrderLine(
            order=order,
            component=component,
            subject=subject,
            topics=topics,
            proposed=counts.total(),
            number=counts.total(),
        )
        for subject, counts in per_subject.items()
        if subject not in existing
    )
    lines = [*existing.values(), *added]
    CourseOrderSchool.objects.filter(line__in=lines).delete()
    CourseOrderSchool.objects.bulk_create(
        CourseOrderSchool(line=line, school_id=school, proposed=n)
        for line in lines
        for school, n in per_subject[line.subject].items()
    )
    return ProblemLines(len(added), len(existing))


def order_line_update(*, line: CourseOrderLine, values: dict) -> CourseOrderLine:
    """The methodologist's settling of a line: provider, programme, form, hours, number."""
    for name, value in values.items():
        setattr(line, name, value)
    line.full_clean()
    line.save()
    return line
