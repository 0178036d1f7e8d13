"""Uploads cannot fill the disk: files live in the storage (MEDIA_ROOT/uploads), not in the
database rows; a user's unwritten files have a quota and uploads an hourly rate; unwritten
files are purged on a schedule (`purge_uploads`), with files nothing refers to."""

import datetime as dt
import os
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from profdev import uploads
from profdev.models import Upload
from tests.profdev.workbook.builders import school as school_row
from tests.profdev.workbook.builders import xlsx

MB = 2**20


def post(client, school_code: str, content: bytes, name="книга.xlsx"):
    return client.post(
        reverse("school_upload", args=[school_code]),
        {"file": SimpleUploadedFile(name, content)},
    )


def stored_files(media_root) -> set[str]:
    folder = media_root / "uploads"
    return {f.name for f in folder.iterdir()} if folder.exists() else set()


def test_the_file_is_stored_under_a_random_name_outside_the_row(
    client_for, school_admin, school, media_root
):
    book = xlsx({"ОО": [school_row(school.code)]}).getvalue()

    post(client_for(school_admin), school.code, book, name="../../Иванова СНИЛС.xlsx")

    upload = Upload.objects.get()
    assert upload.filename == "Иванова СНИЛС.xlsx"  # shown to the user, never a path
    name = upload.file.name
    assert name.startswith("uploads/") and len(os.path.basename(name)) == 32 + len(".xlsx")
    assert (media_root / name).read_bytes() == book
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), Upload._meta.db_table
        )
    }
    assert "content" not in columns and upload.size == len(book)


def test_unwritten_files_beyond_the_quota_are_refused_in_russian(
    client_for, school_admin, school, media_root, settings
):
    settings.UPLOAD_QUOTA_MB = 1
    client = client_for(school_admin)
    post(client, school.code, b"x" * (MB // 2))
    kept = stored_files(media_root)

    response = post(client, school.code, b"y" * (MB // 2 + 1))

    assert response.status_code == 200
    assert (
        "Ваши загруженные и ещё не записанные книги занимают 0,5 МБ, с этим файлом было бы "
        "больше 1 МБ. Запишите проверенные книги или подождите: незаписанные файлы удаляются "
        "через 24 ч после загрузки."
    ) in response.content.decode()
    assert Upload.objects.count() == 1 and stored_files(media_root) == kept


def test_uploads_beyond_the_hourly_rate_are_refused_until_the_hour_passes(
    client_for, school_admin, school, settings
):
    settings.UPLOAD_RATE_PER_HOUR = 2
    client = client_for(school_admin)
    for _ in range(2):
        assert post(client, school.code, b"not a workbook").status_code == 302

    refused = post(client, school.code, b"not a workbook")

    assert "За последний час загружено файлов: 2 — это предел. Загрузите файл позже." in (
        refused.content.decode()
    )
    assert Upload.objects.count() == 2
    Upload.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))
    assert post(client, school.code, b"not a workbook").status_code == 302


def age(hours: float) -> float:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)).timestamp()


def test_purge_uploads_removes_old_unwritten_uploads_and_stray_files(
    school_admin, school, media_root, django_capture_on_commit_callbacks
):
    book = xlsx({"ОО": [school_row(school.code)]}).getvalue()
    create = lambda: uploads.upload_create(  # noqa: E731
        user=school_admin, school=school, filename="к.xlsx", content=book
    )
    old, written, fresh = create(), create(), create()
    with django_capture_on_commit_callbacks(execute=True):
        uploads.upload_confirm(written)
    day_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    Upload.objects.filter(pk__in=[old.pk, written.pk]).update(created_at=day_ago)
    old_file = media_root / old.file.name
    stray_old, stray_new = media_root / "uploads/old.xlsx", media_root / "uploads/new.xlsx"
    for stray in (stray_old, stray_new):
        stray.write_bytes(b"left by a failed request")
    os.utime(stray_old, (age(25), age(25)))

    out = StringIO()
    call_command("purge_uploads", stdout=out)

    assert out.getvalue() == "Удалено загрузок старше 24 ч: 1, файлов: 2\n"
    assert set(Upload.objects.values_list("pk", flat=True)) == {written.pk, fresh.pk}
    assert not old_file.exists() and not stray_old.exists()
    fresh.refresh_from_db()
    assert stored_files(media_root) == {os.path.basename(fresh.file.name), "new.xlsx"}


def test_a_file_unpacking_to_much_xml_is_checked_by_a_background_job(
    school_admin, school, monkeypatch
):
    monkeypatch.setattr(uploads, "BACKGROUND_UNPACKED", 1000)
    book = xlsx({"ОО": [school_row(school.code)]}).getvalue()
    assert len(book) < uploads.BACKGROUND_BYTES

    upload = uploads.upload_create(
        user=school_admin, school=school, filename="к.xlsx", content=book
    )

    assert upload.unpacked > 1000 and upload.job is not None
    assert upload.status == Upload.Status.CHECKED  # jobs run at once in tests


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_kept_and_refused_by_the_check(
    school_admin, school, content
):
    upload = uploads.upload_create(
        user=school_admin, school=school, filename="к.xlsx", content=content
    )
    assert upload.unpacked == 0 and upload.summary["error_count"] == 1
