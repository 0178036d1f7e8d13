"""Background jobs: work too long for a request, run by the task worker (`make worker`).

A job function is declared with `@job(title)` and takes a `JobRun` (progress reports, the
user) and JSON-able keyword arguments; it returns a JSON-able result
(`{"message": ..., "url": ...}` is shown on the job page) or raises `JobError` with a Russian
message. Starting one:

    job = compute_district.enqueue(user=request.user, district=district, year=2024)
    return redirect(job_url(job))

- Idempotent: the same function with the same arguments already queued or running
  gives back that job instead of a second one; a task delivered twice runs once; job
  functions themselves are safe to run again (they replace what they wrote).
- Crash-safe: while a job runs, its worker touches `heartbeat_at` every
  JOB_HEARTBEAT_SECONDS; a running job silent for JOB_STALE_SECONDS lost its worker, and
  starting it again (`enqueue` or `retry_job`) marks it failed and queues a fresh run.
"""

import datetime as dt
import hashlib
import json
import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from profdev.models import District, Job
from profdev.scoping import scope_for

logger = logging.getLogger(__name__)

Status = Job.Status
CRASHED = (
    "Обработчик фоновых задач остановился, не завершив задачу (нет признаков жизни "
    "больше {seconds} с). Задачу можно запустить снова."
)
WAITING_NO_WORKER = (
    "Задача ждёт в очереди уже {minutes} мин, и ни один обработчик фоновых задач её не взял: "
    "похоже, обработчик не запущен. Сообщите администратору портала — обработчик запускается "
    "командой «make worker» (или службой, docs/deploy.md); задача выполнится, как только он "
    "заработает."
)
WAITING_BUSY = (
    "Задача ждёт в очереди уже {minutes} мин: обработчик фоновых задач занят другими задачами. "
    "Она начнётся, как только он освободится."
)
INTERNAL_ERROR = (
    "Задача прервана внутренней ошибкой ({name}); сообщите администратору портала "
    "время запуска задачи."
)


class JobError(Exception):
    """A failure shown to the user as is, with optional details (e.g. a file's errors)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


@dataclass
class JobRun:
    """What a job function receives: its job and progress reports."""

    job: Job

    @property
    def user(self):
        return self.job.user

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (visible at once on the job page: outside any transaction)."""
        Job.objects.filter(pk=self.job.pk).update(
            done=min(done, total), total=total, message=message[:255], heartbeat_at=timezone.now()
        )


class JobFunction:
    """A function run as a background job; `enqueue` starts it."""

    def __init__(self, func: Callable[..., Any], title: str):
        self.func = func
        self.title = title
        self.path = f"{func.__module__}.{func.__qualname__}"

    def __call__(self, run: JobRun, **arguments) -> Any:
        return self.func(run, **arguments)

    def enqueue(
        self,
        *,
        user,
        district: District | None = None,
        label: str = "",
        **arguments,
    ) -> Job:
        """Queue the job (or give back the same one already queued or running).

        `district` decides who else may watch it (the district's staff; None: regional
        staff); `label` is added to the title."""
        key = _key(self.path, district, arguments)
        title = f"{self.title}: {label}" if label else self.title
        with transaction.atomic():
            active = Job.objects.select_for_update().filter(key=key, status__in=Job.ACTIVE).first()
            if active is not None:
                if not is_stale(active):
                    return active
                _mark_crashed(active)
            try:
                with transaction.atomic():
                    job = Job.objects.create(
                        function=self.path,
                        title=title[:255],
                        arguments=arguments,
                        key=key,
                        user=user,
                        district=district,
                    )
            except IntegrityError:  # the same job was queued at this very moment
                return Job.objects.get(key=key, status__in=Job.ACTIVE)
            task_result = run_job.enqueue(job.pk)
            Job.objects.filter(pk=job.pk).update(task_id=str(task_result.id))
        job.refresh_from_db()
        return job


def job(title: str) -> Callable[[Callable[..., Any]], JobFunction]:
    """Declare a job function: `@job(gettext_lazy("…"))`."""
    return lambda func: JobFunction(func, str(title))


