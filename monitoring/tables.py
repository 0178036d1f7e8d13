"""Stored values shaped for the dashboards and their `.xlsx` exports.

Screens and exports draw the same tables: a cell is a plain dict (cheap in a template's
inner loop) holding the stored value, its status class and the Russian text shown.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring.models import Indicator, IndicatorValue, Status
from monitoring.selectors import missing_by_indicator

INFORMATIONAL = "info"
NBSP = "\u00a0"

STATUS_LABELS = {
    Status.GREEN: _("не ниже целевого (для «чем меньше, тем лучше» — не выше)"),
    Status.YELLOW: _("в пределах допуска от целевого"),
    Status.RED: _("хуже целевого за пределами допуска"),
    Status.NO_DATA: _("нет данных"),
    Status.NOT_APPLICABLE: _("не применимо"),
    INFORMATIONAL: _("информационный показатель, без целевого"),
}


def status_key(status: str | None) -> str:
    """The status as the CSS class suffix and the export's fill key (informational: `info`)."""
    return status or INFORMATIONAL


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


def read_values(values: Iterable[tuple]) -> dict[tuple[int | None, str], Stored]:
    """`(school_id, indicator_id, *STORED_FIELDS)` rows keyed by (school id, indicator code)."""
    return {(row[0], row[1]): Stored(*row[2:]) for row in values}


def value_rows(queryset) -> Iterable[tuple]:
    return queryset.values_list("school_id", "indicator_id", *STORED_FIELDS)


EMPTY_CELL = {
    "cls": "",
    "text": "—",
    "title": "",
    "value": None,
    "status": None,
    "delta": "",
    "delta_cls": "",
}


def cell(indicator: Indicator, stored: Stored | None, previous: Stored | None = None) -> dict:
    if stored is None:
        return EMPTY_CELL
    text = format_number(stored.value, indicator.kind)
    title = "" if stored.denominator is None else f"{stored.numerator} из {stored.denominator}"
    delta = None
    if previous is not None and previous.value is not None and stored.value is not None:
        delta = stored.value - previous.value
    return {
        "cls": f"status-{status_key(stored.status)}",
        "text": text,
        "title": title,
        "value": stored.value,
        "status": status_key(stored.status),
        "delta": format_delta(delta, indicator.kind),
        "delta_cls": delta_class(delta, indicator),
    }


def indicator_groups(indicators: list[Indicator]) -> list[dict]:
    """Consecutive indicators of one group, for the table's two-row header."""
    groups: list[dict] = []
    for indicator in indicators:
        if groups and groups[-1]["name"] == indicator.group:
            groups[-1]["span"] += 1
        else:
            groups.append({"name": indicator.group, "span": 1})
    return groups


def overview_rows(
    district,
    schools: list,
    indicators: list[Indicator],
    values: dict,
    previous: dict | None = None,
    sort: str = "",
    descending: bool = False,
) -> list[dict]:
    """The district row, then one row per school, sorted by a column's stored value."""
    previous = previous or {}

    def row(school) -> dict:
        school_id = school.pk if school is not None else None
        return {
            "school": school,
            "cells": [
                cell(
                    indicator,
                    values.get((school_id, indicator.code)),
                    previous.get((school_id, indicator.code)),
                )
                for indicator in indicators
            ],
        }

    rows = [row(school) for school in schools]
    column = next((i for i, ind in enumerate(indicators) if ind.code == sort), None)
    if column is not None:
        # Schools without a value go last whichever the direction.
        with_value = [r for r in rows if r["cells"][column]["value"] is not None]
        without = [r for r in rows if r["cells"][column]["value"] is None]
        with_value.sort(key=lambda r: r["cells"][column]["value"], reverse=descending)
        rows = with_value + without
    elif sort == "school":
        rows.sort(key=lambda r: r["school"].short_name.casefold(), reverse=descending)
    return [{**row(None), "district": district}, *rows]


def as_float(value: Decimal | None) -> float | None:
    """For chart data (JSON)."""
    return None if value is None else float(value)


def history_values(district, schools: list, indicator: Indicator | None = None) -> dict:
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


def named_people(school, monitoring_year, codes: list[str]) -> list[dict]:
    """Who is missing from each listed indicator's numerator, linked to their cards."""
    return [
        {
            "code": code,
            "people": [
                {"name": p.full_name, "url": reverse("person_card", args=[p.pk])} for p in people
            ],
        }
        for code, people in missing_by_indicator(monitoring_year, school, codes).items()
        if people
    ]


def year_values(monitoring_year, schools=None) -> dict:
    """Stored values of a monitoring year (one query); `None` gives an empty table."""
    if monitoring_year is None:
        return {}
    queryset = IndicatorValue.objects.filter(monitoring_year=monitoring_year)
    if schools is not None:
        queryset = queryset.filter(school__in=schools)
    return read_values(value_rows(queryset))
