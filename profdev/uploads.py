"""Workbook upload from the web: keep the file → preview → confirm (`workbook.md`, portal.md).

The file and the importer's analysis live in an `Upload` row between the preview and the
confirmation, so the confirmation writes exactly what the preview showed (or is refused when
the database changed meanwhile: the user checks the stored file again). A file larger than
BACKGROUND_BYTES is checked and written by background jobs (`profdev.jobs`): the upload
page sends the user to the job page, which forwards to the upload once the job is done.

    upload_create(*, user, school, filename, content) -> Upload
    upload_check(upload) -> Upload        # check the stored file (again)
    upload_confirm(upload) -> Upload      # write the checked plan
"""

import datetime as dt
import io
import pickle
import zlib

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from profdev.jobs import JobError, JobRun, job
from profdev.models import School, Upload
from profdev.workbook.importer import (
    StaleWorkbook,
    WorkbookAnalysis,
    analyse_workbook,
    apply_workbook,
)

Status = Upload.Status
BACKGROUND_BYTES = 2 * 1024 * 1024  # larger files are checked and written by a job
ERRORS_SHOWN = 1000  # a page listing more helps nobody: fix these and upload again
KEEP_UNCONFIRMED = dt.timedelta(days=1)
WRITTEN = (Status.APPLYING, Status.APPLIED)
ALREADY_WRITTEN = _("Книга уже записана.")


class NotConfirmable(Exception):
    """The upload cannot be written: it has errors, is not checked yet or was written."""


def upload_create(*, user, school: School | None, filename: str, content: bytes) -> Upload:
    """Keep an uploaded workbook and check it (at once, or by a job for a large file)."""
    # Unconfirmed files hold personal data nobody will write: they do not outlive a day.
    Upload.objects.exclude(status=Status.APPLIED).filter(
        created_at__lt=timezone.now() - KEEP_UNCONFIRMED
    ).delete()
    upload = Upload.objects.create(
        user=user, school=school, filename=filename, content=content, size=len(content)
    )
    return upload_check(upload)


def upload_check(upload: Upload) -> Upload:
    """Analyse the stored file against the database as it is now (nothing is written)."""
    if upload.status in WRITTEN:
        raise NotConfirmable(ALREADY_WRITTEN)
    if _in_background(upload):
        return _start(upload, Status.CHECKING, check_upload)
    _check(upload)
    return upload


def upload_confirm(upload: Upload) -> Upload:
    """Write exactly the checked plan; a database changed since the check marks it stale."""
    if not upload.can_confirm:
        raise NotConfirmable(
            ALREADY_WRITTEN
            if upload.status in WRITTEN
            else _("Записать нельзя: в файле есть ошибки или он ещё не проверен.")
        )
    if _in_background(upload):
        return _start(upload, Status.APPLYING, apply_upload)
    return _apply(upload.pk)


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
    return upload.size > BACKGROUND_BYTES


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


_PLAN_SALT = "profdev.uploads.plan"
_MAC_BYTES = 32


def _seal(analysis) -> bytes:
    """The analysis pickled, compressed and signed with the secret key: a row edited in the
    database can never make the application unpickle bytes it did not write itself."""
    data = zlib.compress(pickle.dumps(analysis, protocol=pickle.HIGHEST_PROTOCOL), 1)
    return salted_hmac(_PLAN_SALT, data, algorithm="sha256").digest() + data


def _unseal(blob: bytes):
    mac, data = bytes(blob[:_MAC_BYTES]), bytes(blob[_MAC_BYTES:])
    expected = salted_hmac(_PLAN_SALT, data, algorithm="sha256").digest()
    if not constant_time_compare(mac, expected):
        raise NotConfirmable("Сохранённая проверка файла повреждена: проверьте файл заново.")
    return pickle.loads(zlib.decompress(data))


def _check(upload: Upload) -> None:
    analysis = analyse_workbook(io.BytesIO(upload.content), user=upload.user)
    upload.summary = summary_of(analysis)
    upload.plan = _seal(analysis) if analysis.ok else None
    upload.status = Status.CHECKED
    upload.checked_at = timezone.now()
    upload.save(update_fields=["summary", "plan", "status", "checked_at"])


@transaction.atomic
def _apply(upload_id: int) -> Upload:
    upload = Upload.objects.select_for_update().select_related("user").get(pk=upload_id)
    if upload.plan is None or upload.status not in (Status.CHECKED, Status.APPLYING):
        return upload  # written (or found stale) by a confirmation just before this one
    analysis = _unseal(upload.plan)
    try:
        apply_workbook(analysis, user=upload.user)
    except StaleWorkbook:
        upload.status = Status.STALE
    else:
        upload.status = Status.APPLIED
        upload.applied_at = timezone.now()
        upload.content = b""  # the records hold the data now; the summary stays
        # without the persons' old and new values: the history keeps those (and erases them).
        upload.summary = {**upload.summary, "person_changes": []}
    upload.plan = None
    upload.save(update_fields=["status", "applied_at", "content", "plan", "summary"])
    return upload


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
