"""Official documents of the office (ГОСТ Р 7.0.97-2025) — the letters and the effectiveness
reports — rendered by WeasyPrint as PDF/A-3b with the letterhead and signature block partials
(`recommendations/letterhead_pdf.html`, `signature_pdf.html`).

The renderer reads only the project's own static files from disk: every other URL (http,
other files) is refused, so edited text cannot make the server fetch anything.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from recommendations.findings import table_numbers
from recommendations.models import Letter
from recommendations.signing import CertificateInfo
from recommendations.text import initials_surname, keep_abbreviations

STATIC_DIR = (settings.BASE_DIR / "static").resolve()
LETTER_TEMPLATE = "recommendations/letter_pdf.html"
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


def _document(template_name: str, context: dict) -> Document:
    html = render_to_string(template_name, context)
    source = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return source.render(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template as a PDF/A-3b document with the embedded fonts of `static/letters`."""
    return _document(template_name, context).write_pdf(pdf_variant=PDF_VARIANT)


def verification_url(letter: Letter) -> str:
    path = reverse("recommendations:verify", args=[letter.token])
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def executor_name(user) -> str:
    """The executor's mark names the person surname first («Смирнова Ольга Викторовна»)."""
    return " ".join(p for p in (user.last_name, user.first_name) if p) or user.username


def appendix_of(letter: Letter) -> dict | None:
    """The tables frozen with the letter's figures, numbered, when there are any (letters
    drafted before the appendix existed hold their lists in the text)."""
    appendix = letter.figures.get("appendix") or {}
    tables = table_numbers(appendix)
    if not tables:
        return None
    listed = set(appendix.get("findings", ()))
    findings = [f for f in letter.figures["findings"] if f["code"] in listed]
    return {**appendix, "tables": tables, "findings": findings}


def pages_from(document: Document, anchor: str) -> int:
    """How many pages the document has from the one holding `anchor` (an element's id)."""
    for number, page in enumerate(document.pages):
        if anchor in page.anchors:
            return len(document.pages) - number
    return 0


def letter_context(letter: Letter, stamp: CertificateInfo | None = None) -> dict:
    """What the letter's template is rendered with: a signed-to-be letter when `stamp` is
    given (number, date, stamp); else a «ПРОЕКТ»."""
    organisation = letter.monitoring_year.district.organisation
    if stamp is not None:
        position, signer = letter.signer_position, initials_surname(letter.signer_name)
    else:
        position, signer = organisation.head_position, initials_surname(organisation.head_name)
    executor = letter.executor
    return {
        "letter": letter,
        "body": keep_abbreviations(letter.body),
        "organisation": organisation,
        "addressee_lines": letter.addressee.splitlines(),
        "draft": stamp is None,
        "stamp": stamp,
        "signer_position": position,
        "signer": signer,
        "executor_name": executor_name(executor) if executor else "",
        "qr": qr_data_uri(verification_url(letter)),
        "appendix": appendix_of(letter),
        "appendix_sheets": 1,
    }


def render_letter_pdf(letter: Letter, stamp: CertificateInfo | None = None) -> bytes:
    """The letter as a PDF (`letter_context`).

    The appendix starts on a page of its own; the letter's appendix mark gives its real
    number of sheets, so a letter whose appendix runs past one page is laid out twice."""
    context = letter_context(letter, stamp)
    document = _document(LETTER_TEMPLATE, context)
    sheets = pages_from(document, "appendix")
    if context["appendix"] and sheets != context["appendix_sheets"]:
        context["appendix_sheets"] = sheets
        document = _document(LETTER_TEMPLATE, context)
    return document.write_pdf(pdf_variant=PDF_VARIANT)
