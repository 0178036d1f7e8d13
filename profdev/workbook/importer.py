"""The workbook importer: read → parse → plan → persons → write, in stages (`workbook.md`).

The stages: `reader` (the file's sheets and rows), `parse` (clean keyed rows), `plan` (each
row's step, checked against the stored data and the user's reach), `persons` (the persons
named with their own fields), then the plan is written (`write_plan`). Every error of
every stage is collected; with one, nothing is written.

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

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from profdev import history
from profdev.bulk import insert_rows
from profdev.models import Person
from profdev.workbook.labels import full_name, labeller
from profdev.workbook.parse import BookParser
from profdev.workbook.persons import PersonPlanner
from profdev.workbook.plan import (
    CREATE,
    DELETE,
    UNCHANGED,
    UPDATE,
    Planner,
    SheetPlan,
    Step,
    WorkbookAnalysis,
)
from profdev.workbook.reach import NoAccess, Reach, reach_for
from profdev.workbook.reader import (
    Issue,
    ReadResult,
    Source,
    UnreadableWorkbook,
    file_issue,
    read_bytes,
    read_workbook,
)
from profdev.workbook.sheets import REFERENCES, Record, Sheet
from profdev.workbook.stored import Stored, state_token


class WorkbookHasErrors(Exception):
    pass


class StaleWorkbook(Exception):
    def __init__(self):
        super().__init__(
            "Данные в системе изменились после проверки файла: загрузите файл ещё раз "
            "и проверьте изменения заново."
        )


def analyse_workbook(source: Source, user=None) -> WorkbookAnalysis:
    """Read, validate and plan; writes nothing."""
    try:
        reach = reach_for(user)
    except NoAccess:
        return _failed(file_issue("у пользователя нет прав на загрузку книги"))
    try:
        result = read_workbook(read_bytes(source))
        return _analyse(result, reach, state_token())
    except UnreadableWorkbook as exc:
        return _failed(exc.issue)


def _analyse(result: ReadResult, reach: Reach, token: str) -> WorkbookAnalysis:
    errors: list[Issue] = []
    stored = Stored(result.sheets)
    parser = BookParser(errors)
    rows = {data.sheet.name: parser.rows(data) for data in result.sheets}
    planner = Planner(stored, reach, rows, errors)
    persons = PersonPlanner(stored, reach, errors)
    plans = []
    for data in result.sheets:
        plan = planner.plan(data)
        if data.sheet.own_fields:
            persons.plan(data, rows[data.sheet.name], plan)
        planner.extend_reach(plan)
        plans.append(plan)
    for data, plan in zip(result.sheets, plans, strict=True):
        planner.check_deletions(data, plan)
    return WorkbookAnalysis(
        counts={plan.sheet_name: plan.counts(persons.updated) for plan in plans},
        errors=sorted([*errors, *result.errors]),
        warnings=result.warnings,
        state_token=token,
        plans=plans,
        persons=persons.steps,
        person_fields=persons.fields,
        ids=stored.ids,
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
    write_plan(analysis, user)
    analysis.applied = True
    return analysis


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
        *(_record_changes(plan, ids) for plan in analysis.plans if plan.sheet.person_fields),
    )
    history.record_changes(changes, user=user, source=history.SOURCE_WORKBOOK)


def _ids(reference: str) -> dict[Any, int]:
    ref = REFERENCES[reference]
    return dict(ref.model.objects.values_list(ref.key, "pk"))


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
    if created and sheet.is_reference:  # later sheets name the new rows
        ids[sheet.defines.reference] = _ids(sheet.defines.reference)
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
