"""Reads of measures within a district, shaped for the list (a fixed number of queries), and
of the analytical report of a year."""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from effectiveness.models import AnalyticalReport, AnalyticalReportEdit, Measure, MeasureParticipant
from monitoring.models import Indicator
from profdev.facts import Period
from profdev.models import District, Person, School


def measures(
    district: District,
    *,
    year: int | None = None,
    kind: str = "",
    indicator: Indicator | None = None,
    school: School | None = None,
) -> QuerySet[Measure]:
    """The district's measures, latest first, each with its indicators and schools and the
    number of people named (`named`)."""
    queryset = Measure.objects.filter(district=district)
    if year is not None:
        queryset = queryset.filter(date__range=academic_years(year, year))
    if kind:
        queryset = queryset.filter(kind=kind)
    if indicator is not None:
        queryset = queryset.filter(indicators=indicator)
    if school is not None:
        queryset = queryset.filter(schools=school)
    return (
        queryset.select_related("letter__school", "letter__monitoring_year", "rule")
        .prefetch_related("indicators", "schools")
        .annotate(named=Coalesce(_named_count(), 0))
    )


def _named_count() -> Subquery:
    """People named on the measure, as a subquery: the list's filters join other tables."""
    return Subquery(
        MeasureParticipant.objects.filter(measure=OuterRef("pk"))
        .values("measure")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def measure_people(measure: Measure) -> QuerySet[Person]:
    """The people named on the measure, by name."""
    return measure.people.order_by("last_name", "first_name", "middle_name", "pk")


def academic_years(first: int, last: int) -> tuple[dt.date, dt.date]:
    """From 1 September of `first` to 31 August after `last`."""
    return Period.of(first).start, Period.of(last).end


def measure_or_404(district: District, pk: int) -> Measure:
    return get_object_or_404(Measure, district=district, pk=pk)


def analytical_report(district: District, year: int) -> AnalyticalReport | None:
    """The year's report with its history, newest first, and who made each version."""
    return (
        AnalyticalReport.objects.filter(district=district, year=year)
        .select_related("issued_by")
        .defer("pdf")
        .prefetch_related(Prefetch("edits", AnalyticalReportEdit.objects.select_related("user")))
        .first()
    )


def issued_pdf(district: District, year: int) -> bytes | None:
    """The document as issued, byte for byte; None before the report is issued."""
    pdf = (
        AnalyticalReport.objects.filter(district=district, year=year, issued_at__isnull=False)
        .values_list("pdf", flat=True)
        .first()
    )
    return None if pdf is None else bytes(pdf)
