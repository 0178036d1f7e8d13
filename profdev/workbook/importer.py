"""The workbook importer: read → parse → plan → persons → write, in stages (`workbook.md`).

The stages: `reader` (the file's sheets and rows), `parse` (clean keyed rows), `plan` (each
row's step, checked against the stored data and the user's reach), `persons` (the persons
named with their own fields), `names` (the names written beside a СНИЛС: warnings),
`apply` (the plan written). Every error of every stage is
collected; with one, nothing is written.

Public API (the command and the web upload use only these):

    analyse_workbook(source, user=None) -> WorkbookAnalysis
        Reads and validates a file (a path or a binary file object) and plans every change,
        a sheet's part at a time; writes nothing and keeps no plan. `analysis.counts` holds
        per sheet created/updated/deleted/unchanged, `analysis.errors` every `Issue`
        (sorted: sheet order, then row), `analysis.warnings` the warnings,
        `analysis.person_changes()` the changes to known persons' own fields, and
        `analysis.state_token` a fingerprint of the database it was made against.
    import_workbook(source, user=None, dry_run=False, expected_token=None) -> WorkbookAnalysis
        Analyses and writes in one transaction, each part of a sheet written as soon as it
        is planned (a load holds one part's plan at a time); with errors or `dry_run`
        nothing is written (`analysis.applied` tells). With `expected_token` (an earlier
        analysis's state_token: the web upload's check), raises `StaleWorkbook` and writes nothing
        unless the database is still the one that analysis read: the same file against the
        same data is planned the same way, so the upload writes what its check showed.

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
from profdev.workbook.apply import PlanWriter
from profdev.workbook.names import name_warnings
from profdev.workbook.parse import BookParser, Row
from profdev.workbook.persons import PersonPlanner
from profdev.workbook.plan import UPDATE, Planner, SheetCounts, WorkbookAnalysis
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

# The rows of a sheet planned (and written) at a time: a region's large sheets (163 000
# courses, 228 000 activities) are never held whole, by a check or a load.
PART = 20_000


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


def _read_and_analyse(
    source: Source, user, write: bool, expected_token: str | None = None
) -> WorkbookAnalysis:
    try:
        reach = reach_for(user)
    except NoAccess:
        return _failed(file_issue("у пользователя нет прав на загрузку книги"))
    token = state_token()
    if expected_token is not None and token != expected_token:
        raise StaleWorkbook
    try:
        result = read_workbook(read_bytes(source))
        return _analyse(result, reach, token, user, write)
    except UnreadableWorkbook as exc:
        return _failed(exc.issue)


def _analyse(result: ReadResult, reach: Reach, token: str, user, write: bool) -> WorkbookAnalysis:
    """The analysis of every sheet, a part of PART rows at a time (the persons' sheet
    whole: a person's rows are checked together). With `write`, each part is written (as
    `user`) as soon as it is planned, until the first error. A part's plan is let go once
    counted (and written): only the rows it deletes are kept, for the deletion checks that
    need every sheet; the deletions go last, if no sheet has an error."""
    errors: list[Issue] = []
    warnings: list[str] = []
    stored = Stored(result.sheets)
    writer = PlanWriter(stored.ids, user) if write else None
    parser = BookParser(errors)
    planner = Planner(stored, reach, errors)
    persons = PersonPlanner(stored, reach, errors)
    deletions = []
    counts = {}
    for data in result.sheets:
        sheet = data.sheet
        size = None if sheet.own_fields else PART
        deleted = None  # the rows the sheet's plan deletes
        counts[sheet.name] = SheetCounts()
        for rows in _parts(parser.rows(data), size):
            planner.add_rows(sheet, rows)
            plan = planner.plan(data, rows)
            if sheet.own_fields:
                persons.plan(data, rows, plan)
            planner.extend_reach(plan)
            warnings.extend(name_warnings(data, rows, persons.steps, stored, reach))
            counts[sheet.name] += plan.counts(persons.updated)
            if writer is not None and not (errors or result.errors):
                writer.sheet(plan, persons.steps, persons.fields)
            if deleted is None:
                deleted = plan.deletions()
            else:
                deleted.extend(plan.deletions())
        deletions.append(deleted)
    for data, plan in zip(result.sheets, deletions, strict=True):
        planner.check_deletions(data, plan)
    analysis = WorkbookAnalysis(
        counts=counts,
        errors=sorted([*errors, *result.errors]),
        warnings=[*result.warnings, *warnings],
        state_token=token,
        persons=[s for s in persons.steps if s.action == UPDATE],
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


def import_workbook(
    source: Source, user=None, dry_run: bool = False, expected_token: str | None = None
) -> WorkbookAnalysis:
    """Analyse and write in one transaction, each part written as soon as it is planned;
    with an error anywhere (or `dry_run`) nothing is written. With `expected_token`, only
    against the database an earlier analysis read (`StaleWorkbook` otherwise)."""
    if dry_run:
        return analyse_workbook(source, user=user)
    try:
        return _import(source, user, expected_token)
    except _RolledBack as rolled_back:
        return rolled_back.analysis


@uncollected()
@transaction.atomic
def _import(source: Source, user, expected_token: str | None) -> WorkbookAnalysis:
    analysis = _read_and_analyse(source, user, True, expected_token)
    if analysis.errors:
        raise _RolledBack(analysis)  # what the sheets before the error wrote is undone
    return analysis


def _applied(analysis: WorkbookAnalysis, changed) -> None:
    transaction.on_commit(lambda: refresh_statistics(changed))
    analysis.applied = True
