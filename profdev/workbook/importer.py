"""The workbook importer: read → validate every row against the file and the database → plan
→ write the plan in one transaction (`workbook.md`).

Public API (the command and the web upload use only these):

    analyse_workbook(source, user=None) -> WorkbookAnalysis
        Reads and validates a file (a path or a binary file object) and plans every change;
        writes nothing. `analysis.counts` holds per sheet created/updated/deleted/unchanged,
        `analysis.errors` every `Issue` (sorted: sheet order, then row), `analysis.warnings`
        the warnings, `analysis.state_token` a fingerprint of the database it was made
        against. The analysis holds only plain data and pickles (the upload page may keep
        it between the preview and the confirmation, or analyse the stored file again).
    apply_workbook(analysis, user=None) -> WorkbookAnalysis
        Writes exactly the plan in one transaction with bulk operations and records the
        history of personal records. Raises `WorkbookHasErrors` for an analysis with errors
        and `StaleWorkbook` if the database changed since the analysis.
    import_workbook(source, user=None, dry_run=False) -> WorkbookAnalysis
        Both; with errors or `dry_run` nothing is written (`analysis.applied` tells).

`user=None` means full access (the command without --user); otherwise the file is limited
to what the user may change («Who may change what» in workbook.md): a school administrator
changes the own fields and records only of the persons their schools keep
(`Scope.kept_persons`); a known person kept elsewhere is named in «Педагоги» only with the
stored name, sex and birth date, and gets the employment alone.
"""

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from profdev import history
from profdev.bulk import insert_rows
from profdev.models import (
    Employment,
    Person,
    Provider,
    School,
)
from profdev.scoping import scope_for
from profdev.text import mask_snils
from profdev.workbook import rules
from profdev.workbook.labels import full_name, labeller, value_label
from profdev.workbook.parse import BookParser, Row
from profdev.workbook.reader import (
    Issue,
    SheetData,
    Source,
    UnreadableWorkbook,
    file_issue,
    read_bytes,
    read_workbook,
)
from profdev.workbook.sheets import (
    DEFINED_BY,
    PROVIDERS,
    REFERENCES,
    SCHOOLS,
    SHEETS,
    STAFF,
    Record,
    Sheet,
)
from profdev.workbook.stored import Stored, state_token

SHEETS_BY_NAME = {s.name: s for s in SHEETS}
CREATE, UPDATE, DELETE, UNCHANGED = "create", "update", "delete", "unchanged"
ADMIN_VERBS = {CREATE: "добавлять", UPDATE: "изменять", DELETE: "удалять"}
BATCH = 1000


class WorkbookHasErrors(Exception):
    pass


class StaleWorkbook(Exception):
    def __init__(self):
        super().__init__(
            "Данные в системе изменились после проверки файла: загрузите файл ещё раз "
            "и проверьте изменения заново."
        )


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

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


@dataclass
class WorkbookAnalysis:
    counts: dict[str, SheetCounts]
    errors: list[Issue]
    warnings: list[str]
    state_token: str = ""
    plans: list[SheetPlan] = field(default_factory=list)
    persons: list[Step] = field(default_factory=list)  # persons of «Педагоги», key (snils,)
    person_fields: tuple[str, ...] = ()
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # ref → natural key → pk
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def person_changes(self) -> list[dict]:
        """Every change the file makes to a known person's own fields, as the preview lists
        it: the row, the person (name in the file, masked СНИЛС), each field old → new."""
        return [
            {
                "row": step.row,
                "person": f"{full_name(step.values)} ({mask_snils(step.key[0])})",
                "changes": [
                    {
                        "field": STAFF.header_of(name),
                        "old": _shown(name, old),
                        "new": _shown(name, step.values[name]),
                    }
                    for name, old in step.old.items()
                ],
            }
            for step in sorted(self.persons, key=lambda s: s.row)
            if step.action == UPDATE
        ]


def _shown(name: str, value: Any) -> str:
    return "—" if value in (None, "") else value_label(STAFF.column(name), value)


@dataclass(frozen=True)
class Reach:
    """What a file may touch; None means no limit."""

    admin: bool = False
    schools: frozenset[str] | None = None
    districts: frozenset[str] | None = None
    persons: frozenset[str] | None = None  # СНИЛС of the persons whose data the file may change


