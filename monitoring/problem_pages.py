"""«Проблемные поля» as the pages show them (results.md): the failure shares of a district's
schools by subject in a year (the heat map, its district row first), their trend over every
year with results, and one school's rows of one subject (the drill-down).

A year's shares are those stored with its official computation (`FailureShare`) when it has
them; a year not yet computed, or computed before its results were entered, is counted from
the records (`monitoring.failures`), and the page says so. Counting and the test of a problem
field stay `monitoring.failures`'; this module only reads and shapes them.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from monitoring import tables
from monitoring.context import shown_year
from monitoring.deficits import period_of
from monitoring.failures import Count, Limits, failures, limits_for
from monitoring.models import FailureShare, Indicator, MonitoringYear
from monitoring.problem_fields import SUBJECT_NAMES, share_value
from monitoring.problem_teachers import Gaps, Teacher, gaps, teachers
from monitoring.selectors import years_on_record
from monitoring.tables import NBSP, format_number
from profdev.facts import Period, academic_year_label
from profdev.models import District, School, StudentResult, Subject
from profdev.text import natural_key

SHARE = Indicator.Kind.SHARE
# The heat map's colour steps, in percent of pupils who failed: below 5, 5–10, 10–15, 15–25,
# 25 and more (static/css/problems.css, `heat-0` … `heat-4`).
HEAT_STEPS = (Decimal(5), Decimal(10), Decimal(15), Decimal(25))
TENTH = Decimal("0.1")
PROCEDURES = list(StudentResult.Procedure.values)  # ВПР, ОГЭ, ЕГЭ, НОКО


def percent(value: Decimal) -> str:
    """A limit as shown: «15,0 %»."""
    return format_number(value, SHARE)


def points(value: Decimal) -> str:
    """A margin as shown: «10,0 п. п.»."""
    return f"{value:.1f}".replace(".", ",") + f"{NBSP}п.{NBSP}п."


@dataclass(frozen=True)
class FailureCell:
    """Pupils who failed of the participants in one subject (a school's or the district's),
    and whether that is a problem field."""

    numerator: int
    denominator: int
    problem: bool = False

    @property
    def count(self) -> Count:
        return Count(self.numerator, self.denominator)

    @property
    def value(self) -> Decimal | None:
        return share_value(self.count)

    @property
    def text(self) -> str:
        return format_number(self.value, SHARE)

    @property
    def fraction(self) -> str:
        return f"{self.numerator} из {self.denominator}"

    @property
    def heat(self) -> int:
        """The colour step (`HEAT_STEPS`) of the exact share, not the rounded one."""
        return sum(100 * self.numerator >= step * self.denominator for step in HEAT_STEPS)


Cells = dict[str, FailureCell]  # subject → cell


@dataclass(frozen=True)
class YearShares:
    """A district's failure shares of one year: pooled and by school (subjects with
    participants only); `stored`: from the year's official computation."""

    year: int
    stored: bool
    district: Cells
    schools: dict[int, Cells]

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    def problem_schools(self, subject: str | None = None) -> set[int]:
        """The schools with a problem field (in `subject`, if given)."""
        return {
            school
            for school, cells in self.schools.items()
            if any(c.problem for s, c in cells.items() if subject in (None, s))
        }


def _ordered(cells: Cells) -> Cells:
    return {s: cells[s] for s in Subject.values if s in cells}


def _stored(district: District) -> dict[int, YearShares]:
    """The shares stored with the district's computed years (those that have some); one
    query."""
    rows = FailureShare.objects.filter(
        monitoring_year__district=district, monitoring_year__computed_at__isnull=False
    ).values_list(
        "monitoring_year__year", "school_id", "subject", "numerator", "denominator", "problem"
    )
    district_cells: dict[int, Cells] = defaultdict(dict)
    schools: dict[int, dict[int, Cells]] = defaultdict(lambda: defaultdict(dict))
    for year, school, subject, numerator, denominator, problem in rows:
        cell = FailureCell(numerator, denominator, problem)
        if school is None:
            district_cells[year][subject] = cell
        else:
            schools[year][school][subject] = cell
    return {
        year: YearShares(
            year,
            True,
            _ordered(district_cells[year]),
            {school: _ordered(cells) for school, cells in schools[year].items()},
        )
        for year in set(district_cells) | set(schools)
    }


