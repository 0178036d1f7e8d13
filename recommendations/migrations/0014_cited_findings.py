"""The breaches each monitoring letter cites, beside its frozen figures (`CitedFinding`), and
those of the letters drafted before: copied from their figures by the drafting's own rule
(`recommendations.findings.cited_rows`). A signed letter's row is not touched."""

import django.db.models.deletion
from django.db import migrations, models

from recommendations.findings import cited_rows


def backfill(apps, schema_editor):
    Letter = apps.get_model("recommendations", "Letter")
    CitedFinding = apps.get_model("recommendations", "CitedFinding")
    known = set(apps.get_model("monitoring", "Indicator").objects.values_list("code", flat=True))
    letters = Letter.objects.filter(kind__in=("school", "district")).only("figures")
    rows = [
        CitedFinding(letter_id=letter.pk, **row)
        for letter in letters.iterator(chunk_size=100)
        for row in cited_rows(letter.figures)
        if row["indicator_id"] in known
    ]
    CitedFinding.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_problem_fields"),
        ("recommendations", "0013_problem_field_support_rule"),
    ]

    operations = [
        migrations.CreateModel(
            name="CitedFinding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="порядок в письме")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("green", "в норме"),
                            ("yellow", "близко к целевому"),
                            ("red", "ниже целевого"),
                            ("no_data", "нет данных"),
                            ("n/a", "не применимо"),
                        ],
                        max_length=10,
                        verbose_name="статус тогда",
                    ),
                ),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=1, max_digits=7, null=True, verbose_name="значение тогда"
                    ),
                ),
                ("value_text", models.CharField(max_length=50, verbose_name="значение в письме")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="monitoring.indicator",
                        verbose_name="показатель",
                    ),
                ),
                (
                    "letter",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cited",
                        to="recommendations.letter",
                        verbose_name="письмо",
                    ),
                ),
            ],
            options={
                "verbose_name": "показатель, указанный в письме",
                "verbose_name_plural": "показатели, указанные в письмах",
                "ordering": ["letter", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("letter", "indicator"), name="cited_finding_once_per_letter"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
