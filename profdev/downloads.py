"""Every file the portal hands out goes through `attachment`: one place builds the header.

`Content-Disposition` is built by Django's `content_disposition_header`, which quotes the
name and spells a non-ASCII one as `filename*=utf-8''…`: no character of a school's or a
district's code can end the name early or add a parameter of its own.
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    # A line break cannot be quoted in a header at all: control characters become "_".
    filename = "".join(c if c.isprintable() else "_" for c in filename)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return HttpResponse(
        content, content_type=content_type, headers={"Content-Disposition": disposition}
    )
