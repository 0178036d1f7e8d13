"""The reports as official documents in the letters' style (recommendations.pdf): the same
stylesheet, letterhead and static-only fetcher, one WeasyPrint call."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from profdev.models import District
from recommendations.pdf import STATIC_DIR, StaticOnlyFetcher
from recommendations.text import initials_surname


def render_document_pdf(template_name: str, context: dict, *, district: District, user) -> bytes:
    """An A4 document of the district's office: letterhead, date, text, head's signature
    block and the executor's mark (`user`)."""
    organisation = district.organisation
    html = render_to_string(
        template_name,
        {
            **context,
            "organisation": organisation,
            "date": timezone.localdate(),
            "signer_position": organisation.head_position,
            "signer": initials_surname(organisation.head_name),
            "executor_name": user.get_full_name() or user.get_username(),
        },
    )
    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher()
    )
    return document.write_pdf(pdf_variant="pdf/a-3b")
