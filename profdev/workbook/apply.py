"""Writing a checked plan with bulk operations, and the history of every personal record it
changes (`profdev.history`). The caller holds the transaction.
"""

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Model
from django.utils import timezone

from profdev import history
from profdev.bulk import insert_rows
from profdev.models import ChangeRecord, Person
from profdev.workbook.labels import full_name, labeller
from profdev.workbook.plan import (
    CREATE,
    DELETE,
    UNCHANGED,
    UPDATE,
    SheetPlan,
    Step,
)
from profdev.workbook.sheets import REFERENCES, Record, Sheet
from profdev.workbook.stored import parent_ids

BATCH = 1000


class PlanWriter:
    """Writes a checked plan sheet by sheet, in the format's order (`sheet`), then the
    deletions (`finish`): the importer writes each sheet's part as soon as it is planned, so
    that a region's load never holds a whole sheet's plan. The caller holds the transaction.

    A sheet's new and changed rows are written with its history at once (its persons first,
    on the sheet carrying their own fields). The rows a plan deletes are only noted: they go
    at the end, the sheets' in reverse order, so that a row naming another goes before it
    (a school is deleted after its employments). Every natural key is a sheet's own, so no
    row written before conflicts with one deleted after.
    """

    def __init__(self, ids: dict[str, dict[Any, int]], user) -> None:
        self.ids = {ref: dict(keys) for ref, keys in ids.items()}
        self.user = user
        self.at = timezone.now()  # one timestamp for the load's whole history
        self.deletions: list[tuple[type[Model], list[int]]] = []
        # the rows inserted, updated or deleted, by model: the planner's statistics are
        # refreshed after a large load (`profdev.statistics`)
        self.changed: Counter[type[Model]] = Counter()
        self.parents: dict[str, dict[tuple, int]] = {}  # sheet → `_parents`

    def sheet(self, plan: SheetPlan, persons: list[Step], person_fields: tuple[str, ...]) -> None:
        """Write a sheet's plan; `persons`: the persons named (with their own `person_fields`)
        when the sheet carries them."""
        changes: list[Iterable[history.Change]] = []
        if plan.sheet.own_fields:
            _write_persons(persons, person_fields, self.ids)
            self.changed[Person] += sum(s.action != UNCHANGED for s in persons)
            changes.append(_person_changes(persons, person_fields, self.ids))
        _write(plan, self.ids, self._parents(plan))
        if plan.sheet.person_fields or plan.sheet.school_history:
            changes.append(_record_changes(plan, self.ids))
        if changes:
            history.record_changes(
                itertools.chain(*changes),
                user=self.user,
                source=ChangeRecord.Source.WORKBOOK,
                at=self.at,
            )
        pks = [s.pk for s in plan.steps if s.action == DELETE]
        if pks:
            self.deletions.append((plan.sheet.model, pks))
        self.changed[plan.sheet.model] += sum(s.action != UNCHANGED for s in plan.steps)

    def _parents(self, plan: SheetPlan) -> dict[tuple, int] | None:
        """The stored parents of the rows a sheet's plan writes (a new route's activities
        name it), read once a sheet: the sheets before it have written them."""
        sheet = plan.sheet
        if not sheet.parent or all(s.action not in (CREATE, UPDATE) for s in plan.steps):
            return None
        if sheet.name not in self.parents:
            self.parents[sheet.name] = parent_ids(sheet)
        return self.parents[sheet.name]

    def finish(self) -> Counter[type[Model]]:
        """Delete what the plans delete; returns the rows changed by model."""
        for model, pks in reversed(self.deletions):
            for start in range(0, len(pks), BATCH):
                model.objects.filter(pk__in=pks[start : start + BATCH]).delete()
        return self.changed


def _ids(reference: str) -> dict[Any, int]:
    ref = REFERENCES[reference]
    return dict(ref.model.objects.values_list(ref.key, "pk"))


