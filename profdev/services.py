"""Writes of the data-entry forms: persons, employments and every record kind.

Each write keeps the history of personal records (`profdev.history`) in the same
transaction, described the way the workbook importer describes its own changes.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q

from profdev import history
from profdev.models import (
    ChangeRecord,
    DevelopmentRoute,
    Employment,
    Person,
    RouteActivity,
    School,
    StudentResult,
)
from profdev.workbook import sheets
from profdev.workbook.labels import labeller, record_label

Action = ChangeRecord.Action


class PersonChanged(Exception):
    """The person was saved by someone else since the form was opened."""

    def __init__(self):
        super().__init__(
            "Данные работника уже изменил другой пользователь, пока форма была открыта. "
            "Откройте карточку заново: вы увидите новые данные и сможете внести свои изменения."
        )


def _keyed(sheet: sheets.Sheet, record: dict[str, Any]) -> dict[str, Any]:
    """The record as the workbook names it: references by their key (СНИЛС, code, name)."""
    return {
        name: getattr(value, sheets.REFERENCES[column.ref].key)
        if (column := sheet.columns_by_field.get(name)) and column.ref and value is not None
        else value
        for name, value in record.items()
    }


def _stored(sheet: sheets.Sheet, instance: Model, fields) -> dict[str, Any]:
    return _keyed(sheet, {f: getattr(instance, f) for f in fields})


def _history(sheet, instance, action, old, new) -> list[history.Change]:
    """The change in the history of the record's persons, or of its school
    (`Sheet.school_history`)."""
    keyed = new or old
    label = record_label(sheet, tuple(keyed[f] for f in sheet.key))
    owners = [
        (pk, None) for pk in sorted({getattr(instance, f"{f}_id") for f in sheet.person_fields})
    ]
    if sheet.school_history:
        owners.append((None, getattr(instance, f"{sheet.school_field}_id")))
    return [
        history.Change(
            person_id=person_id,
            record_type=str(sheet.model._meta.verbose_name),
            record_label=label,
            action=action,
            changes=history.field_changes(old, new),
            school_id=school_id,
        )
        for person_id, school_id in owners
    ]


def _changes(sheet, instance, action, old, new, user) -> None:
    history.record_changes(
        _history(sheet, instance, action, old, new), user=user, source=ChangeRecord.Source.FORM
    )


@transaction.atomic
def record_save(*, sheet: sheets.Sheet, record: dict[str, Any], instance=None, user) -> Model:
    """Create (no `instance`) or update a record from a form's clean values."""
    old = _stored(sheet, instance, record) if instance else {}
    instance = instance or sheet.model()
    for name, value in record.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    action = Action.UPDATE if old else Action.CREATE
    _changes(sheet, instance, action, old, _keyed(sheet, record), user)
    return instance


@transaction.atomic
def records_create(*, sheet: sheets.Sheet, records: list[dict[str, Any]], user) -> list[Model]:
    """New records of many persons at once (one course attended by many, a target group's
    routes), all or none: refused, naming them, when some persons already have a record with
    the same key. A fixed number of queries, however many records: the first is validated in
    full; the others differ from it by their persons (given as objects, so not looked up
    again) and by values checked without the database; the keys are checked together, then
    all are inserted and their history written together."""
    if not records:
        return []
    keys: dict[tuple, list[Person]] = {}
    for record in records:
        same = tuple((f, record[f]) for f in sheet.key if f != "person")
        keys.setdefault(same, []).append(record["person"])
    taken_keys = Q()
    for same, persons in keys.items():
        taken_keys |= Q(person__in=persons, **dict(same))
    taken = Person.objects.filter(
        pk__in=sheet.model.objects.filter(taken_keys).values("person")
    ).order_by("last_name", "first_name", "middle_name")
    if taken:
        names = ", ".join(p.full_name for p in taken)
        raise ValidationError(f"Такая запись уже есть у: {names}. Ничего не добавлено.")
    instances = [sheet.model(**record) for record in records]
    relations = [f.name for f in sheet.model._meta.concrete_fields if f.is_relation]
    for index, instance in enumerate(instances):
        first = index == 0
        instance.full_clean(
            exclude=None if first else relations, validate_unique=False, validate_constraints=first
        )
    sheet.model.objects.bulk_create(instances)
    history.record_changes(
        [
            change
            for instance, record in zip(instances, records, strict=True)
            for change in _history(sheet, instance, Action.CREATE, {}, _keyed(sheet, record))
        ],
        user=user,
        source=ChangeRecord.Source.FORM,
    )
    return instances


