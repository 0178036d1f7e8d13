# Uploaded workbooks move from the database rows to files in the storage (MEDIA_ROOT/uploads).

import profdev.models
from django.core.files.base import ContentFile
from django.db import migrations, models


def files_out_of_rows(apps, schema_editor):
    Upload = apps.get_model("profdev", "Upload")
    for upload in Upload.objects.exclude(content=b"").iterator(chunk_size=10):
        upload.file.save("upload.xlsx", ContentFile(bytes(upload.content)), save=False)
        upload.save(update_fields=["file"])


def files_into_rows(apps, schema_editor):
    Upload = apps.get_model("profdev", "Upload")
    for upload in Upload.objects.exclude(file="").iterator(chunk_size=10):
        with upload.file.open("rb") as file:
            upload.content = file.read()
        upload.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('profdev', '0009_code_letters_digits_hyphen'),
    ]

    operations = [
        migrations.AddField(
            model_name='upload',
            name='file',
            field=models.FileField(blank=True, editable=False, upload_to=profdev.models.upload_path, verbose_name='файл'),
        ),
        migrations.AddField(
            model_name='upload',
            name='unpacked',
            field=models.PositiveBigIntegerField(default=0, verbose_name='размер после распаковки, байт'),
        ),
        migrations.AlterField(
            model_name='upload',
            name='content',
            field=models.BinaryField(default=b'', editable=False, verbose_name='файл'),
        ),
        migrations.RunPython(files_out_of_rows, files_into_rows),
        migrations.RemoveField(
            model_name='upload',
            name='content',
        ),
    ]
