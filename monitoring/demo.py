"""The demo district's monitoring (a step of `load_demo`): two years, each computed once."""

import datetime as dt

from monitoring.models import MonitoringYear
from monitoring.services import compute_year
from profdev.demo.generator import district_info
from profdev.demo.loading import DEMO_DISTRICT, demo_district

DEMO_MONITORING_YEARS = (2023, 2024)


def load_monitoring() -> str:
    """The monitoring years with their basis (the order), each computed once."""
    district = demo_district()
    order = district_info(DEMO_DISTRICT)["monitoring_order"]
    body = district.organisation.name
    done = []
    for year in DEMO_MONITORING_YEARS:
        monitoring_year, _ = MonitoringYear.objects.get_or_create(
            district=district,
            year=year,
            defaults={
                "reference_date": dt.date(year + 1, 8, 31),
                "basis_number": order["numbers"][str(year)],
                "basis_date": dt.date.fromisoformat(order["dates"][str(year)]),
                "basis_body": body,
            },
        )
        if monitoring_year.computed_at is None:
            compute_year(district, year)
            done.append(f"{monitoring_year.label} рассчитан")
        else:
            done.append(f"{monitoring_year.label} уже рассчитан")
    return f"приказ «{order['title']}»; " + "; ".join(done)