def _key(path: str, district: District | None, arguments: dict) -> str:
    identity = {
        "function": path,
        "district": district.pk if district else None,
        "arguments": arguments,
    }
    encoded = json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def is_stale(job: Job, now: dt.datetime | None = None) -> bool:
    """A running job whose worker has not been heard of for JOB_STALE_SECONDS."""
    if job.status != Status.RUNNING or job.heartbeat_at is None:
        return False
    silence = (now or timezone.now()) - job.heartbeat_at
    return silence > dt.timedelta(seconds=settings.JOB_STALE_SECONDS)


def waiting_notice(job: Job, now: dt.datetime | None = None) -> str:
    """Why a job queued for more than JOB_PICKUP_SECONDS still waits ("" if it does not)."""
    now = now or timezone.now()
    waited = now - job.created_at
    if job.status != Status.QUEUED or waited <= dt.timedelta(seconds=settings.JOB_PICKUP_SECONDS):
        return ""
    minutes = max(1, int(waited.total_seconds()) // 60)
    heard = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    if Job.objects.filter(status=Status.RUNNING, heartbeat_at__gte=heard).exists():
        return WAITING_BUSY.format(minutes=minutes)
    return WAITING_NO_WORKER.format(minutes=minutes)


def can_retry(job: Job) -> bool:
    return job.status == Status.FAILED or is_stale(job)


def retry_job(job: Job, *, user) -> Job:
    """Start a failed (or crashed) job again with the same arguments, for `user`."""
    if not can_retry(job):
        raise ValidationError("Задача ещё выполняется или уже завершена успешно.")
    function = import_string(job.function)
    return function.enqueue(user=user, district=job.district, **job.arguments)


def _mark_crashed(job: Job) -> None:
    _finish(job.pk, Status.FAILED, error=CRASHED.format(seconds=settings.JOB_STALE_SECONDS))


def _finish(job_id: int, status: str, *, result=None, error: str = "") -> None:
    fields = {"status": status, "result": result, "error": error, "finished_at": timezone.now()}
    Job.objects.filter(pk=job_id).update(**fields)


class _Heartbeat:
    """A thread touching the running job until stopped (its own database connection)."""

    def __init__(self, job_id: int, interval: float):
        self.job_id = job_id
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"job-{job_id}")

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                Job.objects.filter(pk=self.job_id, status=Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connections.close_all()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()


def _runs_in_worker(backend_alias: str) -> bool:
    # The immediate backend runs the job inside the caller (a request or a test), often in
    # its transaction: nothing to watch there, and another connection could not see the job.
    return not isinstance(task_backends[backend_alias], ImmediateBackend)


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    """The queued task: claims the job, runs its function and records the outcome."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:  # already run (a task delivered twice) or given up as crashed
        return "skipped"
    job = Job.objects.select_related("user", "district").get(pk=job_id)
    function: JobFunction = import_string(job.function)
    watched = _runs_in_worker(context.task_result.backend)
    try:
        with _Heartbeat(job_id, settings.JOB_HEARTBEAT_SECONDS) if watched else nullcontext():
            result = function(JobRun(job), **job.arguments)
    except (JobError, ValidationError) as error:
        details = getattr(error, "details", [])
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _finish(
            job_id, Status.FAILED, error=message, result={"details": details} if details else None
        )
        return Status.FAILED
    except Exception as error:
        logger.exception("Job %s (%s) failed", job_id, job.function)
        _finish(job_id, Status.FAILED, error=INTERNAL_ERROR.format(name=type(error).__name__))
        raise  # the task queue keeps the traceback
    _finish(job_id, Status.DONE, result=result)
    return Status.DONE


def job_url(job: Job) -> str:
    return reverse("job", args=[job.pk])


def job_or_404(user, pk: int) -> Job:
    """The job if the user started it or is district staff of its district (a region-wide
    job: regional staff); 404 for everyone else."""
    jobs = Job.objects.select_related("user", "district")
    visible = jobs.filter(user=user) | scope_for(user).in_districts(jobs, "district")
    try:
        return visible.get(pk=pk)
    except Job.DoesNotExist:
        raise Http404 from None
