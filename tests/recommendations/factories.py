"""Factories for monitoring's stored values and this app's records (letters, certificates)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from monitoring.models import Indicator, IndicatorValue, MonitoringYear
from profdev.models import Organisation
from tests.factories import DistrictFactory

# (code, name, kind, direction, target, district_only), as in indicators.md.
CATALOGUE = [
    (
        "DIAG",
        "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "share",
        "up",
        "80",
        False,
    ),
    (
        "DIAG_MGR",
        "Доля руководящих работников, прошедших диагностику профессиональных дефицитов",
        "share",
        "up",
        "80",
        False,
    ),
    (
        "DEFICIT",
        "Доля педагогов с выявленными профессиональными дефицитами",
        "share",
        "down",
        None,
        False,
    ),
    (
        "IOM",
        "Доля педагогов с выявленными дефицитами, работающих по ИОМ",
        "share",
        "up",
        "100",
        False,
    ),
    ("IOM_TUTOR", "Доля ИОМ, обеспеченных куратором или тьютором", "share", "up", "100", False),
    (
        "PD_3Y",
        "Доля педагогов, прошедших повышение квалификации за последние три года",
        "share",
        "up",
        "100",
        False,
    ),
    (
        "BURNOUT_HIGH",
        "Доля педагогов с высоким уровнем профессионального выгорания",
        "share",
        "down",
        "15",
        False,
    ),
    (
        "NETWORK",
        "Доля педагогов, участвующих в методических объединениях и сетевых сообществах",
        "share",
        "up",
        "70",
        False,
    ),
    ("VACANCY", "Количество вакантных должностей", "count", "down", "0", False),
    ("SCHOOLS_NO_IOM", "Количество ОО, в которых не разработаны ИОМ", "count", "down", "0", True),
    ("SCHOOLS_VACANCY", "Количество ОО с кадровым дефицитом", "count", "down", "0", True),
]


def catalogue() -> dict[str, Indicator]:
    indicators = {}
    for order, (code, name, kind, direction, target, district_only) in enumerate(CATALOGUE):
        indicators[code], _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": code,
                "group": "Профессиональное развитие",
                "direction": direction,
                "kind": kind,
                "district_only": district_only,
                "default_target": Decimal(target) if target is not None else None,
                "order": order,
            },
        )
    return indicators


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["district"]

    district = factory.SubFactory(DistrictFactory)
    parent_body = "Администрация Тестового муниципального района"
    name = "Отдел образования администрации Тестового муниципального района"
    address = "ул. Ленина, д. 1, г. Тестовск, 400000"
    phone = "(84454) 5-43-26"
    email = "edu@test.ru"
    okpo = "80200184"
    ogrn = "1073453000796"
    inn = "3407011107"
    kpp = "340701001"
    head_position = "Начальник отдела образования"
    head_name = "Олейникова Ольга Владимировна"
    name_genitive = "Тестового муниципального района"
    name_dative = "Тестовому муниципальному району"


class MonitoringYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringYear

    district = factory.SubFactory(DistrictFactory)
    year = 2024
    reference_date = dt.date(2025, 8, 31)
    basis_number = "164/1"
    basis_date = dt.date(2024, 9, 5)
    basis_body = "Отдел образования администрации Тестового муниципального района"
    computed_at = factory.LazyFunction(timezone.now)


def value(year, indicator, school, numerator, denominator, status, target=None):
    """A stored official value; the share is computed as the engine rounds it (half-up)."""
    if indicator.kind == "count":
        val = Decimal(numerator)
    elif denominator:
        val = Decimal((2000 * numerator + denominator) // (2 * denominator)) / 10
    else:
        val = None
    return IndicatorValue.objects.create(
        monitoring_year=year,
        school=school,
        indicator=indicator,
        numerator=numerator,
        denominator=denominator if indicator.kind == "share" else None,
        value=val,
        status=status,
        target=indicator.default_target if target is None else target,
    )


def flip_a_byte(pdf: bytes) -> bytes:
    """Change one character of the signed content (a byte inside the first page's stream)."""
    i = pdf.index(b"stream") + 200
    return pdf[:i] + bytes([pdf[i] ^ 0x01]) + pdf[i + 1 :]


def write_past_the_freeze(letter, **columns) -> None:
    """UPDATE a signed letter's row with the freezing trigger out of the way, as someone with
    direct database access could (inside the test's transaction: the trigger is back after)."""
    from django.db import connection

    from recommendations.models import Letter

    table = Letter._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER recommendations_letter_frozen")
        else:
            cursor.execute("DROP TRIGGER recommendations_letter_frozen_update")
    Letter.objects.filter(pk=letter.pk).update(**columns)
