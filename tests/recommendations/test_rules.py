"""Recommendation rules: which status each trigger answers, the shipped rules, the rule pages."""

import pytest
from django.urls import reverse

from monitoring.models import Indicator, IndicatorValue, Status
from recommendations.drafting import letters_draft
from recommendations.models import Audience, RecommendationRule
from tests.html import form_errors, page, texts
from tests.recommendations.conftest import YELLOW

pytestmark = pytest.mark.django_db

Trigger = RecommendationRule.Trigger
SCHOOL_AUDIENCES = {Audience.SCHOOL_ADMINISTRATION, Audience.TEACHERS}
FIRES = {
    (Trigger.RED, Status.RED),
    (Trigger.YELLOW, Status.YELLOW),
    (Trigger.RED_YELLOW, Status.RED),
    (Trigger.RED_YELLOW, Status.YELLOW),
}


@pytest.mark.parametrize("trigger", Trigger.values)
@pytest.mark.parametrize("status", [*Status.values, None])
def test_a_rule_fires_exactly_on_its_statuses(trigger, status):
    rule = RecommendationRule(trigger=trigger)
    assert rule.fires_on(status) == ((trigger, status) in FIRES)


def _firing(indicator: Indicator, status: str) -> list[RecommendationRule]:
    rules = RecommendationRule.objects.filter(indicator=indicator, active=True)
    return [rule for rule in rules if rule.fires_on(status)]


def test_every_indicator_with_a_target_has_red_texts_and_every_share_yellow_ones():
    with_target = Indicator.objects.filter(default_target__isnull=False)
    assert with_target.count() == 29
    for indicator in with_target:
        assert _firing(indicator, Status.RED), indicator.code
        if indicator.kind == Indicator.Kind.SHARE:  # a count is never yellow
            yellow = _firing(indicator, Status.YELLOW)
            assert {rule.audience for rule in yellow} & SCHOOL_AUDIENCES, indicator.code
            red_texts = {rule.text for rule in _firing(indicator, Status.RED)}
            assert not red_texts & {rule.text for rule in yellow}, indicator.code


def test_the_red_texts_of_0002_fire_on_red_only():
    diag = RecommendationRule.objects.get(text__startswith="Обеспечить участие всех педагогических")
    assert diag.trigger == Trigger.RED
    assert not RecommendationRule.objects.filter(trigger=Trigger.RED_YELLOW).exists()


@pytest.mark.parametrize(
    ("code", "audience", "words"),
    [
        (
            "DIAG",
            Audience.METHODOLOGICAL_OFFICE,
            "обновлению дополнительных профессиональных программ",
        ),
        ("CONTEST", Audience.METHODOLOGICAL_OFFICE, "повышение мотивации педагогических"),
        ("CONTEST", Audience.SCHOOL_ADMINISTRATION, "поощрения педагогов"),
        ("DIAG_MGR", Audience.SCHOOL_ADMINISTRATION, "(ВСОКО)"),
        ("ATTEST", Audience.SCHOOL_ADMINISTRATION, "(ВСОКО)"),
        ("NETWORK", Audience.METHODOLOGICAL_OFFICE, "межмуниципальное и региональное"),
    ],
)
def test_the_kinds_the_seeds_give_are_rules_on_red(code, audience, words):
    rules = RecommendationRule.objects.filter(
        indicator_id=code, audience=audience, trigger=Trigger.RED, text__contains=words
    )
    assert rules.count() == 1


def _plain(html: str) -> str:
    return " ".join(html.replace("\xa0", " ").split())


def test_a_school_with_only_a_yellow_figure_gets_a_soft_recommendation(year, other_school):
    stored = IndicatorValue.objects.filter(monitoring_year=year, indicator="PD_3Y")
    stored.filter(school=other_school).update(numerator=19, value=95, status=YELLOW)  # S-B's only
    report = letters_draft(year=year)
    letter = next(x for x in report.letters if x.school_id == other_school.pk)
    body = _plain(letter.body)
    assert "Включить в план повышения квалификации на следующий учебный год педагогов" in body
    assert "Составить перспективный план повышения квалификации" not in body  # the red text


