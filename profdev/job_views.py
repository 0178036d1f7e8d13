"""The job page: progress and result of a background job (owner or the district's staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from profdev import jobs


def _state(job) -> dict:
    percent = round(100 * job.done / job.total) if job.total else 0
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": percent,
        "message": job.message,
        "notice": jobs.waiting_notice(job),
    }


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_or_404(request.user, pk)
    result = job.result or {}
    if job.status == job.Status.DONE and result.get("forward"):
        return redirect(result["url"])  # e.g. an upload: its page shows the result
    return render(
        request,
        "jobs/job.html",
        {
            "job": job,
            "state": _state(job),
            "result": result,
            "stale": jobs.is_stale(job),
            "can_retry": jobs.can_retry(job),
        },
    )


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the page's poller reads (static/js/jobs.js)."""
    return JsonResponse(_state(jobs.job_or_404(request.user, pk)))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_or_404(request.user, pk)
    try:
        job = jobs.retry_job(job, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(jobs.job_url(job))
