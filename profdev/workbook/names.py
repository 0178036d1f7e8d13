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
    warnings = []
    for row in rows:
        for name, given in row.names.items():
            snils = row.values.get(name)
            if snils in declared:
                values = declared[snils]
            elif snils in known and (reachable is None or snils in reachable):
                values = known[snils][1]
            else:
                continue
            actual = full_name(values)
            if match_key(given) != match_key(actual):
                warnings.append(
                    f"лист «{data.sheet.name}»: в строке {row.number} указано «{given}», "
                    f"а СНИЛС {format_snils(snils)} принадлежит «{actual}»"
                )
    return warnings