def _live(district: District, year: int) -> YearShares:
    """The year's shares counted from the records now; two queries."""
    found = failures(year, Q(pk=district.pk)).of(district.pk)
    problems = found.problems()
    return YearShares(
        year,
        False,
        {s: FailureCell(c.numerator, c.denominator) for s, c in found.pooled.items()},
        {
            school: _ordered(
                {
                    s: FailureCell(c.numerator, c.denominator, s in problems.get(school, []))
                    for s, c in counts.items()
                }
            )
            for school, counts in found.schools.items()
        },
    )


def result_years(district: District) -> list[int]:
    """The years of the district's students' results, latest first; one query."""
    return list(
        StudentResult.objects.filter(school__district=district)
        .values_list("year", flat=True)
        .order_by("-year")
        .distinct()
    )


def district_years(district: District, with_results: list[int]) -> dict[int, YearShares]:
    """Every year with results (`result_years`) and every computed year with stored shares,
    each stored or, without stored shares, counted live: one query, and two per year counted
    live (usually the current one)."""
    years = _stored(district)
    for year in with_results:
        if year not in years:
            years[year] = _live(district, year)
    return dict(sorted(years.items()))


def problem_rule(cell: FailureCell, district: FailureCell, limits: Limits) -> list[str]:
    """In plain Russian, which rule of a problem field the school's share meets with `limits`
    (both may hold); empty when it meets neither. Exact comparisons, as `is_problem`."""
    n, d = cell.numerator, cell.denominator
    big_n, big_d = district.numerator, district.denominator
    reasons = []
    if d and 100 * n >= limits.threshold * d:
        reasons.append(
            f"доля не справившихся {cell.text} не меньше порога {percent(limits.threshold)}"
        )
    if d and big_d and 100 * n * big_d >= (100 * big_n + limits.margin * big_d) * d:
        bound = Decimal(100 * big_n) / big_d + limits.margin
        reasons.append(
            f"доля не справившихся {cell.text} не меньше доли муниципалитета {district.text} "
            f"плюс {points(limits.margin)} ({percent(bound.quantize(TENTH, ROUND_HALF_UP))})"
        )
    return reasons


# --- The heat map ---------------------------------------------------------------------------


NO_PARTICIPANTS = mark_safe('<td><span class="visually-hidden">нет участников</span></td>')
PROBLEM_MARK = mark_safe(
    '<span class="problem-mark" aria-hidden="true"> ▲</span>'
    '<span class="visually-hidden">, проблемное поле</span>'
)


def cell_html(cell: FailureCell | None, url: str = "") -> str:
    """A heat map cell: the share (a link to `url`, if any) on its colour step, a problem
    field marked by ▲ and in words for screen readers. Built here, not by an include per
    cell: a district's map has a few thousand."""
    if cell is None:
        return NO_PARTICIPANTS
    text = format_html('<a href="{}">{}</a>', url, cell.text) if url else cell.text
    if cell.problem:
        return format_html(
            '<td class="heat-{} problem" title="{}: проблемное поле">{}{}</td>',
            cell.heat,
            cell.fraction,
            text,
            PROBLEM_MARK,
        )
    return format_html('<td class="heat-{}" title="{}">{}</td>', cell.heat, cell.fraction, text)


def drill_urls(year: int, link_query: str = "") -> Callable[[School, str], str]:
    """Links to the drill-downs of the year: one `reverse` and then the school's code and the
    subject put in place (as `reverse` quotes them), a district's map has thousands."""
    stem = reverse("monitoring:problem", args=[year, "-", "-"]).removesuffix("-/-/")
    return lambda school, subject: f"{stem}{quote(school.code)}/{subject}/{link_query}"


@dataclass(frozen=True)
class HeatRow:
    school: School
    cells: tuple[FailureCell | None, ...]  # by the map's subjects; None: no participants
    url: str  # the school's monitoring page
    html: str  # the cells as `cell_html` renders them, linked to their drill-downs

    @property
    def problems(self) -> int:
        return sum(1 for c in self.cells if c is not None and c.problem)


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the academic year
    cell: FailureCell | None  # the district's (or a school's)
    problem_schools: int  # schools with a problem field in the subject that year
    stored: bool


@dataclass(frozen=True)
class SubjectTrend:
    subject: str
    points: tuple[TrendPoint, ...]  # oldest first

    @property
    def name(self) -> str:
        return str(SUBJECT_NAMES[self.subject])


