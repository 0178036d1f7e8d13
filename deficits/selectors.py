"""Reads of the deficit pages, each a fixed number of queries: the stored map of a year with
its trend and the people behind a cell (as computed with the official values), and the
target groups (from the records, up to the year's reference date)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.safestring import mark_safe

from deficits.models import CourseOrder, CourseOrderLine, CourseOrderSchool
from monitoring.context import Years, district_for, years_of
from monitoring.deficits import (
    COMPONENTS,
    LABELS,
    Cell,
    component_topics,
    period_of,
    target_groups,
)
from monitoring.models import DeficitFinding, DeficitShare, Indicator, MonitoringYear
from monitoring.tables import format_number
from profdev.facts import Period, academic_year_label
from profdev.models import CourseCompletion, District, Person, Provider, School
from profdev.scoping import scope_for
from profdev.text import natural_key
from recommendations.models import Letter

# The map's colours by share (the status colours of the dashboards): a share of at least
# 25 % is red, of at least 10 % yellow, below that green; no one diagnosed, grey.
BANDS = ((Decimal(25), "red"), (Decimal(10), "yellow"))


def band(value: Decimal | None) -> str:
    if value is None:
        return "no_data"
    return next((colour for bound, colour in BANDS if value >= bound), "green")


@dataclass(frozen=True)
class Where:
    """What a user's deficit pages show: a district and the schools of it the user reads."""

    district: District
    schools: list[School]  # by code
    staff: bool  # district staff (the whole district); else a school administrator

    @property
    def school_filter(self) -> Q:
        """The schools, as a filter on School."""
        if self.staff:
            return Q(district=self.district)
        return Q(pk__in=[s.pk for s in self.schools])

    def school_or_404(self, code: str) -> School:
        school = next((s for s in self.schools if s.code == code), None)
        if school is None:
            raise Http404
        return school


def where_for(request: HttpRequest) -> Where:
    """District staff: their district (`district_for`, `?district=CODE` for a regional
    methodologist), every school; a school administrator: their schools only (of one
    district, `?district=CODE` when they are in several). Anyone else: 404."""
    scope = scope_for(request.user)
    if scope.is_district_staff:
        district = district_for(request)
        return Where(district, list(district.schools.order_by("code")), staff=True)
    if not scope.is_school_admin:
        raise Http404
    schools = list(scope.schools().select_related("district").order_by("code"))
    code = request.GET.get("district")
    district = next((s.district for s in schools if not code or s.district.code == code), None)
    if district is None:
        raise Http404
    return Where(district, [s for s in schools if s.district_id == district.pk], staff=False)


# --- The map ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCell:
    component: str
    cell: Cell
    url: str = ""  # the people behind it (a school's cell with someone in it)

    @property
    def value(self) -> Decimal | None:
        return self.cell.value

    @property
    def text(self) -> str:
        return format_number(self.value, Indicator.Kind.SHARE)

    @property
    def title(self) -> str:
        return f"{self.cell.numerator} из {self.cell.denominator}"

    @property
    def band(self) -> str:
        return band(self.value)

    @property
    def html(self) -> str:
        """The cell as the map shows it: the share in its band's colour (a link to the people
        behind it), «n из d» as its tooltip, (n/d) beside it. Built here, not in a template:
        the map of 300 schools has two thousand cells."""
        text = escape(self.text)
        if self.url:
            text = f'<a href="{escape(self.url)}">{text}</a>'
        counts = f"({self.cell.numerator}/{self.cell.denominator})"
        return (
            f'<td class="status-{self.band}" title="{escape(self.title)}">{text} '
            f'<span class="small text-body-secondary">{counts}</span></td>'
        )


@dataclass(frozen=True)
class MapRow:
    school: School | None  # None: the district (pooled)
    cells: list[MapCell]

    @property
    def name(self) -> str:
        return self.school.short_name if self.school else "Муниципалитет"

    @property
    def cells_html(self) -> str:
        """The row's cells (`MapCell.html`), safe to insert."""
        return mark_safe("".join(c.html for c in self.cells))


@dataclass(frozen=True)
class TrendRow:
    year: int
    row: MapRow

    @property
    def label(self) -> str:
        return academic_year_label(self.year)


@dataclass(frozen=True)
class DeficitMap:
    where: Where
    years: Years
    rows: list[MapRow]  # the district first, then the schools; empty: not computed
    trend: list[TrendRow]  # by year, oldest first

    @property
    def components(self) -> list[tuple[str, str]]:
        return [(c, str(LABELS[c])) for c in COMPONENTS]


def _row(school: School | None, shares: dict[str, Cell], url=None) -> MapRow:
    cells = []
    for c in COMPONENTS:
        cell = shares.get(c, Cell(0, 0))
        link = url(c) if url and cell.numerator else ""
        cells.append(MapCell(c, cell, link))
    return MapRow(school, cells)


