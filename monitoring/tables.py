"""Stored values shaped for the dashboards and their `.xlsx` exports.

A page and its export read the same typed table (frozen dataclasses): rows of cells, each
holding the stored value, its status and the Russian text shown. The district's row (the
region's on the region page) is an attribute of its own, never «the first row», so that no
sorting can move it.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from html import escape

from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from monitoring.context import Years, years_of
from monitoring.models import BREACH_STATUSES, Indicator, IndicatorValue, MonitoringYear, Status
from monitoring.selectors import missing_by_indicator
from monitoring.services import targets_for
from monitoring.wording import status_label, target_phrase
from profdev.models import District, School
from profdev.text import natural_key

INFORMATIONAL = "info"
NBSP = "\u00a0"


def status_key(status: str | None) -> str:
    """The status as the CSS class suffix and the export's fill key (informational: `info`)."""
    return status or INFORMATIONAL


# A table of many indicators reads its colours both ways; these stand for the two directions.
_UP = Indicator(direction=Indicator.Direction.UP, kind=Indicator.Kind.SHARE)
_DOWN = Indicator(direction=Indicator.Direction.DOWN, kind=Indicator.Kind.SHARE)
_STATUSES = (Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA, Status.NOT_APPLICABLE)


def legend(indicator: Indicator | None = None) -> list[tuple[str, str]]:
    """The colours in words, as (status key, text): of one indicator, by its direction and
    kind; without one, of a table of many, each colour read for both directions."""
    if indicator is not None:
        if indicator.informational:
            return [(INFORMATIONAL, status_label(indicator, None))]
        statuses = _STATUSES
        if indicator.kind == Indicator.Kind.COUNT:  # a count has no band and always a value
            statuses = (Status.GREEN, Status.RED, Status.NOT_APPLICABLE)
        return [(s.value, status_label(indicator, s)) for s in statuses]
    items = []
    for s in _STATUSES:
        up, down = status_label(_UP, s), status_label(_DOWN, s)
        text = up if up == down else f"{up} (для «{_DOWN.get_direction_display()}» — {down})"
        items.append((s.value, text))
    return [*items, (INFORMATIONAL, status_label(_UP, None))]


def bound_text(indicator: Indicator, target: Decimal | None) -> str:
    """The target as a bound in the indicator's direction: «не менее 80,0 %»; «—» if none."""
    if target is None:
        return format_number(None, indicator.kind)
    return target_phrase(indicator, format_number(target, indicator.kind))


def format_number(value: Decimal | int | None, kind: str) -> str:
    """«12,5 %» for shares, «3» for counts, «—» for no value."""
    if value is None:
        return "—"
    if kind == Indicator.Kind.COUNT:
        return str(int(value))
    return f"{value:.1f}".replace(".", ",") + f"{NBSP}%"


def format_delta(delta: Decimal | None, kind: str) -> str:
    if delta is None:
        return ""
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    if kind == Indicator.Kind.COUNT:
        return f"{sign}{abs(int(delta))}"
    return f"{sign}{abs(delta):.1f}".replace(".", ",") + f"{NBSP}п.п."


def delta_class(delta: Decimal | None, indicator: Indicator) -> str:
    """Whether a change is for the better, by the indicator's direction."""
    if not delta or indicator.informational:
        return "delta-neutral"
    better = (delta > 0) == (indicator.direction == Indicator.Direction.UP)
    return "delta-better" if better else "delta-worse"


@dataclass(frozen=True)
class Stored:
    """One stored value as read for display (no model instance: 9 000 of them per page)."""

    numerator: int | None
    denominator: int | None
    value: Decimal | None
    status: str | None
    target: Decimal | None


STORED_FIELDS = ("numerator", "denominator", "value", "status", "target")


def year_values(
    monitoring_year: MonitoringYear | None, codes: Iterable[str] | None = None
) -> dict[tuple[int | None, str], Stored]:
    """Stored values of a monitoring year keyed by (school id, indicator code), of every
    indicator or of those `codes`; one query; `None` gives an empty table."""
    if monitoring_year is None:
        return {}
    rows = IndicatorValue.objects.filter(monitoring_year=monitoring_year)
    if codes is not None:
        rows = rows.filter(indicator__in=list(codes))
    rows = rows.values_list("school_id", "indicator_id", *STORED_FIELDS)
    return {(row[0], row[1]): Stored(*row[2:]) for row in rows}


