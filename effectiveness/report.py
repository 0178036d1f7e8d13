"""The effectiveness report of a year `Y`: did last year's letters and this year's measures work?

Everything here reads stored values only: a letter's figures of year `Y-1` as the letter cites
them (the numbers and their text, copied when it was drafted), and year `Y`'s stored official
values. Recomputing an old year never changes what a letter said.
"""

import datetime as dt
import operator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, reduce
from html import escape

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from effectiveness.models import Measure
from effectiveness.selectors import academic_years
from monitoring import deficits
from monitoring.deficits import Mapping, addressing, component_topics
from monitoring.models import BREACH_STATUSES, Indicator, IndicatorValue, MonitoringYear, Status
from monitoring.tables import Stored, delta_class, format_delta, format_number, year_values
from profdev.facts import Period, academic_year_label
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    District,
    Employment,
)
from profdev.text import plural
from recommendations.models import CitedFinding, FindingResponse, Letter, LetterEvent
from recommendations.responses import responses_by_letter

# A share that moved by at most this many percentage points has not changed.
UNCHANGED_PP = Decimal("1.0")
TENTH = Decimal("0.1")


class Verdict:
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    NO_DATA = "no_data"

    LABELS = {
        IMPROVED: _("улучшение"),
        UNCHANGED: _("без изменений"),
        WORSE: _("ухудшение"),
        NO_DATA: _("нет данных"),
    }
    # The status colour a verdict is shown in (screen and .xlsx).
    FILLS = {IMPROVED: "green", UNCHANGED: "yellow", WORSE: "red", NO_DATA: "no_data"}


def verdict(indicator: Indicator, then: Decimal | None, now: Decimal | None) -> str:
    """Improved, unchanged (±1 п.п. for shares, equal for counts) or worse, by direction."""
    if then is None or now is None:
        return Verdict.NO_DATA
    delta = now - then
    tolerance = UNCHANGED_PP if indicator.kind == Indicator.Kind.SHARE else 0
    if abs(delta) <= tolerance:
        return Verdict.UNCHANGED
    better = (delta > 0) == (indicator.direction == Indicator.Direction.UP)
    return Verdict.IMPROVED if better else Verdict.WORSE


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def _difference(after: Decimal | None, before: Decimal | None) -> Decimal | None:
    return None if after is None or before is None else after - before


# --- Letters of year Y-1 against year Y ----------------------------------------------------


@dataclass
class Finding:
    indicator: Indicator
    status_then: str
    then_text: str  # as the letter cites it
    then: Decimal | None
    now: Stored | None
    # The school's report on the finding (`recommendations.responses`), with its routes and
    # the records it names as `response.linked`.
    response: FindingResponse | None = None
    to_school: bool = False  # the letter's addressee is a school (which answers it)

    @property
    def now_value(self) -> Decimal | None:
        return self.now.value if self.now else None

    @property
    def response_text(self) -> str:
        """The school's answer in one line, as the report and its .xlsx show it."""
        response = self.response
        if response is None:
            return str(_("Ответа ОО нет."))
        parts = [f"Ответ ОО ({response.done_on:%d.%m.%Y}): {response.done}"]
        routes = len(response.routes.all())
        if routes:
            parts.append(f"ИОМ: {routes}")
        parts += [label for records in response.linked.values() for _pk, label in records]
        return "; ".join(parts)

    @property
    def now_text(self) -> str:
        return format_number(self.now_value, self.indicator.kind)

    @property
    def delta(self) -> Decimal | None:
        return _difference(self.now_value, self.then)

    @property
    def delta_text(self) -> str:
        return format_delta(self.delta, self.indicator.kind)

    @cached_property
    def verdict(self) -> str:
        """Read by the table, its colour, the letter's and the report's tallies: once."""
        return verdict(self.indicator, self.then, self.now_value)

    @property
    def verdict_label(self) -> str:
        return str(Verdict.LABELS[self.verdict])

    @property
    def verdict_fill(self) -> str:
        return Verdict.FILLS[self.verdict]

    @property
    def cells_html(self) -> str:
        """The finding's cells in the report's table of letters: the indicator (with the
        school's answer), then, now, the change and the verdict. Built here, not in the
        template: 300 letters cite some five thousand findings."""
        answer = ""
        if self.to_school:
            answer = f' <div class="small response">{escape(self.response_text)}</div>\n'
        now_status = (self.now.status if self.now else None) or "no_data"
        cells = [
            f"<td>{escape(self.indicator.name)}{answer}</td>",
            f'<td class="num status-{escape(self.status_then)}">{escape(self.then_text)}</td>',
            f'<td class="num status-{escape(now_status)}">{escape(self.now_text)}</td>',
            f'<td class="num">{escape(self.delta_text or "—")}</td>',
            f'<td class="status-{self.verdict_fill}">{escape(self.verdict_label)}</td>',
        ]
        return mark_safe("\n      ".join(cells))


