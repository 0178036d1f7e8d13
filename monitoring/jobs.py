"""Background jobs of the monitoring app: official computations of a district and of the region."""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from monitoring.models import MonitoringYear
from monitoring.services import compute_districts, compute_year
from profdev.facts import academic_year_label
from profdev.jobs import JobRun, job
from profdev.models import District


@job("Расчёт показателей муниципалитета")
def compute_district(run: JobRun, *, district_id: int, year: int, reference_date: str) -> dict:
    """The district's official values of the year at the reference date (replaces stored ones)."""
    district = District.objects.get(pk=district_id)
    reference = dt.date.fromisoformat(reference_date)
    run.progress(0, 1, str(district))
    compute_year(district, year, as_of=reference, store=True)
    run.progress(1, 1, str(district))
    return {
        "message": (
            f"Показатели за {academic_year_label(year)} на дату среза {reference:%d.%m.%Y} "
            "рассчитаны и сохранены как официальные."
        ),
        "url": reverse("monitoring:overview", args=[year])
        + f"?{urlencode({'district': district.code})}",
    }


@job("Расчёт показателей региона")
def compute_all_districts(run: JobRun, *, year: int) -> dict:
    """Every district's official values of the year, each at its own reference date (the
    stored one; the default for a district computing the year for the first time)."""
    districts = list(District.objects.order_by("name"))
    reference_dates = dict(
        MonitoringYear.objects.filter(year=year).values_list("district_id", "reference_date")
    )
    run.progress(0, len(districts), "Расчёт")
    compute_districts(districts, year, reference_dates, store=True)
    run.progress(len(districts), len(districts), "Готово")
    return {
        "message": (
            f"Показатели {len(districts)} муниципалитетов за {academic_year_label(year)} "
            "рассчитаны и сохранены как официальные."
        ),
        "url": reverse("monitoring:region", args=[year]),
    }