def _deletion(sheet: sheets.Sheet, instance: Model) -> list[history.Change]:
    fields = [c.field for c in sheet.columns if not c.person]
    return _history(sheet, instance, Action.DELETE, _stored(sheet, instance, fields), {})


@transaction.atomic
def record_delete(*, sheet: sheets.Sheet, instance: Model, user) -> None:
    history.record_changes(_deletion(sheet, instance), user=user, source=ChangeRecord.Source.FORM)
    instance.delete()


TAKEN_MEANWHILE = (
    "Строки таблицы изменил другой пользователь, пока она была открыта: ничего не сохранено. "
    "Откройте результаты заново."
)


@transaction.atomic
def results_save(*, school: School, year: int, changes, user) -> None:
    """A school's results of a year as one table's rows changed (`BaseRowsFormSet.changes`):
    all or none, in a fixed number of queries however many rows. The rows removed or changed
    are deleted together, then the changed (under their ids) and the new ones inserted
    together: a key freed by one row, even one swapped between two, is free for another.
    Raises ValidationError (Russian) when a row's key is taken meanwhile by a row the table
    does not change (another user's)."""
    sheet = sheets.STUDENT_RESULTS
    removed, written, changes_made = [], [], []
    for result, record in sorted(changes, key=lambda change: change[1] is not None):
        if record is None:
            changes_made += _deletion(sheet, result)
            removed.append(result.pk)
            continue
        record = {**record, "school": school, "year": year}
        if result is not None and all(getattr(result, f) == v for f, v in record.items()):
            continue
        old = _stored(sheet, result, record) if result else {}
        instance = StudentResult(pk=result.pk if result else None, **record)
        instance.full_clean(exclude=["school"], validate_unique=False, validate_constraints=False)
        action = Action.UPDATE if result else Action.CREATE
        changes_made += _history(sheet, instance, action, old, _keyed(sheet, record))
        if result is not None:
            removed.append(result.pk)
        written.append(instance)
    _refuse_taken_keys(sheet, school, year, removed, written)
    try:
        with transaction.atomic():
            StudentResult.objects.filter(pk__in=removed).delete()
            StudentResult.objects.bulk_create(written)
    except IntegrityError as error:
        raise ValidationError(TAKEN_MEANWHILE) from error
    history.record_changes(changes_made, user=user, source=ChangeRecord.Source.FORM)


def _refuse_taken_keys(sheet, school: School, year: int, removed, written) -> None:
    """Refuse rows whose key a row the table leaves as it is already has (one query)."""
    key = [StudentResult._meta.get_field(f).attname for f in sheet.key]
    kept = StudentResult.objects.filter(school=school, year=year).exclude(pk__in=removed)
    taken = set(kept.values_list(*key))
    clashes = [
        f"«{record_label(sheet, tuple(_stored(sheet, r, sheet.key).values()))}»"
        for r in written
        if tuple(getattr(r, f) for f in key) in taken
    ]
    if len(clashes) == 1:
        raise ValidationError(
            f"Строка {clashes[0]} уже есть: её сохранил другой пользователь, пока таблица была "
            "открыта. Ничего не сохранено; откройте результаты заново."
        )
    if clashes:
        raise ValidationError(
            f"Строки {', '.join(clashes)} уже есть: их сохранил другой пользователь, пока "
            "таблица была открыта. Ничего не сохранено; откройте результаты заново."
        )


@transaction.atomic
def person_update(*, person: Person, values: dict[str, Any], version: int, user) -> Person:
    """Save the person's own fields if nobody saved them since `version` was read."""
    old = {f: getattr(person, f) for f in values}
    updated = Person.objects.filter(pk=person.pk, version=version).update(
        **values, version=F("version") + 1
    )
    if not updated:
        raise PersonChanged
    person.refresh_from_db()
    history.record_changes(
        [
            history.Change(
                person_id=person.pk,
                record_type=str(Person._meta.verbose_name),
                record_label=person.full_name,
                action=Action.UPDATE,
                changes=history.field_changes(old, values),
            )
        ],
        user=user,
        source=ChangeRecord.Source.FORM,
    )
    return person


