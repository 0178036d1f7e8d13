"""Pages read as a user reads them: the text of the elements an XPath finds (lxml)."""

import json
import re

import lxml.html

SPACES = re.compile(r"[ \t\r\n]+")  # a no-break space is part of the text («12,5 %»)


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(response.content.decode())


def text(element) -> str:
    """An element's text as shown: runs of spaces and line breaks as one space."""
    return SPACES.sub(" ", element.text_content()).strip()


def texts(root, xpath: str) -> list[str]:
    return [text(e) for e in root.xpath(xpath)]


def rows(root, xpath: str = "//table") -> list[list[str]]:
    """The rows of the (first) table found: the text of each row's cells, headers included."""
    [table, *_] = root.xpath(xpath)
    return [texts(tr, "th|td") for tr in table.xpath(".//tr")]


def row(root, first: str, xpath: str = "//table") -> list[str]:
    """The table's row whose first cell reads `first`."""
    return next(r for r in rows(root, xpath) if r and r[0] == first)


def script_data(root, element_id: str):
    """The JSON a page hands its scripts (`json_script`), as the chart reads it."""
    [script] = root.xpath(f"//script[@id='{element_id}']")
    return json.loads(script.text)


def form_errors(root) -> dict[str, list[str]]:
    """The messages a form shows, by field (crispy's `error_<n>_id_<field>`), the form's own
    under "__all__"."""
    errors: dict[str, list[str]] = {}
    for message in root.xpath("//*[starts-with(@id, 'error_')]"):
        field = re.fullmatch(r"error_\d+_id_(\w+)", message.get("id"))[1]
        errors.setdefault(field, []).append(text(message))
    own = texts(root, "//div[contains(@class, 'alert-block')]//li")
    return errors | ({"__all__": own} if own else {})
