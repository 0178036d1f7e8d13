"""Deficits and targeted support (deficits.md): a teacher's score in a component, the deficit
profile of the schools, the target groups and the closure of deficits by provider.

The profile is three definitions of `monitoring.indicators` per component, tallied by the
engine in the grouped query of the indicators (`PROFILE`); the people behind it and the target
groups are one query over the same population (`findings`); the closure is one statement of
SQL that pairs each score with the one before it (a window function: a retest is a pair of
consecutive dates) and credits the courses between them. The time words (Y, R, P, PED) are
those of `indicators.md`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from monitoring.engine import SchoolTallies, Tally
from monitoring.indicators import PED, Cond, Share, Test, dated, has, latest
from monitoring.models import (
    COMPONENT_CHOICES,
    ComponentTopics,
    DeficitFinding,
    DeficitShare,
    Indicator,
    MonitoringYear,
)
from monitoring.results import TEN, share_tenths
from profdev.bulk import insert_rows
from profdev.facts import P, Period, employed_at
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    CourseCompletion,
    DeficitDiagnostic,
    District,
    Employment,
    Provider,
    School,
)

COMPONENTS = DIAGNOSTIC_COMPONENTS
LABELS = dict(COMPONENT_CHOICES)
Topic = CourseCompletion.Topic

# deficits.md, «Components and the course topics that address them»: the default mapping.
DEFAULT_TOPICS: dict[str, frozenset[str]] = {
    "subject": frozenset({Topic.SUBJECT}),
    "methodical": frozenset({Topic.METHODOLOGICAL, Topic.FEDERAL}),
    "assessment": frozenset({Topic.ASSESSMENT}),
    "psychological": frozenset({Topic.UPBRINGING, Topic.INCLUSION, Topic.TALENT}),
    "communicative": frozenset({Topic.UPBRINGING, Topic.CAREER}),
    "digital": frozenset({Topic.DIGITAL}),
}

Mapping = dict[str, frozenset[str]]
NO_COURSE = _("Без курса по компоненту")


def column_name(component: str) -> str:
    """The component as the workbook's column and the command's JSON name it («Цифровой»)."""
    return str(LABELS[component]).capitalize()


def component_topics(district: District) -> Mapping:
    """The topics that address each component in the district: its own choice, else the
    default of deficits.md. Everything that asks whether a course addresses a component asks
    this mapping; one query."""
    mapping = dict(DEFAULT_TOPICS)
    for component, topics in ComponentTopics.objects.filter(district=district).values_list(
        "component", "topics"
    ):
        mapping[component] = frozenset(t for t in topics.split(",") if t)
    return mapping


def addresses(topics: Iterable[str], component: str, mapping: Mapping) -> bool:
    """A course with `topics` addresses the component when one of them is mapped to it (a
    course without topics addresses nothing)."""
    return not mapping[component].isdisjoint(topics)


def addressing(component: str, mapping: Mapping, prefix: str = "") -> Q | None:
    """The courses that address the component, as a condition on CourseCompletion (None: no
    topic is mapped to it, no course addresses it)."""
    topics = sorted(mapping[component])
    if not topics:
        return None
    q = Q()
    for topic in topics:
        q |= Q(**{f"{prefix}topics__contains": f",{topic},"})
    return q


# --- A person's score in a component ---------------------------------------------------------


def latest_scores(component: str, period: Period, person=None) -> QuerySet:
    """The person's scores in the component dated in P, the latest date first and, of one
    date, the lowest first: the first row is «the latest score» of deficits.md."""
    return (
        DeficitDiagnostic.objects.filter(
            P.contains("date", period),
            person=person if person is not None else OuterRef("person"),
            **{f"{component}__isnull": False},
        )
        .order_by("-date", component)
        .values(component, "date")
    )


def _latest_is_deficit(component: str) -> Cond:
    """The person's latest score in the component dated in P (`latest_scores`' order) is below
    the threshold (a setting: read when the condition is built)."""
    return latest(
        DeficitDiagnostic,
        dated("date", P),
        Q(**{f"{component}__isnull": False}),
        order=("-date", component),
        test=Test(component, "lt", lambda period: settings.DEFICIT_SCORE),
    )


def scored(component: str) -> Cond:
    return has(DeficitDiagnostic, dated("date", P), Q(**{f"{component}__isnull": False}))


def profile_code(component: str) -> str:
    return f"DEFICIT_{component.upper()}"


# The deficit profile per component: persons in PED(S) with a score in the component dated in
# P, and of them those whose latest such score is a deficit. The engine tallies them with the
# catalogue's indicators of the same population, in the same grouped query.
PROFILE: tuple[Share, ...] = tuple(
    Share(profile_code(c), PED.where(scored(c)), _latest_is_deficit(c)) for c in COMPONENTS
)


@dataclass(frozen=True)
class Cell:
    """One component's deficit share at one school or in the district."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        tenths = share_tenths(self.numerator, self.denominator)
        return None if tenths is None else Decimal(tenths) / TEN

    def as_json(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if value is None else float(value),
        }


