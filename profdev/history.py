"""History of changes to personal records (152-ФЗ): who changed what, when, and from where.

Every writer of persons and their records (the workbook importer, the data-entry forms)
describes its changes as `Change`s and stores them with one `record_changes` call:

    record_changes(
        [Change(person_id=p.pk, record_type="Аттестация", record_label="первая, 12.03.2024",
                action=ChangeRecord.Action.UPDATE,
                changes=field_changes({"result": "first"}, {"result": "highest"}))],
        user=request.user, source=ChangeRecord.Source.FORM,
    )

A record names its persons by СНИЛС («person», «mentor», «mentee»); the history keeps those
masked (`masked_changes`): one person's history shows no other person's СНИЛС in full
(a mentor's card would otherwise show the mentee's). `scrub_snils` masks a СНИЛС wherever it
is left in stored changes (rows written before, erasure of its person).
"""

import datetime
import decimal
import json
from collections.abc import Callable, Container, Iterable, Mapping
from typing import Any, NamedTuple

from django.utils import timezone

from profdev.bulk import JSONText, insert_rows
from profdev.models import ChangeRecord
from profdev.text import mask_snils

# The fields of a record that name a person by СНИЛС (the workbook's person references).
PERSON_REFERENCES = frozenset({"person", "mentor", "mentee"})


class Change(NamedTuple):
    person_id: int | None
    record_type: str
    record_label: str
    action: str  # a ChangeRecord.Action value
    # {field: [old, new]}, JSON-safe; or the JSON text `created_json` made (masked already)
    changes: dict[str, list[Any]] | JSONText
    school_id: int | None = None  # a record of a school naming no person (its results)


# Values JSON takes as they are: most of a record, so checked first by type.
_JSON_PLAIN = frozenset({str, int, bool, float, type(None)})


def json_value(value: Any) -> Any:
    if type(value) in _JSON_PLAIN:
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def created_changes(values: Mapping[str, Any], fields: Container[str] | None = None) -> dict:
    """`{field: [None, value]}` for every value given (not None) of a created record, of
    `fields` only when given: a region's first load makes hundreds of thousands of these."""
    plain, convert = _JSON_PLAIN, json_value
    return {
        name: [None, value if type(value) in plain else convert(value)]
        for name, value in values.items()
        if value is not None and (fields is None or name in fields)
    }


_JSON_STRING = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept
_JSON_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


def created_json(fields: Iterable[str]) -> Callable[[Mapping[str, Any]], JSONText]:
    """`masked_changes(created_changes(values, fields))` as JSON text, built directly
    (no dicts): what a region's first load stores hundreds of thousands of times."""
    names = {name: f"{_JSON_STRING(name)}: [null, " for name in fields}
    masked = PERSON_REFERENCES.intersection(names)
    # A person's СНИЛС and a date recur across a load's records: each is written once.
    masks: dict[Any, Any] = {}
    dates: dict[datetime.date, str] = {}

    def changes(values: Mapping[str, Any]) -> JSONText:
        parts = []
        for name, value in values.items():
            if value is None or (prefix := names.get(name)) is None:
                continue
            if name in masked:
                mask = masks.get(value)
                if mask is None:
                    mask = masks[value] = _mask(value)
                value = mask
            kind = type(value)
            if kind is str:
                text = _JSON_STRING(value)
            elif kind is datetime.date:
                text = dates.get(value)
                if text is None:
                    text = dates[value] = f'"{value.isoformat()}"'
            elif kind is int:
                text = str(value)
            elif kind is bool:
                text = "true" if value else "false"
            else:  # fractions; what `json_value` converts
                text = _JSON_SCALAR(json_value(value))
            parts.append(f"{prefix}{text}]")
        return JSONText(f"{{{', '.join(parts)}}}")

    return changes


def field_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict:
    """`{field: [old, new]}` for the fields whose values differ (a missing side is None)."""
    if not old:  # a created record: every field given
        return created_changes(new or {})
    new = new or {}
    result = {}
    for name in (*old, *(f for f in new if f not in old)):
        before, after = old.get(name), new.get(name)
        if before != after:
            result[name] = [json_value(before), json_value(after)]
    return result


def _each_value(value: Any, function) -> Any:
    """`function` applied to a stored change's value: [old, new], or a single value."""
    if isinstance(value, list | tuple):
        return [function(v) for v in value]
    return function(value)


def _mask(value: Any) -> Any:
    return mask_snils(value) if isinstance(value, str) and value else value


def masked_changes(changes: Mapping[str, Any] | None) -> dict:
    """The changes with the СНИЛС of the persons a record names masked."""
    masked = dict(changes or {})
    for name in PERSON_REFERENCES.intersection(masked):
        masked[name] = _each_value(masked[name], _mask)
    return masked


def scrub_snils(changes: Mapping[str, Any], snils: str) -> dict:
    """The changes with every value equal to `snils` masked, whatever the field."""
    return {
        name: _each_value(value, lambda v: mask_snils(v) if v == snils else v)
        for name, value in changes.items()
    }


def record_changes(
    changes: Iterable[Change], *, user=None, source: ChangeRecord.Source, at=None
) -> int:
    """Store the changes in bulk (one timestamp for all: `at`, by default now); returns how
    many were stored."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    now = at or timezone.now()
    fields = ("person_id", "school_id", "user_id", "at", "source", "record_type", "record_label")
    rows = (
        (
            c.person_id,
            c.school_id,
            user_id,
            now,
            source,
            c.record_type[:100],
            c.record_label[:500],
            c.action,
            c.changes if type(c.changes) is JSONText else masked_changes(c.changes),
        )
        for c in changes
    )
    return insert_rows(ChangeRecord, (*fields, "action", "changes"), rows)
