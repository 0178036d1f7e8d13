"""Closure of deficits by provider: retests credited to the providers of the courses between
the two diagnostics, and the recommendation for a provider whose courses did not close them."""

import datetime as dt

import pytest

from effectiveness.analytical.advice import recommendations_text
from effectiveness.analytical.document import analysis_of
from effectiveness.report import effectiveness_report
from tests import factories

pytestmark = pytest.mark.django_db

BLANK = dict.fromkeys(
    ("subject", "methodical", "assessment", "psychological", "communicative", "digital")
)


def diagnostic(person, date, **scores):
    factories.DiagnosticFactory(person=person, date=date, **{**BLANK, **scores})


def retest(school, provider, before: int, after: int, finished=dt.date(2024, 12, 1)):
    person = factories.EmploymentFactory(school=school, category="pedagogical").person
    diagnostic(person, dt.date(2024, 10, 1), subject=before)
    factories.CourseFactory(
        person=person, provider=provider, finished_on=finished, topics=",subject,"
    )
    diagnostic(person, dt.date(2025, 3, 1), subject=after)
    return person


@pytest.fixture
def providers(settings, school):
    settings.DEFICIT_SCORE = 60
    weak = factories.ProviderFactory(name="ООО «Курсы-онлайн»")
    strong = factories.ProviderFactory(name="ГАУ ДПО «ИРО»")
    for after in (50, 55, 70):  # one of three closed
        retest(school, weak, 40, after)
    for after in (65, 70, 80):
        retest(school, strong, 40, after)
    retest(school, strong, 80, 30)  # no deficit before: no retest
    retest(school, weak, 40, 90, finished=dt.date(2025, 4, 1))  # the course came after: none
    return weak, strong


def test_retests_are_credited_to_the_providers_of_the_courses_between(district, providers):
    closures = {
        p.provider: (p.retested, p.closed)
        for p in effectiveness_report(district, 2024).providers.providers
    }
    assert closures == {"ГАУ ДПО «ИРО»": (3, 3), "ООО «Курсы-онлайн»": (3, 1)}


def test_a_provider_whose_courses_did_not_close_deficits_is_named(district, providers):
    analysis = analysis_of(district, 2024)
    text = recommendations_text(analysis.report, analysis.dynamics)
    assert (
        "ООО «Курсы-онлайн»: после курсов этой организации устранено 1 из 3\u00a0повторно "
        "диагностированных дефицитов (33,3\u00a0%)" in text
    )
    assert "ГАУ ДПО «ИРО»:" not in text
