"""A crawler for the test client: every page a user reaches by following links from a start.

Each path is visited once (with the query string of the first link found to it), and a view
for at most `per_view` different numeric ids (five teachers' cards stand for all of them:
same template, same code); logout, the admin and static files are left alone, so is
anything outside the site. Another `key` groups pages otherwise, or leaves one out (None).
"""

import html
import io
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import openpyxl
from django.urls import Resolver404, resolve

HREF = re.compile(r'href="([^"]*)"')
SKIPPED = ("/static/", "/admin/", "/logout/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str  # HTML as text, or an .xlsx's cell values one per line


def crawl(
    client,
    start: Iterable[str],
    limit: int = 500,
    per_view: int = 5,
    key: Callable[[str], tuple | None] | None = None,
) -> list[Page]:
    key = key or view_key
    client.raise_request_exception = False  # a crashing page is a finding: status 500
    queue = deque(start)
    seen = {urlsplit(url).path for url in queue}
    per_key = Counter()
    pages = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        content_type = response.get("Content-Type", "")
        page = Page(url, response.status_code, content_type, _text(response, content_type))
        pages.append(page)
        if not content_type.startswith("text/html"):
            continue
        for link in links(page):
            path = urlsplit(link).path
            if path in seen:
                continue
            seen.add(path)
            group = key(path)
            per_key[group] += 1
            if group is not None and per_key[group] <= per_view:
                queue.append(link)
    return pages


def view_key(path: str) -> tuple | None:
    """A view with its non-numeric arguments: a school's or an indicator's page is its own
    page; a teacher's card is one of many."""
    if path.startswith(SKIPPED):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return (path,)  # a broken link: visited, and answers 404
    return (match.view_name, *(v for v in match.kwargs.values() if not isinstance(v, int)))


def links(page: Page) -> list[str]:
    found = []
    for href in HREF.findall(page.text):
        url, _ = urldefrag(urljoin(page.url, html.unescape(href)))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, data:
        found.append(url)
    return found


def _text(response, content_type: str) -> str:
    if content_type.startswith(XLSX):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if content_type.startswith(("text/", "application/json")):
        return response.content.decode()
    return ""