@dataclass(frozen=True)
class HeatMap:
    district: District
    year: int
    years: tuple[int, ...]  # with results or computed, latest first
    shares: YearShares | None  # None: no results that year
    limits: Limits  # in force for the year
    monitoring_year: MonitoringYear | None  # the year's computation, if done
    subjects: tuple[str, ...]  # with participants in the district that year
    total: tuple[FailureCell | None, ...]  # the district row
    rows: tuple[HeatRow, ...]  # the visible schools with results
    without_results: tuple[School, ...]  # the visible schools without
    trends: tuple[SubjectTrend, ...]
    by_year: dict[int, YearShares]  # every year's shares, oldest first

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    @property
    def total_html(self) -> str:
        return format_html_join("", "{}", ((cell_html(c),) for c in self.total))

    @property
    def subject_names(self) -> list[str]:
        return [str(SUBJECT_NAMES[s]) for s in self.subjects]

    @property
    def live_years(self) -> list[str]:
        """The years shown counted from the records, not from a computation."""
        return [y.label for y in self.by_year.values() if not y.stored]

    @property
    def threshold_text(self) -> str:
        return percent(self.limits.threshold)

    @property
    def margin_text(self) -> str:
        return points(self.limits.margin)

    @property
    def problem_fields(self) -> int:
        """Problem fields of the visible schools."""
        return sum(r.problems for r in self.rows)

    @property
    def schools_problem(self) -> int:
        """SCHOOLS_PROBLEM: the district's schools with a problem field."""
        return len(self.shares.problem_schools()) if self.shares else 0


def trends(by_year: dict[int, YearShares], school_id: int | None = None) -> list[SubjectTrend]:
    """Per subject with participants in some year: the district's share (or the school's,
    with `school_id`) and the district's schools with a problem field in it, by year."""
    subjects = [
        s
        for s in Subject.values
        if any(
            s in (y.district if school_id is None else y.schools.get(school_id, {}))
            for y in by_year.values()
        )
    ]
    return [
        SubjectTrend(
            subject,
            tuple(
                TrendPoint(
                    y.label,
                    (y.district if school_id is None else y.schools.get(school_id, {})).get(
                        subject
                    ),
                    len(y.problem_schools(subject)),
                    y.stored,
                )
                for y in by_year.values()
            ),
        )
        for subject in subjects
    ]


def heat_map(
    district: District, year: int | None, schools: list[School], link_query: str = ""
) -> HeatMap:
    """The year's heat map of the visible `schools` (the district's, or a school
    administrator's own) below the district row, with the trends; its links keep
    `link_query` (the district picked); six queries, two more per year counted live."""
    with_results = result_years(district)
    computed = {m.year: m for m in years_on_record(district)}
    years = tuple(sorted(set(with_results) | set(computed), reverse=True))
    year = shown_year(year, years)
    by_year = district_years(district, with_results)
    shares = by_year.get(year)
    subjects = tuple(shares.district) if shares else ()
    total = tuple(shares.district.get(s) for s in subjects) if shares else ()
    rows, without = [], []
    drill_url = drill_urls(year, link_query)
    school_url = tables.school_url(year, link_query)
    for school in sorted(schools, key=lambda s: natural_key(s.code)):
        cells = shares.schools.get(school.pk) if shares else None
        if not cells:
            without.append(school)
            continue
        row = tuple(cells.get(s) for s in subjects)
        html = format_html_join(
            "",
            "{}",
            (
                (cell_html(c, drill_url(school, s) if c else ""),)
                for s, c in zip(subjects, row, strict=True)
            ),
        )
        rows.append(HeatRow(school, row, school_url(school), html))
    return HeatMap(
        district=district,
        year=year,
        years=years,
        shares=shares,
        limits=limits_for(Q(pk=district.pk), year).get(district.pk, Limits()),
        monitoring_year=computed.get(year),
        subjects=subjects,
        total=total,
        rows=tuple(rows),
        without_results=tuple(without),
        trends=tuple(trends(by_year)),
        by_year=by_year,
    )


# --- One school's rows of one subject ---------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """A StudentResult row as the drill-down shows it."""

    procedure: str
    grade: int
    cell: FailureCell
    average_score: Decimal | None

    @property
    def average_text(self) -> str:
        if self.average_score is None:
            return "—"
        return f"{self.average_score.normalize():f}".replace(".", ",")