def url(name, *args):
    return reverse(f"recommendations:{name}", args=args)


def test_the_list_groups_rules_by_indicator_name_and_shows_triggers_in_words(
    client_for, methodologist, django_assert_num_queries
):
    client = client_for(methodologist)
    with django_assert_num_queries(7):  # the frame (session, user, roles, navigation), the rules
        response = client.get(url("rules"))
    root = page(response)
    headings = texts(root, "//h2")
    assert headings[:2] == [
        "Доля педагогов, прошедших диагностику профессиональных дефицитов",
        "Доля руководящих работников, прошедших диагностику профессиональных дефицитов",
    ]
    assert "DIAG_MGR" not in response.content.decode()
    triggers = set(texts(root, "//tbody/tr/td[1]"))
    assert triggers == {"красный (за пределами допуска)", "жёлтый (в пределах допуска)"}


def test_the_form_names_indicators_without_codes(client_for, methodologist):
    root = page(client_for(methodologist).get(url("rule_new")))
    options = texts(root, "//select[@name='indicator']/option")
    assert options[0] == "Доля педагогов, прошедших диагностику профессиональных дефицитов"
    assert not [o for o in options if "DIAG" in o]


def _post(client, target, **fields):
    data = {
        "indicator": "CONTEST",
        "trigger": "yellow",
        "audience": "administration",
        "text": "Продолжить работу.",
        "active": "on",
        "order": 5,
    }
    return client.post(target, data | fields, follow=True)


def test_a_methodologist_creates_and_edits_a_rule(client_for, methodologist):
    client = client_for(methodologist)
    response = _post(client, url("rule_new"), text="  Отмечать победителей конкурсов.  ")
    assert "Правило сохранено." in response.content.decode()
    rule = RecommendationRule.objects.get(text="Отмечать победителей конкурсов.")
    assert (rule.indicator_id, rule.trigger, rule.fires_on(YELLOW)) == ("CONTEST", "yellow", True)
    _post(client, url("rule_edit", rule.pk), trigger="red", text="Новый текст.")
    rule.refresh_from_db()
    assert (rule.text, rule.trigger, rule.fires_on(YELLOW)) == ("Новый текст.", "red", False)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"text": "   "}, {"text": ["Обязательное поле."]}),
        (
            {"trigger": "green"},
            {"trigger": ["Выберите корректный вариант. green нет среди допустимых значений."]},
        ),
        ({"order": "-1"}, {"order": ["Убедитесь, что это значение больше либо равно 0."]}),
        (
            {"indicator": "VACANCY"},
            {
                "trigger": [
                    "Показатель «Количество вакантных должностей» — количество, у него нет "
                    "допуска: жёлтого статуса не бывает, правило не сработает."
                ]
            },
        ),
    ],
)
def test_bad_input_is_refused_in_russian_and_changes_nothing(
    client_for, methodologist, fields, errors
):
    before = RecommendationRule.objects.count()
    response = _post(client_for(methodologist), url("rule_new"), **fields)
    assert form_errors(page(response)) == errors
    assert RecommendationRule.objects.count() == before


def test_outsiders_get_404(client_for, school_admin):
    client = client_for(school_admin)
    rule = RecommendationRule.objects.first()
    before = rule.text
    for target in (url("rules"), url("rule_new"), url("rule_edit", rule.pk)):
        assert client.get(target).status_code == 404
    assert _post(client, url("rule_edit", rule.pk)).status_code == 404
    rule.refresh_from_db()
    assert rule.text == before


def test_an_unknown_rule_is_404(client_for, methodologist):
    assert client_for(methodologist).get(url("rule_edit", 999_999)).status_code == 404
