"""Sortable tables: one rule for their column headers and for the links of their pages.

A header links to the page sorted by its column, ascending; on the column sorted ascending,
descending. It says which way the table is sorted (`aria-sort`), and sorting again goes back
to the first page. Tables differ only in how their query string spells the direction.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import QueryDict

SORT = "sort"
ASCENDING, DESCENDING, UNSORTED = "ascending", "descending", "none"
ARROWS = {ASCENDING: "▲", DESCENDING: "▼", UNSORTED: "↕"}


@dataclass(frozen=True)
class Direction:
    """How a table's query string spells its direction: `param=descending`, and ascending
    as `param=ascending` or, when that is None, by leaving the parameter out."""

    param: str
    descending: str
    ascending: str | None = None


@dataclass(frozen=True)
class SortHeader:
    key: str
    label: str
    url: str  # "?…": the current query sorted by this column
    aria_sort: str

    @property
    def arrow(self) -> str:
        return ARROWS[self.aria_sort]


def query_string(query: QueryDict, **changes: str | None) -> str:
    """The query string with some parameters changed (None removes one), "" when empty."""
    params = query.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}" if params else ""


def sort_headers(
    query: QueryDict,
    columns: Iterable[tuple[str, str]],
    *,
    sort: str,
    descending: bool,
    direction: Direction,
) -> list[SortHeader]:
    """A header for each `(key, label)` column of a table sorted by `sort`."""
    headers = []
    for key, label in columns:
        current = key == sort
        flip = direction.descending if current and not descending else direction.ascending
        state = (DESCENDING if descending else ASCENDING) if current else UNSORTED
        url = query_string(query, page=None, **{SORT: key, direction.param: flip})
        headers.append(SortHeader(key, str(label), url, state))
    return headers
