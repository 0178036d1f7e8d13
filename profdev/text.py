"""Small text rules shared by the workbook, the forms and the pages."""

import re

_SPACES = re.compile(r"\s+")

# A school's or a district's code: it is part of URLs and of the names of downloaded files.
CODE_PATTERN = r"\A[0-9A-Za-zА-Яа-яЁё-]+\Z"
CODE_RULE = "только латинские или русские буквы, цифры и дефис"


def code_is_valid(value: str) -> bool:
    return re.match(CODE_PATTERN, value) is not None


def match_key(value: str) -> str:
    """How labels and names are matched: trimmed, inner spaces collapsed, case-folded, ё = е."""
    return _SPACES.sub(" ", value.strip()).casefold().replace("ё", "е")


def snils_checksum(first_nine: str) -> int:
    """The control number of a СНИЛС from its first nine digits (workbook.md)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1), strict=True))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    return total % 101 % 100


def snils_is_valid(snils: str) -> bool:
    """Checksum rule; numbers up to 001-001-998 carry no meaningful control number."""
    if len(snils) != 11 or not snils.isdigit():
        return False
    if int(snils[:9]) <= 1001998:
        return True
    return snils_checksum(snils[:9]) == int(snils[9:])


def format_snils(snils: str) -> str:
    return f"{snils[0:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:11]}"


def mask_snils(snils: str) -> str:
    """СНИЛС as shown outside the teacher's card: only the control number."""
    return f"***-***-*** {snils[-2:]}" if snils else ""


_DIGITS = re.compile(r"(\d+)")


def natural_key(value: str) -> tuple:
    """The order people expect for names with numbers: «СОШ № 2» before «СОШ № 10».

    Runs of digits compare as numbers, the text between them as `match_key` does; the parts
    alternate text, number, text…, so two keys always compare like with like.
    """
    return tuple(
        int(part) if i % 2 else match_key(part) for i, part in enumerate(_DIGITS.split(value))
    )


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form that agrees with the number n: 1 нарушение, 2 нарушения, 5 нарушений,
    11 нарушений, 21 нарушение. For «из 181 …» pass the genitive forms (нарушения, нарушений,
    нарушений)."""
    n = abs(n) % 100
    if 11 <= n <= 14:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many
