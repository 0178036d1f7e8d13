"""Drafting the letters of a monitoring year from its stored official values.

The figures are copied into each letter when it is drafted (`recommendations.findings`), so a
later recomputation never changes a letter. Drafting again replaces unedited drafts, keeps
edited ones and never touches letters sent for signature or signed.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string

from monitoring.models import IndicatorValue, MonitoringYear, Status
from profdev.models import Organisation, School
from recommendations.findings import (
    OFFICE,
    cited_rows,
    district_content,
    school_content,
    school_order,
    table_numbers,
)
from recommendations.models import (
    Audience,
    CitedFinding,
    Letter,
    LetterEvent,
    RecommendationRule,
)
from recommendations.people import year_people
from recommendations.problems import year_problems
from recommendations.text import dative_initials, keep_numbers, sanitise

# The heading answers «о чём?» (ГОСТ Р 7.0.97-2025); lists and the register show it too.
TITLE = (
    "Об адресных рекомендациях по итогам мониторинга системы обеспечения профессионального "
    "развития педагогических работников за {label} учебный год"
)
DISTRICT_ADDRESSEE = "Руководителям ОО"


@dataclass
class DraftReport:
    created: list[Letter] = field(default_factory=list)
    replaced: list[Letter] = field(default_factory=list)
    kept_edited: list[Letter] = field(default_factory=list)
    untouched: list[Letter] = field(default_factory=list)
    removed: int = 0

    @property
    def letters(self) -> list[Letter]:
        """The district letter first, then the schools' in natural order."""
        return sorted(
            self.created + self.replaced + self.kept_edited + self.untouched,
            key=Letter.natural_order,
        )


def _audience_sections(grouped: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    return [(str(Audience(a).label), texts) for a, texts in grouped.items()]


def addressee_for(school: School) -> str:
    position = "Заведующему" if school.kind == School.Kind.PRESCHOOL else "Директору"
    lines = [position, school.short_name]
    if school.head_name.strip():
        lines.append(dative_initials(school.head_name))
    return "\n".join(lines)


def _district_names(year: MonitoringYear) -> dict[str, str]:
    """The district's name in the genitive and dative from the requisites, for the letters'
    text («в образовательных организациях Заречного района», «по Заречному району»)."""
    organisation = Organisation.objects.filter(district_id=year.district_id).first()
    return {
        "genitive": (organisation and organisation.name_genitive) or "муниципалитета",
        "dative": (organisation and organisation.name_dative) or "муниципалитету",
    }


def _tables_text(tables: dict[str, int], appendix: dict, key: str) -> str:
    """Where a run of the appendix's tables is: «таблице 3», «таблицах 3–4»; "" without it."""
    if key not in tables:
        return ""
    first, count = tables[key], len(appendix[key])
    return f"таблице {first}" if count == 1 else f"таблицах {first}–{first + count - 1}"


def _render_body(content: dict, district: bool, names: dict[str, str]) -> str:
    grouped = content["recommendations"]
    tables = table_numbers(content["appendix"])
    context = {
        **content,
        "district_names": names,
        "tables": tables,
        "problem_tables": _tables_text(tables, content["appendix"], "problem_teachers"),
        "within_band": sum(f["status"] == Status.YELLOW for f in content["findings"]),
    }
    if district:
        context["school_sections"] = _audience_sections(
            {a: t for a, t in grouped.items() if a != OFFICE}
        )
        context["office_recommendations"] = grouped.get(OFFICE, [])
        template = "recommendations/letter_body_district.html"
    else:
        context["sections"] = _audience_sections(grouped)
        template = "recommendations/letter_body_school.html"
    return sanitise(keep_numbers(render_to_string(template, context)))


@transaction.atomic
def letters_draft(*, year: MonitoringYear, user=None) -> DraftReport:
    """Draft (or redraft) every letter of the year: one per school in breach and the district's."""
    values = list(
        IndicatorValue.objects.filter(monitoring_year=year).select_related("indicator", "school")
    )
    if year.computed_at is None or not values:
        raise ValidationError(
            f"За {year.label} учебный год нет рассчитанных официальных значений показателей: "
            "сначала рассчитайте мониторинг."
        )
    district_values = {v.indicator_id: v for v in values if v.school_id is None}
    by_school: dict[int, dict[str, IndicatorValue]] = defaultdict(dict)
    schools: dict[int, School] = {}
    for v in values:
        if v.school_id is not None:
            by_school[v.school_id][v.indicator_id] = v
            schools[v.school_id] = v.school
    rules: dict[str, list[RecommendationRule]] = defaultdict(list)
    for rule in RecommendationRule.objects.filter(active=True).order_by("order", "id"):
        rules[rule.indicator_id].append(rule)
    problems = year_problems(year)
    people = year_people(year)

    contents: dict[int | None, dict] = {}
    for school_id, school_values in sorted(
        by_school.items(), key=lambda i: school_order(schools[i[0]])
    ):
        content = school_content(
            year,
            schools[school_id],
            school_values.values(),
            district_values,
            rules,
            problems,
            people,
        )
        if content is not None:
            contents[school_id] = content
    contents[None] = district_content(year, district_values, by_school, schools, rules, problems)

    report = DraftReport()
    existing = {
        letter.school_id: letter
        for letter in Letter.objects.filter(
            monitoring_year=year, kind__in=Letter.MONITORING
        ).select_related("school")
    }
    for school_id, letter in existing.items():
        if school_id in contents:
            continue
        if letter.status == Letter.State.DRAFT and not letter.edited:
            letter.delete()
            report.removed += 1
        else:
            (report.kept_edited if letter.is_editable else report.untouched).append(letter)

    title = TITLE.format(label=year.label)
    names = _district_names(year)
    cited: list[CitedFinding] = []
    for school_id, content in contents.items():
        school = schools.get(school_id)
        body = _render_body(content, district=school is None, names=names)
        fields = {
            "title": title,
            "addressee": addressee_for(school) if school else DISTRICT_ADDRESSEE,
            "body": body,
            "generated_body": body,
            "figures": content,
        }
        letter = existing.get(school_id)
        if letter is None:
            kind = Letter.Kind.SCHOOL if school else Letter.Kind.DISTRICT
            letter = Letter(monitoring_year=year, kind=kind, school=school, executor=user, **fields)
            # The constraints are the database's to enforce on a letter the code made: checking
            # each here compiles a query carrying the whole letter (its figures, up to 80 KB),
            # two thirds of drafting a district's letters.
            letter.full_clean(validate_constraints=False)
            letter.save()
            LetterEvent.objects.create(letter=letter, kind=LetterEvent.Kind.CREATED, user=user)
            report.created.append(letter)
        elif letter.status == Letter.State.DRAFT and not letter.edited:
            for name, value in fields.items():
                setattr(letter, name, value)
            letter.full_clean(validate_constraints=False)
            letter.save()
            LetterEvent.objects.create(letter=letter, kind=LetterEvent.Kind.REDRAFTED, user=user)
            report.replaced.append(letter)
        else:
            (report.kept_edited if letter.is_editable else report.untouched).append(letter)
            continue
        cited += [CitedFinding(letter=letter, **row) for row in cited_rows(content)]
    # The breaches each letter drafted now cites, beside its figures (the effectiveness report).
    CitedFinding.objects.filter(letter__in=report.replaced).delete()
    CitedFinding.objects.bulk_create(cited)
    return report
