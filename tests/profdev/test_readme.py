"""The README's demo logins are the ones `load_demo` creates (every school's included)."""

from pathlib import Path

from profdev.demo.generator import generate_sheets
from profdev.demo.loading import DEMO_PASSWORD, DEMO_REGION, DISTRICT_LOGINS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_demo_login_and_the_password():
    text = README.read_text(encoding="utf-8")
    headers, *rows = next(
        (h, *rows) for name, (h, rows) in generate_sheets(**DEMO_REGION).items() if name == "ОО"
    )
    code, short_name = headers.index("Код ОО"), headers.index("Краткое наименование")
    assert DEMO_PASSWORD in text
    for login in DISTRICT_LOGINS:
        assert f"| `{login}` |" in text
    for row in rows:
        assert f"| `ou-{row[code]}` |" in text
        assert f"`/schools/{row[code]}/` — {row[short_name]} |" in text
