"""Validation rules of the workbook, shared by the importer and the data-entry forms.

Both the importer and the forms must refuse the same values with the same Russian messages,
so every rule lives here and nowhere else.

Cell and field values
    Each parser takes one raw value (what a form field or a spreadsheet cell holds: `str`,
    `int`, `float`, `bool`, `date`, `datetime` or `None`) and returns the clean value, or
    raises `Invalid` whose `message` names the value given and the rule it breaks.
    `validate(parser, raw)` returns `(value, None)` or `(None, message)` for callers that
    prefer not to catch. An empty value (`None`, or text of only spaces) is the caller's
    business: check `is_blank(raw)` first (required → `REQUIRED`, optional → the default).

    text(max_length)   trimmed text, at most max_length characters
    code(max_length)   a school's code: Latin or Russian letters, digits, hyphen
    email(max_length)  an e-mail address
    date_value         Excel date, or text ДД.ММ.ГГГГ / ГГГГ-ММ-ДД
    yes_no             да/нет, 1/0, true/false, an Excel boolean
    integer(lo, hi)    an integer within bounds (a text cell holding one is accepted)
    decimal(max_digits, places)   a number ≥ 0 (text with `.` or `,`), rounded half up
    academic_year      «2024/2025» or «2024-2025» → its start year (`facts.academic_year_label`)
    choice(Choices, aliases)   a Russian label, case-insensitively, ё = е
    snils              11 digits in either spelling or a number cell; the control number
    topics             labels of CourseCompletion.Topic separated by `;` or `,` (`Several`)
    components         labels of the diagnostic components (`Component`), the same way
    subjects           labels of `Subject` (a teacher's subjects), the same way

Rules on one record
    A record is a dict of model field names → clean values (a form's cleaned_data works).
    Each rule returns a list of `(field, message)`; an empty list means the record is fine:

    course_hours(record)                         ПК ≥ 16 h, ПП ≥ 250 h
    dates_in_order(start, end)(record)           the end is not before the start
    distinct_mentor(record)                      mentor ≠ mentee
    course_topic(record)                         a route's course has a topic, nothing else
    has_diagnostic_score(record)                 at least one of the six components
    failed_within_participants(record)           Не справились ≤ Участников

Rules across records
    person_disagreements(a, b)                   person's own fields that differ
    identity_differs(given, stored)              name, sex or birth date differ (a person
                                                 kept by another school: IDENTITY_MISMATCH)
    not_kept_message(snils)                      a record of a person the school does not keep
    find_overlap(start, end, periods)            the first period of `periods` overlapping
    overlap_message(start, end, label)           the message for a main-employment overlap
"""

import datetime
import decimal as decimals
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices

from profdev.models import (
    Component,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Person,
    RouteActivity,
    Subject,
)
from profdev.text import (
    CODE_RULE,
    code_is_valid,
    format_snils,
    match_key,
    snils_checksum,
    snils_is_valid,
)

REQUIRED = "обязательное поле не заполнено"

Parser = Callable[[Any], Any]
FieldMessage = tuple[str, str]