@dataclass
class _LetterRow:
    letter: Letter

    @property
    def addressee(self) -> str:
        return self.letter.addressee_short

    @property
    def confirmed(self) -> bool:
        return self.letter.confirmations > 0


@dataclass
class LetterSummary(_LetterRow):
    """A letter in the report's brief table: how many breaches it cites, how many of them
    improved, stayed, worsened or have no data, and how many the school answered."""

    verdict_of: dict[str, str]  # indicator code → verdict, each breach the letter cites
    answered: int

    @property
    def cited(self) -> int:
        return len(self.verdict_of)

    @cached_property
    def verdicts(self) -> dict[str, int]:
        counts = dict.fromkeys(Verdict.LABELS, 0)
        for key in self.verdict_of.values():
            counts[key] += 1
        return counts

    @property
    def cells_html(self) -> str:
        """The letter's cells in the brief table after its addressee: the breaches cited, the
        verdicts, the school's answer. Built here, not in the template: 300 letters."""
        v = self.verdicts
        if not self.letter.is_to_school:
            answer = "—"
        elif self.answered:
            noun = plural(self.answered, "показателю", "показателям", "показателям")
            answer = f"ответ по {self.answered}\u00a0{noun} из {self.cited}"
        else:
            answer = "нет ответа"
        green = " status-green" if v[Verdict.IMPROVED] else ""
        red = " status-red" if v[Verdict.WORSE] else ""
        cells = [
            f'<td class="num">{self.cited}</td>',
            f'<td class="num{green}">{v[Verdict.IMPROVED]}</td>',
            f'<td class="num">{v[Verdict.UNCHANGED]}</td>',
            f'<td class="num{red}">{v[Verdict.WORSE]}</td>',
            f'<td class="num">{v[Verdict.NO_DATA]}</td>',
            f"<td>{answer}</td>",
        ]
        return mark_safe("".join(cells))


@dataclass
class LetterOutcome(_LetterRow):
    """A letter with every breach it cites, then and now, and the school's answers."""

    findings: list[Finding]


def signed_letters(district: District, year: int) -> list[Letter]:
    """Every signed letter of year `year - 1` (the figures left in the database): the
    district's letter first, then the schools in natural order («№ 2» before «№ 10»)."""
    confirmed = Q(events__kind=LetterEvent.Kind.CONFIRMED)
    letters = (
        Letter.objects.filter(
            monitoring_year__district=district,
            monitoring_year__year=year - 1,
            kind__in=Letter.MONITORING,
            status=Letter.State.SIGNED,
        )
        .select_related("school")
        .defer(*Letter.HEAVY)
        .annotate(
            confirmations=Count("events", filter=confirmed),
            confirmed_at=Min("events__at", filter=confirmed),
        )
    )
    return sorted(letters, key=Letter.natural_order)


def _cited(letters: list[Letter], *fields: str, **annotations) -> list[tuple]:
    """The letters' `CitedFinding` rows, each letter's in its order: (letter id, indicator
    code, *fields, *annotations)."""
    rows = (
        CitedFinding.objects.filter(letter__in=[x.pk for x in letters])
        .annotate(**annotations)
        .order_by("letter_id", "order")  # not by the letters' own ordering: no joins to sort
    )
    return list(rows.values_list("letter_id", "indicator_id", *fields, *annotations))


