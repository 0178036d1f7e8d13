"""What the system holds that a workbook is checked against, read once per analysis.

Stored(sheets)   the stored rows of the sheets in the file (and of the sheets defining a
                 reference) by natural key, and every reference's stored keys → pk
state_token()    a fingerprint of that data: the plan is written only against the same
"""

import hashlib
from typing import Any

from django.db.models import Count, Max, Sum

from profdev.models import ChangeRecord, District, Person
from profdev.workbook.reader import SheetData
from profdev.workbook.sheets import DEFINED_BY, REFERENCES, SHEETS, Record, Sheet

# natural key → (pk, the stored values by record field)
Entries = dict[Any, tuple[int, Record]]


class Stored:
    def __init__(self, sheets: list[SheetData]):
        present = {d.sheet.name for d in sheets}
        self.records: dict[str, Entries] = {
            s.name: _load(s) for s in SHEETS if s.name in present or s.defines
        }
        # parent sheet → the stored keys of its rows, for the sheets in the file with a parent
        self.parents: dict[str, set] = {
            s.parent.sheet.name: set(self.records.get(s.parent.sheet.name) or _load(s.parent.sheet))
            for s in SHEETS
            if s.name in present and s.parent
        }
        # reference → its key → (pk, Reference.fields): what rows may name and the file change
        self.references: dict[str, Entries] = {name: self._entries(name) for name in REFERENCES}
        self.ids = {
            name: {key: pk for key, (pk, _) in entries.items()}
            for name, entries in self.references.items()
        }

    def _entries(self, name: str) -> Entries:
        sheet = DEFINED_BY.get(name)
        if sheet is not None and sheet.is_reference:
            return {key[0]: entry for key, entry in self.records[sheet.name].items()}
        reference = REFERENCES[name]
        names = [reference.key, *reference.fields]
        return {
            row[0]: (row[-1], dict(zip(names, row[:-1], strict=True)))
            for row in reference.model.objects.values_list(*names, "pk")
        }


def lookups(sheet: Sheet) -> list[tuple[str, str]]:
    """(record field, ORM lookup) of a sheet's stored columns; the fields naming the parent
    are read through it."""
    pairs = []
    for c in sheet.columns:
        if c.person:
            continue
        path = (
            sheet.parent.lookup(c.field)
            if sheet.parent and c.field in sheet.parent.fields
            else c.field
        )
        pairs.append((c.field, f"{path}__{REFERENCES[c.ref].key}" if c.ref else path))
    return pairs + [(f, f) for f in sheet.extra_fields]


def parent_ids(sheet: Sheet) -> dict[tuple, int]:
    """The stored rows of a sheet's parent: key (as the rows name it) → pk."""
    parent = sheet.parent.sheet
    lookup = dict(lookups(parent))
    rows = parent.model.objects.values_list(*(lookup[f] for f in parent.key), "pk")
    return {tuple(row[:-1]): row[-1] for row in rows}


def _load(sheet: Sheet) -> Entries:
    pairs = lookups(sheet)
    names = [f for f, _ in pairs]
    stored = {}
    for pk, *values in sheet.model.objects.values_list("pk", *(lookup for _, lookup in pairs)):
        record = dict(zip(names, values, strict=True))
        stored[tuple(record[f] for f in sheet.key)] = (pk, record)
    return stored


def state_token() -> str:
    """A fingerprint of the stored data the importer reads: changes when any of it changes.

    Row counts and top ids of every table catch creations and deletions; personal records
    are changed only by writers that record history (the importer, the forms), so the top
    history id and the sum of person versions catch their updates; the sheets of no person
    (schools, providers, vacancies) are small and hashed in full.
    """
    parts: list[Any] = [sorted(District.objects.values_list("pk", "code"))]
    for model in (*(s.model for s in SHEETS), Person, ChangeRecord):
        parts.append(model.objects.aggregate(n=Count("pk"), top=Max("pk")))
    parts.append(Person.objects.aggregate(versions=Sum("version")))
    for sheet in SHEETS:
        if not sheet.person_fields:
            fields = [lookup for _, lookup in lookups(sheet)]
            parts.append(list(sheet.model.objects.order_by("pk").values_list("pk", *fields)))
    return hashlib.sha256(repr(parts).encode()).hexdigest()
