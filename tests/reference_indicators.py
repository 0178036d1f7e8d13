"""indicators.md in plain Python over rows held in memory: an independent second implementation.

The portal computes the catalogue in grouped SQL (`monitoring.engine`). This module computes
the same numerators and denominators with loops over tuples, written from the spec's text
alone (it imports no rule of `profdev.facts` or `monitoring.indicators`), for two uses:

- a test compares both on generated districts, every indicator, school and date window;
- `make bench` times it on the benchmark's data as the yardstick of the SQL computation
  (issue 19: «compute_indicators net ≤ 0.5× the plain Python computation»).

`load(schools)` reads the records once (not part of what is timed); `tallies(data, year, R)`
returns `{school_id: {code: (numerator, denominator)}}` with denominator None for counts,
every school and every code present.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from monitoring.models import ProblemLimits
from profdev.models import (
    Attestation,
    BurnoutRecord,
    ContestParticipation,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    ProfessionalActivity,
    School,
    StudentResult,
    Vacancy,
)

COMPONENTS = (
    "subject",
    "methodical",
    "assessment",
    "psychological",
    "communicative",
    "digital",
)
TOPIC_CODES = {
    "PD_T_ASSESS": "assessment",
    "PD_T_TALENT": "talent",
    "PD_T_CAREER": "career",
    "PD_T_UPBRING": "upbringing",
    "PD_T_PRESCHOOL": "preschool",
    "PD_T_FEDERAL": "federal",
}
CATEGORIES = {"first", "highest", "methodist", "mentor"}


@dataclass
class Data:
    schools: dict[int, tuple[str, bool, bool]]  # kind, low results, unfavourable
    persons: dict[int, tuple[str, dt.date, str, dt.date]]  # sex, birth, education, since
    employments: list[tuple[int, int, str, str, dt.date, dt.date | None]]
    vacancies: list[tuple[int, int, dt.date, dt.date | None]]
    # per person: (kind, provider kind, distance, finished, topics, pedagogical)
    courses: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    attestations: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    contests: dict[int, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    activities: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    mentored: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    diagnostics: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    routes: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    burnout: dict[int, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    subjects: dict[int, frozenset[str]] = field(default_factory=dict)  # per person
    district_of: dict[int, int] = field(default_factory=dict)  # per school
    # (school, year, subject, failed, participants); (district, year) → (T, M)
    results: list[tuple] = field(default_factory=list)
    limits: dict[tuple[int, int], tuple] = field(default_factory=dict)


def load(schools) -> Data:
    """Every record of the persons employed at `schools` (a School queryset), as tuples."""
    school_ids = list(schools.values_list("pk", flat=True))
    employments = list(
        Employment.objects.filter(school__in=school_ids).values_list(
            "person_id", "school_id", "category", "workplace", "hired_on", "dismissed_on"
        )
    )
    person_ids = {e[0] for e in employments}
    people = Person.objects.filter(pk__in=person_ids)
    data = Data(
        schools={
            pk: (kind, low, unfavourable)
            for pk, kind, low, unfavourable in School.objects.filter(pk__in=school_ids)
            .values_list("pk", "kind", "low_results", "unfavourable")
            .iterator()
        },
        persons={
            pk: rest
            for pk, *rest in people.values_list(
                "pk", "sex", "birth_date", "education", "experience_since"
            ).iterator()
        },
        employments=employments,
        vacancies=list(
            Vacancy.objects.filter(school__in=school_ids).values_list(
                "school_id", "count", "opened_on", "closed_on"
            )
        ),
    )
    mine = {"person__in": people}
    for pid, kind, provider, distance, finished, topics, pedagogical in (
        CourseCompletion.objects.filter(**mine)
        .values_list(
            *("person_id", "kind", "provider__kind", "distance"),
            *("finished_on", "topics", "pedagogical"),
        )
        .iterator()
    ):
        topic_set = frozenset(t for t in topics.split(",") if t)
        data.courses[pid].append((kind, provider, distance, finished, topic_set, pedagogical))
    for pid, *row in Attestation.objects.filter(**mine).values_list("person_id", "date", "result"):
        data.attestations[pid].append(tuple(row))
    for pid, day in ContestParticipation.objects.filter(**mine).values_list("person_id", "date"):
        data.contests[pid].append(day)
    for pid, *row in ProfessionalActivity.objects.filter(**mine).values_list(
        "person_id", "kind", "date"
    ):
        data.activities[pid].append(tuple(row))
    for pid, *row in MentorshipPair.objects.filter(mentee__in=people).values_list(
        "mentee_id", "started_on", "ended_on"
    ):
        data.mentored[pid].append(tuple(row))
    for pid, day, *scores in DeficitDiagnostic.objects.filter(**mine).values_list(
        "person_id", "date", *COMPONENTS
    ):
        data.diagnostics[pid].append((day, tuple(scores)))
    for pid, *row in DevelopmentRoute.objects.filter(**mine).values_list(
        "person_id", "started_on", "ended_on", "curator", "tutor"
    ):
        data.routes[pid].append(tuple(row))
    for pid, *row in BurnoutRecord.objects.filter(**mine).values_list("person_id", "date", "level"):
        data.burnout[pid].append(tuple(row))
    for pid, subjects in people.values_list("pk", "subjects"):
        data.subjects[pid] = frozenset(s for s in subjects.split(",") if s)
    data.district_of = dict(
        School.objects.filter(pk__in=school_ids).values_list("pk", "district_id")
    )
    data.results = list(
        StudentResult.objects.filter(school__in=school_ids).values_list(
            "school_id", "year", "subject", "failed", "participants"
        )
    )
    for district, year, threshold, margin in ProblemLimits.objects.values_list(
        "district_id", "year", "threshold", "margin"
    ):
        data.limits[district, year] = (threshold, margin)
    return data


def problem_fields(data: Data, year: int) -> set[tuple[int, str]]:
    """results.md: (school, subject) pairs whose failure share of the year reaches T (15) or
    the district's share of the subject plus M (10) points."""
    school_sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    district_sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for school, y, subject, failed, participants in data.results:
        if y != year:
            continue
        for sums in (
            school_sums[school, subject],
            district_sums[data.district_of[school], subject],
        ):
            sums[0] += failed
            sums[1] += participants
    found = set()
    for (school, subject), (n, d) in school_sums.items():
        big_n, big_d = district_sums[data.district_of[school], subject]
        threshold, margin = data.limits.get((data.district_of[school], year), (15, 10))
        if d and (
            100 * n >= threshold * d or 100 * n * big_d >= (100 * big_n + margin * big_d) * d
        ):
            found.add((school, subject))
    return found


