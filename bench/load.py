"""Load test: simulated users against gunicorn + PostgreSQL on loopback (`make load`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/profdev .venv/bin/python bench/load.py

Prepares the database (migrate, the demo district of `load_demo`, its letters drafted and a
few signed), collects the static files, starts gunicorn (gunicorn.conf.py, LOAD_WORKERS
workers, production settings) on a free loopback port, logs in LOAD_USERS users as the demo
accounts, and lets them browse for LOAD_SECONDS: the district overview, school pages,
teacher cards and letter downloads (LOAD_KINDS limits them: «сводная,школа,карточка,письмо
PDF»), each user pausing LOAD_THINK_MS (±50 %) between pages.
Then it stops gunicorn and prints throughput, p50/p95/p99 latency per page kind and errors.

    LOAD_PAGES=1 .venv/bin/python bench/load.py

times instead, one request after another, the server time and queries of the main pages of
each role (school administrator, methodologist, head, regional methodologist) on the
synthetic district of `bench/run.py` (BENCH_SCHOOLS=300, BENCH_STAFF=20000 by default), in
the database of the settings (SQLite unless DATABASE_URL is set). The SQLite file is kept at
LOAD_DATABASE (default /tmp/profdev-load-pages.sqlite3) and reused by the next run: build it
once, measure before and after a change. Each page is timed on the clock and in CPU (the
process's own time: SQLite runs in it, and other processes sharing the cores do not count);
pages over LOAD_BUDGET_MS (300) on the clock are marked.
"""

import http.client
import io
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profdev.settings")
os.environ.setdefault("PROFDEV_TESTING", "1")  # this process only prepares the data

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from monitoring.models import MonitoringYear  # noqa: E402
from profdev.demo.loading import DEMO_DISTRICT, DEMO_PASSWORD  # noqa: E402
from profdev.models import Person, School  # noqa: E402
from profdev.settings import env_int  # noqa: E402

HOST = "127.0.0.1"
SIGNED_LETTERS = 10


@dataclass
class Site:
    """What the simulated users visit, found in the database before the run."""

    year: int
    schools: list[str]
    persons_by_school: dict[str, list[int]]
    letters: list[int] = field(default_factory=list)

    def pages(self, role: str, school: str | None) -> dict[str, list[str]]:
        """Page kind → the URLs a user of the role may open."""
        if role == "school_admin":
            return {
                "школа": [reverse("monitoring:school", args=[self.year, school])],
                "карточка": [
                    reverse("person_card", args=[p]) for p in self.persons_by_school[school]
                ],
            }
        persons = [p for ids in self.persons_by_school.values() for p in ids]
        pages = {
            "сводная": [reverse("monitoring:overview", args=[self.year])],
            "школа": [reverse("monitoring:school", args=[self.year, s]) for s in self.schools],
            "карточка": [reverse("person_card", args=[p]) for p in persons],
        }
        if self.letters:
            pages["письмо PDF"] = [reverse("recommendations:pdf", args=[pk]) for pk in self.letters]
        return pages


def prepare() -> Site:
    if connection.vendor != "postgresql":
        raise SystemExit("Нагрузочный тест — на PostgreSQL: задайте DATABASE_URL=postgres://…")
    quiet = {"stdout": io.StringIO(), "verbosity": 0}
    call_command("migrate", "--noinput", **quiet)
    call_command("load_demo", **quiet)
    year = MonitoringYear.objects.filter(district__code=DEMO_DISTRICT).latest("year")
    schools = list(
        School.objects.filter(district=year.district)
        .order_by("code")
        .values_list("code", flat=True)
    )
    persons_by_school = {
        code: list(
            Person.objects.filter(employments__school__code=code)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        )
        for code in schools
    }
    return Site(year.year, schools, persons_by_school, prepare_letters(year))


def prepare_letters(year: MonitoringYear) -> list[int]:
    """The year's letters, drafted once; a few signed, so downloads serve stored PDFs."""
    try:
        from recommendations.drafting import letters_draft
        from recommendations.models import Letter, SigningCertificate
        from recommendations.services import letter_send, letter_sign
    except ImportError as error:
        print(f"Скачивание писем не проверяется: модуль писем неполон ({error}).")
        return []
    from django.contrib.auth import get_user_model

    if not Letter.objects.filter(monitoring_year=year).exists():
        letters_draft(year=year)
    head = get_user_model().objects.get(username="nachalnik")
    if not SigningCertificate.objects.filter(user=head).exists():
        call_command("make_dev_certificate", "--user", head.username, stdout=io.StringIO())
    signed = Letter.objects.filter(monitoring_year=year, status=Letter.State.SIGNED)
    for letter in Letter.objects.filter(monitoring_year=year).exclude(status=Letter.State.SIGNED)[
        : max(0, SIGNED_LETTERS - signed.count())
    ]:
        letter_send(letter=letter, user=head)
        letter_sign(letter=letter, user=head)
    return list(signed.values_list("pk", flat=True))


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(port: int, workers: int) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "profdev.settings",
        "DJANGO_DEBUG": "0",
        "PROFDEV_TESTING": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # The key the letters were sealed with here: gunicorn serves them under it, whatever its
        # SECRET_KEY (a random one, as a new server's would be).
        "PROFDEV_SEAL_KEY": settings.SEAL_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "PROFDEV_PORTAL_URL": f"http://{HOST}:{port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; nginx does TLS in production
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        "GUNICORN_BIND": f"{HOST}:{port}",
        "GUNICORN_WORKERS": str(workers),
    }


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = production_env(port, workers)
    # The hashed file names of the manifest storage (production settings).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _, _ = Browser(port).get(reverse("login"))
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit("gunicorn не запустился:\n" + server.stderr.read().decode())
        time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn не ответил за 30 с")