Profile = dict[str, Cell]  # component → cell


def profiles(schools: list[School], tallies: SchoolTallies) -> tuple[Profile, dict[int, Profile]]:
    """The district's profile (pooled: Σ numerators / Σ denominators) and each school's, from
    the engine's tallies of `PROFILE`."""
    zero = Tally(0, 0)
    by_school = {
        s.pk: {
            c: Cell(t.numerator, t.denominator or 0)
            for c in COMPONENTS
            for t in [tallies.get(s.pk, {}).get(profile_code(c), zero)]
        }
        for s in schools
    }
    district = {
        c: Cell(
            sum(p[c].numerator for p in by_school.values()),
            sum(p[c].denominator for p in by_school.values()),
        )
        for c in COMPONENTS
    }
    return district, by_school


# --- The people: deficits found and the target groups -----------------------------------------


@dataclass(frozen=True)
class Finding:
    """A person of PED(S) whose latest score in the component dated in P is a deficit."""

    school_id: int
    person_id: int
    component: str
    score: int
    date: dt.date
    addressed: bool  # a course addressing the component ended in (date, R]


def findings(
    period: Period, schools: Q, mapping: Mapping | None = None, components=COMPONENTS
) -> list[Finding]:
    """Every deficit of the year at the schools matching `schools` (a filter on School), by
    person and component; with `mapping`, whether a course addressing the component ended
    after the diagnostic, up to R (the person then leaves the target group). One query
    (`_findings_sql`)."""
    with connection.cursor() as cursor:
        cursor.execute(*_findings_sql(period, schools, mapping, components))
        return [
            Finding(school, person, COMPONENTS[index], score, _as_date(date), bool(addressed))
            for school, person, index, score, date, addressed in cursor.fetchall()
        ]


def _findings_sql(
    period: Period, schools: Q, mapping: Mapping | None, components
) -> tuple[str, list]:
    """One statement: the people of PED(S) at R of the schools with a score below the
    threshold dated in P (no one else has a deficit); their scores dated in P; per component
    the latest of them (the latest date, of one date the lowest: a window over the person's
    scores), kept when a deficit; whether an addressing course ended after it, up to R. Rows
    (school, person, component's index in COMPONENTS, score, date, addressed)."""
    qn = connection.ops.quote_name
    low = Q()
    for c in components:
        low |= Q(**{f"{c}__lt": settings.DEFICIT_SCORE})
    staff = Employment.objects.filter(
        employed_at(period.reference_date),
        Exists(
            DeficitDiagnostic.objects.filter(
                low, P.contains("date", period), person=OuterRef("person")
            )
        ),
        workplace=Employment.Workplace.MAIN,
        category=Employment.Category.PEDAGOGICAL,
        school__in=School.objects.filter(schools).values("pk"),
    )
    staff_sql, staff_params = (
        staff.values_list("school_id", "person_id").order_by().query.sql_with_params()
    )
    scores_sql, scores_params = (
        DeficitDiagnostic.objects.filter(P.contains("date", period))
        .values_list("person_id", "date", *components)
        .order_by()
        .query.sql_with_params()
    )
    latest = " UNION ALL ".join(
        f"SELECT person, {COMPONENTS.index(c)} AS component, on_date, score FROM ("
        f"SELECT person, on_date, {qn(c)} AS score, ROW_NUMBER() OVER ("
        f"PARTITION BY person ORDER BY on_date DESC, {qn(c)}) AS n "
        f"FROM scores WHERE {qn(c)} IS NOT NULL) ranked WHERE n = 1 AND score < %s"
        for c in components
    )
    if mapping is None:
        addressed, addressed_params = "1 = 0", []
    else:
        addressed, addressed_params = _addressing_sql(mapping, "l.component")
    # The latest scores are computed once (MATERIALIZED: SQLite 3.35+, PostgreSQL 12+), not
    # again for each person they are joined to.
    sql = f"""
        WITH staff (school, person) AS ({staff_sql}),
        scores (person, on_date, {", ".join(qn(c) for c in components)}) AS (
            SELECT * FROM ({scores_sql}) d WHERE d.person_id IN (SELECT person FROM staff)
        ),
        latest AS MATERIALIZED ({latest})
        SELECT s.school, s.person, l.component, l.score, l.on_date,
            CASE WHEN EXISTS (
                SELECT 1 FROM {qn(CourseCompletion._meta.db_table)} c
                WHERE c.person_id = l.person AND c.finished_on > l.on_date
                    AND c.finished_on <= %s AND ({addressed})
            ) THEN 1 ELSE 0 END
        FROM staff s JOIN latest l ON l.person = s.person
    """
    params = [
        *staff_params,
        *scores_params,
        *[settings.DEFICIT_SCORE] * len(components),
        connection.ops.adapt_datefield_value(period.reference_date),
        *addressed_params,
    ]
    return sql, params


