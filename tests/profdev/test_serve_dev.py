"""`make run` (`serve_dev`): the development server with a worker beside it, so a job started
in the browser finishes without a second terminal; letters' QR codes follow the address
served. Stopping it stops both."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from profdev.management.commands.serve_dev import portal_url
from profdev.models import Job
from tests import factories
from tests.profdev.sample_jobs import portal_address
from tests.profdev.test_jobs import ROOT, _test_database_url, _wait


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8100", "http://127.0.0.1:8100"),
        ("8100", "http://127.0.0.1:8100"),
        ("localhost:8000", "http://localhost:8000"),
        ("[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_the_portal_address_follows_the_address_served(addrport, url):
    assert portal_url(addrport) == url


def test_a_wrong_address_is_refused_in_russian():
    with pytest.raises(CommandError, match="«порт» — не адрес сервера"):
        portal_url("порт")


def test_it_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="только для разработки"):
        call_command("serve_dev", "127.0.0.1:8100")


def test_make_run_serves_with_a_worker_on_the_address_given():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "manage.py serve_dev 127.0.0.1:8100" in dry_run.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the server's processes need a database server"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_started_under_make_run_finishes_and_ctrl_c_stops_everything(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "PROFDEV_PORTAL_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="profdev.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=_test_database_url(),
    )
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve_dev", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        worker_pid = int(re.search(r"процесс (\d+)", serve.stdout.readline())[1])
        job = portal_address.enqueue(user=factories.UserFactory())
        _wait(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, 90)
        _wait(lambda: responds(f"http://127.0.0.1:{port}/login/"), 60)
    finally:
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=30) == 0

    assert Job.objects.get(pk=job.pk).result == {"message": f"http://127.0.0.1:{port}"}
    assert not responds(f"http://127.0.0.1:{port}/login/")
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)
