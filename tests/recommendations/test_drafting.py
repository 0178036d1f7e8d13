from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from monitoring.models import IndicatorValue
from recommendations.drafting import addressee_for, letters_draft
from recommendations.models import Audience, Letter, LetterEvent, RecommendationRule
from recommendations.services import letter_edit, letter_send
from tests.recommendations.appendix import appendix_rows, text
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
    rows = appendix_rows(letter)
    assert rows[0] == [
        "№ п/п",
        "Показатель",
        "Значение в ОО",
        "Целевое значение",
        "По муниципалитету",
        "Отклонение",
    ]
    assert rows[1] == [
        "1",
        "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "45,0 %",
        "не менее 80,0 %",
        "67,5 %",
        "за пределами допуска",
    ]
    body = text(letter.body)
    assert (
        "целевые значения не достигнуты по 4 показателям, из них по 1 — в пределах допуска. "
        "Значения показателей в сравнении с целевыми и со значениями по Тестовому "
        "муниципальному району приведены в приложении (таблица 1), поимённые списки "
        "работников, не учтённых в показателях, — в таблице 2." in body
    )
    assert letter.title == (
        "Об адресных рекомендациях по итогам мониторинга системы обеспечения профессионального "
        "развития педагогических работников за 2024/2025 учебный год"
    )
    assert "от 05.09.2024 №&nbsp;164/1" in letter.body


def test_each_breach_is_worded_by_direction_kind_and_status(year, school):
    """Up short of its target is below it; a «down» share and a count are above what is
    allowed; a share says whether it is within the tolerance band, a count has none."""
    letter = school_letter(letters_draft(year=year), school)
    rows = {row[1]: row[2:] for row in appendix_rows(letter)[1:5]}
    assert rows == {
        "Доля педагогов, прошедших диагностику профессиональных дефицитов": [
            "45,0 %",
            "не менее 80,0 %",
            "67,5 %",
            "за пределами допуска",
        ],
        "Доля педагогов, прошедших повышение квалификации за последние три года": [
            "95,0 %",
            "не менее 100,0 %",
            "97,5 %",
            "в пределах допуска",
        ],
        "Доля педагогов с высоким уровнем профессионального выгорания": [
            "40,0 %",
            "не более 15,0 %",
            "25,0 %",
            "за пределами допуска",
        ],
        "Количество вакантных должностей": [
            "2",
            "не более 0",
            "2",
            "выше допустимого (целевого) значения",
        ],
    }
    stored = {
        f["code"]: (f["direction"], f["kind"], f["status"]) for f in letter.figures["findings"]
    }
    assert stored == {
        "DIAG": ("up", "share", "red"),
        "PD_3Y": ("up", "share", "yellow"),
        "BURNOUT_HIGH": ("down", "share", "red"),
        "VACANCY": ("down", "count", "red"),
    }


@pytest.mark.parametrize(
    ("code", "status", "value", "target", "words"),
    [
        (
            "DIAG",
            "red",
            "45.0",
            "80.0",
            "при целевом значении не менее 80,0 % — ниже целевого значения, за пределами допуска",
        ),
        (
            "DIAG",
            "yellow",
            "75.0",
            "80.0",
            "при целевом значении не менее 80,0 % — ниже целевого значения, в пределах допуска",
        ),
        (
            "BURNOUT_HIGH",
            "red",
            "40.0",
            "15.0",
            "при допустимом значении не более 15,0 % — выше допустимого (целевого) значения, "
            "за пределами допуска",
        ),
        (
            "BURNOUT_HIGH",
            "yellow",
            "20.0",
            "15.0",
            "при допустимом значении не более 15,0 % — выше допустимого (целевого) значения, "
            "в пределах допуска",
        ),
        (
            "VACANCY",
            "red",
            "8",
            "0",
            "при допустимом значении не более 0 — выше допустимого (целевого) значения",
        ),
    ],
)
def test_the_figure_says_what_its_status_says(year, code, status, value, target, words):
    from monitoring.models import Indicator, IndicatorValue
    from recommendations.findings import figure

    v = IndicatorValue(
        indicator=Indicator.objects.get(code=code),
        status=status,
        value=Decimal(value),
        target=Decimal(target),
    )
    f = figure(v, None)
    text = f"при {f['target_kind']} значении {f['bound']} — {f['breach']}"
    text += f", {f['band']}" if f["band"] else ""
    assert text.replace("\u00a0", " ") == words


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


