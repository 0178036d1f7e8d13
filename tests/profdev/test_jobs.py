"""Background jobs: enqueue, progress, idempotency, failures, and a worker killed mid-job."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from profdev import jobs
from profdev.management.commands import run_worker as run_worker_command
from profdev.models import District, Job
from tests import factories
from tests.profdev.sample_jobs import crash, refuse, rename_districts

ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    """Jobs wait in the database queue until a worker runs them."""
    settings.TASKS = DATABASE_BACKEND


@pytest.fixture
def run_worker(queue, monkeypatch):
    """The worker, in this process: runs everything queued, then returns."""
    # It closes "old" connections between tasks: the test's own, inside its transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


def test_a_job_runs_reports_progress_and_keeps_its_result(db):
    user = factories.UserFactory()
    factories.DistrictFactory(name="Энский")

    job = rename_districts.enqueue(user=user, steps=4, suffix=" район")

    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.message) == (4, 4, "Готово")
    assert job.result == {"message": "Выполнено шагов: 4.", "url": "/"}
    assert job.title == "Пересчёт муниципалитетов"
    assert District.objects.get().name == "Энский район"


def test_progress_is_stored_at_once(db):
    job = factories_job()

    jobs.JobRun(job).progress(2, 5, "Шаг 3")

    job.refresh_from_db()
    assert (job.done, job.total, job.message) == (2, 5, "Шаг 3")
    assert job.heartbeat_at is not None


def factories_job(**fields) -> Job:
    return Job.objects.create(
        function=rename_districts.path,
        title="Пересчёт муниципалитетов",
        key=fields.pop("key", "k"),
        user=fields.pop("user", None) or factories.UserFactory(),
        **fields,
    )


def test_the_same_job_queued_twice_is_one_job(db, run_worker):
    user, colleague = factories.UserFactory(), factories.UserFactory()
    factories.DistrictFactory(name="Энский")

    first = rename_districts.enqueue(user=user, steps=2, suffix=" район")
    second = rename_districts.enqueue(user=colleague, steps=2, suffix=" район")
    other = rename_districts.enqueue(user=user, steps=3, suffix=" район")

    assert second.pk == first.pk and first.status == Job.Status.QUEUED
    assert other.pk != first.pk
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}
    # Done: the same arguments start a new run, which changes nothing more.
    again = rename_districts.enqueue(user=user, steps=2, suffix=" район")
    assert again.pk not in (first.pk, other.pk)
    run_worker()
    again.refresh_from_db()
    assert again.status == Job.Status.DONE
    assert District.objects.get().name == "Энский район"


def test_a_task_delivered_twice_runs_the_job_once(db, run_worker):
    user = factories.UserFactory()
    job = rename_districts.enqueue(user=user, steps=1)
    jobs.run_job.enqueue(job.pk)

    run_worker()

    outcomes = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert outcomes == ["done", "skipped"]


@pytest.mark.parametrize(
    ("kind", "error", "details"),
    [
        ("job", "В файле 2 ошибки: ничего не записано.", ["строка 3", "строка 5"]),
        ("validation", "Муниципалитет с кодом «99» не найден.", None),
    ],
)
def test_a_refused_job_records_the_russian_message(db, kind, error, details):
    job = refuse.enqueue(user=factories.UserFactory(), kind=kind)

    assert job.status == Job.Status.FAILED
    assert job.error == error
    assert (job.result or {}).get("details") == details
    assert jobs.can_retry(job)


def test_a_locked_database_is_waited_out_by_the_worker(db, run_worker, monkeypatch, caplog):
    """SQLite under another writer's lock: the worker logs, pauses longer each time and
    runs the queued job once the database answers (it used to exit)."""
    user = factories.UserFactory()
    factories.DistrictFactory(name="Энский")
    job = rename_districts.enqueue(user=user, steps=1, suffix=" район")
    real_transaction = db_worker.exclusive_transaction
    locked = iter([True, True])

    def transaction_while_locked(using):
        if next(locked, False):
            raise OperationalError("database is locked")
        return real_transaction(using)

    monkeypatch.setattr(db_worker, "exclusive_transaction", transaction_while_locked)
    monkeypatch.setattr(run_worker_command, "close_old_connections", lambda: None)
    pauses = []
    monkeypatch.setattr(run_worker_command, "sleep", pauses.append)

    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert District.objects.get().name == "Энский район"
    assert pauses == [1.0, 2.0]
    assert (
        caplog.messages.count(
            "Обработчик задач: ошибка базы данных (database is locked); повтор через 1 с"
        )
        == 1
    )


def test_an_internal_error_is_recorded_in_russian_and_kept_in_the_queue(db, run_worker):
    job = crash.enqueue(user=factories.UserFactory())

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("Задача прервана внутренней ошибкой (ZeroDivisionError)")
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "ZeroDivisionError" in task.traceback


def test_retry_runs_a_failed_job_again_and_refuses_a_done_one(db):
    user = factories.UserFactory()
    failed = refuse.enqueue(user=user, kind="job")

    retried = jobs.retry_job(failed, user=user)

    assert retried.pk != failed.pk and retried.status == Job.Status.FAILED
    done = rename_districts.enqueue(user=user, steps=1)
    with pytest.raises(jobs.ValidationError):
        jobs.retry_job(done, user=user)


def test_a_stale_running_job_is_given_up_when_started_again(db, queue, settings):
    settings.JOB_STALE_SECONDS = 60
    user = factories.UserFactory()
    job = rename_districts.enqueue(user=user, steps=1)
    long_ago = job.created_at.replace(year=job.created_at.year - 1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=long_ago)

    again = rename_districts.enqueue(user=user, steps=1)

    job.refresh_from_db()
    assert again.pk != job.pk and again.status == Job.Status.QUEUED
    assert job.status == Job.Status.FAILED
    assert "остановился" in job.error and "60 с" in job.error


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(*extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "profdev.settings",
        "PROFDEV_TESTING": "1",
        "DATABASE_URL": _test_database_url(),
        "PROFDEV_JOB_HEARTBEAT_SECONDS": "1",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2", *extra]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the worker subprocess needs a database server"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_worker_was_killed_is_detected_and_completes_when_run_again(queue, settings):
    settings.JOB_STALE_SECONDS = 3
    user = factories.UserFactory()
    factories.DistrictFactory(name="Энский")
    job = rename_districts.enqueue(user=user, steps=40, delay=0.1, suffix=" район")
    worker = _start_worker()
    try:
        _wait(lambda: Job.objects.get(pk=job.pk).done >= 2, 60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and not jobs.is_stale(job)
    assert rename_districts.enqueue(user=user, steps=40, delay=0.1, suffix=" район") == job
    _wait(lambda: jobs.is_stale(Job.objects.get(pk=job.pk)), 10)
    assert District.objects.get().name == "Энский"

    again = jobs.retry_job(Job.objects.get(pk=job.pk), user=user)
    worker = _start_worker("--batch")
    assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()

    job.refresh_from_db()
    again.refresh_from_db()
    assert job.status == Job.Status.FAILED and "остановился" in job.error
    assert again.status == Job.Status.DONE and (again.done, again.total) == (40, 40)
    assert District.objects.get().name == "Энский район"
