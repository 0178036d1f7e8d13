"""Factories for monitoring's stored values: dashboards are tested on values stored directly."""

import datetime as dt
from decimal import Decimal

import factory

from monitoring import models
from tests.factories import DistrictFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A catalogue row; an existing row with the same code (the shipped catalogue) is reused."""

    class Meta:
        model = models.Indicator
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TEST_{n}")
    name = factory.LazyAttribute(lambda o: f"Доля педагогов {o.code}")
    short_name = factory.LazyAttribute(lambda o: o.code)
    group = "Повышение квалификации"
    direction = models.Indicator.Direction.UP
    kind = models.Indicator.Kind.SHARE
    default_target = Decimal("80.0")
    order = factory.Sequence(lambda n: 100 + n)


class MonitoringYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MonitoringYear
        django_get_or_create = ["district", "year"]

    district = factory.SubFactory(DistrictFactory)
    year = 2024
    reference_date = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 8, 31))
    basis_number = "01-02/115"
    basis_date = factory.LazyAttribute(lambda o: dt.date(o.year + 1, 5, 12))
    basis_body = "Управление образования"
    computed_at = factory.LazyFunction(lambda: dt.datetime(2025, 9, 1, 10, 0, tzinfo=dt.UTC))


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A stored value; give numerator and denominator, the value follows (half-up tenths)."""

    class Meta:
        model = models.IndicatorValue

    monitoring_year = factory.SubFactory(MonitoringYearFactory)
    school = None
    indicator = factory.SubFactory(IndicatorFactory)
    numerator = 1
    denominator = 2
    value = factory.LazyAttribute(
        lambda o: (
            None
            if not o.denominator
            else Decimal((2000 * o.numerator + o.denominator) // (2 * o.denominator)) / 10
        )
    )
    status = models.Status.RED
    target = Decimal("80.0")


def stored_value(monitoring_year, school, indicator, numerator, denominator, status, **extra):
    """One stored value in a line: `stored_value(my, school, ind, 1, 8, Status.RED)`."""
    return IndicatorValueFactory(
        monitoring_year=monitoring_year,
        school=school,
        indicator=indicator,
        numerator=numerator,
        denominator=denominator,
        status=status,
        **extra,
    )
