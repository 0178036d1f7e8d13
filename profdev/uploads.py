"""Workbook upload from the web: keep the file → preview → confirm (`workbook.md`, portal.md).

An `Upload` row keeps the file (in the storage, MEDIA_ROOT/uploads) between the preview and
the confirmation, with what the preview showed and the fingerprint of the data the check read
(`state_token`). The confirmation imports the stored file again as it writes, a sheet's part
at a time (no plan is kept between the two): refused when the data changed meanwhile, and
rolled back when the file no longer reads as the preview showed (the user's rights changed,
say), which then becomes the new preview. So it writes exactly what the preview showed.

A file larger than BACKGROUND_BYTES (or unpacking to more than BACKGROUND_UNPACKED) is
checked and written by background jobs (`profdev.jobs`): the upload page sends the user to
the job page, which forwards to the upload once the job is done.

A user keeps at most UPLOAD_QUOTA_MB of unwritten files and uploads at most
UPLOAD_RATE_PER_HOUR files an hour; unwritten files go UPLOAD_KEEP_HOURS after the upload.

    upload_create(*, user, school, filename, content) -> Upload   # raises UploadRefused
    upload_check(upload) -> Upload        # check the stored file (again)
    upload_confirm(upload) -> Upload      # write what the check showed
    purge_uploads() -> (uploads, files)   # unwritten uploads past their time, stray files
"""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev.jobs import JobError, JobRun, job
from profdev.models import School, Upload
from profdev.workbook.importer import (
    StaleWorkbook,
    WorkbookAnalysis,
    analyse_workbook,
    import_workbook,
)
from profdev.workbook.reader import UnreadableWorkbook, unpacked_size

Status = Upload.Status
BACKGROUND_BYTES = 2 * 1024 * 1024  # larger files are checked and written by a job
BACKGROUND_UNPACKED = 40 * 1024 * 1024  # and files unpacking to more (the XML read)
ERRORS_SHOWN = 1000  # a page listing more helps nobody: fix these and upload again
WRITTEN = (Status.APPLYING, Status.APPLIED)
ALREADY_WRITTEN = _("Книга уже записана.")
FILE_GONE = _("Файл удалён: загрузите книгу ещё раз.")
STORED = "uploads"  # the storage's directory of uploaded files


class NotConfirmable(Exception):
    """The upload cannot be written: it has errors, is not checked yet or was written."""


class UploadRefused(Exception):
    """The user's quota or hourly rate of uploads is used up (a Russian message)."""


def upload_create(*, user, school: School | None, filename: str, content: bytes) -> Upload:
    """Keep an uploaded workbook and check it (at once, or by a job for a large file)."""
    purge_uploads()
    _check_allowance(user, len(content))
    try:
        unpacked = unpacked_size(content)
    except UnreadableWorkbook:
        unpacked = 0  # not an .xlsx: the check says so
    upload = Upload(
        user=user, school=school, filename=filename, size=len(content), unpacked=unpacked
    )
    upload.file.save(filename, ContentFile(content), save=False)
    upload.save()
    return upload_check(upload)


def _check_allowance(user, size: int) -> None:
    recent = Upload.objects.filter(
        user=user, created_at__gte=timezone.now() - dt.timedelta(hours=1)
    )
    if recent.count() >= settings.UPLOAD_RATE_PER_HOUR:
        raise UploadRefused(
            _("За последний час загружено файлов: %(count)d — это предел. Загрузите файл позже.")
            % {"count": settings.UPLOAD_RATE_PER_HOUR}
        )
    kept = Upload.objects.filter(user=user).exclude(file="").aggregate(total=Sum("size"))
    quota = settings.UPLOAD_QUOTA_MB * 2**20
    if (kept["total"] or 0) + size > quota:
        raise UploadRefused(
            _(
                "Ваши загруженные и ещё не записанные книги занимают %(kept)s МБ, с этим файлом "
                "было бы больше %(quota)d МБ. Запишите проверенные книги или подождите: "
                "незаписанные файлы удаляются через %(hours)d ч после загрузки."
            )
            % {
                "kept": f"{(kept['total'] or 0) / 2**20:.1f}".replace(".", ","),
                "quota": settings.UPLOAD_QUOTA_MB,
                "hours": settings.UPLOAD_KEEP_HOURS,
            }
        )


