"""Job functions for the jobs tests (importable by a worker subprocess)."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError

from profdev.jobs import JobError, JobRun, job
from profdev.models import District


@job("Пересчёт муниципалитетов")
def rename_districts(run: JobRun, *, steps: int, delay: float = 0.0, suffix: str = "") -> dict:
    """Appends a suffix to every district name once (idempotent), `steps` progress reports."""
    for step in range(steps):
        run.progress(step, steps, f"Шаг {step + 1}")
        time.sleep(delay)
    for district in District.objects.exclude(name__endswith=suffix):
        district.name += suffix
        district.save(update_fields=["name"])
    run.progress(steps, steps, "Готово")
    return {"message": f"Выполнено шагов: {steps}.", "url": "/"}


@job("Задача с ошибкой в данных")
def refuse(run: JobRun, *, kind: str) -> dict:
    if kind == "job":
        raise JobError("В файле 2 ошибки: ничего не записано.", details=["строка 3", "строка 5"])
    raise ValidationError("Муниципалитет с кодом «99» не найден.")


@job("Задача с внутренней ошибкой")
def crash(run: JobRun) -> dict:
    raise ZeroDivisionError("division by zero")


@job("Адрес портала")
def portal_address(run: JobRun) -> dict:
    """The address letters' QR codes point to, as the worker running it sees it."""
    return {"message": settings.PORTAL_URL}
