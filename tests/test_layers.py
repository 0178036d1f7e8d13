"""The layers point one way: the records (`profdev`) ← monitoring ← the letters
(`recommendations`) ← the measures (`effectiveness`) ← deficits and targeted support
(`deficits`). A module imports from its own app and the
apps below; where a lower app's feature reaches the data above (the demo district, a person's
data), the app above registers a hook (`profdev.hooks`)."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("profdev", "monitoring", "recommendations", "effectiveness", "deficits")


def imported_apps(path: Path) -> Iterator[tuple[str, int]]:
    """(app, line) of every absolute import of one of the layers, at any depth of the module
    (an import inside a function counts too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module]
        else:
            continue
        for module in modules:
            if module.split(".")[0] in LAYERS:
                yield module.split(".")[0], node.lineno


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_imports_nothing_from_the_apps_above_it(app):
    above = LAYERS[LAYERS.index(app) + 1 :]
    found = [
        (path.relative_to(ROOT), line, imported)
        for path in sorted((ROOT / app).rglob("*.py"))
        for imported, line in imported_apps(path)
    ]
    assert any(imported == app for _, _, imported in found)  # the scan reads the app's imports
    assert [
        f"{path}:{line} imports {imported}" for path, line, imported in found if imported in above
    ] == []