class NoAccess(Exception):
    pass


def reach_for(user) -> Reach:
    if user is None:
        return Reach()
    scope = scope_for(user)
    if scope.is_district_staff and scope.district_ids is None:
        return Reach()
    if not scope.is_anyone:
        raise NoAccess
    return Reach(
        admin=not scope.is_district_staff,
        schools=frozenset(scope.editable_schools().values_list("code", flat=True)),
        districts=frozenset(
            scope.districts().values_list("code", flat=True) if scope.is_district_staff else ()
        ),
        persons=frozenset(scope.kept_persons().values_list("snils", flat=True)),
    )


# Analysis -----------------------------------------------------------------------------


class _Analyser:
    def __init__(self, sheets: list[SheetData], reach: Reach):
        self.sheets = sheets
        self.reach = reach
        self.errors: list[Issue] = []
        self.state = Stored(sheets)
        self.stored = self.state.records
        self.stored_persons = self.state.references["person"]
        self.districts = self.state.ids["district"]
        self.counts = {d.sheet.name: SheetCounts() for d in sheets}
        self.person_steps: list[Step] = []

    # Planning

    def analyse(self) -> tuple[list[SheetPlan], dict]:
        parser = BookParser(self.errors)
        parsed = {d.sheet.name: parser.rows(d) for d in self.sheets}
        self.defined = {
            "school": self._defined(SCHOOLS, parsed, "code"),
            "provider": self._defined(PROVIDERS, parsed, "name_key"),
            "person": set(self.stored_persons)
            | {r.values["person"] for r in parsed.get(STAFF.name, []) if not r.delete},
            "district": set(self.districts),
        }
        self.reach_schools = self.reach.schools
        self.reach_persons = self.reach.persons
        plans = []
        for data in self.sheets:
            rows = parsed[data.sheet.name]
            plans.append(self.plan(data, rows))
            if data.sheet is SCHOOLS and self.reach_schools is not None:
                created = {s.values["code"] for s in plans[-1].steps if s.action == CREATE}
                self.reach_schools = self.reach_schools | created
            if data.sheet is STAFF:
                self.plan_persons(data, rows, plans[-1])
                if self.reach_persons is not None:
                    # Persons new to the system are the file's own; known ones stay as kept.
                    staff = {s.values["person"] for s in plans[-1].steps if s.action != DELETE}
                    self.reach_persons = self.reach_persons | (staff - set(self.stored_persons))
        self.check_deletions(plans, parsed)
        return plans, self.state.ids

    def _defined(self, sheet: Sheet, parsed, key_field: str) -> set:
        rows = parsed.get(sheet.name, [])
        deleted = {r.key[0] for r in rows if r.delete}
        kept = {k[0] for k in self.stored[sheet.name]} - deleted
        return kept | {r.values[key_field] for r in rows if not r.delete}

    def plan(self, data: SheetData, rows: list[Row]) -> SheetPlan:
        sheet = data.sheet
        present = [f for f in data.columns if not sheet.column(f).person]
        compared = [*present, *sheet.extra_fields]
        stored = self.stored[sheet.name]
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
                if sheet is SCHOOLS:
                    self.default_district(data, row, old_record)
                fields = [f for f in compared if f in row.values]
                changed = {
                    f: old_record[f]
                    for f in fields
                    if old_record and row.values[f] != old_record[f]
                }
                action = CREATE if pk is None else (UPDATE if changed else UNCHANGED)
                step = Step(row.number, action, row.key, row.values, pk, changed)
                self.check_references(sheet, row, issue)
            if self.check_reach(sheet, step, issue):
                steps.append(step)
                if sheet is not STAFF:
                    self.counts[sheet.name].add(step.action)
        return SheetPlan(sheet.name, tuple(present), steps)

    def _issue(self, data: SheetData, row: int, field_name: str, message: str) -> None:
        self.errors.append(data.issue(row, data.sheet.header_of(field_name), message))

    def default_district(self, data: SheetData, row: Row, old_record: Record | None) -> None:
        if row.values.get("district") is not None:
            return
        if "district" not in data.columns and old_record is not None:
            return
        if len(self.districts) == 1:
            row.values["district"] = next(iter(self.districts))
            return
        message = (
            "укажите муниципалитет: в системе их несколько"
            if self.districts
            else (
                "в системе нет ни одного муниципалитета: сначала заведите его командой "
                "«manage.py add_district КОД НАЗВАНИЕ»"
            )
        )
        self.errors.append(data.issue(row.number, "Муниципалитет", message))

    def check_references(self, sheet: Sheet, row: Row, issue) -> None:
        for column in sheet.columns:
            value = row.values.get(column.field)
            if column.ref is None or value is None or value in self.defined[column.ref]:
                continue
            # Out of a limited user's reach: check_reach says so without revealing who exists.
            limited = {"person": self.reach_persons, "school": self.reach_schools}.get(column.ref)
            if limited is not None and sheet is not SCHOOLS and value not in limited:
                continue
            issue(column.field, _missing(column.ref, value))

    def check_reach(self, sheet: Sheet, step: Step, issue) -> bool:
        """Scope rules; False when the row is out of the user's reach."""
        ok = True
        values = step.values
        school = values.get(sheet.school_field) if sheet.school_field else None
        if school is not None and self.reach_schools is not None:
            in_reach = school in self.reach_schools or (
                sheet is SCHOOLS
                and step.action == CREATE
                and not self.reach.admin
                and values.get("district") in self.reach.districts
            )
            if not in_reach:
                issue(sheet.school_field, f"нет прав на данные ОО с кодом «{school}»")
                return False
        if sheet.school_field is None and self.reach_persons is not None:
            for name in sheet.person_fields:
                if values[name] not in self.reach_persons:
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

    def plan_persons(self, data: SheetData, rows: list[Row], plan: SheetPlan) -> None:
        """Persons of «Педагоги»: their own fields agree across rows; main employments do
        not overlap, in the file or with the database."""
        person_fields = [f for f in data.columns if STAFF.column(f).person]
        first: dict[str, Row] = {}
        kept_rows = {s.row for s in plan.steps}
        for row in rows:
            if row.delete or row.number not in kept_rows:
                continue
            snils = row.values["person"]
            if snils not in first:
                first[snils] = row
                continue
            for name in rules.person_disagreements(first[snils].values, row.values):
                self.errors.append(
                    data.issue(
                        row.number,
                        STAFF.header_of(name),
                        rules.person_disagreement_message(
                            name, row.values[name], first[snils].number
                        ),
                    )
                )
        updated_persons = set()
        kept = self.reach.persons
        for snils, row in first.items():
            values = {"snils": snils, **{f: row.values[f] for f in person_fields}}
            pk, old_record = self.stored_persons.get(snils, (None, None))
            if old_record and kept is not None and snils not in kept:
                # Kept by another school: named with the stored data, changed in nothing.
                if rules.identity_differs(values, old_record):
                    self._issue(data, row.number, "person", rules.IDENTITY_MISMATCH)
                changed = {}
            else:
                changed = {
                    f: old_record[f]
                    for f in person_fields
                    if old_record and values[f] != old_record[f]
                }
            action = CREATE if pk is None else (UPDATE if changed else UNCHANGED)
            step = Step(row.number, action, (snils,), values, pk, changed)
            if old_record:
                step.values["version"] = old_record["version"] + 1
            self.person_steps.append(step)
            if action == UPDATE:
                updated_persons.add(snils)
        for step in plan.steps:
            if step.action == UNCHANGED and step.values["person"] in updated_persons:
                self.counts[STAFF.name].add(UPDATE)
            else:
                self.counts[STAFF.name].add(step.action)
        self.check_overlaps(data, plan)

    def check_overlaps(self, data: SheetData, plan: SheetPlan) -> None:
        main = Employment.Workplace.MAIN
        in_file = {s.key for s in plan.steps}
        stored_by_person = defaultdict(list)
        snils_in_file = {s.key[0] for s in plan.steps}
        for key, (_, record) in self.stored[STAFF.name].items():
            if key[0] in snils_in_file and key not in in_file and record["workplace"] == main:
                label = f"ОО «{key[1]}»" if self._school_visible(key[1]) else ""
                stored_by_person[key[0]].append((key[2], record["dismissed_on"], label))
        earlier = defaultdict(list)
        for step in sorted(plan.steps, key=lambda s: s.row):
            values = step.values
            if step.action == DELETE or values["workplace"] != main:
                continue
            snils = values["person"]
            start = values["hired_on"]
            if "dismissed_on" in values:
                end = values["dismissed_on"]
            else:  # the column is absent: a stored employment keeps its date
                end = self.stored[STAFF.name].get(step.key, (None, {}))[1].get("dismissed_on")
            periods = [*stored_by_person[snils], *earlier[snils]]
            overlap = rules.find_overlap(start, end, periods)
            if overlap:
                self.errors.append(
                    data.issue(
                        step.row, STAFF.header_of("hired_on"), rules.overlap_message(*overlap)
                    )
                )
            earlier[snils].append((start, end, f"строка {step.row}"))

    def _school_visible(self, code: str) -> bool:
        return self.reach_schools is None or code in self.reach_schools

    def check_deletions(self, plans: list[SheetPlan], parsed) -> None:
        """A school or provider may be deleted only when nothing refers to it any more."""
        for plan in plans:
            sheet = plan.sheet
            deleted = {s.key[0]: s.row for s in plan.steps if s.action == DELETE}
            if not deleted or not sheet.is_reference:
                continue
            data = next(d for d in self.sheets if d.sheet is sheet)
            header = sheet.header_of(sheet.key_inputs[0])
            for key in sorted(self._used(sheet, parsed, set(deleted)), key=deleted.get):
                self.errors.append(data.issue(deleted[key], header, sheet.in_use))

    def _used(self, sheet: Sheet, parsed, keys: set[str]) -> set[str]:
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
                rows = parsed.get(other.name, [])
                used |= {
                    r.values[ref_field]
                    for r in rows
                    if not r.delete and r.values[ref_field] in keys
                }
                stored = self.stored.get(other.name)
                if stored is None:  # not in the file
                    used |= _stored_names(other.model, f"{ref_field}__{key_field}", keys)
                    continue
                deleted_keys = {r.key for r in rows if r.delete}
                used |= {
                    record[ref_field]
                    for key, (_, record) in stored.items()
                    if record[ref_field] in keys and key not in deleted_keys
                }
        return used


