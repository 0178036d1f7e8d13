"""Reads for the school workspace and the teacher's card: querysets already shaped.

Active, young and «a course in the three-year window» are the record facts of
`profdev.facts`, taken on the day the page is shown.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from profdev import history
from profdev.completeness import PERSON_GAPS_BY_KEY
from profdev.facts import W3, Period, employed_at, is_deficit, took_course, young
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    Attestation,
    BurnoutRecord,
    ChangeRecord,
    Component,
    ContestParticipation,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    ProfessionalActivity,
    RouteActivity,
    School,
    StudentResult,
    Subject,
)
from profdev.workbook import rules

HISTORY_SHOWN = 200  # the card shows the latest changes; the admin keeps them all


# --- staff list ---------------------------------------------------------------

STAFF_ORDERINGS = {
    "name": ("person__last_name", "person__first_name", "person__middle_name"),
    "position": ("position", "person__last_name", "person__first_name"),
    "category": ("category", "person__last_name", "person__first_name"),
    "workplace": ("workplace", "person__last_name", "person__first_name"),
    "hired_on": ("hired_on", "person__last_name", "person__first_name"),
    "dismissed_on": ("dismissed_on", "person__last_name", "person__first_name"),
}


@dataclass(frozen=True)
class StaffQuery:
    """What the staff list was asked for; every field is optional."""

    search: str = ""
    position: str = ""
    category: str = ""
    workplace: str = ""
    status: str = ""  # "active", "dismissed" or "" for both
    young: bool = False
    no_courses: bool = False
    gap: str = ""  # a key of `completeness.PERSON_GAPS`
    sort: str = "name"
    descending: bool = False


def _name_matches(term: str) -> Q:
    # SQLite's LIKE folds the case of ASCII only; names are stored capitalised, so the
    # capitalised spelling of the term finds them there too (PostgreSQL folds Cyrillic).
    match = Q()
    for spelling in {term, term.capitalize()}:
        for field in ("last_name", "first_name", "middle_name"):
            match |= Q(**{f"person__{field}__icontains": spelling})
    return match


def staff_employments(
    school: School, query: StaffQuery, *, today: dt.date, kept: QuerySet[Person]
) -> QuerySet:
    """The school's employments (one row per person per employment) filtered and sorted.

    `kept` are the persons whose records the viewer reads (`Scope.kept_persons`): a row's
    `kept` says so, and the filters on records and age (courses, young) pick among them only.
    """
    rows = (
        Employment.objects.filter(school=school)
        .select_related("person")
        .annotate(
            kept=Exists(kept.filter(pk=OuterRef("person_id"))),
            has_recent_course=took_course(W3, Period.at(today)),
        )
    )
    for term in query.search.split():
        rows = rows.filter(_name_matches(term))
    if query.position:
        rows = rows.filter(position=query.position)
    if query.category:
        rows = rows.filter(category=query.category)
    if query.workplace:
        rows = rows.filter(workplace=query.workplace)
    if query.status == "active":
        rows = rows.filter(employed_at(today))
    elif query.status == "dismissed":
        rows = rows.filter(dismissed_on__lt=today)
    if query.young:
        rows = rows.filter(young(today, "person__"), kept=True)
    if query.no_courses:
        rows = rows.filter(has_recent_course=False, kept=True)
    if query.gap:
        condition = PERSON_GAPS_BY_KEY[query.gap].condition(Period.at(today), today)
        rows = rows.filter(person__in=Person.objects.filter(condition), kept=True)
    fields = STAFF_ORDERINGS.get(query.sort, STAFF_ORDERINGS["name"])
    if query.descending:
        fields = (f"-{fields[0]}", *fields[1:])
    return rows.order_by(*fields, "pk")


def school_positions(school: School) -> list[str]:
    """Positions held at the school, for the staff list's filter."""
    return list(
        Employment.objects.filter(school=school)
        .order_by("position")
        .values_list("position", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class StaffSummary:
    active: int
    pedagogical: int
    managerial: int
    part_time: int
    young: int


def staff_summary(school: School, *, today: dt.date) -> StaffSummary:
    """Head counts of the school's staff on `today`, in one grouped query."""
    main = Q(workplace=Employment.Workplace.MAIN)
    active = employed_at(today)
    people = "person"
    counts = Employment.objects.filter(school=school).aggregate(
        active=Count(people, filter=active, distinct=True),
        pedagogical=Count(
            people,
            filter=active & main & Q(category=Employment.Category.PEDAGOGICAL),
            distinct=True,
        ),
        managerial=Count(
            people,
            filter=active & main & Q(category=Employment.Category.MANAGERIAL),
            distinct=True,
        ),
        part_time=Count(
            people, filter=active & Q(workplace=Employment.Workplace.PART_TIME), distinct=True
        ),
        young=Count(
            people,
            filter=active
            & main
            & Q(category=Employment.Category.PEDAGOGICAL)
            & young(today, "person__"),
            distinct=True,
        ),
    )
    return StaffSummary(**counts)


# --- teacher's card -------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    label: str
    value: int | None
    deficit: bool


@dataclass(frozen=True)
class DiagnosticRow:
    diagnostic: DeficitDiagnostic
    scores: list[Score]


@dataclass(frozen=True)
class HistoryEntry:
    change: ChangeRecord
    lines: list[str]


RECORD_MODELS = {
    str(m._meta.verbose_name): m
    for m in (
        Person,
        Employment,
        CourseCompletion,
        Attestation,
        ContestParticipation,
        MentorshipPair,
        DeficitDiagnostic,
        DevelopmentRoute,
        RouteActivity,
        ProfessionalActivity,
        BurnoutRecord,
        StudentResult,
    )
}


# Values stored as ",a,b," lists of choices, shown by their labels.
LISTS = {
    (CourseCompletion, "topics"): rules.topics,
    (DevelopmentRoute, "components"): rules.components,
    (Person, "subjects"): rules.subjects,
}


def _shown(model, name: str, value) -> str:
    """A stored value as the card shows it: choice labels, dates ДД.ММ.ГГГГ, да/нет."""
    if value in (None, ""):
        return "—"
    several = LISTS.get((model, name))
    if several is not None:
        return "; ".join(several.labels(value))
    field = _model_field(model, name)
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return f"{dt.date.fromisoformat(value):%d.%m.%Y}"
        except ValueError:
            return value
    return str(value)


def _model_field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def change_lines(record_type: str, changes) -> list[str]:
    """`ChangeRecord.changes` ({field: [old, new]}) as lines «поле: было → стало»."""
    model = RECORD_MODELS.get(record_type)
    lines = []
    for name, value in (changes or {}).items():
        field = _model_field(model, name)
        label = str(field.verbose_name) if field is not None else name
        if isinstance(value, list | tuple) and len(value) == 2:
            old, new = (_shown(model, name, v) for v in value)
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {_shown(model, name, value)}")
    return lines


@dataclass(frozen=True)
class MentorshipRow:
    pair: MentorshipPair
    other: Person  # the mentee of a mentor's pair, the mentor of a mentee's
    linked: bool  # the viewer may open the other person's card


@dataclass(frozen=True)
class PersonCard:
    person: Person
    employments: list[Employment]
    courses: list[CourseCompletion]
    attestations: list[Attestation]
    contests: list[ContestParticipation]
    mentees: list[MentorshipRow]
    mentors: list[MentorshipRow]
    diagnostics: list[DiagnosticRow]
    routes: list[DevelopmentRoute]
    activities: list[ProfessionalActivity]
    burnout: list[BurnoutRecord]
    history: list[HistoryEntry]

    def tabs(self) -> list[tuple[str, str, int]]:
        """The card's tabs: id, label, number of records."""
        return [
            ("courses", _("Курсы"), len(self.courses)),
            ("attestations", _("Аттестация"), len(self.attestations)),
            ("contests", _("Конкурсы"), len(self.contests)),
            ("mentorship", _("Наставничество"), len(self.mentees) + len(self.mentors)),
            ("diagnostics", _("Диагностика"), len(self.diagnostics)),
            ("routes", _("ИОМ"), len(self.routes)),
            ("activities", _("Деятельность"), len(self.activities)),
            ("burnout", _("Выгорание"), len(self.burnout)),
            ("history", _("История изменений"), len(self.history)),
        ]


def diagnostic_rows(diagnostics) -> list[DiagnosticRow]:
    labels = {
        c: DeficitDiagnostic._meta.get_field(c).verbose_name for c in DeficitDiagnostic.COMPONENTS
    }
    return [
        DiagnosticRow(
            d,
            [Score(str(labels[c]), v, is_deficit(v)) for c, v in d.scores().items()],
        )
        for d in diagnostics
    ]


def history_entries(changes: QuerySet[ChangeRecord]) -> list[HistoryEntry]:
    """The latest changes as the history tables show them: one query."""
    return [
        HistoryEntry(c, change_lines(c.record_type, history.masked_changes(c.changes)))
        for c in changes.select_related("user")[:HISTORY_SHOWN]
    ]


def person_card(person: Person, *, visible_persons: QuerySet[Person]) -> PersonCard:
    """Everything the card shows, one query per tab.

    `visible_persons` is the viewer's scope: the other side of a mentorship is linked
    only when the viewer may open that card.
    """
    mentoring = list(person.mentoring.select_related("mentee"))
    mentored_by = list(person.mentored_by.select_related("mentor"))
    others = {p.mentee_id for p in mentoring} | {p.mentor_id for p in mentored_by}
    visible = (
        set(visible_persons.filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    )
    return PersonCard(
        person=person,
        employments=list(person.employments.select_related("school").order_by("-hired_on")),
        courses=list(person.courses.select_related("provider")),
        attestations=list(person.attestations.all()),
        contests=list(person.contests.all()),
        mentees=[MentorshipRow(p, p.mentee, p.mentee_id in visible) for p in mentoring],
        mentors=[MentorshipRow(p, p.mentor, p.mentor_id in visible) for p in mentored_by],
        diagnostics=diagnostic_rows(person.diagnostics.all()),
        routes=list(person.routes.all()),
        activities=list(person.activities.all()),
        burnout=list(person.burnout_records.all()),
        history=history_entries(person.changes.all()),
    )


# --- routes (ИОМ) ---------------------------------------------------------------


def component_scores(person: Person) -> dict[str, list[tuple[dt.date, int]]]:
    """The person's scores in each component in date order, one per date: of several
    diagnostics on one date, the lowest score in that component (deficits.md «A person's
    score in a component»). One query."""
    lowest: dict[str, dict[dt.date, int]] = {c: {} for c in DIAGNOSTIC_COMPONENTS}
    for date, *scores in person.diagnostics.values_list("date", *DIAGNOSTIC_COMPONENTS):
        for component, score in zip(DIAGNOSTIC_COMPONENTS, scores, strict=True):
            if score is not None:
                day = lowest[component]
                day[date] = min(score, day.get(date, score))
    return {c: sorted(days.items()) for c, days in lowest.items()}


def deficit_components(person: Person, *, on: dt.date) -> list[str]:
    """The components (in the order of DIAGNOSTIC_COMPONENTS) whose latest score dated on
    or before `on` is a deficit: what a new route of the person addresses by default."""
    return [
        component
        for component, scores in component_scores(person).items()
        if (before := [score for date, score in scores if date <= on]) and is_deficit(before[-1])
    ]


@dataclass(frozen=True)
class ComponentOutcome:
    """An addressed component: the latest score before the route (dated on or before its
    start) and the first one after it (dated after its start, and not before its end when
    it has ended); `closed` when the deficit is gone, None while there is no score after."""

    component: str
    label: str
    before: tuple[dt.date, int] | None
    after: tuple[dt.date, int] | None

    @property
    def closed(self) -> bool | None:
        return None if self.after is None else not is_deficit(self.after[1])


def route_outcome(route: DevelopmentRoute) -> list[ComponentOutcome]:
    """Before → after of each component the route addresses, from the person's diagnostics."""
    scores = component_scores(route.person)
    outcome = []
    for component in route.component_list:
        dated = scores[component]
        before = [s for s in dated if s[0] <= route.started_on]
        after = [
            s
            for s in dated
            if s[0] > route.started_on and (route.ended_on is None or s[0] >= route.ended_on)
        ]
        outcome.append(
            ComponentOutcome(
                component,
                str(Component(component).label),
                before[-1] if before else None,
                after[0] if after else None,
            )
        )
    return outcome


# --- students' results ---------------------------------------------------------------


def result_years(school: School) -> list[int]:
    """The academic years with results of the school, latest first."""
    years = school.student_results.order_by("-year").values_list("year", flat=True)
    return list(years.distinct())


def school_results(school: School, year: int) -> list[StudentResult]:
    """The school's results of a year in the order of the procedures, subjects and grades."""
    procedures = {p: n for n, p in enumerate(StudentResult.Procedure.values)}
    subjects = {s: n for n, s in enumerate(Subject.values)}
    return sorted(
        school.student_results.filter(year=year),
        key=lambda r: (procedures[r.procedure], r.grade, subjects[r.subject]),
    )


def results_history(school: School) -> list[HistoryEntry]:
    """The latest changes of the school's results (the records of the school's history)."""
    return history_entries(school.changes.all())
