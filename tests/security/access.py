"""The access-control table of docs/access-control.md, parsed, and the objects its sample
requests name."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-control.md"
ROLES = (
    "school_admin",
    "other_school_admin",
    "methodologist",
    "head",
    "regional_methodologist",
    "admin",
    "anonymous",
)
ROW = re.compile(
    r"^\| `(?P<route>[^`]*)` \| (?P<method>GET|POST) `(?P<url>[^`]+)` \|(?P<cells>.*)\|$"
)


@dataclass(frozen=True)
class Rule:
    route: str
    method: str
    url: str  # with {placeholders} for the sample objects
    expected: dict[str, int]  # role → status code


def table(text: str | None = None) -> list[Rule]:
    rules = []
    for line in (text or DOC.read_text(encoding="utf-8")).splitlines():
        match = ROW.match(line)
        if match:
            cells = [int(c.strip()) for c in match["cells"].split("|")]
            rules.append(
                Rule(
                    match["route"],
                    match["method"],
                    match["url"],
                    dict(zip(ROLES, cells, strict=True)),
                )
            )
    return rules


def routes(patterns=None, prefix: str = "") -> list[str]:
    """Every URL pattern of the site as its route (the admin as one entry: its own checks)."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                found.append(route)
            else:
                found.extend(routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern):
            found.append(route)
    return found
