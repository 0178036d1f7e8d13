"""The workbook exporter: every sheet of the format, so that export → import changes nothing.

`export_workbook(target, schools=None)` writes all data, or, for a queryset of schools,
those schools' rows, their staff (employments there), the records of the persons the schools
keep (`profdev.scoping.persons_kept_by`: a part-timer's records stay with the school that
keeps them, as on import), their vacancies and the providers those persons studied with.
Mentorship pairs are exported when both people are kept.
"""

from collections.abc import Callable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from profdev.models import Provider, School
from profdev.scoping import persons_kept_by
from profdev.text import format_snils
from profdev.workbook import rules
from profdev.workbook.sheets import (
    PROVIDERS,
    REFERENCES,
    SCHOOLS,
    SHEETS,
    Column,
    Sheet,
)
from profdev.workbook.writer import write_workbook

CHUNK = 2000


def export_workbook(target: str | IO[bytes], schools: QuerySet[School] | None = None) -> None:
    write_workbook(
        {
            sheet.name: ([c.header for c in sheet.columns], _rows(sheet, schools))
            for sheet in SHEETS
        },
        target,
    )


def _lookup(sheet: Sheet, column: Column) -> str:
    if column.person:
        return f"person__{column.field}"
    path = column.field
    if sheet.parent and column.field in sheet.parent.fields:
        path = sheet.parent.lookup(column.field)
    if column.ref == "provider":
        return f"{path}__name"
    if column.ref:
        return f"{path}__{REFERENCES[column.ref].key}"
    return path


def _formatter(column: Column) -> Callable[[Any], Any]:
    if column.ref == "person":
        return format_snils
    if column.choices is not None:
        labels = {value: str(label) for value, label in column.choices.choices}
        return labels.__getitem__
    if column.parse is rules.yes_no:
        return lambda value: "да" if value else "нет"
    if isinstance(column.parse, rules.Several):
        return lambda encoded: "; ".join(column.parse.labels(encoded))
    return lambda value: value


def _rows(sheet: Sheet, schools: QuerySet[School] | None) -> Iterator[list[Any]]:
    formatters = [_formatter(c) for c in sheet.columns]
    queryset = _records(sheet, schools).order_by(
        *(_lookup(sheet, sheet.column(f)) for f in sheet.key_inputs)
    )
    for values in queryset.values_list(*(_lookup(sheet, c) for c in sheet.columns)).iterator(CHUNK):
        yield [
            None if value is None or value == "" else fmt(value)
            for fmt, value in zip(formatters, values, strict=True)
        ]


def _records(sheet: Sheet, schools: QuerySet[School] | None) -> QuerySet:
    model = sheet.model
    if schools is None:
        return model.objects.all()
    persons = persons_kept_by(schools.values("pk"), today=timezone.localdate())
    if sheet is SCHOOLS:
        return schools
    if sheet is PROVIDERS:
        return Provider.objects.filter(courses__person__in=persons).distinct()
    if sheet.school_field:
        return model.objects.filter(school__in=schools)
    path = sheet.parent.path if sheet.parent else ""
    filters = {f"{path}{name}__in": persons for name in sheet.person_fields}
    return model.objects.filter(**filters)