class Invalid(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def validate(parser: Parser, raw: Any) -> tuple[Any, str | None]:
    try:
        return parser(raw), None
    except Invalid as exc:
        return None, exc.message


def shown(raw: Any) -> str:
    """A raw value as the user typed it, for messages."""
    if type(raw) is str:  # most of them: the labels of a load's records
        return raw.strip()
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    if isinstance(raw, datetime.date):
        return f"{raw:%d.%m.%Y}"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, bool):
        return "да" if raw else "нет"
    return str(raw).strip()


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool | datetime.date):
        return shown(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def text(max_length: int) -> Parser:
    def parse(raw: Any) -> str:
        value = _as_text(raw)
        if len(value) > max_length:
            raise Invalid(f"текст длиннее {max_length} символов ({len(value)})")
        return value

    return parse


def code(max_length: int) -> Parser:
    as_text = text(max_length)

    def parse(raw: Any) -> str:
        value = as_text(raw)
        if not code_is_valid(value):
            raise Invalid(f"код «{value}»: {CODE_RULE}")
        return value

    return parse


def email(max_length: int) -> Parser:
    as_text = text(max_length)

    def parse(raw: Any) -> str:
        value = as_text(raw)
        try:
            validate_email(value)
        except ValidationError:
            raise Invalid(f"«{value}» — не адрес электронной почты") from None
        return value

    return parse


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date_value(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, str):
        value = raw.strip()
        if match := _DMY.fullmatch(value):
            day, month, year = match.groups()
        elif match := _YMD.fullmatch(value):
            year, month, day = match.groups()
        else:
            raise Invalid(f"«{value}» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise Invalid(f"«{value}» — такой даты нет в календаре") from None
    raise Invalid(f"«{shown(raw)}» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")


_YES = frozenset({"да", "1", "true"})
_NO = frozenset({"нет", "0", "false"})


def yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    key = match_key(_as_text(raw))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise Invalid(f"«{shown(raw)}» — ожидается «да» или «нет»")


def integer(minimum: int, maximum: int | None = None) -> Parser:
    bounds = f"от {minimum} до {maximum}" if maximum is not None else f"не меньше {minimum}"

    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise Invalid(f"«{shown(raw)}» — не целое число")
        if isinstance(raw, float):
            if not raw.is_integer():
                raise Invalid(f"«{shown(raw)}» — не целое число")
            value = int(raw)
        elif isinstance(raw, int):
            value = raw
        else:
            given = _as_text(raw)
            if not re.fullmatch(r"[+-]?\d+", given):
                raise Invalid(f"«{given}» — не целое число")
            value = int(given)
        if value < minimum or (maximum is not None and value > maximum):
            raise Invalid(f"«{value}» — число должно быть {bounds}")
        return value

    return parse


def decimal(max_digits: int, places: int) -> Parser:
    """A number ≥ 0 with at most `places` decimal places: more are rounded half up (4,125 →
    4,13), as people round by hand; a text cell may use `,` or `.`."""
    step = decimals.Decimal(1).scaleb(-places)
    limit = decimals.Decimal(10) ** (max_digits - places)
    largest = f"{limit - step}".replace(".", ",")

    def parse(raw: Any) -> decimals.Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise Invalid(f"«{shown(raw)}» — не число")
        given = _as_text(raw) if isinstance(raw, str) else repr(raw)
        if isinstance(raw, str) and not re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", given):
            raise Invalid(f"«{given}» — не число")
        try:
            value = decimals.Decimal(given.replace(",", ".")).quantize(
                step, rounding=decimals.ROUND_HALF_UP
            )
        except decimals.InvalidOperation:
            raise Invalid(f"«{shown(raw)}» — не число") from None
        if not value.is_finite() or not 0 <= value < limit:
            raise Invalid(f"«{shown(raw)}» — число должно быть от 0 до {largest}")
        return value

    return parse


_ACADEMIC_YEAR = re.compile(r"(\d{4})[/-](\d{4})")


def academic_year(raw: Any) -> int:
    """An academic year written as its two calendar years, «2024/2025» or «2024-2025»: its
    start year. A number or a date is not one (Excel would turn «2024-2025» into neither)."""
    given = _as_text(raw)
    match = _ACADEMIC_YEAR.fullmatch(given) if isinstance(raw, str) else None
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise Invalid(
            f"«{given}» — не учебный год: пишите год начала и год окончания через «/» или «-», "
            "например 2024/2025"
        )
    return int(match[1])


def choice(choices: type[TextChoices], aliases: dict[str, str] | None = None) -> Parser:
    """A label of `choices`; `aliases` maps other accepted spellings to values."""
    by_label = {match_key(str(label)): value for value, label in choices.choices}
    by_label.update({match_key(k): v for k, v in (aliases or {}).items()})
    allowed = " · ".join(str(label) for label in choices.labels)

    def parse(raw: Any) -> str:
        value = by_label.get(match_key(_as_text(raw)))
        if value is None:
            raise Invalid(f"«{shown(raw)}» — нет такого значения; допустимо: {allowed}")
        return value

    return parse


_SNILS_SEPARATORS = re.compile(r"[\s-]")


def snils(raw: Any) -> str:
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        if raw != int(raw) or not 0 < raw < 10**11:
            raise Invalid(f"«{shown(raw)}» — не СНИЛС: нужно 11 цифр, например 123-456-789 01")
        digits = f"{int(raw):011d}"
    else:
        given = _as_text(raw)
        digits = _SNILS_SEPARATORS.sub("", given)
        if digits.endswith(".0"):
            digits = digits[:-2]
        if len(digits) != 11 or not digits.isdigit():
            raise Invalid(f"«{given}» — не СНИЛС: нужно 11 цифр, например 123-456-789 01")
    if not snils_is_valid(digits):
        expected = f"{snils_checksum(digits[:9]):02d}"
        raise Invalid(
            f"«{format_snils(digits)}» — неверное контрольное число СНИЛС "
            f"(по первым девяти цифрам должно быть {expected})"
        )
    return digits


_LIST_SEPARATORS = re.compile(r"[;,]")


class Several:
    """A parser of several labels of `choices` in one value, separated by `;` or `,`, stored
    as `encode` of their values (",a,b,"); `labels` reads a stored value back."""

    def __init__(self, choices: type[TextChoices], noun: str, encode: Callable[[list], str]):
        self.choices = choices
        self.noun = noun
        self.encode = encode
        self._one = choice(choices)

    def __call__(self, raw: Any) -> str:
        values = []
        for part in _LIST_SEPARATORS.split(_as_text(raw)):
            if part.strip():
                try:
                    values.append(self._one(part))
                except Invalid as exc:
                    raise Invalid(f"{self.noun} {exc.message}") from None
        return self.encode(values)

    def labels(self, stored: str) -> list[str]:
        return [str(self.choices(v).label) for v in stored.split(",") if v]


topics = Several(CourseCompletion.Topic, "тематика", CourseCompletion.encode_topics)
components = Several(Component, "компонент", DevelopmentRoute.encode_components)
subjects = Several(Subject, "предмет", Person.encode_subjects)


# Rules on one record ------------------------------------------------------------------


def course_hours(record: dict) -> list[FieldMessage]:
    kind, hours = record.get("kind"), record.get("hours")
    minimum = CourseCompletion.MIN_HOURS.get(kind)
    if minimum is None or hours is None or hours >= minimum:
        return []
    label = CourseCompletion.Kind(kind).label
    return [("hours", f"«{hours}» — программа {label} должна быть не короче {minimum} часов")]


def dates_in_order(start: str, end: str) -> Callable[[dict], list[FieldMessage]]:
    def rule(record: dict) -> list[FieldMessage]:
        first, last = record.get(start), record.get(end)
        if first is None or last is None or last >= first:
            return []
        return [(end, f"«{last:%d.%m.%Y}» — раньше даты начала {first:%d.%m.%Y}")]

    rule.__name__ = f"dates_in_order_{start}_{end}"
    return rule


def course_topic(record: dict) -> list[FieldMessage]:
    """A route's course names its topic; no other activity has one."""
    kind, topic = record.get("kind"), record.get("topic")
    if kind is None:
        return []
    if kind == RouteActivity.Kind.COURSE:
        return [] if topic else [("topic", "у курса укажите тематику")]
    if not topic:
        return []
    label = RouteActivity.Kind(kind).label
    return [("topic", f"тематику указывают только у курса, а не у вида «{label}»")]


def distinct_mentor(record: dict) -> list[FieldMessage]:
    mentor, mentee = record.get("mentor"), record.get("mentee")
    if mentor is None or mentor != mentee:
        return []
    return [("mentee", "наставник и наставляемый — один и тот же человек")]


def has_diagnostic_score(record: dict) -> list[FieldMessage]:
    if any(record.get(c) is not None for c in DeficitDiagnostic.COMPONENTS):
        return []
    return [(DeficitDiagnostic.COMPONENTS[0], "нужна оценка хотя бы по одной составляющей")]


def failed_within_participants(record: dict) -> list[FieldMessage]:
    failed, participants = record.get("failed"), record.get("participants")
    if failed is None or participants is None or failed <= participants:
        return []
    return [("failed", f"«{failed}» — больше, чем участников ({participants})")]


# Rules across records -----------------------------------------------------------------

PERSON_FIELDS = ("last_name", "first_name", "middle_name", "sex", "birth_date", "education")
PERSON_OWN_FIELDS = (*PERSON_FIELDS, "experience_since", "subjects")


def person_disagreements(a: dict, b: dict) -> list[str]:
    """The person's own fields given in both records that differ."""
    return [f for f in PERSON_OWN_FIELDS if f in a and f in b and a[f] != b[f]]


def person_disagreement_message(field: str, raw: Any, row: int) -> str:
    """`raw`: the value as the user wrote it."""
    label = Person._meta.get_field(field).verbose_name
    return f"«{shown(raw)}» — не совпадает с полем «{label}» того же работника в строке {row}"


# What names a known person kept by another school (workbook.md «Who may change what»).
IDENTITY_FIELDS = ("last_name", "first_name", "middle_name", "sex", "birth_date")
# Neither message shows a stored value or names another school.
IDENTITY_MISMATCH = (
    "фамилия, имя, отчество, пол или дата рождения не совпадают с данными этого работника "
    "в системе: работника, которого ведёт не ваша ОО, указывайте с теми же данными, "
    "а исправить их может ОО его основного места работы или методист"
)


def identity_differs(given: dict, stored: dict) -> bool:
    """Whether the identity fields given differ from the stored ones (absent ones do not)."""
    return any(f in given and given[f] != stored[f] for f in IDENTITY_FIELDS)


def not_kept_message(snils: str) -> str:
    """The same for a person of another school, a part-timer kept elsewhere, or no one."""
    return (
        f"работник со СНИЛС {format_snils(snils)} не числится среди работников, чьи данные "
        "ведут ваши ОО (по основному месту работы)"
    )


Period = tuple[datetime.date, datetime.date | None, str]


def periods_overlap(
    start: datetime.date,
    end: datetime.date | None,
    other_start: datetime.date,
    other_end: datetime.date | None,
) -> bool:
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def find_overlap(
    start: datetime.date, end: datetime.date | None, periods: Iterable[Period]
) -> Period | None:
    """The first of `periods` (start, end or None, label) overlapping start…end."""
    for period in periods:
        if periods_overlap(start, end, period[0], period[1]):
            return period
    return None


def overlap_message(other_start: datetime.date, other_end: datetime.date | None, label: str) -> str:
    until = f"по {other_end:%d.%m.%Y}" if other_end else "по настоящее время"
    where = f" ({label})" if label else ""
    return (
        f"основное место работы пересекается с другим основным местом работы{where} "
        f"с {other_start:%d.%m.%Y} {until}"
    )