def purge_uploads() -> tuple[int, int]:
    """Delete the unwritten uploads older than UPLOAD_KEEP_HOURS (they hold personal data
    nobody will write) with their files, and stored files no upload refers to (left by a
    failed request) as old; the number of uploads and files deleted."""
    before = timezone.now() - dt.timedelta(hours=settings.UPLOAD_KEEP_HOURS)
    old = Upload.objects.exclude(status__in=WRITTEN).filter(created_at__lt=before)
    names = list(old.exclude(file="").values_list("file", flat=True))
    deleted, _by_model = old.delete()
    for name in names:
        default_storage.delete(name)
    if not default_storage.exists(STORED):
        return deleted, len(names)
    kept = set(Upload.objects.exclude(file="").values_list("file", flat=True))
    strays = [
        name
        for name in (f"{STORED}/{f}" for f in default_storage.listdir(STORED)[1])
        if name not in kept and default_storage.get_modified_time(name) < before
    ]
    for name in strays:
        default_storage.delete(name)
    return deleted, len(names) + len(strays)


def upload_check(upload: Upload) -> Upload:
    """Analyse the stored file against the database as it is now (nothing is written)."""
    if upload.status in WRITTEN:
        raise NotConfirmable(ALREADY_WRITTEN)
    _check_file(upload)
    if _in_background(upload):
        return _start(upload, Status.CHECKING, check_upload)
    _check(upload)
    return upload


def upload_confirm(upload: Upload) -> Upload:
    """Write exactly what the check showed; a database changed since marks it stale."""
    if not upload.can_confirm:
        raise NotConfirmable(
            ALREADY_WRITTEN
            if upload.status in WRITTEN
            else _("Записать нельзя: в файле есть ошибки или он ещё не проверен.")
        )
    _check_file(upload)
    if _in_background(upload):
        return _start(upload, Status.APPLYING, apply_upload)
    return _apply(upload.pk)


def _check_file(upload: Upload) -> None:
    """`NotConfirmable` when the upload's file is gone: removed from the storage behind the
    portal's back, the upload forgets it (its page then says so)."""
    if upload.file and not default_storage.exists(upload.file.name):
        Upload.objects.filter(pk=upload.pk).update(file="", state_token="")
        upload.file, upload.state_token = "", ""
    if not upload.file:
        raise NotConfirmable(FILE_GONE)


def summary_of(analysis: WorkbookAnalysis) -> dict:
    """What the preview shows, as plain data: counts per sheet, errors, warnings, and every
    change to a known person's own fields (old → new: a change never hides in a count)."""
    counts = [{"sheet": sheet, **vars(c)} for sheet, c in analysis.counts.items()]
    totals = {k: sum(c[k] for c in counts) for k in ("created", "updated", "deleted", "unchanged")}
    return {
        "counts": counts,
        "totals": totals,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
            for e in analysis.errors[:ERRORS_SHOWN]
        ],
        "error_count": len(analysis.errors),
        "warnings": analysis.warnings,
        "person_changes": analysis.person_changes() if analysis.ok else [],
    }


def _in_background(upload: Upload) -> bool:
    return upload.size > BACKGROUND_BYTES or upload.unpacked > BACKGROUND_UNPACKED


def _start(upload: Upload, status: str, function) -> Upload:
    Upload.objects.filter(pk=upload.pk).update(status=status)
    district = upload.school.district if upload.school else None
    started = function.enqueue(
        user=upload.user, district=district, label=upload.filename, upload_id=upload.pk
    )
    # The job may have finished already (a worker, or jobs run at once): keep what it wrote.
    Upload.objects.filter(pk=upload.pk).update(job=started)
    upload.refresh_from_db()
    return upload


