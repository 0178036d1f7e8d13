"""Reading a letter's appendix as its PDF is laid out from (the appendix template's HTML)."""

import html as entities
import re

from django.template.loader import render_to_string

from recommendations.pdf import appendix_of

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def text(html: str) -> str:
    """Plain text: tags dropped, entities read, soft hyphens gone, spaces collapsed."""
    plain = entities.unescape(_TAG.sub("", html)).replace("\u00ad", "")
    return " ".join(plain.replace("\u00a0", " ").split())


def appendix_html(letter) -> str:
    appendix = appendix_of(letter)
    if appendix is None:
        return ""
    context = {"letter": letter, "appendix": appendix, "draft": True}
    return render_to_string("recommendations/letter_appendix_pdf.html", context)


def appendix_rows(letter) -> list[list[str]]:
    """Every row of the appendix's tables (headers included), each cell as plain text."""
    return [[text(c) for c in _CELL.findall(row)] for row in _ROW.findall(appendix_html(letter))]
