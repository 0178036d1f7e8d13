"""The breaches a letter cites are stored beside its figures when it is drafted (`CitedFinding`):
what the effectiveness report compares with the next year's values."""

from decimal import Decimal

import pytest

from monitoring.models import IndicatorValue, Status
from recommendations.drafting import letters_draft
from recommendations.models import CitedFinding
from recommendations.services import letter_edit, letter_send

pytestmark = pytest.mark.django_db


def cited(letter) -> list[tuple]:
    return list(
        CitedFinding.objects.filter(letter=letter).values_list(
            "indicator_id", "status", "value", "value_text"
        )
    )


def letter_to(report, school):
    return next(x for x in report.letters if x.school_id == (school.pk if school else None))


def test_each_letter_cites_its_breaches_as_its_figures_say(year, school):
    report = letters_draft(year=year)
    assert cited(letter_to(report, school)) == [
        ("DIAG", Status.RED, Decimal("45.0"), "45,0\u00a0%"),
        ("PD_3Y", Status.YELLOW, Decimal("95.0"), "95,0\u00a0%"),
        ("BURNOUT_HIGH", Status.RED, Decimal("40.0"), "40,0\u00a0%"),
        ("VACANCY", Status.RED, Decimal("2.0"), "2"),
    ]
    district_letter = letter_to(report, None)
    assert [row[0] for row in cited(district_letter)] == [
        f["code"] for f in district_letter.figures["findings"]
    ]


def test_redrafting_replaces_the_cited_breaches_of_an_unedited_draft_only(
    year, school, methodologist
):
    first = letters_draft(year=year)
    district_letter = letter_to(first, None)
    letter_send(letter=district_letter, user=methodologist)
    sent = cited(district_letter)
    IndicatorValue.objects.filter(monitoring_year=year, indicator="DIAG").update(
        numerator=7, value=Decimal("35.0")
    )

    second = letters_draft(year=year)
    school_letter = letter_to(second, school)
    assert cited(school_letter)[0] == ("DIAG", Status.RED, Decimal("35.0"), "35,0\u00a0%")
    assert cited(district_letter) == sent  # a letter on signature keeps what it cites

    letter_edit(letter=school_letter, body="<p>Исправленный текст</p>", user=methodologist)
    IndicatorValue.objects.filter(monitoring_year=year, indicator="DIAG").update(
        value=Decimal("30.0")
    )
    letters_draft(year=year)
    assert cited(school_letter)[0][2] == Decimal("35.0")  # an edited draft is kept whole
    assert CitedFinding.objects.filter(letter=school_letter).count() == 4