def _as_date(value: dt.date | str) -> dt.date:
    """A date as a cursor gives it (SQLite: ISO text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def target_groups(
    period: Period, schools: Q, mapping: Mapping, components=COMPONENTS
) -> list[Finding]:
    """The target groups of deficits.md: the deficits no addressing course followed by R."""
    return [f for f in findings(period, schools, mapping, components) if not f.addressed]


# --- Stored with the year's official values ---------------------------------------------------


def store(
    monitoring_year: MonitoringYear,
    schools: list[School],
    tallies: SchoolTallies,
    found: list[Finding],
) -> None:
    """Replace the year's stored map (every school's and the district's shares, the people
    behind them); part of the computation's transaction."""
    monitoring_year.deficit_shares.all().delete()
    monitoring_year.deficit_findings.all().delete()
    district, by_school = profiles(schools, tallies)
    rows = [(None, district)] + [(s.pk, by_school[s.pk]) for s in schools]
    insert_rows(
        DeficitShare,
        ["monitoring_year_id", "school_id", "component", "numerator", "denominator", "value"],
        (
            [monitoring_year.pk, school, c, cell.numerator, cell.denominator, cell.value]
            for school, profile in rows
            for c, cell in profile.items()
        ),
    )
    ids = {s.pk for s in schools}
    insert_rows(
        DeficitFinding,
        ["monitoring_year_id", "school_id", "person_id", "component", "score", "date"],
        (
            [monitoring_year.pk, f.school_id, f.person_id, f.component, f.score, f.date]
            for f in found
            if f.school_id in ids
        ),
    )


# --- Closure of deficits by provider ------------------------------------------------------------


@dataclass
class ProviderClosure:
    """Retests credited to a provider (or to no course) and, of them, those closed (the next
    score no deficit)."""

    provider: str
    retested: int = 0
    closed: int = 0
    kind: str = ""  # the provider's kind, as shown

    @property
    def share(self) -> Decimal | None:
        """The closure rate: closed of retested, rounded as the indicators' shares."""
        tenths = share_tenths(self.closed, self.retested)
        return None if tenths is None else Decimal(tenths) / TEN

    @property
    def share_text(self) -> str:
        # The tables read the services, which store the map through this module.
        from monitoring.tables import format_number

        return format_number(self.share, Indicator.Kind.SHARE)

    def as_json(self) -> dict:
        return {"retested": self.retested, "closed": self.closed}


@dataclass
class Closure:
    """Closure of deficits of one year: per provider (by its stored name) and without an
    addressing course (the baseline)."""

    period: Period
    providers: list[ProviderClosure]  # by name
    no_course: ProviderClosure


def _teachers(period: Period, district: District) -> QuerySet:
    """The persons in PED(S) at R of a school of the district (their ids)."""
    return Employment.objects.filter(
        employed_at(period.reference_date),
        school__district=district,
        workplace=Employment.Workplace.MAIN,
        category=Employment.Category.PEDAGOGICAL,
    ).values("person_id")


def _like_topic(topic: str) -> str:
    """A LIKE pattern (escape character «\\») matching the stored topics («,a,b,») with `topic`."""
    escaped = topic.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%,{escaped},%"


def _addressing_sql(mapping: Mapping, component: str) -> tuple[str, list]:
    """The SQL condition «course `c` addresses the component in column `component`»
    (components numbered in COMPONENTS' order), by the mapping."""
    parts, params = [], []
    for index, name in enumerate(COMPONENTS):
        topics = sorted(mapping[name])
        if topics:
            likes = " OR ".join("c.topics LIKE %s ESCAPE '\\'" for _ in topics)
            parts.append(f"({component} = {index} AND ({likes}))")
            params += [_like_topic(t) for t in topics]
    return " OR ".join(parts) or "1 = 0", params