class Browser:
    """One user's cookies over plain http.client (a new connection per request)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, dict]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content, dict(response.getheaders())

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self.request("GET", path)

    def login(self, username: str) -> None:
        _, page, _ = self.get(reverse("login"))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD}
        )
        status, _, headers = self.request("POST", reverse("login"), form)
        if status != 302 or headers.get("Location") == reverse("login"):
            raise SystemExit(f"Вход «{username}» не удался (ответ {status})")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def browse(browser: Browser, pages: dict, deadline: float, think: float, results) -> None:
    kinds = list(pages)
    rng = random.Random()
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        url = rng.choice(pages[kind])
        started = time.perf_counter()
        error = None
        try:
            status, _, _ = browser.get(url)
            if status != 200:
                error = f"{url}: {status}"
        except OSError as exc:
            error = f"{url}: {exc}"
        results.add(kind, time.perf_counter() - started, error)
        time.sleep(think * rng.uniform(0.5, 1.5))


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def report(results: Results, seconds: float, users: int, workers: int) -> None:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(len(v) for v in results.errors.values())
    print(
        f"Нагрузка: {users} пользователей, {seconds:.0f} с, gunicorn {workers} процессов, "
        f"PostgreSQL; {total} запросов, {total / seconds:.1f} запросов/с, ошибок {errors}".replace(
            ".", ","
        )
    )
    columns = ("запросов", "p50, мс", "p95, мс", "p99, мс")
    print(f"{'Страница':<12} " + " ".join(f"{c:>8}" for c in columns) + f" {'ошибок':>7}")
    for kind, values in sorted(results.latencies.items()):
        print(
            f"{kind:<12} {len(values):>8} {ms(percentile(values, 50)):>8} "
            f"{ms(percentile(values, 95)):>8} {ms(percentile(values, 99)):>8} "
            f"{len(results.errors[kind]):>7}"
        )
    for kind, messages in results.errors.items():
        for message in messages[:5]:
            print(f"  ошибка ({kind}): {message}")


def accounts(site: Site, users: int) -> list[tuple[str, str, str | None]]:
    """A third district staff (metodist, nachalnik), the rest the schools' administrators."""
    staff = [("metodist", "district", None), ("nachalnik", "district", None)]
    schools = [(f"ou-{code}", "school_admin", code) for code in site.schools]
    return [staff[i % 2] if i % 3 == 0 else schools[i % len(schools)] for i in range(users)]


def main() -> None:
    users = env_int("LOAD_USERS", 50)
    seconds = env_int("LOAD_SECONDS", 60)
    workers = env_int("LOAD_WORKERS", 4)
    think = env_int("LOAD_THINK_MS", 1000) / 1000
    kinds = os.environ.get("LOAD_KINDS", "сводная,школа,карточка,письмо PDF").split(",")
    site = prepare()
    port = free_port()
    server = start_gunicorn(port, workers)
    results = Results()
    try:
        sessions = []
        for username, role, school in accounts(site, users):
            browser = Browser(port)
            browser.login(username)
            pages = site.pages(role, school)
            sessions.append((browser, {k: v for k, v in pages.items() if k in kinds} or pages))
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=browse, args=(browser, pages, started + seconds, think, results), daemon=True
            )
            for browser, pages in sessions
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            server.kill()
    report(results, elapsed, users, workers)


# --- LOAD_PAGES: each main page of each role timed at scale ------------------------------------


def _bench_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its generator runs in a child process (pickled)
    spec.loader.exec_module(module)
    return module


def build_scale(run) -> None:
    """The synthetic district of bench/run.py, imported and computed, once per database."""
    import tempfile

    from profdev.models import District

    call_command("migrate", "--noinput", stdout=io.StringIO(), verbosity=0)
    if District.objects.exists():
        return
    scale = run.SCALES["district"]
    bench = run.Bench(
        schools=env_int("BENCH_SCHOOLS", scale["schools"]),
        staff=env_int("BENCH_STAFF", scale["staff"]),
        years=env_int("BENCH_YEARS", scale["years"]),
        districts=run.district_codes(1),
        workdir=Path(tempfile.mkdtemp(prefix="profdev-load-")),
    )
    for stage in (run.generate, run.read, run.load, run.reference, run.compute):
        for measure in stage(bench):
            print(f"{measure.stage}: {measure.seconds:.1f} с; {measure.detail}")


