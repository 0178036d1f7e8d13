"""The problem fields of a year as results.md's JSON («Command»), computed from the records up
to the reference date (nothing stored)."""

from django.db.models import Q

from monitoring.failures import Count, failures
from monitoring.problem_fields import SUBJECT_NAMES, share_value
from monitoring.services import compute_year
from profdev.facts import Period
from profdev.models import District, Subject


def _subjects(counts: dict[str, Count], problems: list[str] | None = None) -> dict:
    ordered = [s for s in Subject.values if s in counts]
    result = {}
    for subject in ordered:
        count = counts[subject]
        value = share_value(count)
        cell = {
            "numerator": count.numerator,
            "denominator": count.denominator,
            "value": None if value is None else float(value),
        }
        if problems is not None:
            cell["problem"] = subject in problems
        result[str(SUBJECT_NAMES[subject])] = cell
    return result


def report(district: District, period: Period) -> dict:
    """results.md, «Command»: the failure shares of the district and of every school with
    participants, the problem fields by school code then subject, and the two indicators."""
    found = failures(period.year, Q(pk=district.pk)).of(district.pk)
    problems = found.problems()
    schools = list(district.schools.order_by("code"))
    computed = compute_year(district, period.year, period.reference_date, store=False)
    schools_problem = computed.district["SCHOOLS_PROBLEM"]
    teachers = computed.district["PD_PROBLEM_SUBJECT"].as_json()
    return {
        "year": period.year,
        "district": {"subjects": _subjects(found.pooled)},
        "schools": {
            s.code: {"subjects": _subjects(found.schools.get(s.pk, {}), problems.get(s.pk, []))}
            for s in schools
        },
        "problem_fields": sorted(
            [s.code, str(SUBJECT_NAMES[subject])]
            for s in schools
            for subject in problems.get(s.pk, [])
        ),
        "indicators": {
            "SCHOOLS_PROBLEM": schools_problem.numerator,
            "PD_PROBLEM_SUBJECT": {k: teachers[k] for k in ("numerator", "denominator", "value")},
        },
    }