def history_values(
    district: District, schools: list[School], indicator: Indicator | None = None
) -> dict[tuple[int, int | None, str], Stored]:
    """Stored values of the schools and the district over every year on record (one query),
    keyed by (year, school id or None, indicator code)."""
    queryset = IndicatorValue.objects.filter(
        Q(school__in=schools) | Q(school__isnull=True), monitoring_year__district=district
    )
    if indicator is not None:
        queryset = queryset.filter(indicator=indicator)
    rows = queryset.values_list(
        "monitoring_year__year", "school_id", "indicator_id", *STORED_FIELDS
    )
    return {(row[0], row[1], row[2]): Stored(*row[3:]) for row in rows}


def as_float(value: Decimal | None) -> float | None:
    """For chart data (JSON)."""
    return None if value is None else float(value)


@dataclass(frozen=True)
class ValueCell:
    """A stored value as shown: the number, its status key (`status_key`; None when nothing
    is stored), the text, «n из d», the status in words by the indicator's direction and the
    change since another year."""

    value: Decimal | None = None
    status: str | None = None
    text: str = "—"
    fraction: str = ""
    status_text: str = ""
    delta: str = ""
    delta_cls: str = ""

    @property
    def cls(self) -> str:
        return f"status-{self.status}" if self.status else ""

    @property
    def title(self) -> str:
        """The tooltip: «1 из 8: ниже целевого значения, за пределами допуска»."""
        return ": ".join(filter(None, [self.fraction, self.status_text]))

    @property
    def breach(self) -> bool:
        """Short of the target (red or yellow): its words are also read out by screen readers."""
        return self.status in BREACH_STATUSES

    @property
    def spoken_status(self) -> str:
        """What screen readers read after the number of a cell short of the target (safe
        markup: the school and indicator pages' templates print it as it is)."""
        if not self.breach:
            return ""
        return mark_safe(f'<span class="visually-hidden">, {escape(self.status_text)}</span>')

    @property
    def html(self) -> str:
        """The cell as the tables of values show it: a `<td>` with the status colour, «n из
        d» and the status as its tooltip, the number, the status spoken by screen readers
        and the change since another year. Built here, not in a template: the overview
        shows ten thousand cells, and a template's lookups would take most of a second."""
        delta = ""
        if self.delta:
            delta = f'<small class="d-block {self.delta_cls}">{escape(self.delta)}</small>'
        return (
            f'<td class="{self.cls}" title="{escape(self.title)}">'
            f"{escape(self.text)}{self.spoken_status}{delta}</td>"
        )


EMPTY = ValueCell()


def cell(
    indicator: Indicator,
    stored: Stored | None,
    previous: Stored | None = None,
    words: dict[tuple[str, str | None], str] | None = None,
) -> ValueCell:
    """A stored value as shown; `words` keeps the statuses in words a table has already
    phrased, by (indicator, status): ten thousand cells have a few hundred."""
    if stored is None:
        return EMPTY
    key = (indicator.code, stored.status)
    if words is None:
        status_text = status_label(indicator, stored.status)
    elif key in words:
        status_text = words[key]
    else:
        status_text = words[key] = status_label(indicator, stored.status)
    delta = None
    if previous is not None and previous.value is not None and stored.value is not None:
        delta = stored.value - previous.value
    fraction = "" if stored.denominator is None else f"{stored.numerator} из {stored.denominator}"
    return ValueCell(
        value=stored.value,
        status=status_key(stored.status),
        text=format_number(stored.value, indicator.kind),
        fraction=fraction,
        status_text=status_text,
        delta=format_delta(delta, indicator.kind),
        delta_cls=delta_class(delta, indicator),
    )


@dataclass(frozen=True)
class HeaderGroup:
    name: str
    span: int


def catalogue(indicators: Iterable[Indicator] | None = None) -> list[Indicator]:
    """The indicators in reading order: each group's together (a table's group header once),
    groups in the order of their first indicator, the catalogue's order within a group."""
    indicators = list(Indicator.objects.all() if indicators is None else indicators)
    first = {}
    for n, indicator in enumerate(indicators):
        first.setdefault(indicator.group, n)
    return sorted(indicators, key=lambda i: first[i.group])


def indicator_groups(indicators: Iterable[Indicator]) -> list[HeaderGroup]:
    """Consecutive indicators of one group, for a table's two-row header."""
    groups: list[HeaderGroup] = []
    for indicator in indicators:
        if groups and groups[-1].name == indicator.group:
            groups[-1] = HeaderGroup(indicator.group, groups[-1].span + 1)
        else:
            groups.append(HeaderGroup(indicator.group, 1))
    return groups


@dataclass(frozen=True)
class Row:
    name: str
    cells: tuple[ValueCell, ...]
    url: str = ""  # the row's own page

    @property
    def cells_html(self) -> str:
        """The row's cells (`ValueCell.html`), safe to insert."""
        return mark_safe("".join(c.html for c in self.cells))


