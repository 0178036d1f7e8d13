"""Benchmark: a synthetic region through the portal's pipeline, each stage timed (`make bench`).

    BENCH_SCHOOLS=300 BENCH_STAFF=20000 BENCH_YEARS=5 .venv/bin/python bench/run.py
    BENCH_SCALE=region DATABASE_URL=postgres://… .venv/bin/python bench/run.py

`BENCH_SCALE=region` is the region preset: 1 000 schools, 60 000 staff, five years, ten
districts (BENCH_SCHOOLS, BENCH_STAFF, BENCH_YEARS and BENCH_DISTRICTS still override it).
The workbook is generated in a child process, so the peak memory reported after the import
is the import's own.

Two yardsticks are timed in the same run, so that the portal's stages read as multiples of
them whatever the machine's load (issue 19): a bare python-calamine read of the generated
file for the import, and the catalogue computed in plain Python over the records in memory
(`tests/reference_indicators.py`) for the computation.

The database is a temporary one: an SQLite file in a temporary directory by default; with
DATABASE_URL set, a dedicated database `profdev_bench` on that server, dropped at the end.
A stage is a function `(Bench) -> list[Measure]`; a later stage (letters drafted per second,
PDF rendered and signed) is one more function in STAGES.
"""

import io
import multiprocessing
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from deficits.report import deficit_report  # noqa: E402
from monitoring.models import MonitoringYear  # noqa: E402
from monitoring.services import compute_districts  # noqa: E402
from profdev.collector import uncollected  # noqa: E402
from profdev.demo.generator import district_codes, district_info, write_region  # noqa: E402
from profdev.facts import Period, academic_year_label  # noqa: E402
from profdev.models import District, Organisation, RoleGrant, School  # noqa: E402
from profdev.roles import grant_role  # noqa: E402
from profdev.settings import env_int  # noqa: E402
from profdev.workbook.importer import import_workbook  # noqa: E402
from tests import reference_indicators  # noqa: E402

LAST_YEAR = 2025
MONITORING_YEAR = LAST_YEAR - 1  # the last year whose reference date has passed in the data
BENCH_DATABASE = "profdev_bench"
SCALES = {
    "district": {"schools": 300, "staff": 20_000, "years": 5, "districts": 1},
    "region": {"schools": 1_000, "staff": 60_000, "years": 5, "districts": 10},
}
SIGNED_LETTERS = 5  # rendering and signing is timed per letter on a sample


@dataclass
class Bench:
    schools: int
    staff: int
    years: int
    districts: list[str]
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


def ratio(seconds: float, yardstick: float) -> str:
    return f"{decimal(seconds / yardstick, 2)}×"


