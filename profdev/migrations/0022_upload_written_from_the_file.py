from django.db import migrations, models


def checked_again(apps, schema_editor):
    """An upload checked before keeps no plan now: its user checks the file again (the
    confirmation writes only against a fingerprint of the data, which it has none of)."""
    Upload = apps.get_model("profdev", "Upload")
    Upload.objects.filter(status__in=["checked", "applying"], plan__isnull=False).update(
        status="stale"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("profdev", "0021_change_history_unchecked_references"),
    ]

    operations = [
        migrations.RunPython(checked_again, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="upload",
            name="plan",
        ),
        migrations.AddField(
            model_name="upload",
            name="state_token",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="отпечаток данных при проверке",
            ),
        ),
    ]
