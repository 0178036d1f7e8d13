"""The indicator formulas of indicators.md: one small declarative definition per catalogue row.

A definition says which rows make up the population (a `Population`: a source of rows and a
condition), what counts, and which schools are in scope. Conditions are functions of the
`Period` returning a `Q` over the source's rows, so the engine can compile every definition of
one source into a single grouped SQL aggregate. The rules of the records themselves (periods
and windows, active employment, young, pension age, deficit, valid category) are
`profdev.facts`'.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, Q, Subquery

from monitoring.failures import problem_subjects
from profdev import facts
from profdev.facts import (
    EVER,
    W3,
    P,
    Period,
    Window,
    employed_at,
    running_in_period,
    vacancy_open_at,
)
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
    Provider,
    School,
    StudentResult,
    Vacancy,
)

Clause = Q | Callable[[Period], Q]


def _resolve(clause: Clause, period: Period) -> Q:
    return clause if isinstance(clause, Q) else clause(period)


@dataclass(frozen=True, eq=False)
class Cond:
    """A condition on a source's rows, built for a period; combines with &, | and ~.

    A plain `Cond` is a fact about the row itself (its columns and what they point to); `Has`
    and `Combined` keep their structure, so the engine evaluates each fact once per row and
    each `Has` once per person (`monitoring.engine`)."""

    build: Callable[[Period], Q]

    def __call__(self, period: Period) -> Q:
        return self.build(period)

    def __and__(self, other: "Cond") -> "Cond":
        return Combined(lambda p: self(p) & other(p), "&", (self, other))

    def __or__(self, other: "Cond") -> "Cond":
        return Combined(lambda p: self(p) | other(p), "|", (self, other))

    def __invert__(self) -> "Cond":
        return Combined(lambda p: ~self(p), "~", (self,))


@dataclass(frozen=True, eq=False)
class Combined(Cond):
    """`parts` joined by `operator`: "&", "|", or "~" (of one part)."""

    operator: str
    parts: tuple[Cond, ...]


@dataclass(frozen=True, eq=False)
class Owned(Cond):
    """A condition on the row's person's `model` records (their `person` field) matching every
    clause: the engine evaluates it once per person, in one query per model."""

    model: type[Model]
    clauses: tuple[Clause, ...]
    person: str

    def parts(self, period: Period) -> tuple[Q, ...]:
        """The clauses as conditions on the `model` records, each once, without the empty
        ones (a record must match them all)."""
        return tuple(dict.fromkeys(q for clause in self.clauses if (q := _resolve(clause, period))))


@dataclass(frozen=True, eq=False)
class Has(Owned):
    """The row's person has at least one `model` record matching every clause."""


@dataclass(frozen=True, eq=False)
class Latest(Owned):
    """The row's person's latest `model` record matching every clause (the first by `order`,
    fields holding dates or numbers, never empty in those records) passes `test`, a lookup on
    one of its fields; unknown (NULL) when there is no such record."""

    order: tuple[str, ...]
    test: "Test"


@dataclass(frozen=True)
class Test:
    """`field__lookup=value(period)`: a lookup on a record's field."""

    field: str
    lookup: str
    value: Callable[[Period], object]

    def on_record(self, period: Period) -> Q:
        """The test as a condition on the records themselves."""
        return Q(**{f"{self.field}__{self.lookup}": self.value(period)})

    def on(self, model: type[Model], expression, period: Period):
        """The lookup on `expression`, a value of the field."""
        lookup = model._meta.get_field(self.field).get_lookup(self.lookup)
        return lookup(expression, self.value(period))


def where(*clauses: Clause) -> Cond:
    def build(period: Period) -> Q:
        q = Q()
        for clause in clauses:
            q &= _resolve(clause, period)
        return q

    return Cond(build)


def has(model: type[Model], *clauses: Clause, person: str = "person") -> Has:
    """The row's person has at least one `model` record matching every clause."""

    def build(period: Period) -> Q:
        records = model.objects.filter(**{person: OuterRef("person")})
        for clause in clauses:
            records = records.filter(_resolve(clause, period))
        return Q(Exists(records))

    return Has(build, model, clauses, person)


def latest(model: type[Model], *clauses: Clause, order: tuple[str, ...], test: Test) -> Latest:
    """The row's person's latest `model` record matching every clause (by `order`) passes
    `test`."""

    def build(period: Period) -> Q:
        records = model.objects.filter(person=OuterRef("person"))
        for clause in clauses:
            records = records.filter(_resolve(clause, period))
        value = Subquery(records.order_by(*order).values(test.field)[:1])
        return Q(test.on(model, value, period))

    return Latest(build, model, clauses, "person", order, test)


