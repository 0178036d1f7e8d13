"""docs/indicators.md, the methodologists' reference, agrees with the catalogue the portal ships
and with the formulas' registry: every indicator, its name, direction and default target."""

import re
from pathlib import Path

from monitoring.indicators import REGISTRY
from monitoring.models import Indicator

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
TOPIC_PREFIX = "Доля педагогов, прошедших ПК "
ARROWS = {"↑": "up", "↓": "down"}


def catalogue_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and re.fullmatch(r"[A-Z][A-Z0-9_]+", cells[0]):
            rows[cells[0]] = cells
    return rows


def documented_name(indicator: Indicator) -> str:
    if indicator.name.startswith(TOPIC_PREFIX):
        return "… " + indicator.name.removeprefix(TOPIC_PREFIX)
    return indicator.name


def test_every_indicator_is_documented_as_the_catalogue_defines_it(db):
    rows = catalogue_rows()
    indicators = list(Indicator.objects.order_by("order"))
    assert list(rows) == [i.code for i in indicators] == [d.code for d in REGISTRY]
    for indicator in indicators:
        code, name, _population, _counted, arrow, target = rows[indicator.code]
        assert re.sub(r" \([^)]*\)$", "", name) == documented_name(indicator), code
        assert ARROWS[arrow] == indicator.direction, code
        default = indicator.default_target
        assert target == ("—" if default is None else f"{default.normalize():f}"), code