@dataclass(frozen=True)
class ValuesTable:
    """Indicators across; the total row (the district's or the region's) and one row per
    school (or district) below it."""

    indicators: tuple[Indicator, ...]
    total: Row
    rows: tuple[Row, ...]

    @property
    def groups(self) -> list[HeaderGroup]:
        return indicator_groups(self.indicators)


def values_table(
    total: str,
    units: Iterable[School | District],
    indicators: Iterable[Indicator],
    values: dict,
    previous: dict | None = None,
    *,
    url: Callable[[School | District], str],
    sort: str = "",
    descending: bool = False,
) -> ValuesTable:
    """The table of `values` keyed by (unit id or None for the total, indicator code), with
    the change since `previous`; rows in the natural order of their names («№ 2» before
    «№ 10»), or sorted by a column's value with that order among equals (`sort` is an
    indicator's code, or "school" to reverse the names' order)."""
    indicators = tuple(indicators)
    previous = previous or {}
    words: dict[tuple[str, str | None], str] = {}

    def cells(unit_id: int | None) -> tuple[ValueCell, ...]:
        return tuple(
            cell(i, values.get((unit_id, i.code)), previous.get((unit_id, i.code)), words)
            for i in indicators
        )

    rows = [Row(str(unit), cells(unit.pk), url(unit)) for unit in units]
    rows.sort(key=lambda r: natural_key(r.name), reverse=sort == "school" and descending)
    column = next((n for n, i in enumerate(indicators) if i.code == sort), None)
    if column is not None:
        # Rows without a value go last whichever the direction.
        with_value = [r for r in rows if r.cells[column].value is not None]
        without = [r for r in rows if r.cells[column].value is None]
        with_value.sort(key=lambda r: r.cells[column].value, reverse=descending)
        rows = with_value + without
    return ValuesTable(indicators, Row(total, cells(None)), tuple(rows))


def school_url(year: int, link_query: str) -> Callable[[School], str]:
    """Links to the school pages of the year, keeping the district picked (`link_query`)."""
    return lambda school: reverse("monitoring:school", args=[year, school.code]) + link_query


# --- The district overview: schools × indicators -------------------------------------------


@dataclass(frozen=True)
class Overview:
    district: District
    years: Years
    previous_year: MonitoringYear | None  # the year the changes are shown against
    groups: tuple[str, ...]  # every group of the catalogue, for the filter
    group: str  # the group shown, "" for all
    sort: str
    descending: bool
    table: ValuesTable


def overview(
    district: District,
    year: int | None,
    *,
    group: str = "",
    delta: bool = False,
    sort: str = "",
    descending: bool = False,
    link_query: str = "",
) -> Overview:
    years = years_of(district, year)
    indicators = catalogue()
    groups = tuple(dict.fromkeys(i.group for i in indicators))
    group = group if group in groups else ""
    if group:
        indicators = [i for i in indicators if i.group == group]
    previous_year = None
    if delta:
        previous_year = next((m for m in years.on_record if m.year < years.year), None)
    table = values_table(
        str(district),
        School.objects.filter(district=district),
        indicators,
        year_values(years.shown),
        year_values(previous_year),
        url=school_url(years.year, link_query),
        sort=sort,
        descending=descending,
    )
    return Overview(district, years, previous_year, groups, group, sort, descending, table)


# --- One school: its values against the targets, the district and the years on record ----


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the academic year
    cell: ValueCell


@dataclass(frozen=True)
class SchoolLine:
    indicator: Indicator
    stored: Stored | None
    school: ValueCell
    district: ValueCell
    trend: tuple[TrendPoint, ...]  # every year on record, oldest first

    @property
    def target_text(self) -> str:
        return bound_text(self.indicator, self.stored.target if self.stored else None)


@dataclass(frozen=True)
class SchoolPage:
    school: School
    district: District
    years: Years
    lines: tuple[SchoolLine, ...]


def _trend(years: Years, values: dict, unit_id: int | None, indicator: Indicator) -> tuple:
    return tuple(
        TrendPoint(m.label, cell(indicator, values.get((m.year, unit_id, indicator.code))))
        for m in reversed(years.on_record)
    )


def school_page(school: School, year: int | None) -> SchoolPage:
    district = school.district
    years = years_of(district, year)
    values = history_values(district, [school])
    lines = []
    for indicator in catalogue():
        if indicator.district_only:
            continue
        stored = values.get((years.year, school.pk, indicator.code))
        lines.append(
            SchoolLine(
                indicator,
                stored,
                cell(indicator, stored),
                cell(indicator, values.get((years.year, None, indicator.code))),
                _trend(years, values, school.pk, indicator),
            )
        )
    return SchoolPage(school, district, years, tuple(lines))


