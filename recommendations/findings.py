"""What a letter says, frozen into its `figures` when it is drafted: each breached figure with
its wording by the indicator's direction (`monitoring.wording`), the recommendations of the
rules it triggers, and the appendix: the table of the breached figures, the people behind
them, the vacancies counted; the problem fields of students' results with the teachers to
act on (`recommendations.problems`). The letter's text summarises and recommends; the tables
are the appendix's, so that the letter itself stays within one or two pages.

A school letter holds what the school does; the methodological office's own tasks go into the
district letter only. Schools run in natural order («№ 2» before «№ 10») everywhere.
"""

from decimal import Decimal

from monitoring import wording
from monitoring.models import BREACH_STATUSES, Indicator, IndicatorValue, MonitoringYear, Status
from monitoring.selectors import counted_schools, counted_vacancies
from monitoring.tables import format_number
from profdev.models import School
from profdev.text import natural_key
from recommendations.models import Audience, RecommendationRule
from recommendations.people import YearPeople, vacancy_row
from recommendations.problems import (
    YearProblems,
    district_fields,
    school_fields,
    school_teachers,
)
from recommendations.text import COLLEAGUES, salutation

OFFICE = Audience.METHODOLOGICAL_OFFICE.value
# The appendix's tables in their order; a letter numbers those it holds (`table_numbers`).
APPENDIX_TABLES = ("findings", "people", "problem_fields", "problem_teachers", "vacancies")
# Keys that hold one table per entry (a school's problem subjects), numbered in a run.
TABLE_RUNS = ("problem_teachers",)
# A school's problem field fires the school-level rules of the district's count of them.
PROBLEM_RULES = "SCHOOLS_PROBLEM"


def table_numbers(appendix: dict) -> dict[str, int]:
    """The numbers of the appendix's tables the letter holds: {"findings": 1, "vacancies": 2};
    a run of tables (one per problem subject) under the number of its first."""
    numbers: dict[str, int] = {}
    number = 1
    for key in APPENDIX_TABLES:
        if appendix.get(key):
            numbers[key] = number
            number += len(appendix[key]) if key in TABLE_RUNS else 1
    return numbers


def school_order(school: School) -> tuple:
    return natural_key(school.short_name)


def figure(v: IndicatorValue, district: IndicatorValue | None) -> dict:
    """The stored value as the letter cites it: the numbers (decimals as strings, exact in
    JSON), beside each its text with a decimal comma, and the breach in words by the
    indicator's direction and kind: «при целевом значении не менее 80,0 % — ниже целевого
    значения, за пределами допуска»; a count or a «down» share has a limit («при допустимом
    значении не более 0 — выше допустимого (целевого) значения»)."""
    indicator = v.indicator
    kind = indicator.kind

    def fmt(x: Decimal | None) -> str:
        return format_number(x, kind)

    def number(x: Decimal | None) -> str | None:
        return None if x is None else str(x)

    district_value = district.value if district else None
    is_share = kind == Indicator.Kind.SHARE
    return {
        "code": v.indicator_id,
        "name": indicator.name,
        "direction": indicator.direction,
        "kind": kind,
        "status": v.status,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "value": number(v.value),
        "value_text": fmt(v.value),
        "target": number(v.target),
        "target_text": fmt(v.target),
        "district": number(district_value),
        "district_text": fmt(district_value),
        "target_kind": "допустимом" if wording.lower_is_better(indicator) else "целевом",
        "bound": wording.target_phrase(indicator, fmt(v.target)),
        "breach": wording.breach(indicator),
        "band": wording.band_mark(v.status) if is_share else "",
    }


def cited_rows(figures: dict) -> list[dict]:
    """The breaches a letter cites, from its frozen figures, in its order: the fields of its
    `CitedFinding` rows (the drafting writes them; migration 0014 wrote those of the letters
    drafted before)."""
    return [
        {
            "order": order,
            "indicator_id": f["code"],
            "status": f["status"],
            "value": None if f["value"] is None else Decimal(f["value"]),
            "value_text": f["value_text"],
        }
        for order, f in enumerate(figures.get("findings", []))
        if f.get("status") in BREACH_STATUSES
    ]


def recommendations(
    findings: list[dict], rules: dict[str, list[RecommendationRule]], audiences
) -> dict[str, list[str]]:
    """The texts of the rules the findings trigger, by audience (of `audiences`), each once."""
    grouped: dict[str, list[str]] = {a: [] for a in audiences}
    for finding in findings:
        for rule in rules.get(finding["code"], ()):
            texts = grouped.get(rule.audience)
            if texts is not None and rule.fires_on(finding["status"]) and rule.text not in texts:
                texts.append(rule.text)
    return {a: texts for a, texts in grouped.items() if texts}


