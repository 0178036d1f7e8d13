import pytest
from django.core.exceptions import ValidationError

from recommendations.drafting import addressee_for, letters_draft
from recommendations.models import Audience, Letter, LetterEvent, RecommendationRule
from recommendations.services import letter_edit, letter_send
from tests.recommendations.factories import MonitoringYearFactory

pytestmark = pytest.mark.django_db


def school_letter(report, school):
    """The report's letter to `school`, or the district letter for None."""
    return next(x for x in report.letters if x.school_id == (school.pk if school else None))


def test_one_letter_per_school_in_breach_and_the_district_letter(year, school, other_school):
    report = letters_draft(year=year)
    assert [x.school.code if x.school else None for x in report.letters] == [None, "S-A"]
    assert Letter.objects.filter(school=other_school).count() == 0  # no breach, no letter


def test_findings_cite_school_target_and_district_with_decimal_comma(year, school, staff):
    letter = school_letter(letters_draft(year=year), school)
    codes = [f["code"] for f in letter.figures["findings"]]
    assert codes == ["DIAG", "PD_3Y", "BURNOUT_HIGH", "VACANCY"]  # breaches only, catalogue order
    diag = letter.figures["findings"][0]
    assert (diag["value_text"], diag["target_text"], diag["district_text"]) == (
        "45,0\u00a0%",
        "80,0\u00a0%",
        "67,5\u00a0%",
    )
    vacancy = letter.figures["findings"][3]
    assert (vacancy["value_text"], vacancy["target_text"], vacancy["district_text"]) == (
        "2",
        "0",
        "2",
    )
    assert (
        "45,0&nbsp;% при целевом значении 80,0&nbsp;% "
        "(по Тестовому муниципальному району — 67,5&nbsp;%)" in letter.body
    )
    assert letter.title.endswith("за 2024/2025 учебный год")
    assert "от 05.09.2024 № 164/1" in letter.body


def test_findings_keep_the_numbers_beside_the_text(year, school):
    """9 of 20 (45,0 %), target 80,0 %, district 27 of 40 (67,5 %); a count has no denominator."""
    letter = school_letter(letters_draft(year=year), school)
    diag, *_, vacancy = letter.figures["findings"]
    numbers = ("status", "numerator", "denominator", "value", "target", "district")
    assert {k: diag[k] for k in numbers} == {
        "status": "red",
        "numerator": 9,
        "denominator": 20,
        "value": "45.0",
        "target": "80.0",
        "district": "67.5",
    }
    assert {k: vacancy[k] for k in numbers} == {
        "status": "red",
        "numerator": 2,
        "denominator": None,
        "value": "2.0",
        "target": "0.0",
        "district": "2.0",
    }


def test_named_people_for_listed_indicators_only(year, school, staff):
    letter = school_letter(letters_draft(year=year), school)
    people = {f["code"]: f["people"] for f in letter.figures["findings"]}
    assert people["DIAG"] == ["Сидорова А. П."]
    assert people["PD_3Y"] == ["Алексеева М. С.", "Сидорова А. П."]
    assert people["BURNOUT_HIGH"] == []  # a sensitive result never names anyone
    assert "Не прошли диагностику профессиональных дефицитов: Сидорова А. П." in letter.body


def test_rules_fire_exactly_for_breached_indicators(year, school):
    letter = school_letter(letters_draft(year=year), school)
    rules = RecommendationRule.objects.filter(active=True)
    expected = {a: [] for a in Audience.values}
    for finding in letter.figures["findings"]:
        for rule in rules.filter(indicator_id=finding["code"]).order_by("order", "id"):
            if rule.trigger in ("red_yellow", finding["status"]):
                expected[rule.audience].append(rule.text)
    expected = {a: t for a, t in expected.items() if t}
    assert letter.figures["recommendations"] == expected
    # PD_3Y is yellow: its red-only rule for teachers stays silent; NETWORK is green: nothing.
    silent = RecommendationRule.objects.filter(indicator_id__in=["PD_3Y", "NETWORK"], trigger="red")
    for rule in silent:
        assert rule.text not in letter.body
    assert Audience.TEACHERS not in letter.figures["recommendations"]


def test_an_inactive_rule_does_not_fire(year, school):
    rule = RecommendationRule.objects.get(
        indicator_id="DIAG", audience="administration", trigger="red"
    )
    rule.active = False
    rule.save()
    letter = school_letter(letters_draft(year=year), school)
    assert rule.text not in letter.body


def test_district_letter_names_schools(year, school, other_school):
    letter = school_letter(letters_draft(year=year), None)
    assert letter.addressee == "Руководителям ОО"
    findings = {f["code"]: f for f in letter.figures["findings"]}
    assert set(findings) == {
        "DIAG",
        "PD_3Y",
        "BURNOUT_HIGH",
        "VACANCY",
        "SCHOOLS_NO_IOM",
        "SCHOOLS_VACANCY",
    }
    assert findings["DIAG"]["schools"] == [school.short_name]  # red schools of a breach
    assert findings["PD_3Y"]["schools"] == []  # S-A is yellow there, not red
    assert (
        f"Не разработаны индивидуальные образовательные маршруты в 1 ОО: {other_school.short_name}"
        in letter.body
    )
    assert f"Кадровый дефицит в 1 ОО: {school.short_name}" in letter.body
    assert "Методической службе (ИМК)" in letter.body
    assert "67,5&nbsp;% при целевом значении 80,0&nbsp;%" in letter.body


def test_addressee_by_school_kind_with_dative_initials(school, kindergarten):
    school.head_name = "Иванов Пётр Сергеевич"
    assert addressee_for(school) == f"Директору\n{school.short_name}\nП. С. Иванову"
    assert addressee_for(kindergarten) == "Заведующему\nМБДОУ «Детский сад № 5»\nА. И. Петровой"


def test_redrafting_replaces_unedited_keeps_edited_never_touches_sent(year, school, methodologist):
    first = letters_draft(year=year)
    district_letter = school_letter(first, None)
    school_draft = school_letter(first, school)
    letter_edit(letter=school_draft, body="<p>Исправленный текст</p>", user=methodologist)
    letter_send(letter=district_letter, user=methodologist)

    second = letters_draft(year=year)
    assert [x.pk for x in second.kept_edited] == [school_draft.pk]
    assert [x.pk for x in second.untouched] == [district_letter.pk]
    school_draft.refresh_from_db()
    assert school_draft.body == "<p>Исправленный текст</p>"
    assert Letter.objects.count() == 2


def test_redrafting_replaces_an_unedited_draft_in_place(year, school):
    letter = school_letter(letters_draft(year=year), school)
    second = letters_draft(year=year)
    assert letter.pk in [x.pk for x in second.replaced]
    assert second.created == []
    kinds = list(LetterEvent.objects.filter(letter=letter).values_list("kind", flat=True))
    assert kinds == ["created", "redrafted"]


def test_a_year_without_stored_values_is_refused(district):
    empty = MonitoringYearFactory(district=district, year=2023, computed_at=None)
    with pytest.raises(ValidationError, match="нет рассчитанных официальных значений"):
        letters_draft(year=empty)


def test_default_rules_cover_red_for_every_indicator_with_a_target():
    from monitoring.models import Indicator

    with_target = set(
        Indicator.objects.filter(default_target__isnull=False).values_list("code", flat=True)
    )
    assert len(with_target) == 27
    covered = set(RecommendationRule.objects.values_list("indicator_id", flat=True))
    assert covered == with_target
    assert not RecommendationRule.objects.filter(indicator__default_target__isnull=True).exists()
