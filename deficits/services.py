"""Writes of the deficit pages: the district's mapping of components to course topics (with
its history), and routes (ИОМ) for the people of a target group."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from monitoring.deficits import DEFAULT_TOPICS, LABELS
from monitoring.models import ComponentTopics, ComponentTopicsChange
from profdev.models import CourseCompletion, DevelopmentRoute, District, Person
from profdev.services import route_create

TOPICS = dict(CourseCompletion.Topic.choices)


def topics_text(encoded: str) -> str:
    """Stored topics as a person reads them: «воспитание, инклюзия», or «—»."""
    names = sorted(str(TOPICS[t]) for t in encoded.split(",") if t in TOPICS)
    return ", ".join(names) or "—"


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
    history (`profdev.services.route_create`)."""
    running = set(
        DevelopmentRoute.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on), person__in=list(persons)
        ).values_list("person_id", flat=True)
    )
    created = 0
    for person, components in persons.items():
        if person.pk in running:
            continue
        route_create(
            person=person,
            started_on=started_on,
            components=components,
            curator=curator.strip(),
            user=user,
        )
        created += 1
    return RoutesCreated(created, len(persons) - created)
