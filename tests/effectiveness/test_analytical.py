"""The analytical report read back from its PDF, and its text edited until issued."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from effectiveness.analytical.conclusions import (
    breaches_phrase,
    letters_phrase,
    quality_phrase,
    resolved_phrase,
    trend_phrase,
)
from effectiveness.analytical.text import Block, blocks
from monitoring.models import Indicator
from recommendations.drafting import letters_draft
from tests import factories
from tests.effectiveness import pdf
from tests.effectiveness.conftest import RED, indicator, mark_signed
from tests.effectiveness.test_views import a_measure
from tests.html import form_errors, page, texts
from tests.recommendations.factories import value
from tests.recommendations.test_pdf import read

pytestmark = pytest.mark.django_db

PDF_URL = reverse("effectiveness:analytical_pdf", args=[2024])
EDIT_URL = reverse("effectiveness:analytical_edit", args=[2024])
A4 = sorted((595.28, 841.89))
RIGHT_MARGIN = 10 * pdf.MM


@pytest.fixture
def report_pdf(client_for, methodologist, signed_letters, district, school, two_years):
    """The draft of 2024/2025: a down indicator in breach for the district, a measure."""
    value(two_years[1], indicator("BURNOUT_HIGH"), None, 30, 100, RED)
    a_measure(
        district, title="Стажировка в ЦНППМ", indicators=[indicator("DIAG")], schools=[school]
    )
    return client_for(methodologist).get(PDF_URL).content


# --- Numerals agreeing with their nouns ----------------------------------------------------


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 1\u00a0случае;"),
        (2, "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 2\u00a0случаях;"),
        (5, "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 5\u00a0случаях;"),
        (
            11,
            "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 11\u00a0случаях;",
        ),
        (21, "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 21\u00a0случае;"),
        (
            181,
            "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 181\u00a0случае;",
        ),
    ],
)
def test_resolved_breaches_agree_with_the_number(n, expected):
    assert resolved_phrase(n, 0, "2023/2024", "2024/2025").startswith(expected)
    assert "нарушен" not in resolved_phrase(n, 0, "2023/2024", "2024/2025")


@pytest.mark.parametrize(
    "n, indicators, verb",
    [
        (1, "1\u00a0показатель", "улучшился"),
        (2, "2\u00a0показателя", "улучшились"),
        (5, "5\u00a0показателей", "улучшились"),
        (11, "11\u00a0показателей", "улучшились"),
        (21, "21\u00a0показатель", "улучшился"),
    ],
)
def test_trend_agrees_with_the_number(n, indicators, verb):
    assert trend_phrase(n, True, "2023/2024") == (
        f"По сравнению с 2023/2024 учебным годом {verb} {indicators}:"
    )


@pytest.mark.parametrize(
    "n, letters, breaches, deficits",
    [
        (1, "1\u00a0подписанному письму", "1\u00a0показатель ниже целевого", "1\u00a0выявленного"),
        (2, "2\u00a0подписанным письмам", "2\u00a0показателя ниже целевых", "2\u00a0выявленных"),
        (5, "5\u00a0подписанным письмам", "5\u00a0показателей ниже целевых", "5\u00a0выявленных"),
        (
            11,
            "11\u00a0подписанным письмам",
            "11\u00a0показателей ниже целевых",
            "11\u00a0выявленных",
        ),
        (
            21,
            "21\u00a0подписанному письму",
            "21\u00a0показатель ниже целевого",
            "21\u00a0выявленного",
        ),
    ],
)
def test_letters_and_deficits_agree_with_the_number(n, letters, breaches, deficits):
    assert letters_phrase(n, n, "2023/2024").startswith(f"По {letters} ")
    assert f"(в них {breaches})" in letters_phrase(n, n, "2023/2024")
    assert quality_phrase(n, 0, "0,0 %").startswith(f"Из {deficits} ")
    assert breaches_phrase(n, 30).startswith("Целевые значения по муниципалитету не достигнуты по")
    assert ("показателю из" if n % 10 == 1 and n != 11 else "показателям из") in breaches_phrase(
        n, 30
    )


def test_text_is_paragraphs_and_lists():
    assert blocks("Первый абзац.\n\n— пункт один\n- пункт два\nСОШ № 10.") == [
        Block(text="Первый абзац."),
        Block(items=["пункт один", "пункт два"]),
        Block(text="СОШ №\u00a010."),
    ]


# --- The PDF --------------------------------------------------------------------------------


def test_title_names_the_district_in_the_genitive(report_pdf):
    text = pdf.text(report_pdf)
    assert (
        "педагогических работников Тестового муниципального района за 2024/2025 учебный год" in text
    )
    assert "ПРОЕКТ" in read(report_pdf)[1]  # not issued yet (the watermark, turned)


def test_conclusions_say_what_the_figures_say(report_pdf):
    text = pdf.text(report_pdf)
    assert (
        "В 2023/2024 учебном году показатели ОО были ниже целевых значений в 5 случаях; "
        "в 2024/2025 учебном году цель достигнута" in text
    )
    assert "нарушен" not in text
    assert (
        "Доля педагогов, прошедших диагностику профессиональных дефицитов — 40,0 %: ниже "
        "целевого значения, за пределами допуска" in text
    )
    # A «down» indicator is above what is allowed, not below its target.
    assert (
        "Доля педагогов с высоким уровнем профессионального выгорания — 30,0 %: выше "
        "допустимого (целевого) значения, за пределами допуска (целевое значение — не более" in text
    )
    assert "По сравнению с 2023/2024 учебным годом ухудшился 1 показатель" in text
    assert "К 2023/2024" not in text


def test_no_indicator_codes_anywhere(report_pdf):
    text = pdf.text(report_pdf)
    for code in Indicator.objects.values_list("code", flat=True):
        assert not re.search(rf"\b{code}\b", text), code


def test_sections_are_numbered_one_to_n(report_pdf):
    numbers = [
        int(m[1]) for line in pdf.lines(report_pdf) if (m := re.match(r"(\d)\. [А-Я]", line))
    ]
    assert numbers == [1, 2, 3, 4, 5]


def test_every_page_is_a4_and_no_text_runs_past_the_right_margin(report_pdf):
    pages = pdf.pages(report_pdf)
    for number, p in enumerate(pages, start=1):
        assert sorted((p.width, p.height)) == pytest.approx(A4, abs=0.5)
        overflow = [w for _, x_max, w in p.words if x_max > p.width - RIGHT_MARGIN + 0.5]
        assert not overflow, f"страница {number}: {overflow}"


def test_the_wide_table_is_on_a_landscape_page(report_pdf):
    pages = pdf.pages(report_pdf)
    assert not pages[0].landscape
    [measures] = [p for p in pages if "Остальные" in p.text().split()]
    assert measures.landscape


def test_recommendations_come_from_the_effectiveness_analysis(report_pdf, school):
    text = pdf.text(report_pdf)
    tail = text[text.index("5. Рекомендации") :]
    assert "По итогам анализа эффективности принятых мер:" in tail
    # S-A's DIAG moved by exactly 1,0 п.п.: unchanged after the letter.
    assert (
        f"«Доля педагогов, прошедших диагностику профессиональных дефицитов»: улучшения нет "
        f"в 1 из 2 ОО, получивших письма ({school.short_name})" in tail
    )
    # The measure's targeted school moved +1,0, the others −18,9: it worked.
    assert "«Стажировка в ЦНППМ» (семинар, 17.10.2024): целевые ОО опередили остальные" in tail
    assert "продолжить мероприятие" in tail
    # The vacancies did not improve and no measure aimed at them.
    assert "«Количество вакантных должностей»: улучшения нет" in tail
    assert "включить его в план методической службы" in tail


# --- Edited until issued, frozen after ------------------------------------------------------


def _form(client) -> dict:
    root = page(client.get(EDIT_URL))
    [conclusions] = root.xpath("//textarea[@name='conclusions']")
    [recommendations] = root.xpath("//textarea[@name='recommendations']")
    return {
        "conclusions": conclusions.text.strip(),
        "recommendations": recommendations.text.strip(),
    }


def test_methodologist_edits_then_issues_and_the_text_is_frozen(
    client_for, methodologist, signed_letters
):
    client = client_for(methodologist)
    form = _form(client)
    assert form["conclusions"].startswith("Целевые значения по муниципалитету не достигнуты")
    form["conclusions"] += "\nВывод методиста: диагностику провести до 1 декабря."
    response = client.post(EDIT_URL, {**form, "action": "save"}, follow=True)
    assert "Текст аналитической справки за 2024/2025 учебный год сохранён." in (
        response.content.decode()
    )
    assert "Вывод методиста: диагностику провести до 1 декабря." in pdf.text(
        client.get(PDF_URL).content
    )

    client.post(EDIT_URL, {**form, "action": "issue"})
    first, second = client.get(PDF_URL).content, client.get(PDF_URL).content
    assert first == second  # the issued document, byte for byte
    text = pdf.text(first)
    assert "Вывод методиста" in text and "ПРОЕКТ" not in read(first)[1]

    response = client.post(
        EDIT_URL, {"conclusions": "Иначе.", "recommendations": "Иначе.", "action": "save"}
    )
    assert response.status_code == 400
    [refusal] = texts(page(response), "//div[contains(@class, 'alert-danger')]")
    assert re.fullmatch(
        r"Не сохранено\. Аналитическая справка за 2024/2025 учебный год выпущена "
        r"\d\d\.\d\d\.\d{4}: изменять её нельзя\.",
        refusal,
    )
    assert client.get(PDF_URL).content == first
    empty = client.post(EDIT_URL, {"action": "save"})  # whatever is posted
    assert "изменять её нельзя" in texts(page(empty), "//div[contains(@class, 'alert-danger')]")[0]
    root = page(client.get(EDIT_URL))
    assert not root.xpath("//textarea")
    assert [row[2] for row in _history(root)] == ["справка выпущена", "текст изменён"]


def _history(root) -> list[list[str]]:
    return [texts(tr, "td") for tr in root.xpath("//table[@id='history']/tbody/tr")]


def test_empty_text_is_refused_and_nothing_is_saved(client_for, methodologist, two_years):
    client = client_for(methodologist)
    response = client.post(EDIT_URL, {"conclusions": " ", "recommendations": "x", "action": "save"})
    assert response.status_code == 400
    assert form_errors(page(response))["conclusions"] == [
        "Выводы не могут быть пустыми: справка без них не выпускается."
    ]
    assert not _history(page(client.get(EDIT_URL)))


def test_issue_without_the_genitive_name_is_refused(client_for, methodologist, two_years):
    from profdev.models import Organisation

    Organisation.objects.update(name_genitive="")
    client = client_for(methodologist)
    response = client.post(EDIT_URL, {**_form(client), "action": "issue"})
    assert response.status_code == 400
    assert "в родительном падеже" in response.content.decode()
    assert not _history(page(client.get(EDIT_URL)))  # nothing half-written


def test_outsiders_get_404(client_for, school_admin, methodologist, two_years):
    factories.DistrictFactory(code="OTHER")
    for url in (EDIT_URL, PDF_URL):
        assert client_for(school_admin).get(url).status_code == 404
        assert client_for(methodologist).get(f"{url}?district=OTHER").status_code == 404
    assert client_for(school_admin).post(EDIT_URL, {"action": "save"}).status_code == 404


def test_head_may_edit(client_for, head, two_years):
    client = client_for(head)
    response = client.post(EDIT_URL, {**_form(client), "action": "save"})
    assert response.status_code == 302


def test_edit_page_queries_do_not_grow_with_the_history(
    client_for, methodologist, two_years, django_assert_num_queries
):
    client = client_for(methodologist)
    form = _form(client)
    client.post(EDIT_URL, {**form, "action": "save"})
    client.get(EDIT_URL)
    # Session, user, role grants, district; the report, its edits with their users; the
    # session's save (3).
    with django_assert_num_queries(9):
        client.get(EDIT_URL)
    for _ in range(3):
        client.post(EDIT_URL, {**form, "action": "save"})
    with django_assert_num_queries(9):
        response = client.get(EDIT_URL)
    assert len(_history(page(response))) == 4


def test_effectiveness_report_pdf_keeps_within_a4_with_the_measures_on_a_landscape_page(
    client_for, methodologist, signed_letters, district, school
):
    a_measure(district, indicators=[indicator("DIAG")], schools=[school])
    content = client_for(methodologist).get(reverse("effectiveness:report_pdf", args=[2024]))
    pages = pdf.pages(content.content)
    for p in pages:
        assert sorted((p.width, p.height)) == pytest.approx(A4, abs=0.5)
        assert all(x_max <= p.width - RIGHT_MARGIN + 0.5 for _, x_max, _ in p.words)
    assert [p.landscape for p in pages if "Остальные" in p.text().split()] == [True]
    numbers = [
        int(m[1]) for line in pdf.lines(content.content) if (m := re.match(r"(\d)\. [А-Я]", line))
    ]
    assert numbers == [1, 2, 3, 4]


def test_schools_run_in_natural_order_in_the_export(
    client_for, methodologist, school, other_school, two_years
):
    school.short_name, other_school.short_name = "МБОУ СОШ № 10", "МБОУ СОШ № 2"
    school.save()
    other_school.save()
    for n, letter in enumerate(letters_draft(year=two_years[0]).letters, start=1):
        mark_signed(letter, f"01-14/{n}")
    response = client_for(methodologist).get(reverse("effectiveness:report_export", args=[2024]))
    book = load_workbook(io.BytesIO(response.content))
    addressees = [r[0].value for r in book["Письма 2023-2024"].iter_rows(min_row=2)]
    assert list(dict.fromkeys(addressees)) == ["Руководителям ОО", "МБОУ СОШ № 2", "МБОУ СОШ № 10"]


def test_first_draft_computes_the_report_once(
    client_for, methodologist, two_years, signed_letters, django_assert_num_queries
):
    """Before anything is saved, the page drafts the conclusions and recommendations from one
    report (its closure by provider included), not a report per text."""
    client = client_for(methodologist)
    client.get(EDIT_URL)
    # Session, user, role grants, district, no saved report; the report (12: no measures);
    # the district's dynamics (3), the rules for its breaches; the session's save.
    with django_assert_num_queries(23):
        response = client.get(EDIT_URL)
    [recommendations] = page(response).xpath("//textarea[@name='recommendations']")
    [diagnostics] = [
        line
        for line in recommendations.text.splitlines()
        if line.startswith("— «Доля педагогов, прошедших диаг")
    ]
    assert "улучшения нет в 1 из 2 ОО, получивших письма" in diagnostics
    assert "и по муниципалитету в целом" in diagnostics
