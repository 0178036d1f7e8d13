"""The office's letters as official documents (ГОСТ Р 7.0.97-2025), with the letterhead and
signature block partials (`recommendations/letterhead_pdf.html`, `signature_pdf.html`) that
the effectiveness reports share; rendered by `profdev.pdf`."""

import segno
from django.conf import settings
from django.urls import reverse
from weasyprint.document import Document

from profdev.pdf import PDF_VARIANT, laid_out
from recommendations.findings import table_numbers
from recommendations.models import Letter
from recommendations.signing import CertificateInfo
from recommendations.text import initials_surname, keep_abbreviations

LETTER_TEMPLATE = "recommendations/letter_pdf.html"


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
    drafted before the appendix existed hold their lists in the text); a course order's are
    its lines and the places per school."""
    if letter.kind == Letter.Kind.COURSE_ORDER:
        return letter.figures["order"]
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
    document = laid_out(LETTER_TEMPLATE, context)
    sheets = pages_from(document, "appendix")
    if context["appendix"] and sheets != context["appendix_sheets"]:
        context["appendix_sheets"] = sheets
        document = laid_out(LETTER_TEMPLATE, context)
    return document.write_pdf(pdf_variant=PDF_VARIANT)