def _stored_names(model, lookup: str, keys: set[str]) -> set[str]:
    return set(model.objects.filter(**{f"{lookup}__in": keys}).values_list(lookup, flat=True))


def _missing(ref: str, value: str) -> str:
    reference = REFERENCES[ref]
    what = reference.noun.format(reference.shown(value))
    sheet = DEFINED_BY.get(ref)
    if sheet is None:
        return f"{what} нет в системе"
    return f"{what} нет ни на листе «{sheet.name}», ни в системе"


# Public API ---------------------------------------------------------------------------


def analyse_workbook(source: Source, user=None) -> WorkbookAnalysis:
    """Read, validate and plan; writes nothing."""
    try:
        reach = reach_for(user)
    except NoAccess:
        return _failed(file_issue("у пользователя нет прав на загрузку книги"))
    try:
        result = read_workbook(read_bytes(source))
        token = state_token()
        analyser = _Analyser(result.sheets, reach)
        plans, ids = analyser.analyse()
    except UnreadableWorkbook as exc:
        return _failed(exc.issue)
    analyser.errors.extend(result.errors)
    persons_present = tuple(
        f for d in result.sheets if d.sheet is STAFF for f in d.columns if STAFF.column(f).person
    )
    return WorkbookAnalysis(
        counts=analyser.counts,
        errors=sorted(analyser.errors),
        warnings=result.warnings,
        state_token=token,
        plans=plans,
        persons=analyser.person_steps,
        person_fields=persons_present,
        ids=ids,
    )