@transaction.atomic
def teacher_create(*, record: dict[str, Any], user) -> Employment:
    """A new person with their first employment (the form «Новый работник»)."""
    own = {c.field for c in sheets.STAFF.columns if c.person} | {"snils"}
    person = Person(**{f: v for f, v in record.items() if f in own})
    person.full_clean()
    person.save()
    history.record_changes(
        [
            history.Change(
                person_id=person.pk,
                record_type=str(Person._meta.verbose_name),
                record_label=person.full_name,
                action=Action.CREATE,
                changes=history.field_changes({}, {f: record[f] for f in own}),
            )
        ],
        user=user,
        source=ChangeRecord.Source.FORM,
    )
    employment = {f: v for f, v in record.items() if f not in own}
    return record_save(sheet=sheets.STAFF, record={**employment, "person": person}, user=user)


def route_record(
    *,
    person: Person,
    started_on: dt.date,
    components,
    curator: str = "",
    tutor: str = "",
    ended_on: dt.date | None = None,
) -> dict[str, Any]:
    """A new route's (ИОМ's) values: the person's, addressing `components` (values of
    `Component`)."""
    return {
        "person": person,
        "started_on": started_on,
        "ended_on": ended_on,
        "curator": curator,
        "tutor": tutor,
        "components": DevelopmentRoute.encode_components(components),
    }


# --- a route's activities: their history reads as the sheet «Мероприятия ИОМ» ---------------

ACTIVITY_FIELDS = ("kind", "topic", "title", "description", "starts_on", "ends_on", "status")
ActivityChange = tuple[RouteActivity | None, dict[str, Any] | None]


def _activity_values(activity: RouteActivity) -> dict[str, Any]:
    values = {f: getattr(activity, f) for f in ACTIVITY_FIELDS}
    values["course"] = str(activity.course) if activity.course_id else None
    return values


def _activity_change(route, action, old, new, values) -> history.Change:
    sheet = sheets.ROUTE_ACTIVITIES
    keyed = {"person": route.person.snils, "route_started_on": route.started_on, **values}
    return history.Change(
        person_id=route.person_id,
        record_type=str(RouteActivity._meta.verbose_name),
        record_label=labeller(sheet)(tuple(keyed[f] for f in sheet.key)),
        action=action,
        changes=history.field_changes(old, new),
    )


def _activities_write(route: DevelopmentRoute, activities, user) -> None:
    """Deletions first, then updates and new activities: a key freed by one is free for
    another."""
    ordered = sorted(activities, key=lambda change: change[1] is not None)
    changes = []
    for activity, record in ordered:
        old = _activity_values(activity) if activity else {}
        if record is None:
            activity.delete()
            changes.append(_activity_change(route, Action.DELETE, old, {}, old))
            continue
        activity = activity or RouteActivity(route=route)
        for name, value in record.items():
            setattr(activity, name, value)
        new = _activity_values(activity)
        if old == new:
            continue
        activity.full_clean()
        activity.save()
        action = Action.UPDATE if old else Action.CREATE
        changes.append(_activity_change(route, action, old, new, new))
    history.record_changes(changes, user=user, source=ChangeRecord.Source.FORM)


@transaction.atomic
def route_save(
    *,
    record: dict[str, Any],
    instance: DevelopmentRoute | None = None,
    activities: list[ActivityChange] = (),
    user,
) -> DevelopmentRoute:
    """Create (no `instance`) or update a route with its activities, from the route page's
    forms: `activities` are (stored activity or None, values or None to delete it)."""
    route = instance
    if route is None or _stored(sheets.ROUTES, route, record) != _keyed(sheets.ROUTES, record):
        route = record_save(sheet=sheets.ROUTES, record=record, instance=instance, user=user)
    _activities_write(route, activities, user)
    return route


@transaction.atomic
def route_delete(*, route: DevelopmentRoute, user) -> None:
    """The route and its activities, each in the history."""
    _activities_write(route, [(a, None) for a in route.activities.select_related("course")], user)
    record_delete(sheet=sheets.ROUTES, instance=route, user=user)
