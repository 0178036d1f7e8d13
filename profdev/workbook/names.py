"""The «ФИО» written beside a СНИЛС (`Sheet.name_headers`): checked against the person's name,
as the file declares it on «Педагоги» or as stored. A name that differs is a warning, not an
error (the import goes on): it catches a СНИЛС mistyped for another person's. Names match as
labels do (case, `ё`, spaces); an empty cell is not checked. The name of a person out of the
user's reach is never shown: such a row is an error anyway (`plan.Planner`).
"""

from profdev.text import format_snils, match_key
from profdev.workbook.labels import full_name
from profdev.workbook.parse import Row
from profdev.workbook.plan import Step
from profdev.workbook.reach import Reach
from profdev.workbook.reader import SheetData
from profdev.workbook.stored import Stored


def name_warnings(
    data: SheetData,
    rows: list[Row],
    persons: list[Step],
    stored: Stored,
    reach: Reach,
) -> list[str]:
    """The warnings of a sheet's rows (the persons planned already)."""
    if not data.names:
        return []
    declared = {step.key[0]: step.values for step in persons}
    known = stored.references["person"]
    reachable = reach.limits.get("person")
    named: dict[str, str | None] = {}  # СНИЛС → the person's name (None: not checked)
    warnings = []
    for row in rows:
        for name, given in row.names.items():
            snils = row.values.get(name)
            if snils not in named:
                named[snils] = _name(snils, declared, known, reachable)
            actual = named[snils]
            if actual is None or given == actual:
                continue
            if match_key(given) != match_key(actual):
                warnings.append(
                    f"лист «{data.sheet.name}»: в строке {row.number} указано «{given}», "
                    f"а СНИЛС {format_snils(snils)} принадлежит «{actual}»"
                )
    return warnings


def _name(snils, declared, known, reachable) -> str | None:
    """The person's name as the file declares it or as stored (if in the user's reach)."""
    if snils in declared:
        return full_name(declared[snils])
    if snils in known and (reachable is None or snils in reachable):
        return full_name(known[snils][1])
    return None