@dataclass(frozen=True)
class Named:
    name: str
    url: str  # the person's card


@dataclass(frozen=True)
class Missing:
    """The people missing from an indicator's numerator at the school."""

    line: SchoolLine
    people: tuple[Named, ...]

    @property
    def people_html(self) -> str:
        """The list's items, built here rather than by the template's loop: a large school's
        page names a thousand people."""
        return format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((p.url, p.name) for p in self.people)
        )


def card_urls() -> Callable[[int], str]:
    """Links to persons' cards: one `reverse`, then the id put in place."""
    stem = reverse("person_card", args=[0]).removesuffix("0/")
    return lambda pk: f"{stem}{pk}/"


def missing_people(page: SchoolPage) -> list[Missing]:
    """Names only where the stored number says someone is missing, and only for indicators
    that name people (`Indicator.people_phrase`): the people stored behind the figure."""
    if page.years.shown is None:
        return []
    lines = {
        line.indicator.code: line
        for line in page.lines
        if line.stored
        and line.stored.denominator
        and line.stored.numerator < line.stored.denominator
    }
    missing = missing_by_indicator(page.years.shown, page.school, list(lines))
    card_url = card_urls()
    return [
        Missing(lines[code], tuple(Named(p.full_name, card_url(p.pk)) for p in people))
        for code, people in missing.items()
        if people
    ]


# --- One indicator across the district's schools ------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A chart's data as `static/js/monitoring/monitoring.js` reads it (`json_script`)."""

    label: str
    labels: list[str]
    values: list[float | None]
    unit: str  # "%" for shares
    statuses: list[str | None] | None = None  # the bars' colours
    target: float | None = None  # a line across the bars

    @property
    def data(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IndicatorPage:
    district: District
    indicator: Indicator
    years: Years
    target: Decimal | None  # the district's, as stored
    table: ValuesTable  # the district and each school
    trend: tuple[TrendPoint, ...]  # the district's value in every year on record

    @property
    def target_text(self) -> str:
        return bound_text(self.indicator, self.target)

    @property
    def unit(self) -> str:
        return "%" if self.indicator.kind == Indicator.Kind.SHARE else ""

    @property
    def chart(self) -> Chart:
        """The schools' values against the target."""
        return Chart(
            label=self.indicator.short_name,
            labels=[r.name for r in self.table.rows],
            values=[as_float(r.cells[0].value) for r in self.table.rows],
            unit=self.unit,
            statuses=[r.cells[0].status for r in self.table.rows],
            target=as_float(self.target),
        )

    @property
    def trend_chart(self) -> Chart:
        return Chart(
            label=str(self.district),
            labels=[t.label for t in self.trend],
            values=[as_float(t.cell.value) for t in self.trend],
            unit=self.unit,
        )


def indicator_page(
    district: District, indicator: Indicator, year: int | None, *, link_query: str = ""
) -> IndicatorPage:
    years = years_of(district, year)
    schools = list(School.objects.filter(district=district))
    history = history_values(district, schools, indicator)
    values = {(unit, code): v for (y, unit, code), v in history.items() if y == years.year}
    stored = values.get((None, indicator.code))
    table = values_table(
        str(district),
        [] if indicator.district_only else schools,
        [indicator],
        values,
        url=school_url(years.year, link_query),
    )
    trend = _trend(years, history, None, indicator)
    return IndicatorPage(
        district, indicator, years, stored.target if stored else None, table, trend
    )


# --- The targets in force, beside the field that changes each -----------------------------


@dataclass(frozen=True)
class TargetRow:
    indicator: Indicator
    in_force: Decimal | None
    input: str | Decimal | None  # the field's value: what was posted, else the target
    errors: tuple[str, ...]  # of the value posted for this indicator

    @property
    def target_text(self) -> str:
        return bound_text(self.indicator, self.in_force)

    @property
    def default_text(self) -> str:
        return bound_text(self.indicator, self.indicator.default_target)

    @property
    def overridden(self) -> bool:
        return self.in_force != self.indicator.default_target


def target_rows(
    district: District, year: int, *, posted: str | None, value: str | None, errors: list[str]
) -> list[TargetRow]:
    """Every indicator with a target; `posted` is the indicator whose `value` was refused."""
    indicators = catalogue(Indicator.objects.filter(default_target__isnull=False))
    in_force = targets_for(district, year, indicators)
    return [
        TargetRow(
            i,
            in_force[i.code],
            value if posted == i.code else in_force[i.code],
            tuple(errors) if posted == i.code else (),
        )
        for i in indicators
    ]
