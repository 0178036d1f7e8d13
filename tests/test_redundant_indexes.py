"""No foreign key has an index of its own when an index or a unique constraint of its model
(one without a condition) begins with its column: the longer index serves the key's
look-ups (a person's records, the cascade when a person goes), and every insert of a load
would pay for both."""

import pytest
from django.apps import apps
from django.db import connection, models

from profdev.models import CourseCompletion
from tests.test_layers import LAYERS


def leading_fields(model: type[models.Model]) -> set[str]:
    """The first field of each index and unique constraint of the model without a condition."""
    specs = [*model._meta.indexes, *model._meta.constraints]
    return {
        spec.fields[0].removeprefix("-")
        for spec in specs
        if getattr(spec, "fields", None) and getattr(spec, "condition", None) is None
    }


def redundant_indexes() -> list[str]:
    found = []
    for app in LAYERS:
        for model in apps.get_app_config(app).get_models():
            leading = leading_fields(model)
            for field in model._meta.local_concrete_fields:
                indexed = field.is_relation and field.db_index and not field.unique
                if indexed and field.name in leading:
                    found.append(f"{model.__name__}.{field.name}")
    return found


def test_no_foreign_key_has_an_index_another_begins_with():
    assert redundant_indexes() == []


def test_the_rule_sees_an_index_a_unique_constraint_begins_with():
    assert "person" in leading_fields(CourseCompletion)


@pytest.mark.django_db
def test_the_database_keeps_no_index_of_a_foreign_key_alone_when_its_model_says_so():
    """What the migrations left matches the models: a key the models index only through a
    longer index has no single-column index in the database (on SQLite and PostgreSQL)."""
    found = []
    with connection.cursor() as cursor:
        for app in LAYERS:
            for model in apps.get_app_config(app).get_models():
                unindexed = [
                    (f.column,)
                    for f in model._meta.local_concrete_fields
                    if f.is_relation and not f.db_index and not f.unique
                ]
                if not unindexed:
                    continue
                table = model._meta.db_table
                declared = {index.name for index in model._meta.indexes}  # partial ones
                constraints = connection.introspection.get_constraints(cursor, table)
                found += [
                    f"{table}.{c['columns'][0]}"
                    for name, c in constraints.items()
                    if c["index"] and name not in declared and c["columns"] in map(list, unindexed)
                ]
    assert found == []
