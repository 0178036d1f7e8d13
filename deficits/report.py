"""The deficit report of a year as deficits.md's JSON («Command»): the profile of the district
and of every school, the target groups by СНИЛС and the closure of deficits by provider with
the no-course baseline, computed from the records up to the reference date (nothing stored).
Seven queries, whatever the number of schools and people."""

from django.db.models import Q

from monitoring.deficits import (
    COMPONENTS,
    PROFILE,
    Profile,
    closure,
    column_name,
    component_topics,
    profiles,
    target_groups,
)
from monitoring.engine import tally
from profdev.facts import Period
from profdev.models import District, Person


def _profile(profile: Profile) -> dict:
    return {column_name(c): profile[c].as_json() for c in COMPONENTS}


def deficit_report(district: District, period: Period) -> dict:
    schools = list(district.schools.order_by("code"))
    in_district = Q(district=district)
    district_profile, by_school = profiles(schools, tally(period, in_district, PROFILE))
    mapping = component_topics(district)
    found = target_groups(period, in_district, mapping)
    people = Person.objects.filter(pk__in={f.person_id for f in found})
    snils = dict(people.values_list("pk", "snils"))
    groups: dict[str, set[str]] = {c: set() for c in COMPONENTS}
    for f in found:
        groups[f.component].add(snils[f.person_id])
    closed = closure(district, period, mapping)
    return {
        "year": period.year,
        "as_of": period.reference_date.isoformat(),
        "district": {"profile": _profile(district_profile)},
        "schools": {s.code: {"profile": _profile(by_school[s.pk])} for s in schools},
        "groups": {column_name(c): sorted(groups[c]) for c in COMPONENTS},
        "providers": {p.provider: p.as_json() for p in closed.providers},
        "no_course": closed.no_course.as_json(),
    }