def _model_values(sheet: Sheet, ids, parents=None) -> Callable[[Record], dict[str, Any]]:
    """The model's values of a row of the sheet (attname → value), as a function of the row;
    `parents`: the parent's keys → pk (`Sheet.parent`). A reference is stored as the pk of
    the key the row names (`ids`, as they are when the function is made)."""
    parent = sheet.parent
    naming_parent = parent.fields if parent else ()
    # record field → (attname, the reference's keys → pk, or None for a value as it is)
    targets: dict[str, tuple[str, dict | None]] = {
        name: (name, None) for name in sheet.extra_fields if name not in sheet.columns_by_field
    }
    for name, column in sheet.columns_by_field.items():
        if not (column.person or name in naming_parent):
            targets[name] = (f"{name}_id", ids[column.ref]) if column.ref else (name, None)

    def model_values(values: Record) -> dict[str, Any]:
        result = {}
        if parent:
            result[f"{parent.field}_id"] = parents[tuple(values[f] for f in parent.fields)]
        for name, value in values.items():
            target = targets.get(name)
            if target is not None:
                attname, keys = target
                result[attname] = value if keys is None or value is None else keys[value]
        return result

    return model_values


def _write(plan: SheetPlan, ids, parents: dict[tuple, int] | None) -> None:
    sheet, model = plan.sheet, plan.sheet.model
    model_values = _model_values(sheet, ids, parents)
    created = _insert(model, (model_values(s.values) for s in plan.steps if s.action == CREATE))
    if created and sheet.is_reference:  # later sheets name the new rows
        ids[sheet.defines.reference] = _ids(sheet.defines.reference)
    updated = [s for s in plan.steps if s.action == UPDATE]
    fields = [f for f in (*plan.fields, *sheet.extra_fields) if f not in sheet.key]
    if updated and fields:
        model_values = _model_values(sheet, ids, parents)
        model.objects.bulk_update(
            [model(pk=s.pk, **model_values(s.values)) for s in updated],
            fields,
            batch_size=BATCH,
        )


def _insert(model, records: Iterable[dict[str, Any]]) -> int:
    """Insert new records; fields absent from the file take the model's defaults."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    return insert_rows(
        model,
        list(defaults),
        ([r.get(n, default) for n, default in defaults.items()] for r in records),
    )


def _write_persons(persons: list[Step], fields: tuple[str, ...], ids) -> None:
    if _insert(Person, (s.values for s in persons if s.action == CREATE)):
        ids["person"] = _ids("person")
    updated = [s for s in persons if s.action == UPDATE]
    if updated:
        Person.objects.bulk_update(
            [Person(pk=s.pk, **s.values) for s in updated],
            [*fields, "version"],
            batch_size=BATCH,
        )


def _person_changes(persons: list[Step], fields: tuple[str, ...], ids) -> Iterator[history.Change]:
    """The history of the persons the file creates or changes (their own `fields`)."""
    record_type = str(Person._meta.verbose_name)
    created = history.created_json(fields)
    person_ids = ids["person"]
    for step in persons:
        if step.action == UNCHANGED:
            continue
        if step.action == CREATE:
            changes = created(step.values)
        else:
            changes = history.field_changes(step.old, {f: step.values[f] for f in step.old})
        yield history.Change(
            person_id=person_ids[step.key[0]],
            record_type=record_type,
            record_label=full_name(step.values),
            action=step.action,
            changes=changes,
        )


def _record_changes(plan: SheetPlan, ids) -> Iterator[history.Change]:
    sheet = plan.sheet
    record_type = str(sheet.model._meta.verbose_name)
    present = frozenset(plan.fields)
    created = history.created_json(present)
    label = labeller(sheet)
    persons, person_ids = sheet.person_fields, ids["person"]
    for step in plan.steps:
        action = step.action
        if action == UNCHANGED:
            continue
        if action == CREATE:
            changes = created(step.values)
        elif action == UPDATE:
            changes = history.field_changes(step.old, {f: step.values[f] for f in step.old})
        else:
            changes = history.field_changes({f: v for f, v in step.old.items() if f in present}, {})
        record = label(step.key)
        if sheet.school_history:
            yield history.Change(
                person_id=None,
                record_type=record_type,
                record_label=record,
                action=action,
                changes=changes,
                school_id=ids["school"][step.values[sheet.school_field]],
            )
        values = step.values
        named = [values[persons[0]]] if len(persons) == 1 else sorted({values[f] for f in persons})
        for snils in named:
            yield history.Change(person_ids[snils], record_type, record, action, changes)