def full_years(a: dt.date, b: dt.date) -> int:
    """indicators.md «Time»: full years between dates a and b."""
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def five_years_after(day: dt.date) -> dt.date:
    if (day.month, day.day) == (2, 29):
        return dt.date(day.year + 5, 2, 28)
    return day.replace(year=day.year + 5)


def tallies(data: Data, year: int, reference: dt.date) -> dict[int, dict[str, tuple]]:
    start, w3_start = dt.date(year, 9, 1), dt.date(year - 2, 9, 1)

    def in_p(day):
        return start <= day <= reference

    def in_w3(day):
        return w3_start <= day <= reference

    def running(begin, end):
        return begin <= reference and (end is None or end >= start)

    deficit_score = settings.DEFICIT_SCORE
    result: dict[int, dict[str, list]] = {
        school: defaultdict(lambda: [0, 0]) for school in data.schools
    }

    def add(school, code, counted):
        cell = result[school][code]
        cell[1] += 1
        cell[0] += bool(counted)

    problems = problem_fields(data, year)
    for school, y, subject, _, _ in data.results:
        if y == year:
            add(school, "SCHOOLS_PROBLEM", (school, subject) in problems)

    for pid, school, category, workplace, hired, dismissed in data.employments:
        if not (hired <= reference and (dismissed is None or dismissed >= reference)):
            continue
        if category == "pedagogical":
            add(school, "PARTTIME", workplace == "part_time")
        if workplace != "main":
            continue
        diagnosed = any(in_p(day) for day, _ in data.diagnostics[pid])
        if category == "managerial":
            add(school, "DIAG_MGR", diagnosed)
            continue
        _teacher(data, pid, school, add, in_p, in_w3, running, reference, deficit_score)
        if any((school, subject) in problems for subject in data.subjects[pid]):
            subject_course = any(
                c[0] == "pk" and "subject" in c[4] and in_w3(c[3]) for c in data.courses[pid]
            )
            add(school, "PD_PROBLEM_SUBJECT", subject_course)
        on_route = any(running(b, e) for b, e, _, _ in data.routes[pid])
        add(school, "SCHOOLS_NO_IOM", on_route)
        for begin, end, curator, tutor in data.routes[pid]:
            if running(begin, end):
                add(school, "IOM_TUTOR", curator or tutor)
    _vacancies(data, result, reference)
    return _finished(data, result)


