"""The breaches a signed letter cites are frozen with it: no row of `CitedFinding` of a signed
letter is added, changed or removed (the letter's own row is frozen by 0003)."""

from django.db import migrations

SIGNED = "(SELECT status FROM recommendations_letter WHERE id = {}.letter_id) = 'signed'"
MESSAGE = "Показатели подписанного письма не могут быть изменены"

SQLITE = [
    f"""CREATE TRIGGER recommendations_citedfinding_frozen_{operation.lower()}
    BEFORE {operation} ON recommendations_citedfinding
    WHEN {" OR ".join(SIGNED.format(row) for row in rows)}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for operation, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"]))
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS recommendations_citedfinding_frozen_{operation}"
    for operation in ("insert", "update", "delete")
]
POSTGRESQL = [
    f"""CREATE FUNCTION recommendations_citedfinding_frozen() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF (TG_OP <> 'INSERT' AND {SIGNED.format("OLD")})
            OR (TG_OP <> 'DELETE' AND {SIGNED.format("NEW")}) THEN
            RAISE EXCEPTION USING MESSAGE = '{MESSAGE}';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER recommendations_citedfinding_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON recommendations_citedfinding FOR EACH ROW
    EXECUTE FUNCTION recommendations_citedfinding_frozen()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS recommendations_citedfinding_frozen ON recommendations_citedfinding",
    "DROP FUNCTION IF EXISTS recommendations_citedfinding_frozen()",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0014_cited_findings")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