def role_pages(year: int) -> list[tuple[str, object, list[tuple[str, str]]]]:
    """(role, user, [(page, url)]) for each role, the largest school's pages for its
    administrator."""
    from django.db.models import Count

    from profdev.models import Employment, RoleGrant
    from profdev.roles import grant_role

    Role = RoleGrant.Role
    district = School.objects.first().district
    school = School.objects.annotate(n=Count("employments")).order_by("-n").first()
    person = (
        Person.objects.filter(employments__school=school, employments__dismissed_on=None)
        .annotate(n=Count("courses"))
        .order_by("-n")
        .first()
    )
    many = list(
        Employment.objects.filter(school=school, dismissed_on=None).values_list(
            "person_id", flat=True
        )[:15]
    )
    users = {
        role: grant_role(username=f"pages-{role}", role=role, **extra).user
        for role, extra in (
            (Role.SCHOOL_ADMIN, {"school_code": school.code}),
            (Role.METHODOLOGIST, {"district_code": district.code}),
            (Role.HEAD, {"district_code": district.code}),
            (Role.REGIONAL_METHODOLOGIST, {}),
        )
    }
    code = school.code
    school_pages = [
        ("рабочий стол ОО", reverse("school_workspace", args=[code])),
        ("сотрудники", reverse("staff_list", args=[code])),
        ("сотрудники: поиск", reverse("staff_list", args=[code]) + "?q=%D0%B8%D0%B2"),
        ("поиск по ФИО (JSON)", reverse("people_search", args=[code]) + "?q=%D0%B8%D0%B2"),
        ("карточка", reverse("person_card", args=[person.pk])),
        ("форма курса", reverse("record_add", args=[person.pk, "courses"])),
        ("форма наставничества", reverse("record_add", args=[person.pk, "mentorship"])),
        (
            "курс для 15 человек",
            reverse("course_add_many", args=[code]) + "?" + "&".join(f"person={p}" for p in many),
        ),
        ("ИОМ", reverse("route_list", args=[code])),
        ("книга Excel", reverse("school_upload", args=[code])),
        ("мониторинг ОО", reverse("monitoring:school", args=[year, code])),
        ("проблемные поля", reverse("monitoring:problems", args=[year])),
        ("письма", reverse("recommendations:list")),
        ("дефициты", reverse("deficits:map", args=[year])),
    ]
    district_pages = [
        ("сводная", reverse("monitoring:overview", args=[year])),
        ("мониторинг ОО", reverse("monitoring:school", args=[year, code])),
        ("проблемные поля", reverse("monitoring:problems", args=[year])),
        ("организации ДПО", reverse("monitoring:providers", args=[year])),
        ("целевые значения", reverse("monitoring:targets", args=[year])),
        ("сотрудники ОО", reverse("staff_list", args=[code])),
        ("карточка", reverse("person_card", args=[person.pk])),
        ("письма", reverse("recommendations:list")),
        ("эффективность", reverse("effectiveness:report", args=[year])),
        ("мероприятия", reverse("effectiveness:measures")),
        ("карта дефицитов", reverse("deficits:map", args=[year])),
        ("целевые группы", reverse("deficits:groups", args=[year])),
        ("план-заказ", reverse("deficits:order", args=[year])),
        ("предложенные организации", reverse("proposed_providers")),
    ]
    return [
        ("администратор ОО", users[Role.SCHOOL_ADMIN], school_pages),
        ("методист", users[Role.METHODOLOGIST], district_pages),
        ("начальник", users[Role.HEAD], district_pages[:-1]),
        (
            "рег. методист",
            users[Role.REGIONAL_METHODOLOGIST],
            [
                ("сводная региона", reverse("monitoring:region", args=[year])),
            ],
        ),
    ]


def time_pages() -> None:
    from django.db import connection as db
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The test client without the test environment: templates are not instrumented (that
    # copies every context and would time the instrumentation).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if db.vendor == "sqlite":
        db.close()
        db.settings_dict["NAME"] = os.environ.get(
            "LOAD_DATABASE", "/tmp/profdev-load-pages.sqlite3"
        )
    run = _bench_module()
    build_scale(run)
    budget = env_int("LOAD_BUDGET_MS", 300) / 1000
    year = run.MONITORING_YEAR
    print(
        f"{School.objects.count()} ОО, {Person.objects.count()} работников; БД {db.vendor}; "
        "время сервера второго запроса (первый прогревает кэши)"
    )
    print(f"{'Роль':<18} {'Страница':<26} {'мс':>6} {'ЦП, мс':>7} {'запросов':>9}")
    for role, user, pages in role_pages(year):
        client = Client()
        client.force_login(user)
        for title, url in pages:
            client.get(url)
            with CaptureQueriesContext(db) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            mark = " ← медленно" if seconds > budget else ""
            status = "" if response.status_code == 200 else f" (ответ {response.status_code})"
            print(
                f"{role:<18} {title:<26} {ms(seconds):>6} {ms(cpu):>7} {len(queries):>9}"
                f"{status}{mark}"
            )


if __name__ == "__main__":
    time_pages() if os.environ.get("LOAD_PAGES") else main()
