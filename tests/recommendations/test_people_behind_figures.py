"""The people a school page and a letter name are the people the stored numbers count: those
missing from the numerator when the year was computed, for exactly the indicators whose
catalogue row has a phrase; records changed since change nothing until the year is computed
again."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring.models import Indicator, IndicatorValue
from monitoring.services import compute_year
from profdev.models import BurnoutRecord, Employment, Person, School
from recommendations.drafting import letters_draft
from tests import factories as f
from tests.recommendations.appendix import appendix_rows, text

pytestmark = pytest.mark.django_db

DETAILS = re.compile(r"<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)
ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def page_people(client, school) -> dict[str, list[str]]:
    """The school page's named people: the indicator's name → the full names listed."""
    page = client.get(reverse("monitoring:school", args=[2024, school.code])).content.decode()
    return {
        text(summary).rsplit(" — ", 1)[0]: [text(item) for item in ITEM.findall(body)]
        for summary, body in DETAILS.findall(page)
    }


def school_letter(district, school):
    year = district.monitoring_years.get(year=2024)
    return next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)


def district_letter(district):
    year = district.monitoring_years.get(year=2024)
    return next(x for x in letters_draft(year=year).letters if x.school_id is None)


def employ(school, last_name, category=Employment.Category.PEDAGOGICAL, **person):
    return f.EmploymentFactory(
        school=school,
        category=category,
        person=f.PersonFactory(last_name=last_name, **person),
    ).person


@pytest.fixture
def kindergarten(district):
    """A kindergarten with poor results: every topic and PD_LOWRES apply. A young teacher
    without professional education, diagnosed with a deficit and high burnout; a teacher of
    pension age with a non-pedagogical degree; another teacher; a manager; nobody trained,
    attested or mentored, no route."""
    school = f.SchoolFactory(
        district=district, code="D-1", kind=School.Kind.PRESCHOOL, low_results=True
    )
    young = employ(
        school,
        "Алексеева",
        birth_date=dt.date(2000, 1, 1),
        experience_since=dt.date(2024, 9, 1),
        education=Person.Education.NONE,
    )
    f.DiagnosticFactory(person=young, subject=10)
    f.BurnoutFactory(person=young, level=BurnoutRecord.Level.HIGH)
    employ(
        school,
        "Борисова",
        birth_date=dt.date(1955, 1, 1),
        education=Person.Education.HIGHER_NONPED,
    )
    employ(school, "Васильева")
    employ(school, "Григорьев", category=Employment.Category.MANAGERIAL)
    compute_year(district, 2024)
    return school


def phrases() -> dict[str, str]:
    return dict(Indicator.objects.exclude(people_phrase="").values_list("code", "people_phrase"))


def stored(school, code) -> IndicatorValue:
    return IndicatorValue.objects.get(school=school, indicator=code)


def people_of(letter) -> dict[str, list[str]]:
    """The letter's appendix: indicator code → the short names listed (plain spaces)."""
    return {
        row["code"]: [name.replace("\u00a0", " ") for name in row["people"]]
        for row in letter.figures["appendix"]["people"]
    }


def appendix_cells(letter) -> list[str]:
    return [cell for row in appendix_rows(letter) for cell in row]


def test_a_letter_names_people_for_exactly_the_indicators_with_a_phrase(district, kindergarten):
    letter = school_letter(district, kindergarten)
    findings = {x["code"]: x for x in letter.figures["findings"]}
    named = people_of(letter)
    assert set(named) == set(findings) & set(phrases())
    assert {"PD_REGION", "DPO_NOPROF", "DIAG_MGR", "PD_T_PRESCHOOL"} <= set(named)
    assert "BURNOUT_HIGH" in findings and "BURNOUT_HIGH" not in named  # never named
    for code, people in named.items():
        value = stored(kindergarten, code)
        assert len(people) == value.denominator - value.numerator
    assert named["DPO_NOPROF"] == ["Алексеева А. С."]
    assert named["PD_REGION"] == ["Алексеева А. С.", "Борисова А. С.", "Васильева А. С."]
    assert "Алексеева" not in letter.body  # the letter itself points to its appendix
    assert "поимённые списки работников, не учтённых в показателях, — в таблице 2" in text(
        letter.body
    )


def test_the_school_page_names_the_same_people(client_for, methodologist, district, kindergarten):
    on_page = page_people(client_for(methodologist), kindergarten)
    indicators = Indicator.objects.in_bulk()
    missing_someone = {
        indicators[code].name
        for code in phrases()
        if stored(kindergarten, code).numerator < stored(kindergarten, code).denominator
    }
    assert set(on_page) == missing_someone
    letter = school_letter(district, kindergarten)
    names = {x["code"]: x["name"] for x in letter.figures["findings"]}
    for code, people in people_of(letter).items():
        on_letter = [name.split()[0] for name in people]
        assert [name.split()[0] for name in on_page[names[code]]] == on_letter