def letter_summaries(
    letters: list[Letter], indicators: dict[str, Indicator], now: MonitoringYear | None
) -> list[LetterSummary]:
    """The brief table: per letter the verdicts of the breaches it cites against the stored
    values of `now`, and how many the school answered; two narrow queries whatever the
    letters' number."""
    answer = FindingResponse.objects.filter(
        letter=OuterRef("letter"), indicator=OuterRef("indicator")
    )
    cited = _cited(letters, "value", answered=Exists(answer))
    codes = {code for _, code, *_ in cited}
    values = {}
    if now is not None and codes:
        values = {
            (school, code): value
            for school, code, value in IndicatorValue.objects.filter(
                monitoring_year=now, indicator__in=codes
            ).values_list("school_id", "indicator_id", "value")
        }
    school = {x.pk: x.school_id for x in letters}
    verdicts: dict[int, dict[str, str]] = {x.pk: {} for x in letters}
    answers = dict.fromkeys(verdicts, 0)
    for letter_id, code, then, answered in cited:
        now_value = values.get((school[letter_id], code))
        verdicts[letter_id][code] = verdict(indicators[code], then, now_value)
        answers[letter_id] += answered
    return [LetterSummary(x, verdicts[x.pk], answers[x.pk]) for x in letters]


def letter_outcomes(
    letters: list[Letter], indicators: dict[str, Indicator], now: MonitoringYear | None
) -> list[LetterOutcome]:
    """Each letter with every breach it cites, then (as the letter cites it) and now (the
    stored values of `now`), with the school's answer to it."""
    cited = _cited(letters, "status", "value", "value_text")
    values = year_values(now, {code for _, code, *_ in cited}) if cited else {}
    answers = responses_by_letter(letters)
    by_pk = {x.pk: x for x in letters}
    findings: dict[int, list[Finding]] = {x.pk: [] for x in letters}
    for letter_id, code, status, then, then_text in cited:
        letter = by_pk[letter_id]
        findings[letter_id].append(
            Finding(
                indicator=indicators[code],
                status_then=status,
                then_text=then_text,
                then=then,
                now=values.get((letter.school_id, code)),
                response=answers.get((letter_id, code)),
                to_school=letter.is_to_school,
            )
        )
    return [LetterOutcome(x, findings[x.pk]) for x in letters]


def verdict_totals(summaries: list[LetterSummary]) -> dict[str, int]:
    counts = dict.fromkeys(Verdict.LABELS, 0)
    for summary in summaries:
        for key, n in summary.verdicts.items():
            counts[key] += n
    return counts


# --- Measures: targeted schools against the others (difference-in-differences) ------------


@dataclass
class Pooled:
    """A group of schools' pooled value before and after (shares: Σ numerators / Σ
    denominators; counts: Σ values)."""

    indicator: Indicator
    before: Decimal | None
    after: Decimal | None
    schools: int

    @property
    def change(self) -> Decimal | None:
        return _difference(self.after, self.before)

    @property
    def before_text(self) -> str:
        return format_number(rounded(self.before), self.indicator.kind)

    @property
    def after_text(self) -> str:
        return format_number(rounded(self.after), self.indicator.kind)

    @property
    def change_text(self) -> str:
        return format_delta(rounded(self.change), self.indicator.kind) or "—"


@dataclass
class Effect:
    indicator: Indicator
    targeted: Pooled
    others: Pooled

    @property
    def did(self) -> Decimal | None:
        return _difference(self.targeted.change, self.others.change)

    @property
    def did_text(self) -> str:
        return format_delta(rounded(self.did), self.indicator.kind) or "—"

    @property
    def did_class(self) -> str:
        return delta_class(rounded(self.did), self.indicator)


@dataclass
class MeasureEffect:
    measure: Measure
    effects: list[Effect]


def _pool(rows: list[tuple[int | None, int | None]], kind: str) -> Decimal | None:
    """Pooled value of (numerator, denominator) rows of a group of schools."""
    rows = [(n, d) for n, d in rows if n is not None]
    if kind == Indicator.Kind.COUNT:
        return Decimal(sum(n for n, _ in rows)) if rows else None
    numerator = sum(n for n, d in rows if d)
    denominator = sum(d for _, d in rows if d)
    return Decimal(100 * numerator) / Decimal(denominator) if denominator else None


def reference_dates(years: dict[int, MonitoringYear], *wanted: int) -> dict[int, dt.date]:
    """Each wanted year's reference date: as its monitoring stored it, else the default."""
    return {
        y: years[y].reference_date if y in years else Period.of(y).reference_date for y in wanted
    }


