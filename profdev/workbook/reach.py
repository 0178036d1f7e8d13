"""What a file may touch: the uploading user's scope in the workbook's keys («Кто что может
менять», workbook.md)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from profdev.scoping import scope_for


@dataclass(frozen=True)
class Reach:
    """`limits`: reference (`sheets.REFERENCES`) → the keys the file may name and change;
    a reference not listed is not limited (a methodologist of the whole region: none is)."""

    admin: bool = False  # a school administrator: limited to `sheets.Sheet.admin_actions`
    limits: Mapping[str, frozenset[str]] = field(default_factory=dict)
    districts: frozenset[str] = frozenset()  # where a district's staff may add schools


class NoAccess(Exception):
    pass


def reach_for(user) -> Reach:
    """`user=None` (the command without --user) has full access."""
    if user is None:
        return Reach()
    scope = scope_for(user)
    if scope.is_regionwide:
        return Reach()
    if not scope.is_anyone:
        raise NoAccess
    return Reach(
        admin=not scope.is_district_staff,
        limits={
            "school": frozenset(scope.editable_schools().values_list("code", flat=True)),
            # the persons whose own fields and records the file may change
            "person": frozenset(scope.kept_persons().values_list("snils", flat=True)),
        },
        districts=frozenset(
            scope.districts().values_list("code", flat=True) if scope.is_district_staff else ()
        ),
    )
