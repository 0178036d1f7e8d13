"""Planning: each sheet's clean rows → the steps that bring the stored data to the file.

A row creates, updates, deletes or leaves its record as it is. On the way the planner checks
what needs the stored data: the references a row names exist (in the file or the system),
the row is within the user's reach, a deleted record exists and is named no more. The plan
holds only plain data: the upload page keeps it pickled between the preview and the
confirmation.
"""

import functools
from dataclasses import dataclass, field

from profdev.text import mask_snils
from profdev.workbook import rules
from profdev.workbook.labels import full_name, value_label
from profdev.workbook.parse import Row
from profdev.workbook.reach import Reach
from profdev.workbook.reader import Issue, SheetData
from profdev.workbook.sheets import DEFINED_BY, REFERENCES, SHEETS, Record, Sheet
from profdev.workbook.stored import Stored

SHEETS_BY_NAME = {s.name: s for s in SHEETS}
# The references a file may delete (a school, a provider): rows naming one keep it.
DELETABLE = frozenset(name for name, sheet in DEFINED_BY.items() if sheet.is_reference)
CREATE, UPDATE, DELETE, UNCHANGED = "create", "update", "delete", "unchanged"
ADMIN_VERBS = {CREATE: "добавлять", UPDATE: "изменять", DELETE: "удалять"}
# The `Step.old` of every row changing no stored value (a region's load makes most of them):
# one dict, read and never written to.
NO_CHANGES: Record = {}


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def __add__(self, other: "SheetCounts") -> "SheetCounts":
        return SheetCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.deleted + other.deleted,
            self.unchanged + other.unchanged,
        )

    def add(self, action: str) -> None:
        name = {CREATE: "created", UPDATE: "updated", DELETE: "deleted"}.get(action, "unchanged")
        setattr(self, name, getattr(self, name) + 1)


@dataclass(slots=True)
class Step:
    """One row's change: values are clean, references hold natural keys."""

    row: int
    action: str
    key: tuple
    values: Record
    pk: int | None = None
    old: Record = field(default_factory=dict)  # stored values of the changed fields


@dataclass
class SheetPlan:
    sheet_name: str
    fields: tuple[str, ...]  # the record fields present in the file (what an update writes)
    steps: list[Step]

    @property
    def sheet(self) -> Sheet:
        return SHEETS_BY_NAME[self.sheet_name]

    def deletions(self) -> "SheetPlan":
        """The plan of the rows it deletes only (what `Planner.check_deletions` reads)."""
        steps = [s for s in self.steps if s.action == DELETE]
        return SheetPlan(self.sheet_name, self.fields, steps)

    def extend(self, other: "SheetPlan") -> None:
        """Add the steps of the plan of another part of the sheet's rows."""
        self.steps.extend(other.steps)

    def counts(self, updated_persons: set[str]) -> SheetCounts:
        """The steps by action; a row that leaves its record as it is but changes its
        person's own fields counts as updated."""
        counts = SheetCounts()
        sheet = self.sheet
        named = sheet.defines.field if sheet.own_fields else None
        for step in self.steps:
            if step.action == UNCHANGED and named and step.values[named] in updated_persons:
                counts.add(UPDATE)
            else:
                counts.add(step.action)
        return counts


@dataclass
class WorkbookAnalysis:
    counts: dict[str, SheetCounts]
    errors: list[Issue]
    warnings: list[str]
    state_token: str = ""
    persons: list[Step] = field(default_factory=list)  # the known persons it changes (UPDATE)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def person_changes(self) -> list[dict]:
        """Every change the file makes to a known person's own fields, as the preview lists
        it: the row, the person (name in the file, masked СНИЛС), each field old → new."""
        sheet = DEFINED_BY["person"]
        return [
            {
                "row": step.row,
                "person": f"{full_name(step.values)} ({mask_snils(step.key[0])})",
                "changes": [
                    {
                        "field": sheet.header_of(name),
                        "old": _shown(sheet, name, old),
                        "new": _shown(sheet, name, step.values[name]),
                    }
                    for name, old in step.old.items()
                ],
            }
            for step in sorted(self.persons, key=lambda s: s.row)
        ]


def _shown(sheet: Sheet, name: str, value) -> str:
    return "—" if value in (None, "") else value_label(sheet.column(name), value)


