"""A person's requests under 152-ФЗ: everything stored about them, and its erasure.

The records are found from the model itself (every relation pointing at `Person`), so a new
kind of record is exported and erased without changes here. Documents of the apps above that
name a person and are kept as they are (signed letters: official documents holding copied
figures and short names, «Иванова А. С.», in their frozen text) are only counted, by the
functions those apps register (`hooks.KEPT_MENTIONS`).
"""

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from profdev import hooks
from profdev.audit import log_export, who
from profdev.history import Change, record_changes, scrub_snils
from profdev.models import ChangeRecord, Person
from profdev.text import format_snils
from profdev.workbook import rules

logger = logging.getLogger("profdev.audit")


class UnknownPerson(Exception):
    pass


def person_by_snils(raw: str) -> Person:
    """The person with this СНИЛС in any spelling; raises UnknownPerson with a Russian message."""
    snils, message = rules.validate(rules.snils, raw)
    if message:
        raise UnknownPerson(message)
    person = Person.objects.filter(snils=snils).first()
    if person is None:
        raise UnknownPerson(f"Работника со СНИЛС {format_snils(snils)} в системе нет.")
    return person


def _sections(person: Person) -> Iterator[tuple[str, models.Field, QuerySet]]:
    """(title, the field pointing at the person, the person's rows) of every kind of record."""
    relations = [r for r in Person._meta.related_objects if r.one_to_many]
    models_seen = [r.related_model for r in relations]
    for relation in relations:
        model, field = relation.related_model, relation.field
        title = str(model._meta.verbose_name_plural)
        if models_seen.count(model) > 1:  # a mentorship pair: as mentor and as mentee
            title = f"{title} ({field.verbose_name})"
        related = [f.name for f in model._meta.concrete_fields if f.is_relation and f is not field]
        rows = model.objects.filter(**{field.name: person}).select_related(*related)
        yield title, field, rows.order_by("pk")


def _value(obj: models.Model, field: models.Field):
    value = getattr(obj, field.name)
    if value is None:
        return None
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(obj: models.Model, skipped: models.Field | None = None) -> dict:
    return {
        str(f.verbose_name): _value(obj, f)
        for f in obj._meta.concrete_fields
        if not f.primary_key and f is not skipped and f.editable
    }


def person_data(person: Person) -> dict:
    """Everything stored about a person, labelled in Russian, JSON-ready."""
    return {
        "работник": _row(person),
        "записи": {
            title: [_row(r, field) for r in rows] for title, field, rows in _sections(person)
        },
        **{f"{title}, в которых упомянут": n for title, n in kept_mentions(person).items()},
        "выгружено": timezone.now().isoformat(timespec="seconds"),
    }


def export_person_data(person: Person, *, user=None) -> dict:
    """`person_data`, logged as an export of the person's data."""
    data = person_data(person)
    log_export(user, "все данные работника (запрос субъекта персональных данных)", person=person)
    return data


@dataclass(frozen=True)
class Erasure:
    removed: dict[str, int]  # title of a kind of record → rows erased
    kept: dict[str, int]  # title of a kind of document naming the person → documents left intact


def erasure_plan(person: Person) -> dict[str, int]:
    """Rows that erasure removes, by kind: every record of the person and the history of
    changes (it holds their past values). The access log stays, unlinked from the person;
    other persons' history keeps the person's СНИЛС only masked (`_scrub_history`)."""
    counts = {
        title: rows.count()
        for title, field, rows in _sections(person)
        if field.remote_field.on_delete is models.CASCADE or field.model is ChangeRecord
    }
    return {title: n for title, n in counts.items() if n}


@transaction.atomic
def erase_person(person: Person, *, user=None) -> Erasure:
    """Erase the person as `erasure_plan` says; the erasure itself is recorded in the history
    (without the person's name: only the masked СНИЛС)."""
    erasure = Erasure(erasure_plan(person), kept_mentions(person))
    label = f"работник, СНИЛС {person.masked_snils}"
    ChangeRecord.objects.filter(person=person).delete()
    _scrub_history(person.snils)
    person.delete()
    record_changes(
        [Change(None, "Работник", label, ChangeRecord.Action.DELETE, {})],
        user=user,
        source=ChangeRecord.Source.ERASURE,
    )
    logger.info(
        "Удаление: %s, записей %s; кто: %s", label, sum(erasure.removed.values()), who(user)
    )
    return erasure


def _scrub_history(snils: str) -> None:
    """Mask the СНИЛС in other persons' history (a mentorship names both sides); the history
    writes it masked, rows written before may hold it in full."""
    rows = list(
        ChangeRecord.objects.annotate(text=Cast("changes", models.TextField()))
        .filter(text__contains=snils)
        .only("pk", "changes")
    )
    for row in rows:
        row.changes = scrub_snils(row.changes, snils)
    ChangeRecord.objects.bulk_update(rows, ["changes"], batch_size=1000)


def kept_mentions(person: Person) -> dict[str, int]:
    """Documents naming the person that erasure leaves intact, by kind («подписанные письма»)."""
    return {title: count(person) for title, count in hooks.KEPT_MENTIONS.items()}
