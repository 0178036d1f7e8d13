"""Migration 0008 on a database in use: the shipped red-and-yellow rules move to red, a rule the
methodologist rewrote keeps its trigger, and going back restores what 0007 had."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.recommendations.test_migration_numbers import migrate

BEFORE = [("recommendations", "0007_register_serial_and_seal_key")]
AFTER = [("recommendations", "0008_yellow_rules")]


def triggers(apps) -> dict[str, str]:
    rules = apps.get_model("recommendations", "RecommendationRule").objects.filter(
        audience="administration", trigger__in=["red", "red_yellow"]
    )
    return dict(
        rules.filter(indicator_id__in=["DIAG", "NETWORK"]).values_list("indicator", "trigger")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shipped_rules_move_to_red_and_an_edited_one_keeps_its_trigger():
    apps = migrate(BEFORE)
    try:
        rules = apps.get_model("recommendations", "RecommendationRule").objects
        edited = rules.get(indicator_id="NETWORK", audience="administration")
        edited.text += " Отчитываться о ней на педагогическом совете."
        edited.save()
        before = rules.count()

        apps = migrate(AFTER)
        assert triggers(apps) == {"DIAG": "red", "NETWORK": "red_yellow"}
        rules = apps.get_model("recommendations", "RecommendationRule").objects
        assert rules.filter(trigger="yellow").count() == 29

        apps = migrate(BEFORE)
        assert triggers(apps) == {"DIAG": "red_yellow", "NETWORK": "red_yellow"}
        assert apps.get_model("recommendations", "RecommendationRule").objects.count() == before
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
