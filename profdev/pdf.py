"""The portal's printable documents (letters, reports, the teacher's ИОМ) rendered by
WeasyPrint as PDF/A-3b, with the fonts of `static/letters/fonts` embedded.

The renderer reads only the project's own static files from disk: every other URL (http,
other files) is refused, so text typed into a record or a letter cannot make the server
fetch anything.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = (settings.BASE_DIR / "static").resolve()
PDF_VARIANT = "pdf/a-3b"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's fetcher restricted to data: URIs and files under the static directory."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(STATIC_DIR) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise ValueError(f"Запрещённый ресурс в документе: {url}")


def laid_out(template_name: str, context: dict) -> Document:
    """The template laid out in pages; relative URLs (stylesheets, fonts) are static files."""
    html = render_to_string(template_name, context)
    source = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return source.render(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template as a PDF/A-3b document."""
    return laid_out(template_name, context).write_pdf(pdf_variant=PDF_VARIANT)
