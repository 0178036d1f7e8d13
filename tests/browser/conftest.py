"""Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the whole session; each test opens its own context (cookies, viewport).
"""

import os

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# fixtures next to it are plain synchronous code, so Django's async guard is lifted.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        # Never a silent skip: CI installs Chromium, and its absence is a failure.
        pytest.fail(f"Chromium not found at {CHROMIUM}: install the Debian package chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
