"""Writing a checked plan with bulk operations, and the history of every personal record it
changes (`profdev.history`). The caller holds the transaction and has checked that the
database is still the one the plan was made against.
"""

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

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
    WorkbookAnalysis,
)
from profdev.workbook.sheets import REFERENCES, Record, Sheet
from profdev.workbook.stored import parent_ids

BATCH = 1000


def write_plan(analysis: WorkbookAnalysis, user) -> None:
    ids = {ref: dict(keys) for ref, keys in analysis.ids.items()}
    for plan in reversed(analysis.plans):  # a row naming another goes before it
        pks = [s.pk for s in plan.steps if s.action == DELETE]
        for start in range(0, len(pks), BATCH):
            plan.sheet.model.objects.filter(pk__in=pks[start : start + BATCH]).delete()
    for plan in analysis.plans:
        if plan.sheet.own_fields:  # the persons its rows name are written first
            _write_persons(analysis, ids)
        _write(plan, ids)
    # Streamed into the history table batch by batch: a region's first load is large.
    changes = itertools.chain(
        (_person_change(s, ids) for s in analysis.persons if s.action != UNCHANGED),
        *(
            _record_changes(plan, ids)
            for plan in analysis.plans
            if plan.sheet.person_fields or plan.sheet.school_history
        ),
    )
    history.record_changes(changes, user=user, source=ChangeRecord.Source.WORKBOOK)


def _ids(reference: str) -> dict[Any, int]:
    ref = REFERENCES[reference]
    return dict(ref.model.objects.values_list(ref.key, "pk"))


def _model_values(sheet: Sheet, values: Record, ids, parents=None) -> dict[str, Any]:
    """The model's values of a row; `parents`: the parent's keys → pk (`Sheet.parent`)."""
    result = {}
    parent = sheet.parent
    if parent:
        result[f"{parent.field}_id"] = parents[tuple(values[f] for f in parent.fields)]
    for name, value in values.items():
        column = sheet.columns_by_field.get(name)
        if column is None:
            if name in sheet.extra_fields:
                result[name] = value
        elif column.person or (parent and name in parent.fields):
            continue
        elif column.ref:
            result[f"{name}_id"] = ids[column.ref][value] if value is not None else None
        else:
            result[name] = value
    return result


def _write(plan: SheetPlan, ids) -> None:
    sheet, model = plan.sheet, plan.sheet.model
    # The parents as written by the sheets before (a new route's activities name it).
    written = sheet.parent and any(s.action in (CREATE, UPDATE) for s in plan.steps)
    parents = parent_ids(sheet) if written else None
    created = _insert(
        model,
        (_model_values(sheet, s.values, ids, parents) for s in plan.steps if s.action == CREATE),
    )
    if created and sheet.is_reference:  # later sheets name the new rows
        ids[sheet.defines.reference] = _ids(sheet.defines.reference)
    updated = [s for s in plan.steps if s.action == UPDATE]
    fields = [f for f in (*plan.fields, *sheet.extra_fields) if f not in sheet.key]
    if updated and fields:
        model.objects.bulk_update(
            [model(pk=s.pk, **_model_values(sheet, s.values, ids, parents)) for s in updated],
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
        ids["person"] = _ids("person")
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
    created = history.created_json(present)
    label = labeller(sheet)
    for step in plan.steps:
        if step.action == UNCHANGED:
            continue
        if step.action == CREATE:
            changes = created(step.values)
        elif step.action == UPDATE:
            changes = history.field_changes(step.old, {f: step.values[f] for f in step.old})
        else:
            changes = history.field_changes({f: v for f, v in step.old.items() if f in present}, {})
        record = label(step.key)
        if sheet.school_history:
            yield history.Change(
                person_id=None,
                record_type=record_type,
                record_label=record,
                action=step.action,
                changes=changes,
                school_id=ids["school"][step.values[sheet.school_field]],
            )
        for snils in sorted({step.values[f] for f in sheet.person_fields}):
            yield history.Change(
                person_id=ids["person"][snils],
                record_type=record_type,
                record_label=record,
                action=step.action,
                changes=changes,
            )