def timed(run: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory so far (ru_maxrss is in kilobytes on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _write_region(bench: Bench) -> int:
    counts = write_region(
        bench.workbook,
        schools=bench.schools,
        staff=bench.staff,
        years=bench.years,
        last_year=LAST_YEAR,
        districts=bench.districts,
    )
    return sum(counts.values())


def generate(bench: Bench) -> list[Measure]:
    connection.close()  # the child must not share the database connection
    with multiprocessing.get_context("fork").Pool(1) as child:
        rows, seconds = timed(lambda: child.apply(_write_region, (bench,)))
    bench.notes["rows"] = rows
    size = bench.workbook.stat().st_size / 2**20
    detail = f"{rows} строк ({rows / seconds:.0f}/с), {decimal(size, 1)} МБ"
    peak = peak_rss_mb(resource.RUSAGE_CHILDREN)
    return [Measure("Генерация книги", seconds, f"{detail}; пик памяти {peak:.0f} МБ")]


def _calamine_read(path: Path) -> float:
    """A bare read of every sheet's cells (python-calamine), timed in the child itself."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - started


def read(bench: Bench) -> list[Measure]:
    """The yardstick of the import: reading the file and nothing else, in a child process
    (its memory is not the import's)."""
    connection.close()
    with multiprocessing.get_context("fork").Pool(1) as child:
        seconds = child.apply(_calamine_read, (bench.workbook,))
    bench.notes["read"] = seconds
    return [Measure("Чтение книги (python-calamine, эталон)", seconds, "все листы, без проверок")]


def load(bench: Bench) -> list[Measure]:
    for code in bench.districts:
        info = district_info(code)
        district = District.objects.create(code=code, name=info["name"])
        if "organisation" in info:
            Organisation.objects.create(district=district, **info["organisation"])
    analysis, seconds = timed(lambda: import_workbook(str(bench.workbook)))
    if analysis.errors:
        shown = "\n".join(str(e) for e in analysis.errors[:20])
        raise SystemExit(f"Книга не загружена ({len(analysis.errors)} ошибок):\n{shown}")
    rows = bench.notes["rows"]
    return [
        Measure(
            "Загрузка книги",
            seconds,
            f"{ratio(seconds, bench.notes['read'])} чтения; {rows} строк ({rows / seconds:.0f}/с); "
            f"пик памяти {peak_rss_mb():.0f} МБ",
        )
    ]


def reference(bench: Bench) -> list[Measure]:
    """The yardstick of the computation: the catalogue's numerators and denominators in plain
    Python (`tests/reference_indicators.py`) over every district's records held in memory;
    reading them from the database is not timed. Timed without the cyclic garbage collector,
    as the computation runs (`profdev.collector`): the yardstick is not slowed by collections
    the portal does not pay for."""
    period = Period.of(MONITORING_YEAR, None)
    seconds = 0.0
    for district in District.objects.order_by("code"):
        data = reference_indicators.load(School.objects.filter(district=district))
        with uncollected():
            _, spent = timed(
                lambda data=data: reference_indicators.tallies(
                    data, period.year, period.reference_date
                )
            )
        seconds += spent
    bench.notes["reference"] = seconds
    return [Measure("Расчёт на чистом Python (эталон)", seconds, "в памяти, без записи")]


def compute(bench: Bench) -> list[Measure]:
    """The official computation of every district (what the region's job runs)."""
    districts = list(District.objects.order_by("code"))
    with CaptureQueriesContext(connection) as queries:
        _, seconds = timed(lambda: compute_districts(districts, MONITORING_YEAR))
    return [
        Measure(
            f"Расчёт показателей {academic_year_label(MONITORING_YEAR)}",
            seconds,
            f"{ratio(seconds, bench.notes['reference'])} эталона; {bench.schools} ОО в "
            f"{len(districts)} муниципалитетах, {len(queries)} запросов к БД "
            f"({len(queries) // len(districts)} на муниципалитет), с записью",
        )
    ]


def _page(title: str, user, url: str) -> list[Measure]:
    """A page requested twice; beside the wall time, the process's CPU time, which other
    processes' load does not inflate (on SQLite it includes the database's work, on
    PostgreSQL only the portal's)."""
    client = Client()
    client.force_login(user)
    measures = []
    for attempt in ("первый запрос", "повторный запрос"):
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            response, seconds = timed(lambda: client.get(url))
            cpu = time.process_time() - cpu
        if response.status_code != 200:
            raise SystemExit(f"{url}: ответ {response.status_code}")
        measures.append(
            Measure(
                f"{title}, {attempt}",
                seconds,
                f"ЦП {cpu * 1000:.0f} мс; {len(response.content) / 1024:.0f} КБ, "
                f"{len(queries)} запросов к БД",
            )
        )
    return measures


def overview(bench: Bench) -> list[Measure]:
    methodologist = grant_role(
        username="bench-metodist",
        role=RoleGrant.Role.METHODOLOGIST,
        district_code=bench.districts[0],
    )
    regional = grant_role(username="bench-region", role=RoleGrant.Role.REGIONAL_METHODOLOGIST)
    return _page(
        "Сводная страница муниципалитета",
        methodologist.user,
        reverse("monitoring:overview", args=[MONITORING_YEAR]),
    ) + _page(
        "Сводная страница региона",
        regional.user,
        reverse("monitoring:region", args=[MONITORING_YEAR]),
    )


def letters(bench: Bench) -> list[Measure]:
    """Drafting the first district's letters, then rendering and signing a sample of them."""
    try:
        from recommendations.drafting import letters_draft
        from recommendations.services import letter_send, letter_sign
    except ImportError as error:
        print(f"Письма не измерены: в модуле писем нет нужных функций ({error}).")
        return []
    year = MonitoringYear.objects.get(district__code=bench.districts[0], year=MONITORING_YEAR)
    report, seconds = timed(lambda: letters_draft(year=year))
    drafted = len(report.letters)
    head = grant_role(
        username="bench-head", role=RoleGrant.Role.HEAD, district_code=year.district.code
    )
    call_command("make_dev_certificate", "--user", head.user.username, stdout=io.StringIO())
    sample = report.letters[:SIGNED_LETTERS]
    for letter in sample:
        letter_send(letter=letter, user=head.user)
    _, signing = timed(lambda: [letter_sign(letter=letter, user=head.user) for letter in sample])
    return [
        Measure(
            "Черновики писем муниципалитета",
            seconds,
            f"{drafted} писем ({decimal(drafted / seconds, 1)}/с)",
        ),
        Measure(
            "PDF и подпись одного письма",
            signing / len(sample),
            f"среднее по {len(sample)} письмам",
        ),
    ]


def deficits(bench: Bench) -> list[Measure]:
    """The deficit report of the first district (`deficit_report`: the profile, the target
    groups, the closure by provider), then the map, the target groups and the effectiveness
    report (its closure by provider and the quality of education by component are read live)."""
    district = District.objects.get(code=bench.districts[0])
    with CaptureQueriesContext(connection) as queries:
        report, seconds = timed(lambda: deficit_report(district, Period.of(MONITORING_YEAR, None)))
    grouped = sum(len(people) for people in report["groups"].values())
    methodologist = RoleGrant.objects.get(user__username="bench-metodist").user
    return [
        Measure(
            "Отчёт о дефицитах муниципалитета",
            seconds,
            f"{len(report['schools'])} ОО, {grouped} человек в целевых группах, "
            f"{len(queries)} запросов к БД",
        ),
        *_page("Карта дефицитов", methodologist, reverse("deficits:map", args=[MONITORING_YEAR])),
        *_page("Целевые группы", methodologist, reverse("deficits:groups", args=[MONITORING_YEAR])),
        *_page(
            "Отчёт об эффективности мер",
            methodologist,
            reverse("effectiveness:report", args=[MONITORING_YEAR]),
        ),
    ]


STAGES: list[Callable[[Bench], list[Measure]]] = [
    generate,
    read,
    load,
    reference,
    compute,
    overview,
    deficits,
    letters,
]


def print_table(title: str, measures: list[Measure]) -> None:
    width = max(len(m.stage) for m in measures)
    print(title)
    print(f"{'Этап'.ljust(width)}  {'Время, с':>9}  Подробности")
    print("-" * (width + 50))
    for m in measures:
        print(f"{m.stage.ljust(width)}  {decimal(m.seconds, 2):>9}  {m.detail}")


def main() -> None:
    setup_test_environment()
    scale_name = os.environ.get("BENCH_SCALE", "district")
    if scale_name not in SCALES:
        raise SystemExit(f"BENCH_SCALE: одно из {', '.join(SCALES)}; задано {scale_name!r}")
    scale = SCALES[scale_name]
    bench = Bench(
        schools=env_int("BENCH_SCHOOLS", scale["schools"]),
        staff=env_int("BENCH_STAFF", scale["staff"]),
        years=env_int("BENCH_YEARS", scale["years"]),
        districts=district_codes(env_int("BENCH_DISTRICTS", scale["districts"])),
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
        if measures:  # what was measured is printed even when a later stage fails
            print_table(
                f"Синтетический регион: {bench.schools} ОО в {len(bench.districts)} "
                f"муниципалитетах, {bench.staff} работников, {bench.years} учебных лет; "
                f"БД {connection.vendor}",
                measures,
            )


if __name__ == "__main__":
    main()
