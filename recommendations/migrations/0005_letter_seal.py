"""The keyed seal of a signed letter's PDF.

SQLite adds the column by rebuilding the table, which would drop the freezing triggers of
0003: they are dropped first and created again afterwards.
"""

from importlib import import_module

from django.db import migrations, models

frozen = import_module("recommendations.migrations.0003_signed_letter_frozen")


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_rule_indicator_constraint")]

    operations = [
        migrations.RunPython(
            frozen._run({"sqlite": frozen.SQLITE_DROP}), frozen._run({"sqlite": frozen.SQLITE})
        ),
        migrations.AddField(
            model_name="letter",
            name="seal",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="печать целостности"
            ),
        ),
        migrations.RunPython(
            frozen._run({"sqlite": frozen.SQLITE}), frozen._run({"sqlite": frozen.SQLITE_DROP})
        ),
    ]
