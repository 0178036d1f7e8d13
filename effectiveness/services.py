"""Writes of measures: recorded, edited and deleted by district staff, validated in full."""

from django.core.exceptions import ValidationError
from django.db import transaction

from effectiveness.models import Measure
from monitoring.models import Indicator
from profdev.models import District, School

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
