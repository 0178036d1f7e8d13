"""Workbook pages: upload → preview → confirm (profdev.uploads), and download of the workbook.

A school's pages are for its administrators and the district's staff; the district's for
district staff. An upload is its uploader's alone: anyone else gets 404.
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from profdev import jobs, uploads
from profdev.audit import log_export
from profdev.context_processors import page_school_or_404
from profdev.downloads import XLSX, attachment
from profdev.models import School, Upload
from profdev.scoping import scope_for
from profdev.workbook.exporter import export_workbook
from profdev.workbook.importer import StaleWorkbook


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label=_("Файл книги (.xlsx)"),
        help_text=_("Книга Excel в формате портала, не больше %(limit)d МБ.")
        % {"limit": settings.WORKBOOK_MAX_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(
                _(
                    "«%(name)s» — не книга Excel .xlsx. Сохраните файл в Excel как «Книга Excel "
                    "(*.xlsx)» или скачайте шаблон ниже."
                ),
                params={"name": file.name},
            )
        if file.size > settings.WORKBOOK_MAX_BYTES:
            raise ValidationError(
                _("Файл больше %(limit)d МБ: разделите книгу на несколько файлов."),
                params={"limit": settings.WORKBOOK_MAX_BYTES // 2**20},
            )
        return file


@login_required
def school_upload(request: HttpRequest, code: str) -> HttpResponse:
    return _upload_form(request, page_school_or_404(request, code))


@login_required
def district_upload(request: HttpRequest) -> HttpResponse:
    scope_for(request.user).require_district_staff()
    return _upload_form(request, None)


def _upload_form(request: HttpRequest, school: School | None) -> HttpResponse:
    posted = request.method == "POST"
    form = WorkbookForm(request.POST, request.FILES) if posted else WorkbookForm()
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = uploads.upload_create(
                user=request.user, school=school, filename=file.name, content=file.read()
            )
        except uploads.UploadRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("upload", pk=upload.pk)
    return render(request, "profdev/upload_form.html", {"form": form, "school": school})


def _upload_or_404(request: HttpRequest, pk: int) -> Upload:
    upload = get_object_or_404(Upload.objects.select_related("school"), pk=pk, user=request.user)
    if upload.school is not None:
        page_school_or_404(request, upload.school.code)
    return upload


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of a checked file, or the result of a written one."""
    upload = _upload_or_404(request, pk)
    busy = upload.status in (Upload.Status.CHECKING, Upload.Status.APPLYING)
    if busy and upload.job_id:
        return redirect(jobs.job_url(upload.job))
    return render(
        request,
        "profdev/upload_preview.html",
        {
            "upload": upload,
            "school": upload.school,
            "summary": upload.summary,
            "stale_message": str(StaleWorkbook()),
        },
    )


@login_required
@require_POST
def upload_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    try:
        uploads.upload_confirm(upload)
    except uploads.NotConfirmable as exc:
        messages.error(request, str(exc))
    return redirect("upload", pk=upload.pk)


@login_required
@require_POST
def upload_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    try:
        uploads.upload_check(upload)
    except uploads.NotConfirmable as exc:
        messages.error(request, str(exc))
    return redirect("upload", pk=upload.pk)


@login_required
def school_workbook(request: HttpRequest, code: str) -> HttpResponse:
    """The school's data as a filled workbook: the template of its next upload."""
    school = scope_for(request.user).school_or_404(code)
    log_export(request.user, "книга ОО (.xlsx)", school=school)
    return _workbook(School.objects.filter(pk=school.pk), school.code)


@login_required
def district_workbook(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    scope.require_district_staff()
    log_export(request.user, "книга муниципалитета (.xlsx)")
    # A regional methodologist's book is everything (with persons no longer employed).
    return _workbook(None if scope.is_regionwide else scope.schools(), "district")


@login_required
def workbook_template(request: HttpRequest) -> HttpResponse:
    """The empty workbook: every sheet of the format with its headers (docs/workbook.md)."""
    return _workbook(School.objects.none(), "template")


def _workbook(schools, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    export_workbook(buffer, schools=schools)
    filename = f"{name}_{timezone.localdate():%d.%m.%Y}.xlsx"
    return attachment(buffer.getvalue(), filename, XLSX)
