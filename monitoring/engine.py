"""Compiles the definitions of `monitoring.indicators` into grouped SQL aggregates.

Every definition of one source becomes a pair of conditional aggregates in one query over
all the schools at once, grouped by school; so a full computation runs one query per source
(three), however many schools and people there are; the people behind the numbers, one
more query per source that has persons.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from monitoring.indicators import (
    REGISTRY,
    Definition,
    SchoolsWhere,
    Share,
    Source,
    Total,
)
from profdev.facts import Period
from profdev.models import School


@dataclass(frozen=True)
class Tally:
    """What one indicator counts at one school: numerator and (for shares) denominator."""

    numerator: int
    denominator: int | None


SchoolTallies = dict[int, dict[str, Tally]]


def _measured(definition: Definition) -> Share | Total:
    return definition.measure if isinstance(definition, SchoolsWhere) else definition


def _aggregates(code: str, measure: Share | Total, period: Period) -> dict:
    population = measure.population.condition(period)
    if isinstance(measure, Total):
        return {f"{code}__num": Coalesce(Sum(measure.field, filter=population), 0)}
    return {
        f"{code}__num": Count("pk", filter=population & measure.counted(period)),
        f"{code}__den": Count("pk", filter=population),
    }


def _rows(source: Source, period: Period, schools: Q | None) -> QuerySet:
    # One filter() call, so that a multi-valued school path shares the rows' join.
    school_filter = Q()
    if schools is not None:
        school_filter = Q(**{f"{source.school}__in": School.objects.filter(schools).values("pk")})
    return source.model.objects.filter(source.rows(period) & school_filter)


def tally(
    period: Period,
    schools: Q | None = None,
    definitions: Iterable[Definition] = REGISTRY,
) -> SchoolTallies:
    """Numerators and denominators of every definition for every school matching `schools`
    (a filter on School; None: every school).

    One query per source; a school absent from a source's result counts zero there. Scope
    (n/a) is not applied here: see `monitoring.results`.
    """
    by_source: dict[Source, list[Definition]] = defaultdict(list)
    for definition in definitions:
        by_source[_measured(definition).population.source].append(definition)
    tallies: SchoolTallies = defaultdict(dict)
    for source, members in by_source.items():
        aggregates = {}
        for definition in members:
            aggregates.update(_aggregates(definition.code, _measured(definition), period))
        grouped = _rows(source, period, schools).values(source.school).annotate(**aggregates)
        names = list(aggregates)
        columns = [
            (
                d.code,
                1 + names.index(f"{d.code}__num"),
                1 + names.index(den) if den in names else None,
            )
            for d in members
            for den in [f"{d.code}__den"]
        ]
        for row in _fetch(grouped.values_list(source.school, *names)):
            school_tallies = tallies[row[0]]
            for code, num, den in columns:
                school_tallies[code] = Tally(row[num], None if den is None else row[den])
    return tallies


def _fetch(grouped: QuerySet) -> list[tuple]:
    """The rows of a grouped query as the database driver gives them: its columns are counts
    and sums of integers, which need none of the ORM's per-value conversions (thousands of
    rows of dozens of columns each)."""
    sql, params = grouped.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


SchoolPeople = dict[int, dict[str, list[int]]]


def missing_people(
    period: Period, schools: Q | None, definitions: Iterable[Definition]
) -> SchoolPeople:
    """For every school matching `schools` and each definition, the ids of the persons in the
    population who are not counted (what the school can act on).

    Like `tally`, one query per source: the same aggregates grouped by school and person.
    Scope is not applied here.
    """
    by_source: dict[Source, list[Share]] = defaultdict(list)
    for definition in definitions:
        if not isinstance(definition, Share) or definition.population.source.person is None:
            raise ValueError(f"У показателя {definition.code} нет списка работников.")
        by_source[definition.population.source].append(definition)
    people: SchoolPeople = defaultdict(lambda: defaultdict(list))
    for source, members in by_source.items():
        aggregates = {
            f"{d.code}__missing": Count(
                "pk", filter=d.population.condition(period) & ~d.counted(period)
            )
            for d in members
        }
        grouped = (
            _rows(source, period, schools)
            .values(source.school, source.person)
            .annotate(**aggregates)
            .values_list(source.school, source.person, *aggregates)
        )
        codes = [d.code for d in members]
        for school, person, *missing in _fetch(grouped):
            for code, count in zip(codes, missing, strict=True):
                if count:
                    people[school][code].append(person)
    return people


def counted_rows(
    period: Period, schools: Q | None, definition: Total, fields: tuple[str, ...]
) -> list[dict]:
    """The rows a count sums at every school matching `schools`, with the school's id (under
    the source's path to it) and `fields`: the vacancies behind VACANCY; one query."""
    source = definition.population.source
    rows = _rows(source, period, schools).filter(definition.population.condition(period))
    return list(rows.values(source.school, *fields).order_by())
