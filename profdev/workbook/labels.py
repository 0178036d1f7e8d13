"""How a record and its values read to a person: the history of changes (written by the
importer and the data-entry forms alike) and the upload preview name records and values this way.
"""

from collections.abc import Callable
from typing import Any

from profdev.workbook import rules
from profdev.workbook.sheets import Column, Record, Sheet


def value_label(column: Column, value: Any) -> str:
    """A clean value of the column as the workbook spells it (a choice by its label)."""
    if column.written is not None:
        return rules.shown(column.written(value))
    if isinstance(column.parse, rules.Several):
        return "; ".join(column.parse.labels(value))
    return rules.shown(column.choices(value).label if column.choices is not None else value)


def full_name(values: Record) -> str:
    names = (values.get(f) for f in ("last_name", "first_name", "middle_name"))
    return " ".join(n for n in names if n)


def record_label(sheet: Sheet, key: tuple) -> str:
    """A record named by its key, as a person reads it (СНИЛС left out: it is the card's)."""
    return labeller(sheet)(key)


def labeller(sheet: Sheet) -> Callable[[tuple], str]:
    """`record_label` for many keys of a sheet: each choice or date is shown once. A key
    leaves out whose history the record is in: its person's, or its school's."""
    # (index in the key, its column, whether a text is shown as it is, its values shown)
    parts: list[tuple[int, Column, bool, dict[Any, str]]] = []
    owner = sheet.school_field if sheet.school_history else None
    for index, name in enumerate(sheet.key):
        column = sheet.columns_by_field.get(name)
        if column is not None and column.ref != "person" and name != owner:
            parts.append((index, column, column.choices is None, {}))

    def label(key: tuple) -> str:
        texts = []
        for index, column, plain, shown in parts:
            value = key[index]
            if plain and type(value) is str:
                texts.append(value.strip())  # `rules.shown` of a text
                continue
            text = shown.get(value)
            if text is None:
                text = shown[value] = value_label(column, value)
            texts.append(text)
        return ", ".join(texts)

    return label
