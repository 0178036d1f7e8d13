"""Russian letter text: names in the dative case, the salutation, the sanitiser.

Initials are joined to each other and to the surname by non-breaking spaces, so that a line
never ends between «П.» and «С.» or between the initials and the surname.
"""

import re

import nh3
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

_maker = PetrovichDeclinationMaker()
_detector = PetrovichGenderDetector()

NBSP = "\u00a0"
COLLEAGUES = "Уважаемые коллеги!"  # the salutation of a letter to many, or to an unknown name
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "span"}
# A name or a number kept whole («Иванова А. С.», «МБОУ СОШ № 10»): on one line, never
# hyphenated (letter.css).
ALLOWED_CLASSES = {"span": {"name"}}


def _parts(full_name: str) -> tuple[str, str, str]:
    last, first, middle = [*full_name.split(), "", "", ""][:3]
    return last, first, middle


def _gender(last: str, first: str, middle: str) -> Gender:
    gender = _detector.detect(
        firstname=first or None, middlename=middle or None, lastname=last or None
    )
    if gender == Gender.ANDROGYNOUS:
        return Gender.MALE if middle.endswith("ич") else Gender.FEMALE
    return gender


def initials(first: str, middle: str) -> str:
    """«Пётр», «Сергеевич» → «П. С.» (non-breaking spaces)."""
    return NBSP.join(f"{p[0]}." for p in (first, middle) if p)


def dative_initials(full_name: str) -> str:
    """«Иванов Пётр Сергеевич» → «П. С. Иванову» (the addressee line of a letter)."""
    last, first, middle = _parts(full_name)
    if not last:
        return ""
    gender = _gender(last, first, middle)
    surname = "-".join(
        _maker.make(NamePart.LASTNAME, gender, Case.DATIVE, piece) for piece in last.split("-")
    )
    return NBSP.join(p for p in (initials(first, middle), surname) if p)


def salutation(full_name: str) -> str:
    """«Иванова Татьяна Евгеньевна» → «Уважаемая Татьяна Евгеньевна!»; without a first name
    and patronymic, «Уважаемые коллеги!»."""
    last, first, middle = _parts(full_name)
    if not (first and middle):
        return COLLEAGUES
    adjective = "Уважаемый" if _gender(last, first, middle) == Gender.MALE else "Уважаемая"
    return f"{adjective} {first} {middle}!"


def initials_surname(full_name: str) -> str:
    """«Олейникова Ольга Владимировна» → «О. В. Олейникова» (the signature block)."""
    parts = full_name.split()
    if not parts:
        return ""
    given = " ".join(f"{p[0]}." for p in parts[1:3])
    return f"{given} {parts[0]}".strip()


def keep_numbers(text: str) -> str:
    """«№» is never left at the end of a line without its number: «№ 10» → «№\xa010»."""
    return text.replace("№ ", f"№{NBSP}")


_TAG = re.compile(r"(<[^>]+>)")
# «ВСОКО», «МБДОУ», «ГАУ-ДПО»: two or more capitals, standing alone.
_ABBREVIATION = re.compile(r"(?<![\w-])[А-ЯЁA-Z]{2,}(?:-[А-ЯЁA-Z]{2,})*(?![\w-])")


def keep_abbreviations(html: str) -> str:
    """Upper-case abbreviations are never hyphenated («ВСО-КО»): in the text between tags each
    is kept whole like a name. For the PDF only; the stored text is left as written."""
    whole = r'<span class="name">\g<0></span>'
    return "".join(
        part if part.startswith("<") else _ABBREVIATION.sub(whole, part)
        for part in _TAG.split(html)
    )


def sanitise(html: str) -> str:
    """The allow-list for letter text: paragraphs, line breaks, lists, bold and italic, and
    names kept whole (`<span class="name">`)."""
    clean = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={}, allowed_classes=ALLOWED_CLASSES, link_rel=None
    )
    return _unwrap_bare_spans(clean).strip()


# nh3's output is well formed: a span is either a kept name or what is left of another class.
_SPAN = re.compile(r'<span(?: class="(name)?")?>|</span>')


def _unwrap_bare_spans(html: str) -> str:
    """Drops the tags of spans that are not names, keeping their text."""
    out, kept, pos = [], [], 0
    for match in _SPAN.finditer(html):
        out.append(html[pos : match.start()])
        pos = match.end()
        if match.group(0) == "</span>":
            if kept and kept.pop():
                out.append("</span>")
        else:
            kept.append(match.group(1) is not None)
            if kept[-1]:
                out.append(match.group(0))
    out.append(html[pos:])
    return "".join(out)
