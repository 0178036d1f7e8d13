"""Reads of the stored official values, shaped for dashboards (a fixed number of queries)."""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import QuerySet

from monitoring.models import CountedSchool, CountedVacancy, MissingPerson, MonitoringYear
from profdev.models import District, Person, School


def years_on_record(district: District) -> QuerySet[MonitoringYear]:
    """The district's computed years, latest first."""
    return MonitoringYear.objects.filter(district=district, computed_at__isnull=False).order_by(
        "-year"
    )


_NAME_FIELDS = ("person__last_name", "person__first_name", "person__middle_name")
_BY_NAME = (*_NAME_FIELDS, "person")


def missing_by_indicator(
    monitoring_year: MonitoringYear, school: School, codes: list[str]
) -> dict[str, list[Person]]:
    """For each listed code that names people, who at the school was missing from its stored
    numerator when the year was computed, by name; codes with nobody missing are left out.
    One query."""
    rows = (
        MissingPerson.objects.filter(monitoring_year=monitoring_year, school=school)
        .select_related("person")
        .order_by(*_BY_NAME)
    )
    people: dict[str, list[Person]] = defaultdict(list)
    for row in rows:
        for code in row.codes:
            people[code].append(row.person)
    return {code: people[code] for code in codes if code in people}


class Name(NamedTuple):
    last_name: str
    first_name: str
    middle_name: str


def missing_names(monitoring_year: MonitoringYear) -> dict[int, dict[str, list[Name]]]:
    """`missing_by_indicator` of every school of the year at once, names only (a district's
    letters drafted together): {school id: {code: [name, …]}}. One query."""
    rows = (
        MissingPerson.objects.filter(monitoring_year=monitoring_year)
        .order_by(*_BY_NAME)
        .values_list("school_id", "indicators", *_NAME_FIELDS)
    )
    people: dict[int, dict[str, list[Name]]] = defaultdict(lambda: defaultdict(list))
    for school, codes, *name in rows:
        for code in codes.split():
            people[school][code].append(Name(*name))
    return people


def counted_schools(monitoring_year: MonitoringYear) -> dict[str, list[School]]:
    """For each district-only count of the year, the schools it counted; one query."""
    schools: dict[str, list[School]] = defaultdict(list)
    for row in CountedSchool.objects.filter(monitoring_year=monitoring_year).select_related(
        "school"
    ):
        schools[row.indicator_id].append(row.school)
    return schools


def counted_vacancies(
    monitoring_year: MonitoringYear, school: School | None = None
) -> QuerySet[CountedVacancy]:
    """The vacancies the year's VACANCY counts summed (of one school, or of every school), as
    computed; one query."""
    rows = CountedVacancy.objects.filter(monitoring_year=monitoring_year)
    if school is not None:
        rows = rows.filter(school=school)
    return rows.select_related("school").order_by("school", "opened_on", "position")
