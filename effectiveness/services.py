"""Writes of measures (recorded, edited and deleted by district staff, validated in full)
and of the analytical report (edited, then issued)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from effectiveness.analytical.document import analysis_of, office_of, render_analytical
from effectiveness.models import AnalyticalReport, AnalyticalReportEdit, Measure, MeasureParticipant
from monitoring.models import Indicator
from profdev.facts import academic_year_label
from profdev.models import District, Person, School
from profdev.scoping import scope_for
from recommendations.pdf import executor_name

SCALAR_FIELDS = ("title", "date", "kind", "responsible", "participants", "note", "letter", "rule")


def _check_scope(district: District, schools, letter) -> None:
    """Schools and the answered letter must belong to the measure's district."""
    foreign = [s.short_name for s in schools if s.district_id != district.pk]
    if foreign:
        raise ValidationError(
            {"schools": f"ОО другого муниципалитета нельзя выбрать: {', '.join(foreign)}."}
        )
    if letter is not None and letter.monitoring_year.district_id != district.pk:
        raise ValidationError({"letter": "Письмо другого муниципалитета нельзя выбрать."})


def _save(measure: Measure, indicators, schools) -> Measure:
    _check_scope(measure.district, schools, measure.letter)
    measure.full_clean()
    measure.save()
    measure.indicators.set(indicators)
    measure.schools.set(schools)
    return measure


@transaction.atomic
def measure_create(
    *,
    district: District,
    indicators: list[Indicator],
    schools: list[School],
    user=None,
    **fields,
) -> Measure:
    """`fields`: the SCALAR_FIELDS of the measure (title, date, kind are required)."""
    measure = Measure(district=district, created_by=user, **fields)
    return _save(measure, indicators, schools)


@transaction.atomic
def measure_update(
    *, measure: Measure, indicators: list[Indicator], schools: list[School], **fields
) -> Measure:
    for name, value in fields.items():
        setattr(measure, name, value)
    return _save(measure, indicators, schools)


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    measure.delete()


@transaction.atomic
def measure_enrol(*, measure: Measure, persons: list[Person], user) -> int:
    """Name `persons` as participants of the measure; those already named stay as they were.
    Every person must be one the user sees and of the measure's district (employed there now or
    before). Returns how many were added."""
    ids = {p.pk for p in persons}
    district = measure.district
    allowed = set(
        scope_for(user)
        .persons()
        .filter(
            Q(employments__school__district=district)
            | Q(employments__isnull=True, last_district=district),
            pk__in=ids,
        )
        .values_list("pk", flat=True)
    )
    foreign = sorted((p for p in persons if p.pk not in allowed), key=lambda p: p.full_name)
    if foreign:
        names = ", ".join(p.full_name for p in foreign)
        raise ValidationError(
            f"Участниками мероприятия «{measure.title}» можно назвать только работников ОО "
            f"муниципалитета «{district}», доступных вам; не подходят: {names}."
        )
    named = set(measure.enrolments.filter(person__in=ids).values_list("person_id", flat=True))
    added = [
        MeasureParticipant(measure=measure, person_id=pk, added_by=user)
        for pk in sorted(ids - named)
    ]
    MeasureParticipant.objects.bulk_create(added)
    return len(added)


# --- The analytical report: edited until issued, frozen after ------------------------------


def _analytical_report(district: District, year: int) -> AnalyticalReport:
    """The year's report locked for the change, or a new one."""
    report = AnalyticalReport.objects.select_for_update().filter(district=district, year=year)
    return report.first() or AnalyticalReport(district=district, year=year)


def issued_refusal(report: AnalyticalReport) -> str:
    return (
        f"Аналитическая справка за {academic_year_label(report.year)} учебный год выпущена "
        f"{timezone.localtime(report.issued_at):%d.%m.%Y}: изменять её нельзя."
    )


def _write(report: AnalyticalReport, kind: str, user, conclusions: str, recommendations: str):
    if report.issued:
        raise ValidationError(issued_refusal(report))
    report.conclusions, report.recommendations = conclusions, recommendations
    report.full_clean()
    report.save()
    report.edits.create(
        kind=kind, user=user, conclusions=conclusions, recommendations=recommendations
    )


@transaction.atomic
def analytical_report_save(
    *, district: District, year: int, conclusions: str, recommendations: str, user
) -> AnalyticalReport:
    report = _analytical_report(district, year)
    _write(report, AnalyticalReportEdit.Kind.EDITED, user, conclusions, recommendations)
    return report


@transaction.atomic
def analytical_report_issue(
    *, district: District, year: int, conclusions: str, recommendations: str, user
) -> AnalyticalReport:
    """Issue the report with this text: the PDF is rendered once and stored, so every later
    download is the same document; the text can no longer change."""
    report = _analytical_report(district, year)
    _write(report, AnalyticalReportEdit.Kind.ISSUED, user, conclusions, recommendations)
    now = timezone.now()
    pdf = render_analytical(
        analysis_of(district, year),
        organisation=office_of(district),
        conclusions=conclusions,
        recommendations=recommendations,
        executor=executor_name(user),
        date=timezone.localdate(now),
        draft=False,
    )
    report.issued_at, report.issued_by, report.pdf = now, user, pdf
    report.save(update_fields=["issued_at", "issued_by", "pdf"])
    return report