def deficit_map(where: Where, year: int | None, query: str = "") -> DeficitMap:
    """The stored map of the year shown (the district's row and the user's schools') and the
    trend of every year on record (the district's; a school administrator's schools' too);
    three queries."""
    years = years_of(where.district, year)
    shown = years.year
    visible = {s.pk: s for s in where.schools}
    rows = DeficitShare.objects.filter(monitoring_year__in=[m.pk for m in years.on_record])
    rows = rows.filter(Q(school__isnull=True) | Q(school__in=list(visible)))
    if where.staff:  # the trend is the district's; the year's map, every school's
        rows = rows.filter(Q(school__isnull=True) | Q(monitoring_year__year=shown))
    by_key: dict[tuple[int, int | None], dict[str, Cell]] = {}
    for year_of, school_id, component, numerator, denominator in rows.values_list(
        "monitoring_year__year", "school_id", "component", "numerator", "denominator"
    ).order_by():
        by_key.setdefault((year_of, school_id), {})[component] = Cell(numerator, denominator)

    def cell_url(school: School):
        return lambda c: reverse("deficits:cell", args=[shown, school.code, c]) + query

    table = []
    if years.shown is not None and (shown, None) in by_key:
        table.append(_row(None, by_key[(shown, None)]))
        table += [_row(s, by_key.get((shown, s.pk), {}), cell_url(s)) for s in where.schools]
    trend_schools = [None] + ([] if where.staff else where.schools)
    trend = [
        TrendRow(m.year, _row(s, by_key[(m.year, s.pk if s else None)]))
        for m in reversed(years.on_record)
        for s in trend_schools
        if (m.year, s.pk if s else None) in by_key
    ]
    return DeficitMap(where, years, table, trend)


def cell_people(monitoring_year: MonitoringYear, school: School, component: str):
    """The people behind a school's cell as computed, by name; one query."""
    return (
        DeficitFinding.objects.filter(
            monitoring_year=monitoring_year, school=school, component=component
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "person")
    )


# --- Target groups --------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    component: str
    school: School
    person: Person
    score: int
    date: dt.date

    @property
    def label(self) -> str:
        return str(LABELS[self.component])


@dataclass(frozen=True)
class Groups:
    period: Period
    members: list[Member]  # by component, school (natural order), name


def groups(where: Where, year: int, *, school: School | None = None, component: str = "") -> Groups:
    """The target groups of the year (deficits.md) at the user's schools (or one), of every
    component (or one): the reference date, the mapping, the groups, the persons; four
    queries."""
    period = period_of(where.district, year)
    schools = Q(pk=school.pk) if school else where.school_filter
    found = target_groups(
        period,
        schools,
        component_topics(where.district),
        [component] if component else COMPONENTS,
    )
    # What the page, the export and the forms read of a member (the СНИЛС: the history of the
    # routes made for them); thousands of members, so not every column of each.
    persons = Person.objects.only("snils", "last_name", "first_name", "middle_name").in_bulk(
        {f.person_id for f in found}
    )
    by_id = {s.pk: s for s in where.schools}
    members = [
        Member(f.component, by_id[f.school_id], persons[f.person_id], f.score, f.date)
        for f in found
    ]
    order = {c: n for n, c in enumerate(COMPONENTS)}
    school_keys = {s.pk: natural_key(s.short_name) for s in where.schools}
    members.sort(
        key=lambda m: (
            order[m.component],
            school_keys[m.school.pk],
            m.person.last_name,
            m.person.first_name,
            m.person.middle_name,
            m.person.pk,
        )
    )
    return Groups(period, members)


# --- The course order ------------------------------------------------------------------------


TOPICS = dict(CourseCompletion.Topic.choices)


def topics_text(encoded: str) -> str:
    """Stored topics («,a,b,») as a person reads them: «воспитание, инклюзия», or «—»."""
    names = sorted(str(TOPICS[t]) for t in encoded.split(",") if t in TOPICS)
    return ", ".join(names) or "—"


@dataclass(frozen=True)
class OrderSchoolRow:
    school: School
    proposed: list[int]  # per line, in the lines' order


@dataclass(frozen=True)
class OrderLetter:
    """A provider with places ordered from it, and its letter of the order once drafted."""

    provider: Provider
    lines: list[CourseOrderLine]
    letter: Letter | None


@dataclass(frozen=True)
class OrderPage:
    order: CourseOrder | None
    lines: list[CourseOrderLine]
    schools: list[OrderSchoolRow]  # schools with someone proposed, in natural order
    letters: list[OrderLetter]  # by provider's name


def _order_letters(order: CourseOrder, lines: list[CourseOrderLine]) -> list[OrderLetter]:
    by_provider: dict[Provider, list[CourseOrderLine]] = {}
    for line in lines:
        if line.provider is not None and line.number:
            by_provider.setdefault(line.provider, []).append(line)
    if not by_provider:
        return []
    letters = Letter.objects.filter(
        kind=Letter.Kind.COURSE_ORDER,
        monitoring_year__district_id=order.district_id,
        monitoring_year__year=order.year,
        provider__in=list(by_provider),
    ).defer(*Letter.HEAVY)
    by_id = {letter.provider_id: letter for letter in letters}
    return [
        OrderLetter(provider, found, by_id.get(provider.pk))
        for provider, found in sorted(by_provider.items(), key=lambda i: i[0].name)
    ]


def course_order(district: District, year: int) -> OrderPage:
    """The district's course order built from the groups of `year`, its lines (with their
    providers), the people proposed per school and the providers' letters; four queries
    (three before any line names a provider)."""
    order = CourseOrder.objects.filter(district=district, year=year).first()
    if order is None:
        return OrderPage(None, [], [], [])
    lines = sorted(order.lines.select_related("provider"), key=lambda line: line.sort_key)
    index = {line.pk: i for i, line in enumerate(lines)}
    counts: dict[School, list[int]] = {}
    for row in CourseOrderSchool.objects.filter(line__order=order).select_related("school"):
        counts.setdefault(row.school, [0] * len(lines))[index[row.line_id]] = row.proposed
    schools = [
        OrderSchoolRow(school, proposed)
        for school, proposed in sorted(counts.items(), key=lambda i: natural_key(i[0].short_name))
    ]
    return OrderPage(order, lines, schools, _order_letters(order, lines))