def measures_window(year: int, references: dict[int, dt.date]) -> tuple[dt.date, dt.date]:
    """The dates of the measures year `year` judges, first and last: after year `year - 1`'s
    reference date (its values, «before», were measured before the measure) up to year
    `year`'s (its values, «after», are the first measured with it). With the default
    reference dates (31 August) these are the measures of academic year `year`; a measure
    after a year's earlier reference date is judged by the next year."""
    return references[year - 1] + dt.timedelta(days=1), references[year]


def measure_effects(
    district: District, year: int, school_ids: list[int], window: tuple[dt.date, dt.date]
) -> list[MeasureEffect]:
    """Every measure dated within `window` (`measures_window`), each targeted indicator before
    (year - 1) and after (year) in the targeted schools against the other schools."""
    measures = list(
        Measure.objects.filter(district=district, date__range=window)
        .prefetch_related("indicators", "schools")
        .annotate(named=Count("enrolments"))
        .order_by("date", "id")
    )
    codes = {i.code for m in measures for i in m.indicators.all()}
    stored: dict[tuple[int, str, int], tuple[int | None, int | None]] = {}
    rows = IndicatorValue.objects.filter(
        monitoring_year__district=district,
        monitoring_year__year__in=(year - 1, year),
        school__isnull=False,
        indicator__in=codes,
    ).values_list("monitoring_year__year", "indicator_id", "school_id", "numerator", "denominator")
    for value_year, code, school_id, numerator, denominator in rows:
        stored[(value_year, code, school_id)] = (numerator, denominator)

    def pooled(indicator: Indicator, schools: list[int]) -> Pooled:
        def value(y: int) -> Decimal | None:
            return _pool(
                [
                    stored[(y, indicator.code, s)]
                    for s in schools
                    if (y, indicator.code, s) in stored
                ],
                indicator.kind,
            )

        return Pooled(indicator, value(year - 1), value(year), len(schools))

    result = []
    for measure in measures:
        targeted = [s.pk for s in measure.schools.all()] or list(school_ids)
        chosen = set(targeted)
        others = [s for s in school_ids if s not in chosen]
        effects = [
            Effect(indicator, pooled(indicator, targeted), pooled(indicator, others))
            for indicator in measure.indicators.all()
            if not indicator.district_only
        ]
        result.append(MeasureEffect(measure, effects))
    return result


# --- District summary: last year's breaches resolved this year ----------------------------


@dataclass
class Resolution:
    indicator: Indicator
    breached: int
    resolved: int
    still: int

    @property
    def unknown(self) -> int:
        return self.breached - self.resolved - self.still


def breach_resolutions(
    district: District, year: int, indicators: dict[str, Indicator]
) -> list[Resolution]:
    """Per indicator: schools in breach in `year - 1`, of them green in `year`, still in
    breach, and without a value; one grouped query."""
    status_now = IndicatorValue.objects.filter(
        monitoring_year__district=district,
        monitoring_year__year=year,
        school=OuterRef("school"),
        indicator=OuterRef("indicator"),
    ).values("status")[:1]
    # Grouped by the status now too, so that each breach's status now is looked up once.
    rows = (
        IndicatorValue.objects.filter(
            monitoring_year__district=district,
            monitoring_year__year=year - 1,
            school__isnull=False,
            status__in=BREACH_STATUSES,
        )
        .annotate(now=Subquery(status_now))
        .values_list("indicator", "now")
        .annotate(n=Count("id"))
        .order_by()
    )
    tallies: dict[str, list[int]] = {}  # code → breached, resolved, still in breach
    for code, now, n in rows:
        tally = tallies.setdefault(code, [0, 0, 0])
        tally[0] += n
        tally[1] += n if now == Status.GREEN else 0
        tally[2] += n if now in BREACH_STATUSES else 0
    resolutions = [Resolution(indicators[code], *tally) for code, tally in tallies.items()]
    return sorted(resolutions, key=lambda r: r.indicator.order)


# --- Quality of further education: deficits closed after a course or an ИОМ ---------------