def test_named_people_go_to_the_appendix_for_listed_indicators_only(year, school, staff):
    letter = school_letter(letters_draft(year=year), school)
    people = {row["code"]: row["people"] for row in letter.figures["appendix"]["people"]}
    assert people == {
        "DIAG": ["Сидорова\u00a0А.\u00a0П."],
        "PD_3Y": ["Алексеева\u00a0М.\u00a0С.", "Сидорова\u00a0А.\u00a0П."],
    }  # BURNOUT_HIGH, a sensitive result, never names anyone
    assert "Сидорова" not in letter.body and "Алексеева" not in letter.body
    assert "поимённые списки работников, не учтённых в показателях, — в таблице 2" in text(
        letter.body
    )
    named = [row for row in appendix_rows(letter) if len(row) == 3]
    assert named == [
        ["№ п/п", "Показатель", "Работники"],
        ["1", "Доля педагогов, прошедших диагностику профессиональных дефицитов", "Сидорова А. П."],
        [
            "2",
            "Доля педагогов, прошедших повышение квалификации за последние три года",
            "Алексеева М. С., Сидорова А. П.",
        ],
    ]


def test_rules_fire_exactly_for_breached_indicators(year, school):
    letter = school_letter(letters_draft(year=year), school)
    rules = RecommendationRule.objects.filter(active=True)
    expected = {a: [] for a in Audience.values if a != Audience.METHODOLOGICAL_OFFICE}
    for finding in letter.figures["findings"]:
        for rule in rules.filter(indicator_id=finding["code"]).order_by("order", "id"):
            fires = rule.trigger in ("red_yellow", finding["status"])
            if fires and rule.audience in expected:
                expected[rule.audience].append(rule.text)
    expected = {a: t for a, t in expected.items() if t}
    assert letter.figures["recommendations"] == expected
    # PD_3Y is yellow: its red-only rule for teachers stays silent; NETWORK is green: nothing.
    silent = RecommendationRule.objects.filter(indicator_id__in=["PD_3Y", "NETWORK"], trigger="red")
    for rule in silent:
        assert rule.text not in letter.body
    assert Audience.TEACHERS not in letter.figures["recommendations"]


def test_a_school_letter_holds_only_what_the_school_does(year, school):
    office = RecommendationRule.objects.filter(  # both red in the school and the district
        audience=Audience.METHODOLOGICAL_OFFICE,
        indicator_id__in=["DIAG", "BURNOUT_HIGH"],
        trigger__in=["red", "red_yellow"],
    )
    assert office.exists()
    school_body = school_letter(letters_draft(year=year), school).body
    district_body = school_letter(letters_draft(year=year), None).body
    assert "Методической службе (ИМК)" not in school_body
    for rule in office:
        assert rule.text not in school_body
        assert rule.text in district_body


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
    assert letter.figures["salutation"] == "Уважаемые коллеги!"
    findings = {f["code"]: f for f in letter.figures["findings"]}
    assert set(findings) == {
        "DIAG",
        "PD_3Y",
        "BURNOUT_HIGH",
        "VACANCY",
        "SCHOOLS_NO_IOM",
        "SCHOOLS_VACANCY",
    }
    name = school.short_name
    assert findings["DIAG"]["schools"] == {
        "red": [{"name": name, "value_text": "45,0\u00a0%"}],
        "yellow": [],
    }
    assert findings["PD_3Y"]["schools"] == {
        "red": [],
        "yellow": [{"name": name, "value_text": "95,0\u00a0%"}],
    }
    other = other_school.short_name
    assert appendix_rows(letter) == [
        [
            "№ п/п",
            "Показатель",
            "Значение",
            "Целевое значение",
            "Образовательные организации, не достигшие целевого значения",
        ],
        [
            "1",
            "Доля педагогов, прошедших диагностику профессиональных дефицитов",
            "67,5 %",
            "не менее 80,0 %",
            f"за пределами допуска: {name}",
        ],
        [
            "2",
            "Доля педагогов, прошедших повышение квалификации за последние три года",
            "97,5 %",
            "не менее 100,0 %",
            f"в пределах допуска: {name}",
        ],
        [
            "3",
            "Доля педагогов с высоким уровнем профессионального выгорания",
            "25,0 %",
            "не более 15,0 %",
            f"за пределами допуска: {name}",
        ],
        ["4", "Количество вакантных должностей", "2", "не более 0", f"{name} — 2"],
        [
            "5",
            "Количество ОО, в которых не разработаны ИОМ",
            "1",
            "не более 0",
            f"Не разработаны индивидуальные образовательные маршруты в 1 ОО: {other}",
        ],
        [
            "6",
            "Количество ОО с кадровым дефицитом",
            "1",
            "не более 0",
            f"Кадровый дефицит в 1 ОО: {name}",
        ],
    ]
    body = text(letter.body)
    assert (
        "Мониторинг проведён в 2 образовательных организациях Тестового муниципального района. "
        "По Тестовому муниципальному району в целом целевые значения не достигнуты по 6 "
        "показателям, из них по 1 — в пределах допуска. Значения показателей и образовательные "
        "организации, не достигшие целевых значений, приведены в приложении (таблица 1)." in body
    )
    assert "Методической службе (ИМК)" in body


