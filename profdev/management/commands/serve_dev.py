"""`make run`: the development server with a background worker beside it.

Queued jobs (computations, large imports) run without a second terminal. The server and the
worker are child processes, each in its own process group (a reloading parent and its child),
so that both stop together: on Ctrl-C, on SIGTERM, or when either of them exits. Both reload
on code changes. The portal's address (`PROFDEV_PORTAL_URL`, where letters' QR codes point)
follows the address served unless it is set. Development only (`DJANGO_DEBUG=1`).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re

STOP_SECONDS = 10


class Stop(Exception):
    """Ctrl-C or SIGTERM."""


def _stop(signum, frame):
    raise Stop


def portal_url(addrport: str) -> str:
    """The address `runserver addrport` serves ("8000", "127.0.0.1:8100", "[::1]:8000")."""
    match = naiveip_re.match(addrport)
    if match is None:
        raise CommandError(
            f"«{addrport}» — не адрес сервера: пишите адрес и порт, например 127.0.0.1:8000."
        )
    host = match["addr"] or "127.0.0.1"  # an IPv6 address keeps its brackets
    return f"http://{host}:{match['port']}"


class Command(BaseCommand):
    help = "Сервер разработки и обработчик фоновых задач рядом с ним (только DJANGO_DEBUG=1)."
    requires_system_checks = []  # the server and the worker check on start

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *, addrport: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "serve_dev — только для разработки (DJANGO_DEBUG=1). В эксплуатации: "
                "make serve-prod и make worker (docs/deploy.md)."
            )
        env = {**os.environ}
        env.setdefault("PROFDEV_PORTAL_URL", portal_url(addrport))
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _stop)
        processes: dict[str, subprocess.Popen] = {}
        exited = []
        try:
            processes["Обработчик фоновых задач"] = worker = self._start(["run_worker"], env)
            self.stdout.write(
                f"Обработчик фоновых задач запущен (процесс {worker.pid}); "
                f"адрес портала в QR-кодах писем: {env['PROFDEV_PORTAL_URL']}"
            )
            self.stdout.flush()
            processes["Сервер"] = self._start(["runserver", addrport], env)
            while not exited:
                time.sleep(0.5)
                exited = [name for name, p in processes.items() if p.poll() is not None]
        except Stop:  # Ctrl-C or SIGTERM: the normal end
            pass
        finally:
            for process in processes.values():
                _terminate(process)
        if exited:
            raise CommandError(f"{exited[0]} остановился, поэтому остановлено всё.")

    def _start(self, command: list[str], env: dict) -> subprocess.Popen:
        manage = settings.BASE_DIR / "manage.py"
        return subprocess.Popen(
            [sys.executable, str(manage), *command], env=env, start_new_session=True
        )


def _terminate(process: subprocess.Popen) -> None:
    """Stop the process's group (the reloading parent and its child)."""
    for signum, seconds in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            process.wait(seconds)
            return
        except subprocess.TimeoutExpired:
            continue
