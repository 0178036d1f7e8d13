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
    DELETE_HEADER,
    PROVIDERS,
    REFERENCES,
    SCHOOLS,
    SHEETS,
    Column,
    Sheet,
)
from profdev.workbook.writer import Layout, write_workbook

CHUNK = 2000
NAME = "name"  # the layout of a «ФИО» column (`Sheet.name_headers`)
NAME_PARTS = ("last_name", "first_name", "middle_name")


YES_NO = ("да", "нет")
INSTRUCTIONS = (
    "Книга мониторинга профессионального развития педагогических работников (формат версии 3)",
    "Каждый лист — одна таблица: первая строка — заголовки, их не меняйте; порядок столбцов "
    "может быть любым. Этот лист при загрузке не читается.",
    "Строка с ключом (см. ниже), который уже есть в портале, изменяет запись; строка с новым "
    "ключом создаёт запись; записи, которых нет в файле, остаются как были.",
    "Чтобы удалить запись, выберите «да» в столбце «Удалить» её строки.",
    "Даты — ДД.ММ.ГГГГ; СНИЛС — 11 цифр (можно с дефисами и пробелом); да/нет и значения из "
    "перечня — из выпадающего списка ячейки; несколько тематик, компонентов или предметов — "
    "через «;»; учебный год — 2024/2025.",
    "Столбец «ФИО» рядом со СНИЛС не хранится, а проверяется: если ФИО не совпадает с ФИО "
    "работника с этим СНИЛС, портал предупредит (запись не остановится).",
    "При любой ошибке не записывается ничего: портал покажет лист, строку, столбец и причину.",
    "Ключи листов:",
)


def export_workbook(target: str | IO[bytes], schools: QuerySet[School] | None = None) -> None:
    """Every sheet with a «Удалить» column where the file may delete (a school's file: on
    the sheets a school administrator may delete from), drop-down lists, fitted widths and a
    first sheet «Инструкция»."""
    tables, layouts = {}, {}
    for sheet in SHEETS:
        headers = list(sheet.headers)
        columns: list[Column | str | None] = []  # NAME: a person's name; None: «Удалить»
        for column in sheet.columns:
            columns.append(column)
            if column.field in sheet.name_headers:
                columns.append(NAME)
        if schools is None or "delete" in sheet.admin_actions:
            headers.append(DELETE_HEADER)
            columns.append(None)
        tables[sheet.name] = (headers, _rows(sheet, schools))
        layouts[sheet.name] = Layout(
            widths=[_width(h, c) for h, c in zip(headers, columns, strict=True)],
            lists={n: _listed(c) for n, c in enumerate(columns) if _listed(c)},
        )
    keys = [
        f"«{sheet.name}» — {', '.join(sheet.column(f).header for f in sheet.key_inputs)}"
        for sheet in SHEETS
    ]
    write_workbook(tables, target, layouts=layouts, instructions=[*INSTRUCTIONS, *keys])


def _listed(column: Column | str | None) -> tuple[str, ...]:
    """The values a column's drop-down offers: yes/no, or the labels of its choices."""
    if column == NAME:
        return ()
    if column is None or column.parse is rules.yes_no:
        return YES_NO
    if column.choices is not None:
        return tuple(str(label) for _, label in column.choices.choices)
    return ()


def _width(header: str, column: Column | str | None) -> int:
    """Wide enough for the header and the column's usual value, in characters."""
    if column == NAME:
        usual = 30
    elif column is None or column.parse is rules.yes_no:
        usual = 6
    elif column.ref == "person":
        usual = 15  # «123-456-789 01»
    elif column.parse is rules.date_value:
        usual = 11
    elif column.choices is not None:
        usual = max(len(str(label)) for _, label in column.choices.choices)
    else:
        usual = 24
    return min(max(len(header), usual) + 2, 60)


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
    if column.written is not None:
        return column.written
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
    # After each СНИЛС, the person's name (`Sheet.name_headers`): three lookups each.
    named = [c.field in sheet.name_headers for c in sheet.columns]
    names = [
        f"{_lookup(sheet, c).removesuffix('__snils')}__{part}"
        for c, has_name in zip(sheet.columns, named, strict=True)
        if has_name
        for part in NAME_PARTS
    ]
    lookups = [_lookup(sheet, c) for c in sheet.columns]
    for values in queryset.values_list(*lookups, *names).iterator(CHUNK):
        parts = iter(values[len(lookups) :])
        row = []
        for fmt, value, has_name in zip(formatters, values[: len(lookups)], named, strict=True):
            row.append(None if value is None or value == "" else fmt(value))
            if has_name:
                row.append(" ".join(p for p in (next(parts) for _ in NAME_PARTS) if p))
        yield row


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
