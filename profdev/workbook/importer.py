"""The workbook importer: read → parse → plan → persons → write, in stages (`workbook.md`).

The stages: `reader` (the file's sheets and rows), `parse` (clean keyed rows), `plan` (each
row's step, checked against the stored data and the user's reach), `persons` (the persons
named with their own fields), `names` (the names written beside a СНИЛС: warnings),
`apply` (the plan written). Every error of every stage is
collected; with one, nothing is written.

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
        Both in one transaction, each sheet written as soon as it is planned (a region's
        load holds one sheet's plan at a time); with errors or `dry_run` nothing is written
        (`analysis.applied` tells), and the analysis keeps no plans.

`user=None` means full access (the command without --user); otherwise the file is limited
to what the user may change («Who may change what» in workbook.md): a school administrator
changes the own fields and records only of the persons their schools keep
(`Scope.kept_persons`); a known person kept elsewhere is named in «Педагоги» only with the
stored name, sex and birth date, and gets the employment alone.
"""

import itertools
from collections.abc import Iterator

from django.db import transaction

from profdev.collector import uncollected
from profdev.statistics import refresh_statistics
from profdev.workbook.apply import PlanWriter, write_plan
from profdev.workbook.names import name_warnings
from profdev.workbook.parse import BookParser, Row
from profdev.workbook.persons import PersonPlanner
from profdev.workbook.plan import Planner, SheetCounts, WorkbookAnalysis
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
from profdev.workbook.stored import Stored, state_token

# The rows of a sheet planned and written at a time when the importer writes as it goes: a
# region's large sheets (163 000 courses, 228 000 activities) are never held whole.
PART = 20_000


class WorkbookHasErrors(Exception):
    pass


class StaleWorkbook(Exception):
    def __init__(self):
        super().__init__(
            "Данные в системе изменились после проверки файла: загрузите файл ещё раз "
            "и проверьте изменения заново."
        )


@uncollected()
def analyse_workbook(source: Source, user=None) -> WorkbookAnalysis:
    """Read, validate and plan; writes nothing."""
    return _read_and_analyse(source, user, write=False)


def _read_and_analyse(source: Source, user, write: bool) -> WorkbookAnalysis:
    try:
        reach = reach_for(user)
    except NoAccess:
        return _failed(file_issue("у пользователя нет прав на загрузку книги"))
    try:
        result = read_workbook(read_bytes(source))
        return _analyse(result, reach, state_token(), user, write)
    except UnreadableWorkbook as exc:
        return _failed(exc.issue)


def _analyse(result: ReadResult, reach: Reach, token: str, user, write: bool) -> WorkbookAnalysis:
    """The analysis of every sheet, one sheet's rows at a time. With `write`, each sheet is
    written (as `user`) as soon as it is planned, a part of PART rows at a time, until the
    first error, and its plan let go: only the rows it deletes are kept, for the deletion
    checks that need every sheet; the deletions go last, if no sheet has an error."""
    errors: list[Issue] = []
    warnings: list[str] = []
    stored = Stored(result.sheets)
    writer = PlanWriter(stored.ids, user) if write else None
    parser = BookParser(errors)
    planner = Planner(stored, reach, errors)
    persons = PersonPlanner(stored, reach, errors)
    plans = []
    counts = {}
    for data in result.sheets:
        sheet = data.sheet
        # The persons' sheet is planned whole: a person's rows are checked together.
        size = None if writer is None or sheet.own_fields else PART
        kept = None  # of the sheet's plan: all of it, or (written) the rows it deletes
        counts[sheet.name] = SheetCounts()
        for rows in _parts(parser.rows(data), size):
            planner.add_rows(sheet, rows)
            plan = planner.plan(data, rows)
            if sheet.own_fields:
                persons.plan(data, rows, plan)
            planner.extend_reach(plan)
            warnings.extend(name_warnings(data, rows, persons.steps, stored, reach))
            counts[sheet.name] += plan.counts(persons.updated)
            if writer is not None:
                if not (errors or result.errors):
                    writer.sheet(plan, persons.steps, persons.fields)
                plan = plan.deletions()
            if kept is None:
                kept = plan
            else:
                kept.extend(plan)
        plans.append(kept)
    for data, plan in zip(result.sheets, plans, strict=True):
        planner.check_deletions(data, plan)
    analysis = WorkbookAnalysis(
        counts=counts,
        errors=sorted([*errors, *result.errors]),
        warnings=[*result.warnings, *warnings],
        state_token=token,
        plans=[] if writer else plans,
        persons=[] if writer else persons.steps,
        person_fields=persons.fields,
        ids=stored.ids,
    )
    if writer is not None and analysis.ok:
        _applied(analysis, writer.finish())
    return analysis


def _parts(rows: Iterator[Row], size: int | None) -> Iterator[list[Row]]:
    """The rows in lists of `size` (None: one list of all), at least one list."""
    part = list(itertools.islice(rows, size))
    yield part
    while size is not None and len(part) == size and (part := list(itertools.islice(rows, size))):
        yield part


def _failed(issue: Issue) -> WorkbookAnalysis:
    return WorkbookAnalysis(counts={}, errors=[issue], warnings=[])


class _RolledBack(Exception):
    def __init__(self, analysis: WorkbookAnalysis):
        self.analysis = analysis


def import_workbook(source: Source, user=None, dry_run: bool = False) -> WorkbookAnalysis:
    """Analyse and write in one transaction, each sheet written as soon as it is planned;
    with an error anywhere (or `dry_run`) nothing is written."""
    if dry_run:
        return analyse_workbook(source, user=user)
    try:
        return _import(source, user)
    except _RolledBack as rolled_back:
        return rolled_back.analysis


@uncollected()
@transaction.atomic
def _import(source: Source, user) -> WorkbookAnalysis:
    analysis = _read_and_analyse(source, user, write=True)
    if analysis.errors:
        raise _RolledBack(analysis)  # what the sheets before the error wrote is undone
    return analysis


@uncollected()
@transaction.atomic
def apply_workbook(analysis: WorkbookAnalysis, user=None) -> WorkbookAnalysis:
    """Write exactly the analysed plan; refuse if the database changed since."""
    if analysis.errors:
        raise WorkbookHasErrors("В файле есть ошибки: записывать нечего.")
    if state_token() != analysis.state_token:
        raise StaleWorkbook
    _applied(analysis, write_plan(analysis, user))
    return analysis


def _applied(analysis: WorkbookAnalysis, changed) -> None:
    transaction.on_commit(lambda: refresh_statistics(changed))
    analysis.applied = True
