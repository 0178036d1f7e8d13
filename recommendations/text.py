"""Russian letter text: names in the dative case, the sanitiser."""

import nh3
from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

_maker = PetrovichDeclinationMaker()
_detector = PetrovichGenderDetector()

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i"}


def dative_initials(full_name: str) -> str:
    """«Иванов Пётр Сергеевич» → «П. С. Иванову» (the addressee line of a letter)."""
    parts = full_name.split()
    if not parts:
        return ""
    last, first, middle = [*parts, "", ""][:3]
    gender = _detector.detect(firstname=first or None, middlename=middle or None)
    if gender == Gender.ANDROGYNOUS:
        gender = Gender.MALE if middle.endswith("ич") else Gender.FEMALE
    surname = "-".join(
        _maker.make(NamePart.LASTNAME, gender, Case.DATIVE, piece) for piece in last.split("-")
    )
    initials = " ".join(f"{p[0]}." for p in (first, middle) if p)
    return f"{initials} {surname}".strip()


def initials_surname(full_name: str) -> str:
    """«Олейникова Ольга Владимировна» → «О. В. Олейникова» (the signature block)."""
    parts = full_name.split()
    if not parts:
        return ""
    initials = " ".join(f"{p[0]}." for p in parts[1:3])
    return f"{initials} {parts[0]}".strip()


def sanitise(html: str) -> str:
    """The allow-list for letter text: paragraphs, line breaks, lists, bold and italic."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()
