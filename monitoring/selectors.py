"""Reads of the stored official values, shaped for dashboards (a fixed number of queries)."""

from django.db.models import QuerySet

from monitoring.engine import missing_people
from monitoring.indicators import BY_CODE
from monitoring.models import MonitoringYear
from profdev.facts import Period
from profdev.models import District, Person, School

# Where a school can act on a person (portal.md), the names behind these numbers may be
# shown; never for sensitive results (DEFICIT, BURNOUT_HIGH) nor staffing facts (YOUNG…).
NAMED_INDICATORS = (
    "DIAG",
    "DIAG_MGR",
    "IOM",
    "PD_3Y",
    "PD_REGION",
    "RETRAIN_NONPED",
    "DPO_NOPROF",
    "PD_T_ASSESS",
    "PD_T_TALENT",
    "PD_T_CAREER",
    "PD_T_UPBRING",
    "PD_T_PRESCHOOL",
    "PD_T_FEDERAL",
    "PD_LOWRES",
    "ATTEST",
    "MENTOR_YOUNG",
    "BURNOUT_DIAG",
)


def years_on_record(district: District) -> QuerySet[MonitoringYear]:
    """The district's computed years, latest first."""
    return MonitoringYear.objects.filter(district=district, computed_at__isnull=False).order_by(
        "-year"
    )


def missing_by_indicator(
    monitoring_year: MonitoringYear, school: School, codes: list[str]
) -> dict[str, list[Person]]:
    """For each listed code that may name people, who at the school is missing from its
    numerator at the year's stored reference date, by name; one query per indicator."""
    period = Period.of(monitoring_year.year, monitoring_year.reference_date)
    return {
        code: list(
            missing_people(BY_CODE[code], school, period).order_by(
                "last_name", "first_name", "middle_name"
            )
        )
        for code in codes
        if code in NAMED_INDICATORS
    }