def test_schools_run_in_natural_order(year, school, other_school, district):
    from monitoring.models import Indicator
    from tests import factories
    from tests.recommendations.factories import value

    diag = Indicator.objects.get(code="DIAG")
    names = ["МБОУ СОШ № 10", "МБОУ СОШ № 2", "МБОУ СОШ № 1"]
    for n, name in enumerate(names):
        extra = factories.SchoolFactory(district=district, code=f"N-{n}", short_name=name)
        value(year, diag, extra, 1, 20, "red" if n else "yellow")
    report = letters_draft(year=year)
    ours = [
        x.school.short_name for x in report.letters if x.school and "СОШ" in x.school.short_name
    ]
    assert report.letters[0].school is None
    assert ours == [
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]
    schools = {f["code"]: f["schools"] for f in school_letter(report, None).figures["findings"]}
    assert [s["name"] for s in schools["DIAG"]["red"]] == [
        school.short_name,  # «МБОУ «Школа № …»: «« sorts before «С»
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
    ]
    assert [s["name"] for s in schools["DIAG"]["yellow"]] == ["МБОУ СОШ № 10"]


def test_addressee_by_school_kind_with_dative_initials(school, kindergarten):
    school.head_name = "Иванов Пётр Сергеевич"
    nbsp = "\u00a0"
    assert addressee_for(school) == f"Директору\n{school.short_name}\nП.{nbsp}С.{nbsp}Иванову"
    assert addressee_for(kindergarten) == (
        f"Заведующему\nМБДОУ «Детский сад № 5»\nА.{nbsp}И.{nbsp}Петровой"
    )


def test_a_school_letter_greets_its_head_by_name(year, school, kindergarten):
    letter = school_letter(letters_draft(year=year), school)
    assert letter.figures["salutation"] == "Уважаемый Пётр Сергеевич!"


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
    assert len(with_target) == 29
    covered = set(RecommendationRule.objects.values_list("indicator_id", flat=True))
    assert covered == with_target
    assert not RecommendationRule.objects.filter(indicator__default_target__isnull=True).exists()


def test_the_summary_agrees_with_one_breach_and_says_nothing_of_a_band_none_is_within(year, school):
    """One red figure: «по 1 показателю», no «из них … в пределах допуска», one table."""
    IndicatorValue.objects.filter(monitoring_year=year, school=school).exclude(
        indicator_id="DIAG"
    ).delete()
    letter = school_letter(letters_draft(year=year), school)
    body = text(letter.body)
    assert "целевые значения не достигнуты по 1 показателю. Значения показателей" in body
    assert "из них" not in body
    assert "приведены в приложении (таблица 1)." in body
    assert [row[1] for row in appendix_rows(letter)[1:]] == [
        "Доля педагогов, прошедших диагностику профессиональных дефицитов"
    ]