def dated(field: str, window: Window) -> Callable[[Period], Q]:
    return lambda period: window.contains(field, period)


def at_r(rule: Callable[[dt.date, str], Q], prefix: str = "") -> Callable[[Period], Q]:
    """A fact about a day (`profdev.facts`), taken at the reference date R."""
    return lambda period: rule(period.reference_date, prefix)


@dataclass(frozen=True)
class Source:
    """The rows an aggregate runs over: a model, its rows for a period, paths to school/person."""

    model: type[Model]
    rows: Callable[[Period], Q]
    school: str
    person: str | None = None


EMPLOYMENTS = Source(Employment, at_r(employed_at), school="school", person="person")
# Routes of persons with an active main pedagogical employment: the employment join sits in
# the source's rows so that grouping by its school reuses that one join.
ROUTES_OF_TEACHERS = Source(
    DevelopmentRoute,
    lambda p: (
        employed_at(p.reference_date, "person__employments__")
        & Q(
            person__employments__workplace=Employment.Workplace.MAIN,
            person__employments__category=Employment.Category.PEDAGOGICAL,
        )
    ),
    school="person__employments__school",
    person="person",
)
OPEN_VACANCIES = Source(Vacancy, lambda p: vacancy_open_at(p.reference_date), school="school")
RESULTS_OF_YEAR = Source(StudentResult, lambda p: Q(year=p.year), school="school")


@dataclass(frozen=True)
class Population:
    source: Source
    condition: Cond = Cond(lambda period: Q())

    def where(self, condition: Cond) -> "Population":
        return Population(self.source, self.condition & condition)


# --- Populations -------------------------------------------------------------------------------

MAIN = where(Q(workplace=Employment.Workplace.MAIN))
PED = Population(EMPLOYMENTS, MAIN & where(Q(category=Employment.Category.PEDAGOGICAL)))
MGR = Population(EMPLOYMENTS, MAIN & where(Q(category=Employment.Category.MANAGERIAL)))
PED_EMPLOYMENTS = Population(EMPLOYMENTS, where(Q(category=Employment.Category.PEDAGOGICAL)))
TEACHERS_ROUTES = Population(ROUTES_OF_TEACHERS, where(running_in_period))
VACANCIES = Population(OPEN_VACANCIES)
STUDENT_RESULTS = Population(RESULTS_OF_YEAR)

# --- What counts --------------------------------------------------------------------------------


_pension_age = at_r(facts.pension_age, "person__")
_valid_category = at_r(facts.valid_category)


def course(window: Window, *, kind: str | None = None, topic: str | None = None, **filters) -> Cond:
    """At least one completed programme (ПК or ПП unless `kind`) ending in `window`."""
    clauses: list[Clause] = [dated("finished_on", window), Q(**filters)]
    if kind:
        clauses.append(Q(kind=kind))
    if topic:
        clauses.append(Q(topics__contains=f",{topic},"))
    return has(CourseCompletion, *clauses)


def activity(*kinds: str) -> Cond:
    return has(ProfessionalActivity, dated("date", P), Q(kind__in=kinds))


def education(*levels: str) -> Cond:
    return where(Q(person__education__in=levels))


diagnosed = has(DeficitDiagnostic, dated("date", P))
# The threshold is a setting: read when the condition is built.
deficit_found = has(DeficitDiagnostic, dated("date", P), lambda period: facts.deficit())
on_route = has(DevelopmentRoute, running_in_period)
burnout_diagnosed = has(BurnoutRecord, dated("date", P))
latest_burnout_high = latest(
    BurnoutRecord,
    dated("date", P),
    order=("-date",),
    test=Test("level", "in", lambda period: list(BurnoutRecord.HIGH_LEVELS)),
)
young = where(at_r(facts.young, "person__"))


def in_problem_field(concerns: Callable[[str], Q]) -> Cond:
    """The row's school has a problem field of the year (results.md) in a subject the row
    concerns (`concerns(subject)`). The problem fields are found first (two queries) and
    enter the grouped SQL as a condition."""

    def build(period: Period) -> Q:
        found = problem_subjects(period.year)
        if not found:
            return Q(pk__in=[])
        q = Q()
        for subject, schools in found.items():
            q |= Q(school__in=schools) & concerns(subject)
        return q

    return Cond(build)


teaches_problem_subject = in_problem_field(lambda s: Q(person__subjects__contains=f",{s},"))
result_in_problem_field = in_problem_field(lambda s: Q(subject=s))

PK = CourseCompletion.Kind.PK
PP = CourseCompletion.Kind.PP
Topic = CourseCompletion.Topic
Activity = ProfessionalActivity.Kind
Education = Person.Education
ProviderKind = Provider.Kind