class SubjectTeachers:
    """A subject of a school with its teachers (`subject`, `teachers`): the drill-down and
    the school page's problem fields."""

    subject: str
    teachers: tuple[Teacher, ...]

    @property
    def subject_name(self) -> str:
        return str(SUBJECT_NAMES[self.subject])

    @property
    def gaps(self) -> Gaps:
        return gaps(self.teachers)


@dataclass(frozen=True)
class DrillPoint:
    label: str
    school: FailureCell | None
    district: FailureCell | None
    stored: bool


@dataclass(frozen=True)
class Drill(SubjectTeachers):
    school: School
    subject: str
    heat: HeatMap  # the school's year, for its limits, shares and years
    rows: tuple[ResultRow, ...]
    total: FailureCell | None  # the rows summed now; None without rows
    cell: FailureCell | None  # the school's share as the map shows it (stored or live)
    district: FailureCell | None
    reasons: tuple[str, ...]  # the rules the share meets with the limits in force
    trend: tuple[DrillPoint, ...]  # oldest first
    period: Period  # the year with its reference date, for the teachers
    teachers: tuple[Teacher, ...]  # of the subject in PED(S) at the reference date

    @property
    def changed(self) -> bool:
        """The rows changed since the year's computation stored the share."""
        if self.heat.shares is None or not self.heat.shares.stored:
            return False
        return (self.total and self.total.count) != (self.cell and self.cell.count)


def drill(school: School, subject: str, year: int) -> Drill:
    """The school's rows of the subject in the year, its share (stored or live) against the
    district's, the rule that makes it a problem field, its trend and the subject's teachers; ten
    queries, two more per year counted live."""
    heat = heat_map(school.district, year, [school])
    records = sorted(
        StudentResult.objects.filter(school=school, year=year, subject=subject),
        key=lambda r: (PROCEDURES.index(r.procedure), r.grade),
    )
    procedures = dict(StudentResult.Procedure.choices)
    rows = tuple(
        ResultRow(
            str(procedures[r.procedure]),
            r.grade,
            FailureCell(r.failed, r.participants),
            r.average_score,
        )
        for r in records
    )
    total = None
    if rows:
        total = FailureCell(
            sum(r.cell.numerator for r in rows), sum(r.cell.denominator for r in rows)
        )
    shares = heat.shares
    cell = shares.schools.get(school.pk, {}).get(subject) if shares else None
    district = shares.district.get(subject) if shares else None
    reasons = problem_rule(cell, district, heat.limits) if cell and district else []
    trend = tuple(
        DrillPoint(
            y.label, y.schools.get(school.pk, {}).get(subject), y.district.get(subject), y.stored
        )
        for y in heat.by_year.values()
        if subject in y.district
    )
    period = period_of(school.district, year)
    found = teachers(period, [school.pk], {school.pk: [subject]}).get((school.pk, subject), [])
    return Drill(
        school,
        subject,
        heat,
        rows,
        total,
        cell,
        district,
        tuple(reasons),
        trend,
        period,
        tuple(found),
    )


# --- A school's problem fields with their teachers (the school's monitoring page) --------------


@dataclass(frozen=True)
class SchoolProblem(SubjectTeachers):
    subject: str
    cell: FailureCell
    district: FailureCell | None
    teachers: tuple[Teacher, ...]


def school_problems(school: School, monitoring_year: MonitoringYear | None) -> list[SchoolProblem]:
    """The school's problem fields stored with the year's computation, in the subject list's
    order, each with its teachers in PED(S) at the year's reference date; one query, two with
    problem fields."""
    if monitoring_year is None:
        return []
    rows = FailureShare.objects.filter(
        Q(school=school) | Q(school__isnull=True), monitoring_year=monitoring_year
    ).values_list("school_id", "subject", "numerator", "denominator", "problem")
    district: Cells = {}
    problems: Cells = {}
    for school_id, subject, numerator, denominator, problem in rows:
        if school_id is None:
            district[subject] = FailureCell(numerator, denominator)
        elif problem:
            problems[subject] = FailureCell(numerator, denominator, problem)
    problems = _ordered(problems)
    if not problems:
        return []
    period = Period.of(monitoring_year.year, monitoring_year.reference_date)
    found = teachers(period, [school.pk], {school.pk: list(problems)})
    return [
        SchoolProblem(
            subject, cell, district.get(subject), tuple(found.get((school.pk, subject), ()))
        )
        for subject, cell in problems.items()
    ]