def _closure_sql(district: District, period: Period, mapping: Mapping) -> tuple[str, list]:
    """One statement: the teachers' scores per component and date (the lowest of a date);
    each score with the one before it (a window over the person's dates); the retests (a
    deficit, then a score dated in P); each retest with the providers (by name and kind) of
    the addressing courses ended between the two dates. Rows (name, kind, retested, closed)
    per provider, then (NULL, NULL, retested, closed) for the retests without a course."""
    qn = connection.ops.quote_name
    low = Q()
    for c in COMPONENTS:
        low |= Q(**{f"{c}__lt": settings.DEFICIT_SCORE})
    # A retest needs a deficit, then a score dated in P: only such persons' scores are read.
    retested = DeficitDiagnostic.objects.filter(
        Exists(
            DeficitDiagnostic.objects.filter(
                low, person=OuterRef("person"), date__lt=OuterRef("date")
            )
        ),
        P.contains("date", period),
    )
    scores_sql, scores_params = (
        DeficitDiagnostic.objects.filter(
            person__in=_teachers(period, district).filter(person__in=retested.values("person_id")),
            date__lte=period.reference_date,
        )
        .values_list("person_id", "date", *COMPONENTS)
        .order_by()
        .query.sql_with_params()
    )
    # Of each component, the scores of the persons with a deficit in it and a score in it dated
    # in P: no one else has a retest, and the window reads far fewer rows.
    by_date = " UNION ALL ".join(
        f"SELECT person, on_date, {index} AS component, MIN({qn(c)}) AS score FROM diagnostics "
        f"WHERE {qn(c)} IS NOT NULL AND person IN ("
        f"SELECT person FROM diagnostics WHERE {qn(c)} < %s INTERSECT "
        f"SELECT person FROM diagnostics WHERE {qn(c)} IS NOT NULL AND on_date >= %s"
        f") GROUP BY person, on_date"
        for index, c in enumerate(COMPONENTS)
    )
    threshold = settings.DEFICIT_SCORE
    start = connection.ops.adapt_datefield_value(period.start)
    addressed, addressed_params = _addressing_sql(mapping, "r.component")
    window = "OVER (PARTITION BY person, component ORDER BY on_date)"
    sql = f"""
        WITH diagnostics (person, on_date, {", ".join(qn(c) for c in COMPONENTS)}) AS (
            {scores_sql}
        ),
        by_date AS ({by_date}),
        pairs AS (
            SELECT person, component, on_date AS d2, score AS score2,
                LAG(on_date) {window} AS d1, LAG(score) {window} AS score1
            FROM by_date
        ),
        retests AS (
            SELECT person, component, d1, d2, CASE WHEN score2 < %s THEN 0 ELSE 1 END AS closed
            FROM pairs WHERE score1 < %s AND d2 >= %s
        ),
        credits AS (
            SELECT DISTINCT r.person, r.component, r.d2, r.closed, p.name, p.kind
            FROM retests r
            JOIN {qn(CourseCompletion._meta.db_table)} c
                ON c.person_id = r.person AND c.finished_on > r.d1 AND c.finished_on <= r.d2
            JOIN {qn(Provider._meta.db_table)} p ON p.id = c.provider_id
            WHERE {addressed}
        )
        SELECT name, kind, COUNT(*), SUM(closed) FROM credits GROUP BY name, kind
        UNION ALL
        SELECT NULL, NULL, COUNT(*), SUM(closed) FROM retests r WHERE NOT EXISTS (
            SELECT 1 FROM credits x
            WHERE x.person = r.person AND x.component = r.component AND x.d2 = r.d2
        )
    """
    params = [
        *scores_params,
        *[threshold, start] * len(COMPONENTS),
        threshold,
        threshold,
        start,
        *addressed_params,
    ]
    return sql, params


def closure(district: District, period: Period, mapping: Mapping) -> Closure:
    """deficits.md, «Closure of deficits by provider»: for the teachers in PED at R, every
    pair of consecutive scores in a component (of one date, the lowest), a deficit then a
    score dated in P, credited once to each provider with a course addressing the component
    ended in (d1, d2], else to no course. One query (`_closure_sql`): the pairing and the
    crediting run in the database, whatever the number of teachers."""
    kinds = {kind: str(label) for kind, label in Provider.Kind.choices}  # translated once
    providers: dict[str, ProviderClosure] = {}
    no_course = ProviderClosure(str(NO_COURSE))
    with connection.cursor() as cursor:
        cursor.execute(*_closure_sql(district, period, mapping))
        for name, kind, retested, closed in cursor.fetchall():
            if name is None:
                no_course.retested, no_course.closed = retested, closed or 0
                continue
            entry = providers.setdefault(name, ProviderClosure(name, kind=kinds.get(kind, "")))
            entry.retested += retested
            entry.closed += closed or 0
    return Closure(period, [providers[p] for p in sorted(providers)], no_course)


def period_of(district: District, year: int) -> Period:
    """The year with its stored reference date (the official computation's), else 31 August."""
    stored = (
        MonitoringYear.objects.filter(district=district, year=year)
        .values_list("reference_date", flat=True)
        .first()
    )
    return Period.of(year, stored)