def _failed(issue: Issue) -> WorkbookAnalysis:
    return WorkbookAnalysis(counts={}, errors=[issue], warnings=[])


def import_workbook(source: Source, user=None, dry_run: bool = False) -> WorkbookAnalysis:
    analysis = analyse_workbook(source, user=user)
    if analysis.ok and not dry_run:
        apply_workbook(analysis, user=user)
    return analysis


@transaction.atomic
def apply_workbook(analysis: WorkbookAnalysis, user=None) -> WorkbookAnalysis:
    """Write exactly the analysed plan; refuse if the database changed since."""
    if analysis.errors:
        raise WorkbookHasErrors("В файле есть ошибки: записывать нечего.")
    if state_token() != analysis.state_token:
        raise StaleWorkbook
    ids = {ref: dict(keys) for ref, keys in analysis.ids.items()}
    for plan in reversed(analysis.plans):
        pks = [s.pk for s in plan.steps if s.action == DELETE]
        for start in range(0, len(pks), BATCH):
            plan.sheet.model.objects.filter(pk__in=pks[start : start + BATCH]).delete()
    for plan in analysis.plans:
        if plan.sheet is STAFF:
            _write_persons(analysis, ids)
        _write(plan, ids)
    # Streamed into the history table batch by batch: a region's first load is large.
    changes = itertools.chain(
        (_person_change(s, ids) for s in analysis.persons if s.action != UNCHANGED),
        *(_record_changes(plan, ids) for plan in analysis.plans if plan.sheet.person_fields),
    )
    history.record_changes(changes, user=user, source=history.SOURCE_WORKBOOK)
    analysis.applied = True
    return analysis


