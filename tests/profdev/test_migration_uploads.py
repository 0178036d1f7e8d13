"""Migration 0022 on uploads checked before it: the pickled plans go, and an upload that was
waiting for its confirmation is checked again by its user (no fingerprint to write against)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("profdev", "0021_change_history_unchecked_references")]
AFTER = [("profdev", "0022_upload_written_from_the_file")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_uploads_waiting_with_a_plan_are_checked_again():
    apps = migrate(BEFORE)
    try:
        user = apps.get_model("auth", "User").objects.create(username="zav")
        upload_model = apps.get_model("profdev", "Upload")
        made = {
            status: upload_model.objects.create(
                user=user, filename=f"{status}.xlsx", size=1, status=status, plan=plan
            ).pk
            for status, plan in [
                ("checked", b"pickled"),
                ("applying", b"pickled"),
                ("applied", None),
                ("checking", None),
            ]
        }
        errors = upload_model.objects.create(
            user=user, filename="errors.xlsx", size=1, status="checked", plan=None
        ).pk

        apps = migrate(AFTER)
        statuses = dict(apps.get_model("profdev", "Upload").objects.values_list("pk", "status"))
        assert [statuses[made[s]] for s in ("checked", "applying", "applied", "checking")] == [
            "stale",
            "stale",
            "applied",
            "checking",
        ]
        assert statuses[errors] == "checked"  # its errors stay shown
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