def _teacher(data, pid, school, add, in_p, in_w3, running, reference, deficit_score):
    """Every share whose population is PED, for one person of PED(school)."""
    sex, birth, education, since = data.persons[pid]
    courses = data.courses[pid]
    diagnostics = [(day, s) for day, s in data.diagnostics[pid] if in_p(day)]
    add(school, "DIAG", diagnostics)
    if diagnostics:
        scores = [score for _, row in diagnostics for score in row if score is not None]
        deficit = any(score < deficit_score for score in scores)
        add(school, "DEFICIT", deficit)
        if deficit:
            add(school, "IOM", any(running(b, e) for b, e, _, _ in data.routes[pid]))
    add(school, "PD_3Y", any(in_w3(c[3]) for c in courses))
    add(
        school,
        "PD_REGION",
        any(c[0] == "pk" and c[1] in ("regional", "municipal") and in_p(c[3]) for c in courses),
    )
    add(
        school,
        "PD_EXT_DIST",
        any(c[0] == "pk" and c[1] == "external" and c[2] and in_p(c[3]) for c in courses),
    )
    if education in ("higher_nonped", "vocational_nonped"):
        add(
            school,
            "RETRAIN_NONPED",
            any(c[0] == "pp" and c[5] and c[3] <= reference for c in courses),
        )
    if education == "none":
        add(school, "DPO_NOPROF", any(c[3] <= reference for c in courses))
    for code, topic in TOPIC_CODES.items():
        add(school, code, any(topic in c[4] and in_w3(c[3]) for c in courses))
    add(school, "PD_LOWRES", any(c[0] == "pk" and in_p(c[3]) for c in courses))
    add(
        school,
        "ATTEST",
        any(
            result in CATEGORIES
            and day <= reference
            and (day >= dt.date(2023, 9, 1) or reference <= five_years_after(day))
            for day, result in data.attestations[pid]
        ),
    )
    add(school, "CONTEST", any(in_p(day) for day in data.contests[pid]))
    kinds = {kind for kind, day in data.activities[pid] if in_p(day)}
    add(school, "EXPERT", "expert" in kinds)
    add(school, "METHOD_ASSET", kinds & {"method_asset", "sharing"})
    add(school, "NETWORK", kinds & {"method_association", "network"})
    young = full_years(birth, reference) < 35 and full_years(since, reference) < 3
    add(school, "YOUNG", young)
    if young:
        add(school, "MENTOR_YOUNG", any(running(b, e) for b, e in data.mentored[pid]))
    pension = settings.PENSION_AGE_FEMALE if sex == "f" else settings.PENSION_AGE_MALE
    add(school, "PENSION", full_years(birth, reference) >= pension)
    burnout = sorted((day, level) for day, level in data.burnout[pid] if in_p(day))
    add(school, "BURNOUT_DIAG", burnout)
    if burnout:
        add(school, "BURNOUT_HIGH", burnout[-1][1] in ("high", "extreme"))


def _vacancies(data: Data, result, reference: dt.date) -> None:
    for school, count, opened, closed in data.vacancies:
        if opened <= reference and (closed is None or closed > reference):
            result[school]["VACANCY"][0] += count


SHARE_CODES = (
    *("DIAG", "DIAG_MGR", "DEFICIT", "IOM", "IOM_TUTOR", "PD_3Y", "PD_REGION", "PD_EXT_DIST"),
    *("RETRAIN_NONPED", "DPO_NOPROF", *TOPIC_CODES, "PD_LOWRES", "ATTEST", "CONTEST", "EXPERT"),
    *("METHOD_ASSET", "NETWORK", "MENTOR_YOUNG", "YOUNG", "PENSION", "PARTTIME"),
    *("BURNOUT_DIAG", "BURNOUT_HIGH", "SCHOOLS_NO_IOM", "PD_PROBLEM_SUBJECT", "SCHOOLS_PROBLEM"),
)
COUNT_CODES = ("VACANCY", "SCHOOLS_VACANCY")


def _finished(data: Data, result) -> dict[int, dict[str, tuple]]:
    out = {}
    for school, cells in result.items():
        row = {code: tuple(cells[code]) for code in SHARE_CODES}
        vacancies = cells["VACANCY"][0]
        row.update({code: (vacancies, None) for code in COUNT_CODES})
        out[school] = row
    return out