@dataclass
class Closure:
    component: str
    label: str
    found: int  # deficient findings (a diagnostic × a component below DEFICIT_SCORE)
    retested: int  # of them, diagnosed again after a course or an ИОМ
    closed: int  # of them, the later diagnostic at or above DEFICIT_SCORE

    @property
    def share(self) -> Decimal | None:
        """Closed after study, of every deficit found."""
        return _percent(self.closed, self.found)

    @property
    def retested_share(self) -> Decimal | None:
        """Closed, of the deficits re-diagnosed after study (the courses' effect)."""
        return _percent(self.closed, self.retested)

    @property
    def share_text(self) -> str:
        return format_number(self.share, Indicator.Kind.SHARE)

    @property
    def retested_share_text(self) -> str:
        return format_number(self.retested_share, Indicator.Kind.SHARE)


def _percent(part: int, whole: int) -> Decimal | None:
    return rounded(Decimal(100 * part) / Decimal(whole)) if whole else None


# A deficit's outcome (`_outcome`): not diagnosed again after study, diagnosed again, closed.
NOT_RETESTED, RETESTED, CLOSED = -1, 0, 1


def _best_after_study(component: str, courses: Q | None) -> Subquery:
    """Of the person's later diagnostics scoring the component, with a ПК/ПП addressing the
    component (`courses`, by the district's mapping; None: no topic addresses it) finished
    or an ИОМ active between the two: CLOSED when one scores at or above the threshold, else
    RETESTED; NULL without such a diagnostic."""
    earlier = OuterRef(OuterRef("date"))
    route = DevelopmentRoute.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=earlier),
        person=OuterRef("person"),
        started_on__lte=OuterRef("date"),
    )
    study = Exists(route)
    if courses is not None:
        course = CourseCompletion.objects.filter(
            courses,
            person=OuterRef("person"),
            finished_on__gt=earlier,
            finished_on__lte=OuterRef("date"),
        )
        study |= Exists(course)
    closed = When(**{f"{component}__gte": settings.DEFICIT_SCORE}, then=Value(CLOSED))
    later = (
        DeficitDiagnostic.objects.filter(
            study,
            person=OuterRef("person"),
            date__gt=OuterRef("date"),
            **{f"{component}__isnull": False},
        )
        .order_by()
        .values("person")
        .annotate(best=Max(Case(closed, default=Value(RETESTED))))
        .values("best")
    )
    return Subquery(later)


def _deficient(component: str) -> Q:
    # «Not null» first: PostgreSQL then skips the look-ups for a score not given (NULL < 60 is
    # unknown, not false, and would not stop them).
    return Q(**{f"{component}__isnull": False}) & Q(**{f"{component}__lt": settings.DEFICIT_SCORE})


def _outcome(component: str, courses: Q | None) -> Case:
    """A diagnostic's deficit in the component: NULL without one, else what came of it."""
    best = Coalesce(_best_after_study(component, courses), Value(NOT_RETESTED))
    return Case(When(_deficient(component), then=best), default=None)


def education_quality(district: District, year: int, mapping: Mapping) -> list[Closure]:
    """Deficits found in diagnostics of academic years `year - 1` and `year` of the
    district's teachers, per component; a course counts only for the components its topics
    address (`mapping`, the district's `component_topics`). One grouped aggregate over each
    diagnostic's outcomes, each looked up once."""
    teachers = Employment.objects.filter(
        person=OuterRef("person"),
        school__district=district,
        category=Employment.Category.PEDAGOGICAL,
    )
    start, end = academic_years(year - 1, year)
    outcomes = {c: _outcome(c, addressing(c, mapping)) for c in DIAGNOSTIC_COMPONENTS}
    # A diagnostic without a deficit has no outcome: only the others are read.
    any_deficit = reduce(operator.or_, map(_deficient, DIAGNOSTIC_COMPONENTS))
    rows = (
        DeficitDiagnostic.objects.filter(any_deficit, date__range=(start, end))
        .filter(Exists(teachers))
        .annotate(**{f"{c}_outcome": outcome for c, outcome in outcomes.items()})
        .values_list(*(f"{c}_outcome" for c in outcomes))
        .order_by()  # counted, not listed: no sort by the model's ordering
    )
    # Materialised: each outcome is looked up once per diagnostic, though counted three times
    # (PostgreSQL would otherwise fold the subquery into the counts and repeat its look-ups).
    sql, params = rows.query.sql_with_params()
    qn = connection.ops.quote_name
    counts = ", ".join(
        f"COUNT({column}), COUNT(CASE WHEN {column} >= {RETESTED} THEN 1 END), "
        f"COUNT(CASE WHEN {column} = {CLOSED} THEN 1 END)"
        for column in (qn(f"{c}_outcome") for c in outcomes)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH outcomes AS MATERIALIZED ({sql}) SELECT {counts} FROM outcomes", params
        )
        totals = cursor.fetchone()
    labels = {f.name: f.verbose_name for f in DeficitDiagnostic._meta.fields}
    return [
        Closure(c, str(labels[c]), *totals[3 * i : 3 * i + 3])
        for i, c in enumerate(DIAGNOSTIC_COMPONENTS)
    ]