def _check(upload: Upload) -> None:
    with upload.file.open("rb") as file:
        analysis = analyse_workbook(file, user=upload.user)
    _checked(upload, analysis)
    upload.save(update_fields=["summary", "state_token", "status", "checked_at"])


def _checked(upload: Upload, analysis: WorkbookAnalysis) -> None:
    upload.summary = summary_of(analysis)
    upload.state_token = analysis.state_token if analysis.ok else ""
    upload.status = Status.CHECKED
    upload.checked_at = timezone.now()


@transaction.atomic
def _apply(upload_id: int) -> Upload:
    upload = Upload.objects.select_for_update().select_related("user").get(pk=upload_id)
    if not upload.state_token or upload.status not in (Status.CHECKED, Status.APPLYING):
        return upload  # written (or found stale) by a confirmation just before this one
    try:
        analysis = _write(upload)
    except StaleWorkbook:
        upload.status = Status.STALE
        upload.state_token = ""
    else:
        if analysis.applied:
            upload.status = Status.APPLIED
            upload.applied_at = timezone.now()
            upload.state_token = ""
            # The records hold the data now; the summary stays, the file goes.
            transaction.on_commit(lambda name=upload.file.name: default_storage.delete(name))
            upload.file = ""
            # without the persons' old and new values: the history keeps those (and erases them).
            upload.summary = {**upload.summary, "person_changes": []}
        else:  # nothing written: what the file reads as now is the preview
            _checked(upload, analysis)
            upload.summary["reread"] = True
    upload.save(
        update_fields=["status", "applied_at", "checked_at", "file", "state_token", "summary"]
    )
    return upload


def _previewed(summary: dict) -> dict:
    """What a preview without errors shows of the file."""
    return {key: summary.get(key) for key in ("counts", "warnings", "person_changes")}


class _NotAsChecked(Exception):
    def __init__(self, analysis: WorkbookAnalysis):
        self.analysis = analysis


def _write(upload: Upload) -> WorkbookAnalysis:
    """The stored file imported against the data its check read (`StaleWorkbook` otherwise)
    and kept only if it reads as the check showed; not written (`applied` false) otherwise."""
    try:
        with transaction.atomic(), upload.file.open("rb") as file:
            analysis = import_workbook(file, user=upload.user, expected_token=upload.state_token)
            if analysis.applied and _previewed(summary_of(analysis)) != _previewed(upload.summary):
                raise _NotAsChecked(analysis)
    except _NotAsChecked as differs:
        analysis = differs.analysis
        analysis.applied = False
    return analysis


def _upload_for(run: JobRun, upload_id: int) -> Upload:
    try:
        return Upload.objects.select_related("user").get(pk=upload_id, user=run.user)
    except Upload.DoesNotExist:
        raise JobError(str(_("Загруженный файл удалён: загрузите книгу ещё раз."))) from None


def _forward(upload: Upload, message: str) -> dict:
    return {"message": message, "url": reverse("upload", args=[upload.pk]), "forward": True}


@job(_("Проверка книги"))
def check_upload(run: JobRun, *, upload_id: int) -> dict:
    upload = _upload_for(run, upload_id)
    run.progress(0, 1, str(_("Проверка файла")))
    _check(upload)
    run.progress(1, 1, str(_("Проверено")))
    return _forward(upload, str(_("Книга проверена.")))


@job(_("Запись книги"))
def apply_upload(run: JobRun, *, upload_id: int) -> dict:
    upload = _upload_for(run, upload_id)
    run.progress(0, 1, str(_("Запись данных")))
    upload = _apply(upload.pk)
    run.progress(1, 1, str(_("Готово")))
    return _forward(upload, str(upload.get_status_display()).capitalize())