# --- Definitions --------------------------------------------------------------------------------

SchoolScope = Callable[[School], bool]


@dataclass(frozen=True)
class Share:
    """A share indicator: counted rows of the population over all of them."""

    code: str
    population: Population
    counted: Cond
    scope: SchoolScope | None = None


@dataclass(frozen=True)
class Total:
    """A count indicator: the sum of `field` over the population's rows."""

    code: str
    population: Population
    field: str


@dataclass(frozen=True)
class SchoolsWhere:
    """A district-only count: the schools whose `measure` (numerator, denominator) passes."""

    code: str
    measure: Share | Total
    test: Callable[[int, int | None], bool]


Definition = Share | Total | SchoolsWhere


def topic_share(code: str, topic: str, scope: SchoolScope | None = None) -> Share:
    return Share(code, PED, course(W3, topic=topic), scope)


VACANCY = Total("VACANCY", VACANCIES, field="count")

REGISTRY: tuple[Definition, ...] = (
    Share("DIAG", PED, diagnosed),
    Share("DIAG_MGR", MGR, diagnosed),
    Share("DEFICIT", PED.where(diagnosed), deficit_found),
    Share("IOM", PED.where(deficit_found), on_route),
    Share("IOM_TUTOR", TEACHERS_ROUTES, where(~Q(curator="") | ~Q(tutor=""))),
    Share("PD_3Y", PED, course(W3)),
    Share(
        "PD_REGION",
        PED,
        course(P, kind=PK, provider__kind__in=[ProviderKind.REGIONAL, ProviderKind.MUNICIPAL]),
    ),
    Share(
        "PD_EXT_DIST", PED, course(P, kind=PK, provider__kind=ProviderKind.EXTERNAL, distance=True)
    ),
    Share(
        "RETRAIN_NONPED",
        PED.where(education(Education.HIGHER_NONPED, Education.VOCATIONAL_NONPED)),
        course(EVER, kind=PP, pedagogical=True),
    ),
    Share("DPO_NOPROF", PED.where(education(Education.NONE)), course(EVER)),
    topic_share("PD_T_ASSESS", Topic.ASSESSMENT),
    topic_share("PD_T_TALENT", Topic.TALENT),
    topic_share("PD_T_CAREER", Topic.CAREER),
    topic_share("PD_T_UPBRING", Topic.UPBRINGING),
    topic_share("PD_T_PRESCHOOL", Topic.PRESCHOOL, scope=lambda s: s.kind == School.Kind.PRESCHOOL),
    topic_share("PD_T_FEDERAL", Topic.FEDERAL),
    Share(
        "PD_LOWRES",
        PED,
        course(P, kind=PK),
        scope=lambda s: s.low_results or s.unfavourable,
    ),
    Share("ATTEST", PED, has(Attestation, _valid_category)),
    Share("CONTEST", PED, has(ContestParticipation, dated("date", P))),
    Share("EXPERT", PED, activity(Activity.EXPERT)),
    Share("METHOD_ASSET", PED, activity(Activity.METHOD_ASSET, Activity.SHARING)),
    Share("NETWORK", PED, activity(Activity.METHOD_ASSOCIATION, Activity.NETWORK)),
    Share(
        "MENTOR_YOUNG",
        PED.where(young),
        has(MentorshipPair, running_in_period, person="mentee"),
    ),
    Share("YOUNG", PED, young),
    Share("PENSION", PED, where(_pension_age)),
    Share("PARTTIME", PED_EMPLOYMENTS, where(Q(workplace=Employment.Workplace.PART_TIME))),
    Share("BURNOUT_DIAG", PED, burnout_diagnosed),
    Share("BURNOUT_HIGH", PED.where(burnout_diagnosed), latest_burnout_high),
    VACANCY,
    SchoolsWhere(
        "SCHOOLS_NO_IOM",
        Share("SCHOOLS_NO_IOM", PED, on_route),
        test=lambda numerator, denominator: bool(denominator) and numerator == 0,
    ),
    SchoolsWhere("SCHOOLS_VACANCY", VACANCY, test=lambda numerator, denominator: numerator > 0),
    Share(
        "PD_PROBLEM_SUBJECT",
        PED.where(teaches_problem_subject),
        course(W3, kind=PK, topic=Topic.SUBJECT),
    ),
    SchoolsWhere(
        "SCHOOLS_PROBLEM",
        Share("SCHOOLS_PROBLEM", STUDENT_RESULTS, result_in_problem_field),
        test=lambda numerator, denominator: numerator > 0,
    ),
)

BY_CODE: dict[str, Definition] = {d.code: d for d in REGISTRY}
