"""The persons named on the sheet carrying their own fields («Педагоги», one row per
employment): the fields agree across a person's rows, and the file changes them only for the
persons the user may change (one kept by another school is named with the stored data);
a person's main employments do not overlap, in the file or with the database.
"""

from collections import defaultdict

from profdev.models import Employment
from profdev.workbook import rules
from profdev.workbook.parse import Row
from profdev.workbook.plan import CREATE, DELETE, UNCHANGED, UPDATE, SheetPlan, Step
from profdev.workbook.reach import Reach
from profdev.workbook.reader import Issue, SheetData
from profdev.workbook.stored import Stored


class PersonPlanner:
    def __init__(self, stored: Stored, reach: Reach, errors: list[Issue]):
        self.stored = stored
        self.reach = reach
        self.errors = errors
        self.steps: list[Step] = []  # one per person named, key (snils,)
        self.fields: tuple[str, ...] = ()  # the own fields present in the file
        self.updated: set[str] = set()  # the persons whose own fields the file changes

    def plan(self, data: SheetData, rows: list[Row], plan: SheetPlan) -> None:
        """Plan the persons of the sheet's rows that passed `Planner.plan` (its `plan`)."""
        sheet = data.sheet
        named = sheet.defines.field
        self.fields = tuple(f for f in data.columns if sheet.column(f).person)
        first: dict[str, Row] = {}
        kept_rows = {s.row for s in plan.steps}
        for row in rows:
            if row.delete or row.number not in kept_rows:
                continue
            snils = row.values[named]
            if snils not in first:
                first[snils] = row
                continue
            for name in rules.person_disagreements(first[snils].values, row.values):
                message = rules.person_disagreement_message(
                    name, row.raw.get(name, ""), first[snils].number
                )
                self.errors.append(data.issue(row.number, sheet.header_of(name), message))
        stored = self.stored.references["person"]
        kept = self.reach.limits.get("person")
        for snils, row in first.items():
            values = {"snils": snils, **{f: row.values[f] for f in self.fields}}
            pk, old_record = stored.get(snils, (None, None))
            if old_record and kept is not None and snils not in kept:
                # Kept by another school: named with the stored data, changed in nothing.
                if rules.identity_differs(values, old_record):
                    header = sheet.header_of(named)
                    self.errors.append(data.issue(row.number, header, rules.IDENTITY_MISMATCH))
                changed = {}
            else:
                changed = {
                    f: old_record[f]
                    for f in self.fields
                    if old_record and values[f] != old_record[f]
                }
            action = CREATE if pk is None else (UPDATE if changed else UNCHANGED)
            step = Step(row.number, action, (snils,), values, pk, changed)
            if old_record:
                step.values["version"] = old_record["version"] + 1
            self.steps.append(step)
            if action == UPDATE:
                self.updated.add(snils)
        self._check_overlaps(data, plan)

    def _check_overlaps(self, data: SheetData, plan: SheetPlan) -> None:
        main = Employment.Workplace.MAIN
        named = data.sheet.defines.field
        stored = self.stored.records[data.sheet.name]
        schools = self.reach.limits.get("school")
        in_file = {s.key for s in plan.steps}
        snils_in_file = {s.values[named] for s in plan.steps}
        stored_by_person = defaultdict(list)
        for key, (_, record) in stored.items():
            snils = record[named]
            if snils in snils_in_file and key not in in_file and record["workplace"] == main:
                # An employment in a school out of the user's reach is not named.
                code = record["school"]
                label = f"ОО «{code}»" if schools is None or code in schools else ""
                stored_by_person[snils].append((record["hired_on"], record["dismissed_on"], label))
        earlier = defaultdict(list)
        for step in sorted(plan.steps, key=lambda s: s.row):
            values = step.values
            if step.action == DELETE or values["workplace"] != main:
                continue
            snils = values[named]
            start = values["hired_on"]
            if "dismissed_on" in values:
                end = values["dismissed_on"]
            else:  # the column is absent: a stored employment keeps its date
                end = stored.get(step.key, (None, {}))[1].get("dismissed_on")
            periods = [*stored_by_person[snils], *earlier[snils]]
            overlap = rules.find_overlap(start, end, periods)
            if overlap:
                header = data.sheet.header_of("hired_on")
                self.errors.append(data.issue(step.row, header, rules.overlap_message(*overlap)))
            earlier[snils].append((start, end, f"строка {step.row}"))