def basis(year: MonitoringYear) -> dict:
    return {
        "label": year.label,
        "number": year.basis_number,
        "date": f"{year.basis_date:%d.%m.%Y}" if year.basis_date else "",
        "body": year.basis_body,
        "reference_date": f"{year.reference_date:%d.%m.%Y}",
    }


def school_content(
    year, school, values, district_values, rules, problems: YearProblems, people: YearPeople
) -> dict | None:
    """A school's letter: its breaches and problem fields, what the school should do, and the
    appendix: the breaches' table, the people behind the figures, the teachers of each problem
    subject to act on, the vacancies counted; None without a breach or a problem field."""
    breaches = [v for v in values if v.status in BREACH_STATUSES and not v.indicator.district_only]
    fields = school_fields(problems, school.pk)
    if not breaches and not fields:
        return None
    breaches.sort(key=lambda v: v.indicator.order)
    findings = [figure(v, district_values.get(v.indicator_id)) for v in breaches]
    missing = people.people_missing(school, [f["code"] for f in findings])
    named = []
    for finding, v in zip(findings, breaches, strict=True):
        if missing.get(finding["code"]):
            named.append(
                {
                    "code": finding["code"],
                    "name": finding["name"],
                    "phrase": v.indicator.people_phrase,
                    "people": missing[finding["code"]],
                }
            )
    vacancies = []
    if any(f["code"] == "VACANCY" for f in findings):
        vacancies = people.vacancies.get(school.pk, [])
    return {
        "basis": basis(year),
        "school": {"code": school.code, "short_name": school.short_name, "name": school.name},
        "salutation": salutation(school.head_name),
        "findings": findings,
        "problem_fields": fields,
        "recommendations": recommendations(
            findings + ([{"code": PROBLEM_RULES, "status": Status.RED}] if fields else []),
            rules,
            [a for a in Audience.values if a != OFFICE],
        ),
        "appendix": {
            "findings": [f["code"] for f in findings],
            "people": named,
            "problem_teachers": school_teachers(problems, school.pk),
            "vacancies": vacancies,
        },
    }


def _breaching_schools(code: str, by_school: dict, schools: dict) -> dict[str, list[dict]]:
    """The schools in red and in yellow for the indicator, in natural order, with values."""
    marked: dict[str, list[dict]] = {Status.RED: [], Status.YELLOW: []}
    in_breach = [
        (schools[s], values[code])
        for s, values in by_school.items()
        if code in values and values[code].status in BREACH_STATUSES
    ]
    for school, v in sorted(in_breach, key=lambda p: school_order(p[0])):
        text = format_number(v.value, v.indicator.kind)
        marked[v.status].append({"name": school.short_name, "value_text": text})
    return {"red": marked[Status.RED], "yellow": marked[Status.YELLOW]}


def district_content(
    year, district_values, by_school, schools, rules, problems: YearProblems
) -> dict:
    """The district letter: every district breach with the schools in red and in yellow (or
    the schools a district-only count counted), the recommendations for schools and for the
    methodological office, and the appendix: the breaches' table, the problem fields of every
    school, the vacancies counted."""
    breaches = sorted(
        (v for v in district_values.values() if v.status in BREACH_STATUSES),
        key=lambda v: v.indicator.order,
    )
    counted = counted_schools(year)
    findings = []
    for v in breaches:
        finding = figure(v, None)
        if v.indicator.district_only:  # a count of schools names the schools it counted
            finding["conclusion"] = v.indicator.district_phrase.format(n=v.numerator)
            named = sorted(counted.get(v.indicator_id, []), key=school_order)
            finding["schools"] = {"red": [{"name": s.short_name} for s in named], "yellow": []}
        else:
            finding["schools"] = _breaching_schools(v.indicator_id, by_school, schools)
        findings.append(finding)
    vacancies = []
    if any(f["code"] == "VACANCY" for f in findings):
        rows = sorted(counted_vacancies(year), key=lambda v: school_order(v.school))
        vacancies = [vacancy_row(v) for v in rows]
    return {
        "basis": basis(year),
        "salutation": COLLEAGUES,
        "school_count": len(by_school),
        "problem_schools": len(problems.schools),
        "findings": findings,
        "recommendations": recommendations(findings, rules, Audience.values),
        "appendix": {
            "findings": [f["code"] for f in findings],
            "people": [],
            "problem_fields": district_fields(problems),
            "vacancies": vacancies,
        },
    }
