"""What the letters say of the problem fields of students' results (results.md), frozen into
their figures as the other findings are.

A school letter names its problem subjects with their failure shares beside the district's and
lists, in its appendix, the teachers of each subject the field asks to act on
(`teachers_to_support`): by name, with the reason only — «нет предметного ПК за 3 года»,
«предметный дефицит по итогам диагностики» —, never a score; a deficit is a sensitive result.
The course order proposes the same teachers for a line per problem subject
(`deficits.services.order_problem_lines`). The district letter lists the problem fields of every
school. The shares and the flags are those stored with the year's official values; the teachers
are read from the records at the year's reference date when the letter is drafted.
"""

from dataclasses import dataclass

from django.db.models import Q

from monitoring.models import FailureShare, Indicator, MonitoringYear
from monitoring.problem_teachers import Teacher, teachers
from monitoring.tables import format_number
from profdev.facts import Period
from profdev.models import Person, Subject
from profdev.text import natural_key
from recommendations.people import short_name

SUBJECTS = list(Subject.values)
NO_SUBJECT_COURSE = "нет предметного ПК за 3 года"
SUBJECT_DEFICIT_FOUND = "предметный дефицит по итогам диагностики"

Fields = dict[int, list[str]]  # school id → its problem subjects


@dataclass(frozen=True)
class ToSupport:
    """A teacher of a problem subject at the school whom the field asks to act on."""

    school_id: int
    subject: str
    teacher: Teacher

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.teacher.course_finished_on is None:
            reasons.append(NO_SUBJECT_COURSE)
        if self.teacher.deficit:
            reasons.append(SUBJECT_DEFICIT_FOUND)
        return reasons


def teachers_to_support(period: Period, fields: Fields) -> list[ToSupport]:
    """Of the teachers of each school's problem subjects (`fields`) — PED(S) with the subject in
    «Предметы», as the school pages read them (`monitoring.problem_teachers`) — those with no
    subject ПК ending in W3 (what PD_PROBLEM_SUBJECT counts) or whose latest «Предметный» score
    dated in P is a deficit; by school, subject (in the order `fields` gives) and name; a
    teacher of two problem subjects of the school is under each. One query."""
    found = teachers(period, fields.keys(), fields)
    return [
        ToSupport(school, subject, teacher)
        for school, subjects in fields.items()
        for subject in subjects
        for teacher in found.get((school, subject), [])
        if teacher.course_finished_on is None or teacher.deficit
    ]


@dataclass(frozen=True)
class YearProblems:
    """A year's stored problem fields and the teachers behind them, for every letter."""

    district: dict[str, FailureShare]  # subject → the district's share
    schools: dict[int, list[FailureShare]]  # school id → its problem fields, by subject
    teachers: dict[int, list[ToSupport]]  # school id → by subject, name
    people: dict[int, Person]  # the teachers' records, for their names


def year_problems(year: MonitoringYear) -> YearProblems:
    """The year's stored district shares and problem fields (one query) and the teachers of
    the problem subjects to support (two more when there is a problem field: the teachers,
    their names)."""
    district: dict[str, FailureShare] = {}
    schools: dict[int, list[FailureShare]] = {}
    rows = FailureShare.objects.filter(
        Q(school__isnull=True) | Q(problem=True), monitoring_year=year
    ).select_related("school")
    for share in sorted(rows, key=lambda s: SUBJECTS.index(s.subject)):
        if share.school_id is None:
            district[share.subject] = share
        else:
            schools.setdefault(share.school_id, []).append(share)
    support: dict[int, list[ToSupport]] = {}
    people: dict[int, Person] = {}
    if schools:
        fields = {school: [s.subject for s in shares] for school, shares in schools.items()}
        for row in teachers_to_support(Period.of(year.year, year.reference_date), fields):
            support.setdefault(row.school_id, []).append(row)
        ids = {row.teacher.person_id for rows in support.values() for row in rows}
        people = Person.objects.only("last_name", "first_name", "middle_name").in_bulk(ids)
    return YearProblems(district, schools, support, people)


def _share(share: FailureShare | None) -> str:
    return format_number(share.value if share else None, Indicator.Kind.SHARE)


def field_row(share: FailureShare, problems: YearProblems) -> dict:
    """A problem field as a letter cites it: the subject, the school's failure share (with its
    counts) and the district's share of the subject."""
    return {
        "subject": share.get_subject_display(),
        "numerator": share.numerator,
        "denominator": share.denominator,
        "value_text": _share(share),
        "district_text": _share(problems.district.get(share.subject)),
    }


def school_fields(problems: YearProblems, school_id: int) -> list[dict]:
    return [field_row(share, problems) for share in problems.schools.get(school_id, [])]


def school_teachers(problems: YearProblems, school_id: int) -> list[dict]:
    """The appendix's table per problem subject with someone to act on: the teachers by
    name, each with the reasons."""
    tables: dict[str, list[dict]] = {}
    for row in problems.teachers.get(school_id, []):
        person = problems.people[row.teacher.person_id]
        tables.setdefault(row.subject, []).append(
            {"name": short_name(person), "reasons": row.reasons}
        )
    return [
        {"subject": str(Subject(subject).label), "teachers": rows}
        for subject, rows in tables.items()
    ]


def district_fields(problems: YearProblems) -> list[dict]:
    """Every school's problem fields, the schools in natural order, with the school's name."""
    shares = [s for rows in problems.schools.values() for s in rows]
    shares.sort(key=lambda s: (natural_key(s.school.short_name), SUBJECTS.index(s.subject)))
    return [{"school": s.school.short_name, **field_row(s, problems)} for s in shares]
