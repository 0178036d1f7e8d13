"""Benchmark: a synthetic region through the portal's pipeline, each stage timed (`make bench`).

    BENCH_SCHOOLS=300 BENCH_STAFF=20000 BENCH_YEARS=5 .venv/bin/python bench/run.py

The database is a temporary one: an SQLite file in a temporary directory by default; with
DATABASE_URL set, a dedicated database `profdev_bench` on that server, dropped at the end.
A stage is a function `(Bench) -> list[Measure]`; a later stage (letters drafted per second,
PDF rendered and signed) is one more function in STAGES.
"""

import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "profdev.settings")
# Test-mode settings: no secret key needed, no HTTPS redirect for the test client.
os.environ.setdefault("PROFDEV_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from monitoring.services import compute_year  # noqa: E402
from profdev.demo.generator import district_info, write_region  # noqa: E402
from profdev.models import District, RoleGrant  # noqa: E402
from profdev.roles import grant_role  # noqa: E402
from profdev.settings import env_int  # noqa: E402
from profdev.workbook.importer import import_workbook  # noqa: E402

DISTRICT = "ZR"
LAST_YEAR = 2025
MONITORING_YEAR = LAST_YEAR - 1  # the last year whose reference date has passed in the data
BENCH_DATABASE = "profdev_bench"


@dataclass
class Bench:
    schools: int
    staff: int
    years: int
    workdir: Path
    notes: dict = field(default_factory=dict)

    @property
    def workbook(self) -> Path:
        return self.workdir / "region.xlsx"


@dataclass
class Measure:
    stage: str
    seconds: float
    detail: str


def decimal(value: float, places: int) -> str:
    """A number as the portal shows it: decimal comma."""
    return f"{value:.{places}f}".replace(".", ",")


def timed(run: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(bench: Bench) -> list[Measure]:
    counts, seconds = timed(
        lambda: write_region(
            bench.workbook,
            schools=bench.schools,
            staff=bench.staff,
            years=bench.years,
            last_year=LAST_YEAR,
            districts=(DISTRICT,),
        )
    )
    rows = sum(counts.values())
    bench.notes["rows"] = rows
    size = bench.workbook.stat().st_size / 2**20
    detail = f"{rows} строк ({rows / seconds:.0f}/с), {decimal(size, 1)} МБ"
    return [Measure("Генерация книги", seconds, f"{detail}; пик памяти {peak_rss_mb():.0f} МБ")]


def load(bench: Bench) -> list[Measure]:
    District.objects.create(code=DISTRICT, name=district_info(DISTRICT)["name"])
    analysis, seconds = timed(lambda: import_workbook(str(bench.workbook)))
    if analysis.errors:
        shown = "\n".join(str(e) for e in analysis.errors[:20])
        raise SystemExit(f"Книга не загружена ({len(analysis.errors)} ошибок):\n{shown}")
    rows = bench.notes["rows"]
    return [
        Measure(
            "Загрузка книги",
            seconds,
            f"{rows} строк ({rows / seconds:.0f}/с); пик памяти {peak_rss_mb():.0f} МБ",
        )
    ]


def compute(bench: Bench) -> list[Measure]:
    district = District.objects.get(code=DISTRICT)
    with CaptureQueriesContext(connection) as queries:
        _, seconds = timed(lambda: compute_year(district, MONITORING_YEAR))
    return [
        Measure(
            f"Расчёт показателей {MONITORING_YEAR}/{MONITORING_YEAR + 1}",
            seconds,
            f"{bench.schools} ОО, {len(queries)} запросов к БД",
        )
    ]


def overview(bench: Bench) -> list[Measure]:
    grant = grant_role(username="bench-metodist", role=RoleGrant.Role.METHODOLOGIST)
    client = Client()
    client.force_login(grant.user)
    url = reverse("monitoring:overview", args=[MONITORING_YEAR])
    measures = []
    for attempt in ("первый запрос", "повторный запрос"):
        with CaptureQueriesContext(connection) as queries:
            response, seconds = timed(lambda: client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{url}: ответ {response.status_code}")
        measures.append(
            Measure(
                f"Сводная страница муниципалитета, {attempt}",
                seconds,
                f"{len(response.content) / 1024:.0f} КБ, {len(queries)} запросов к БД",
            )
        )
    return measures


STAGES: list[Callable[[Bench], list[Measure]]] = [generate, load, compute, overview]


def print_table(title: str, measures: list[Measure]) -> None:
    width = max(len(m.stage) for m in measures)
    print(title)
    print(f"{'Этап'.ljust(width)}  {'Время, с':>9}  Подробности")
    print("-" * (width + 50))
    for m in measures:
        print(f"{m.stage.ljust(width)}  {decimal(m.seconds, 2):>9}  {m.detail}")


def main() -> None:
    setup_test_environment()
    bench = Bench(
        schools=env_int("BENCH_SCHOOLS", 300),
        staff=env_int("BENCH_STAFF", 20_000),
        years=env_int("BENCH_YEARS", 5),
        workdir=Path(tempfile.mkdtemp(prefix="profdev-bench-")),
    )
    creation = connection.creation
    sqlite = connection.vendor == "sqlite"
    connection.settings_dict["TEST"]["NAME"] = (
        str(bench.workdir / "bench.sqlite3") if sqlite else BENCH_DATABASE
    )
    original_name = connection.settings_dict["NAME"]
    measures = []
    try:
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            for stage in STAGES:
                measures.extend(stage(bench))
        finally:
            creation.destroy_test_db(original_name, verbosity=0)
    finally:
        shutil.rmtree(bench.workdir)
    print_table(
        f"Синтетический регион: {bench.schools} ОО, {bench.staff} работников, "
        f"{bench.years} учебных лет; БД {connection.vendor}",
        measures,
    )


if __name__ == "__main__":
    main()