def _model_values(sheet: Sheet, values: Record, ids) -> dict[str, Any]:
    result = {}
    for name, value in values.items():
        column = sheet.columns_by_field.get(name)
        if column is None:
            if name in sheet.extra_fields:
                result[name] = value
        elif column.person:
            continue
        elif column.ref:
            result[f"{name}_id"] = ids[column.ref][value] if value is not None else None
        else:
            result[name] = value
    return result


def _write(plan: SheetPlan, ids) -> None:
    sheet, model = plan.sheet, plan.sheet.model
    created = _insert(
        model, (_model_values(sheet, s.values, ids) for s in plan.steps if s.action == CREATE)
    )
    if created and sheet is SCHOOLS:
        ids["school"] = dict(School.objects.values_list("code", "pk"))
    elif created and sheet is PROVIDERS:
        ids["provider"] = dict(Provider.objects.values_list("name_key", "pk"))
    updated = [s for s in plan.steps if s.action == UPDATE]
    fields = [f for f in (*plan.fields, *sheet.extra_fields) if f not in sheet.key]
    if updated and fields:
        model.objects.bulk_update(
            [model(pk=s.pk, **_model_values(sheet, s.values, ids)) for s in updated],
            fields,
            batch_size=BATCH,
        )


def _insert(model, records: Iterable[dict[str, Any]]) -> int:
    """Insert new records; fields absent from the file take the model's defaults."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    return insert_rows(model, names, ([r.get(n, defaults[n]) for n in names] for r in records))


def _write_persons(analysis: WorkbookAnalysis, ids) -> None:
    if _insert(Person, (s.values for s in analysis.persons if s.action == CREATE)):
        ids["person"] = dict(Person.objects.values_list("snils", "pk"))
    updated = [s for s in analysis.persons if s.action == UPDATE]
    if updated:
        Person.objects.bulk_update(
            [Person(pk=s.pk, **s.values) for s in updated],
            [*analysis.person_fields, "version"],
            batch_size=BATCH,
        )


def _person_change(step: Step, ids) -> history.Change:
    values = {f: v for f, v in step.values.items() if f not in ("snils", "version")}
    old = step.old if step.action == UPDATE else {}
    new = {f: values[f] for f in old} if step.action == UPDATE else values
    return history.Change(
        person_id=ids["person"][step.key[0]],
        record_type=str(Person._meta.verbose_name),
        record_label=full_name(values),
        action=step.action,
        changes=history.field_changes(old, new),
    )


def _record_changes(plan: SheetPlan, ids) -> Iterator[history.Change]:
    sheet = plan.sheet
    record_type = str(sheet.model._meta.verbose_name)
    present = frozenset(plan.fields)
    label = labeller(sheet)
    for step in plan.steps:
        if step.action == UNCHANGED:
            continue
        if step.action == UPDATE:
            old, new = step.old, {f: step.values[f] for f in step.old}
        elif step.action == CREATE:
            old, new = {}, {f: v for f, v in step.values.items() if f in present}
        else:
            old, new = {f: v for f, v in step.old.items() if f in present}, {}
        changes = history.field_changes(old, new)
        record = label(step.key)
        for snils in sorted({step.values[f] for f in sheet.person_fields}):
            yield history.Change(
                person_id=ids["person"][snils],
                record_type=record_type,
                record_label=record,
                action=step.action,
                changes=changes,
            )