def overall(closures: list[Closure]) -> Closure:
    return Closure(
        "",
        str(_("Все компоненты")),
        sum(c.found for c in closures),
        sum(c.retested for c in closures),
        sum(c.closed for c in closures),
    )


# --- The report -------------------------------------------------------------------------


@dataclass
class LettersSection:
    """Section 1: the signed letters of year `Y-1`, each against year `Y`'s stored values."""

    district: District
    year: int
    monitoring_year: MonitoringYear | None
    letters: list[LetterSummary]
    indicators: dict[str, Indicator]
    verdicts: dict[str, int]

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    @property
    def previous_label(self) -> str:
        return academic_year_label(self.year - 1)

    def verdict_summary(self) -> list[tuple[str, str, int]]:
        return [(key, str(Verdict.LABELS[key]), n) for key, n in self.verdicts.items()]

    def outcomes(self, letters: list[LetterSummary] | None = None) -> list[LetterOutcome]:
        """The letters (every one, or those of `letters`) with each breach they cite in full:
        section 1 of the report, its PDF and .xlsx."""
        chosen = self.letters if letters is None else letters
        return letter_outcomes([x.letter for x in chosen], self.indicators, self.monitoring_year)


@dataclass
class Report(LettersSection):
    previous_year: MonitoringYear | None
    measures: list[MeasureEffect]
    measures_window: tuple[dt.date, dt.date]
    resolutions: list[Resolution]
    quality: list[Closure]
    providers: deficits.Closure  # by provider, with the no-course baseline

    @property
    def quality_total(self) -> Closure:
        return overall(self.quality)

    @property
    def resolved_total(self) -> tuple[int, int]:
        return (
            sum(r.resolved for r in self.resolutions),
            sum(r.breached for r in self.resolutions),
        )


def _recorded(district: District, year: int) -> dict[int, MonitoringYear]:
    """The district's monitoring years `year - 1` and `year`, by year."""
    return {
        m.year: m
        for m in MonitoringYear.objects.filter(district=district, year__in=(year - 1, year))
    }


def _letters_fields(district: District, year: int, computed: dict[int, MonitoringYear]) -> dict:
    indicators = {i.code: i for i in Indicator.objects.all()}
    letters = letter_summaries(signed_letters(district, year), indicators, computed.get(year))
    return {
        "district": district,
        "year": year,
        "monitoring_year": computed.get(year),
        "letters": letters,
        "indicators": indicators,
        "verdicts": verdict_totals(letters),
    }


def _computed(recorded: dict[int, MonitoringYear]) -> dict[int, MonitoringYear]:
    return {y: m for y, m in recorded.items() if m.computed_at is not None}


def letters_section(district: District, year: int) -> LettersSection:
    """Section 1 alone (its own page), without the report's other sections; a fixed number of
    queries."""
    return LettersSection(**_letters_fields(district, year, _computed(_recorded(district, year))))


def effectiveness_report(district: District, year: int) -> Report:
    """The report of academic year `year` from stored values; a fixed number of queries."""
    recorded = _recorded(district, year)
    years = _computed(recorded)
    references = reference_dates(recorded, year - 1, year)
    window = measures_window(year, references)
    school_ids = list(district.schools.order_by("code").values_list("pk", flat=True))
    mapping = component_topics(district)
    section = _letters_fields(district, year, years)
    return Report(
        **section,
        previous_year=years.get(year - 1),
        measures=measure_effects(district, year, school_ids, window),
        measures_window=window,
        resolutions=breach_resolutions(district, year, section["indicators"]),
        quality=education_quality(district, year, mapping),
        # deficits.md's closure over year `year` up to its reference date (`period_of`).
        providers=deficits.closure(district, Period.of(year, references[year]), mapping),
    )