def test_records_changed_since_change_nobody_named_until_computed_again(
    client_for, methodologist, district, kindergarten
):
    client = client_for(methodologist)
    diag = Indicator.objects.get(code="DIAG").name
    borisova = Person.objects.get(last_name="Борисова")
    f.DiagnosticFactory(person=borisova)  # diagnosed after the computation
    f.RouteFactory(person=Person.objects.get(last_name="Алексеева"))  # the first ИОМ
    assert "Борисова Анна Сергеевна" in page_people(client, kindergarten)[diag]
    letter = school_letter(district, kindergarten)
    findings = {x["code"]: x for x in letter.figures["findings"]}
    assert findings["DIAG"]["numerator"] == stored(kindergarten, "DIAG").numerator == 1
    assert people_of(letter)["DIAG"] == ["Борисова А. С.", "Васильева А. С."]  # 2 of 3 missing
    no_iom = "Не разработаны индивидуальные образовательные маршруты в 1 ОО"
    assert f"{no_iom}: {kindergarten.short_name}" in appendix_cells(district_letter(district))

    compute_year(district, 2024)
    assert "Борисова Анна Сергеевна" not in page_people(client, kindergarten)[diag]
    letter = school_letter(district, kindergarten)
    findings = {x["code"]: x for x in letter.figures["findings"]}
    assert findings["DIAG"]["numerator"] == 2
    assert people_of(letter)["DIAG"] == ["Васильева А. С."]
    assert not any(no_iom in cell for cell in appendix_cells(district_letter(district)))


def test_the_letters_read_their_people_in_one_query(district, kindergarten):
    other = f.SchoolFactory(district=district, code="D-2", kind=School.Kind.PRESCHOOL)
    for name in ("Дмитриева", "Егорова"):
        employ(other, name)
    compute_year(district, 2024)
    with CaptureQueriesContext(connection) as queries:
        district_letter(district)
    people = [q for q in queries.captured_queries if "monitoring_missingperson" in q["sql"]]
    assert len(people) == 1  # for every school's letter, however many indicators name people


def test_a_signed_letter_names_a_person_in_its_appendix_or_in_an_older_text(
    year, school, staff, signer
):
    from recommendations.selectors import signed_letters_naming
    from recommendations.services import letter_sign

    sidorova = Person.objects.get(last_name="Сидорова")
    alekseeva = Person.objects.get(last_name="Алексеева")
    letter = next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)
    assert (signed_letters_naming(sidorova), signed_letters_naming(alekseeva)) == (0, 0)
    # A letter drafted before the appendix: its text named people, inline.
    letter.figures.pop("appendix")
    letter.body += "<p>Не прошли диагностику: Алексеева М. С.</p>"
    letter.save()
    letter_sign(letter=letter, user=signer)
    assert (signed_letters_naming(sidorova), signed_letters_naming(alekseeva)) == (0, 1)


def test_a_signed_letter_with_an_appendix_names_its_people(year, school, staff, signer):
    from recommendations.selectors import signed_letters_naming
    from recommendations.services import letter_sign

    letter = next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)
    letter_sign(letter=letter, user=signer)
    assert signed_letters_naming(Person.objects.get(last_name="Сидорова")) == 1


def test_a_letter_names_the_vacancies_its_count_summed_until_computed_again(district, kindergarten):
    opened = dt.date(2025, 2, 3)
    vacancy = f.VacancyFactory(
        school=kindergarten, position="воспитатель", count=2, opened_on=opened
    )
    compute_year(district, 2024)
    vacancy.closed_on = dt.date(2025, 6, 1)  # filled since
    vacancy.save()
    f.VacancyFactory(school=kindergarten, position="музыкальный руководитель")

    letter = school_letter(district, kindergarten)
    findings = {x["code"]: x for x in letter.figures["findings"]}
    assert findings["VACANCY"]["numerator"] == 2
    assert letter.figures["appendix"]["vacancies"] == [
        {
            "school": kindergarten.short_name,
            "position": "воспитатель",
            "count": 2,
            "opened": "03.02.2025",
        }
    ]
    rows = district_letter(district).figures["appendix"]["vacancies"]
    assert [(x["school"], x["position"]) for x in rows] == [
        (kindergarten.short_name, "воспитатель")
    ]

    compute_year(district, 2024)
    letter = school_letter(district, kindergarten)
    assert [x["position"] for x in letter.figures["appendix"]["vacancies"]] == [
        "музыкальный руководитель"
    ]
