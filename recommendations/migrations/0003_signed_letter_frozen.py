"""A signed letter is frozen in the database too: no UPDATE and no DELETE of its row."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER recommendations_letter_frozen_update BEFORE UPDATE ON recommendations_letter
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'Подписанное письмо не может быть изменено'); END""",
    """CREATE TRIGGER recommendations_letter_frozen_delete BEFORE DELETE ON recommendations_letter
    WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'Подписанное письмо не может быть удалено'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS recommendations_letter_frozen_update",
    "DROP TRIGGER IF EXISTS recommendations_letter_frozen_delete",
]
POSTGRESQL = [
    """CREATE FUNCTION recommendations_letter_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'signed' THEN
            RAISE EXCEPTION USING
                MESSAGE = 'Подписанное письмо ' || OLD.id || ' не может быть изменено или удалено';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER recommendations_letter_frozen BEFORE UPDATE OR DELETE
    ON recommendations_letter FOR EACH ROW EXECUTE FUNCTION recommendations_letter_frozen()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS recommendations_letter_frozen ON recommendations_letter",
    "DROP FUNCTION IF EXISTS recommendations_letter_frozen()",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_default_rules")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