class Planner:
    """Plans the sheets in the format's order, each with its rows (`add_rows`, then `plan`):
    a sheet's rows are not kept once planned (a region's load holds no more than one sheet's
    at a time), only what later sheets and `check_deletions` need of them."""

    def __init__(self, stored: Stored, reach: Reach, errors: list[Issue]):
        self.stored = stored
        self.reach = reach
        self.errors = errors
        # reference → every key a row may name: stored or in the file, less those it deletes
        # (the sheet defining it comes before the sheets naming it)
        self.defined = {name: set(stored.references[name]) for name in REFERENCES}
        # the user's limits, growing by the keys the file defines anew (`extend_reach`)
        self.limits = dict(reach.limits)
        # parent sheet → every key a row may name: stored or in the file, less those it deletes
        self.parents = {name: set(keys) for name, keys in stored.parents.items()}
        # sheet → field naming a school or a provider → the keys its rows (not deleted) name
        self.named: dict[str, dict[str, set]] = {}
        # sheet → the keys of the rows it deletes
        self.deleted: dict[str, set] = {}

    def add_rows(self, sheet: Sheet, rows: list[Row]) -> None:
        """What the sheet's rows define and name, before `plan` (of all the sheet's rows at
        once, or of each part of them in turn)."""
        deleted = {r.key for r in rows if r.delete}
        kept = [r for r in rows if not r.delete]
        self.deleted.setdefault(sheet.name, set()).update(deleted)
        if sheet.defines:
            key_field = sheet.defines.field
            keys = self.defined[sheet.defines.reference]
            if sheet.is_reference:
                keys -= {r.values[key_field] for r in rows if r.delete}
            keys |= {r.values[key_field] for r in kept}
        if sheet.name in self.parents:
            self.parents[sheet.name] = (self.parents[sheet.name] - deleted) | {r.key for r in kept}
        named = self.named.setdefault(sheet.name, {})
        for column in sheet.columns:
            if column.ref in DELETABLE:
                named.setdefault(column.field, set()).update(
                    r.values.get(column.field) for r in kept
                )

    def plan(self, data: SheetData, rows: list[Row]) -> SheetPlan:
        sheet = data.sheet
        present = [f for f in data.columns if not sheet.column(f).person]
        compared = [*present, *sheet.extra_fields]
        stored = self.stored.records[sheet.name]
        steps = []
        for row in rows:
            pk, old_record = stored.get(row.key, (None, None))
            issue = functools.partial(self._issue, data, row.number)
            if row.delete:
                if pk is None:
                    issue(sheet.key_inputs[0], "нет такой записи: удалять нечего")
                    continue
                step = Step(row.number, DELETE, row.key, row.values, pk, old_record)
            else:
                if sheet.district_field:
                    self._default_district(data, row, old_record)
                fields = [f for f in compared if f in row.values]
                changed = {
                    f: old_record[f]
                    for f in fields
                    if old_record and row.values[f] != old_record[f]
                } or NO_CHANGES
                action = CREATE if pk is None else (UPDATE if changed else UNCHANGED)
                step = Step(row.number, action, row.key, row.values, pk, changed)
                self._check_references(sheet, row, issue)
                if sheet.parent:
                    self._check_parent(sheet, row, issue)
            if self._in_reach(sheet, step, issue):
                steps.append(step)
        return SheetPlan(sheet.name, tuple(present), steps)

    def _issue(self, data: SheetData, row: int, field_name: str, message: str) -> None:
        self.errors.append(data.issue(row, data.sheet.header_of(field_name), message))

    def _default_district(self, data: SheetData, row: Row, old_record: Record | None) -> None:
        """An empty district is the only one in the system (a stored row keeps its own)."""
        name = data.sheet.district_field
        if row.values.get(name) is not None:
            return
        if name not in data.columns and old_record is not None:
            return
        districts = self.stored.references["district"]
        if len(districts) == 1:
            row.values[name] = next(iter(districts))
            return
        message = (
            "укажите муниципалитет: в системе их несколько"
            if districts
            else (
                "в системе нет ни одного муниципалитета: сначала заведите его командой "
                "«manage.py add_district КОД НАЗВАНИЕ»"
            )
        )
        self._issue(data, row.number, name, message)

    def _check_references(self, sheet: Sheet, row: Row, issue) -> None:
        for column in sheet.reference_columns:
            value = row.values.get(column.field)
            if value is None or value in self.defined[column.ref]:
                continue
            # Out of a limited user's reach: `_in_reach` says so without revealing who exists.
            limit = self.limits.get(column.ref)
            if limit is not None and value not in limit:
                continue
            issue(column.field, _missing(column.ref, value, row.raw.get(column.field)))

    def _check_parent(self, sheet: Sheet, row: Row, issue) -> None:
        parent = sheet.parent
        key = tuple(row.values[f] for f in parent.fields)
        if key in self.parents[parent.sheet.name]:
            return
        persons = self.limits.get("person")  # out of reach: `_in_reach` says so
        if persons is not None and any(row.values[f] not in persons for f in sheet.person_fields):
            return
        shown = []
        for name, value in zip(parent.fields, key, strict=True):
            column = sheet.column(name)
            shown.append(REFERENCES[column.ref].shown(value) if column.ref else rules.shown(value))
        what = parent.noun.format(*shown)
        issue(parent.fields[-1], f"{what} нет ни на листе «{parent.sheet.name}», ни в системе")

    def _in_reach(self, sheet: Sheet, step: Step, issue) -> bool:
        """Scope rules; False when the row is out of the user's reach."""
        ok = True
        values = step.values
        schools = self.limits.get("school")
        school = values.get(sheet.school_field) if sheet.school_field else None
        if school is not None and schools is not None:
            in_reach = school in schools or (
                sheet.district_field is not None
                and step.action == CREATE
                and not self.reach.admin
                and values.get(sheet.district_field) in self.reach.districts
            )
            if not in_reach:
                issue(sheet.school_field, f"нет прав на данные ОО с кодом «{school}»")
                return False
        persons = self.limits.get("person")
        if sheet.school_field is None and persons is not None:
            for name in sheet.person_fields:
                if values[name] not in persons:
                    issue(name, rules.not_kept_message(values[name]))
                    ok = False
        if not ok or not self.reach.admin or step.action == UNCHANGED:
            return ok
        if step.action not in sheet.admin_actions:
            column = sheet.key_inputs[0]
            issue(
                column, f"администратор ОО не может {ADMIN_VERBS[step.action]} строки этого листа"
            )
            return False
        if step.action == UPDATE:
            for name in sheet.admin_fixed:
                if name in step.old:
                    issue(name, "администратор ОО не может изменить это поле своей ОО")
                    ok = False
        if step.action == CREATE and sheet.admin_create_rule:
            message = sheet.admin_create_rule(values)
            if message:
                issue(sheet.key_inputs[0], message)
                ok = False
        return ok

    def extend_reach(self, plan: SheetPlan) -> None:
        """What the file defines anew is its own: a school it creates, a person new to the
        system (a person already known stays with the schools keeping them)."""
        defines = plan.sheet.defines
        limit = self.limits.get(defines.reference) if defines else None
        if limit is None:
            return
        known = self.stored.references[defines.reference]
        new = {s.values[defines.field] for s in plan.steps if s.action != DELETE}
        self.limits[defines.reference] = limit | {key for key in new if key not in known}

    def check_deletions(self, data: SheetData, plan: SheetPlan) -> None:
        """A school or provider may be deleted only when nothing names it any more."""
        sheet = data.sheet
        deleted = {s.key[0]: s.row for s in plan.steps if s.action == DELETE}
        if not deleted or not sheet.is_reference:
            return
        header = sheet.header_of(sheet.key_inputs[0])
        for key in sorted(self._used(sheet, set(deleted)), key=deleted.get):
            self.errors.append(data.issue(deleted[key], header, sheet.in_use))

    def _used(self, sheet: Sheet, keys: set[str]) -> set[str]:
        """Of `keys`, those still named after the file is applied: by the rows of the
        sheets referring to them (in the file, or stored and not deleted by it) or outside
        the workbook."""
        name = sheet.defines.reference
        key_field = REFERENCES[name].key
        used = set()
        for model, ref_field in sheet.referred_outside:
            used |= _stored_names(model, f"{ref_field}__{key_field}", keys)
        for other in SHEETS:
            for column in other.columns:
                if column.ref != name:
                    continue
                ref_field = column.field
                used |= keys & self.named.get(other.name, {}).get(ref_field, set())
                stored = self.stored.records.get(other.name)
                if stored is None:  # not in the file
                    used |= _stored_names(other.model, f"{ref_field}__{key_field}", keys)
                    continue
                deleted_keys = self.deleted.get(other.name, set())
                used |= {
                    record[ref_field]
                    for key, (_, record) in stored.items()
                    if record[ref_field] in keys and key not in deleted_keys
                }
        return used


def _stored_names(model, lookup: str, keys: set[str]) -> set[str]:
    return set(model.objects.filter(**{f"{lookup}__in": keys}).values_list(lookup, flat=True))


def _missing(ref: str, value: str, raw=None) -> str:
    reference = REFERENCES[ref]
    what = reference.noun.format(reference.shown(value, raw))
    sheet = DEFINED_BY.get(ref)
    if sheet is None:
        return f"{what} нет в системе"
    return f"{what} нет ни на листе «{sheet.name}», ни в системе"
