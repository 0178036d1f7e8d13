"""The dashboards and their exports describe a status by the indicator's direction, state
targets as bounds, and run schools in natural order («№ 2» before «№ 10»)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import Indicator, Status
from tests import factories
from tests.html import page, rows, script_data, texts
from tests.monitoring.factories import MonitoringYearFactory, stored_value

BELOW = "ниже целевого значения"
ABOVE = "выше допустимого (целевого) значения"
RED = "за пределами допуска"
YELLOW = "в пределах допуска"
# Codes in an order that is neither the names' natural nor their text order.
SCHOOLS = [("Z-1", "МБОУ СОШ № 10"), ("Z-2", "МБОУ СОШ № 2"), ("Z-3", "МБОУ СОШ № 1")]
NATURAL = ["МБОУ СОШ № 1", "МБОУ СОШ № 2", "МБОУ СОШ № 10"]


@pytest.fixture
def schools(district):
    return {
        name: factories.SchoolFactory(district=district, code=code, short_name=name)
        for code, name in SCHOOLS
    }


@pytest.fixture
def stored(district, schools):
    """DIAG (↑, target 80): № 10 red at 1 of 8, № 2 yellow at 3 of 4, № 1 green at 9 of 10.
    PD_EXT_DIST (↓, target 20): № 10 red at 5 of 10, № 2 yellow at 1 of 4, № 1 green at 0.
    VACANCY (a count, target 0): № 10 red at 2, the others green."""
    diag, dist, vacancy = (
        Indicator.objects.get(code=c) for c in ("DIAG", "PD_EXT_DIST", "VACANCY")
    )
    my = MonitoringYearFactory(district=district, year=2024)
    s10, s2, s1 = (schools[n] for n in ("МБОУ СОШ № 10", "МБОУ СОШ № 2", "МБОУ СОШ № 1"))
    stored_value(my, None, diag, 13, 22, Status.RED)
    stored_value(my, s10, diag, 1, 8, Status.RED)
    stored_value(my, s2, diag, 3, 4, Status.YELLOW)
    stored_value(my, s1, diag, 9, 10, Status.GREEN)
    twenty = {"target": Decimal(20)}
    stored_value(my, None, dist, 6, 24, Status.YELLOW, **twenty)
    stored_value(my, s10, dist, 5, 10, Status.RED, **twenty)
    stored_value(my, s2, dist, 1, 4, Status.YELLOW, **twenty)
    stored_value(my, s1, dist, 0, 10, Status.GREEN, **twenty)
    for school, count, status in [
        (None, 2, Status.RED),
        (s10, 2, Status.RED),
        (s2, 0, Status.GREEN),
        (s1, 0, Status.GREEN),
    ]:
        stored_value(
            my, school, vacancy, count, None, status, value=Decimal(count), target=Decimal(0)
        )
    return my


def _overview(client, **query):
    url = reverse("monitoring:overview", args=[2024])
    return client.get(url, query)


def _school_rows(html) -> list[list[str]]:
    """The overview's school rows (below the two header rows and the district's row)."""
    return rows(html)[3:]


def _cell(html, school: str, short_name: str):
    """The overview's cell of a school and an indicator, by the indicator's column."""
    headers = texts(html, "//th[contains(@class, 'ind-head')]/a[1]")
    [tr] = html.xpath(f"//tbody/tr[th/a='{school}']")
    return tr.xpath("td")[headers.index(short_name)]


@pytest.mark.parametrize(
    ("school", "indicator", "title", "words"),
    [
        ("МБОУ СОШ № 10", "DIAG", "1 из 8", f"{BELOW}, {RED}"),
        ("МБОУ СОШ № 2", "DIAG", "3 из 4", f"{BELOW}, {YELLOW}"),
        ("МБОУ СОШ № 10", "PD_EXT_DIST", "5 из 10", f"{ABOVE}, {RED}"),
        ("МБОУ СОШ № 2", "PD_EXT_DIST", "1 из 4", f"{ABOVE}, {YELLOW}"),
        ("МБОУ СОШ № 10", "VACANCY", "", ABOVE),
    ],
)
def test_overview_cells_say_the_breach_by_direction(
    client_for, methodologist, stored, school, indicator, title, words
):
    html = page(_overview(client_for(methodologist)))

    cell = _cell(html, school, Indicator.objects.get(code=indicator).short_name)
    assert cell.get("title") == ": ".join(filter(None, [title, words]))
    # Screen readers hear the words after the number.
    assert texts(cell, "span[@class='visually-hidden']") == [f", {words}"]


def test_a_cell_on_target_reads_by_direction_and_is_not_announced(
    client_for, methodologist, stored
):
    html = page(_overview(client_for(methodologist)))

    up = _cell(html, "МБОУ СОШ № 1", "Диагностика педагогов")
    down = _cell(html, "МБОУ СОШ № 1", Indicator.objects.get(code="PD_EXT_DIST").short_name)
    assert up.get("title") == "9 из 10: не ниже целевого значения"
    assert down.get("title") == "0 из 10: не выше целевого значения"
    assert up.xpath("span") == down.xpath("span") == []


def test_the_overviews_legend_reads_each_colour_both_ways(client_for, methodologist, stored):
    html = page(_overview(client_for(methodologist)))

    legend = texts(html, "//ul[@aria-label='Условные обозначения']/li")
    down = "для «чем меньше, тем лучше»"
    assert legend == [
        f"не ниже целевого значения ({down} — не выше целевого значения)",
        f"{BELOW}, {YELLOW} ({down} — {ABOVE}, {YELLOW})",
        f"{BELOW}, {RED} ({down} — {ABOVE}, {RED})",
        "нет данных",
        "не применимо",
        "информационный показатель, без целевого значения",
    ]
    assert "хуже целевого" not in html.text_content()


def test_schools_run_in_natural_order_and_sorting_by_name_reverses_it(
    client_for, methodologist, stored
):
    client = client_for(methodologist)

    assert [r[0] for r in _school_rows(page(_overview(client)))] == NATURAL
    descending = page(_overview(client, sort="school", order="desc"))
    assert [r[0] for r in _school_rows(descending)] == NATURAL[::-1]


def test_sorting_by_a_column_keeps_natural_order_among_equal_values(
    client_for, methodologist, stored
):
    client = client_for(methodologist)

    ascending = page(_overview(client, sort="VACANCY", order="asc"))
    descending = page(_overview(client, sort="VACANCY", order="desc"))

    assert [r[0] for r in _school_rows(ascending)] == [
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]
    assert [r[0] for r in _school_rows(descending)] == [
        "МБОУ СОШ № 10",
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
    ]


@pytest.mark.parametrize(
    ("code", "target", "legend", "statuses"),
    [
        (
            "DIAG",
            "не менее 80,0\u00a0%",
            ["не ниже целевого значения", f"{BELOW}, {YELLOW}", f"{BELOW}, {RED}"],
            [f"{BELOW}, {RED}", f"{BELOW}, {YELLOW}", "не ниже целевого значения"],
        ),
        (
            "PD_EXT_DIST",
            "не более 20,0\u00a0%",
            ["не выше целевого значения", f"{ABOVE}, {YELLOW}", f"{ABOVE}, {RED}"],
            [f"{ABOVE}, {RED}", f"{ABOVE}, {YELLOW}", "не выше целевого значения"],
        ),
    ],
)
def test_indicator_page_reads_by_its_direction_in_natural_order(
    client_for, methodologist, stored, code, target, legend, statuses
):
    url = reverse("monitoring:indicator", args=[2024, code])

    html = page(client_for(methodologist).get(url))

    assert texts(html, "//dl/dd")[1] == target
    assert texts(html, "//ul[@aria-label='Условные обозначения']/li")[:3] == legend
    table = rows(html, "//table[caption='Значение показателя по ОО']")
    assert table[0] == ["ОО", "Значение", "Числитель / знаменатель", "Статус"]
    # Natural order: № 1, № 2, № 10.
    assert [r[0] for r in table[1:]] == NATURAL
    assert [r[3] for r in table[1:]] == statuses[::-1]
    assert script_data(html, "chart-by-school")["labels"] == NATURAL


def test_indicator_page_of_a_count_states_its_limit(client_for, methodologist, stored):
    html = page(
        client_for(methodologist).get(reverse("monitoring:indicator", args=[2024, "VACANCY"]))
    )

    municipality, target = texts(html, "//dl/dd")
    assert municipality == f"2 — {ABOVE}"
    assert target == "не более 0"
    assert texts(html, "//ul[@aria-label='Условные обозначения']/li") == [
        "не выше целевого значения",
        ABOVE,
        "не применимо",
    ]


def test_school_page_states_targets_as_bounds_and_names_the_breach(
    client_for, methodologist, stored, schools
):
    url = reverse("monitoring:school", args=[2024, "Z-1"])

    html = page(client_for(methodologist).get(url))

    by_name = {r[0]: r for r in rows(html)[1:] if len(r) > 3}
    diag, dist, vacancy = (
        Indicator.objects.get(code=c).name for c in ("DIAG", "PD_EXT_DIST", "VACANCY")
    )
    assert by_name[diag][1:4] == [
        "12,5\u00a0%, " + f"{BELOW}, {RED}",
        "1 из 8",
        "не менее 80,0\u00a0%",
    ]
    assert by_name[dist][1:4] == [
        "50,0\u00a0%, " + f"{ABOVE}, {RED}",
        "5 из 10",
        "не более 20,0\u00a0%",
    ]
    assert by_name[vacancy][1::2][:2] == [f"2, {ABOVE}", "не более 0"]


def test_targets_page_states_each_target_as_a_bound(client_for, methodologist, stored):
    html = page(client_for(methodologist).get(reverse("monitoring:targets", args=[2024])))

    in_force = {r[0]: r[1] for r in rows(html) if len(r) == 3}
    assert in_force[Indicator.objects.get(code="DIAG").name] == "не менее 80,0\u00a0%"
    assert in_force[Indicator.objects.get(code="PD_EXT_DIST").name] == "не более 20,0\u00a0%"
    assert in_force[Indicator.objects.get(code="VACANCY").name] == "не более 0"


def test_overview_export_runs_in_natural_order_with_the_words_in_comments(
    client_for, methodologist, stored
):
    response = client_for(methodologist).get(reverse("monitoring:overview_export", args=[2024]))

    sheet = load_workbook(BytesIO(response.content)).active
    assert [sheet.cell(r, 1).value for r in (4, 5, 6)] == NATURAL
    headers = [c.value for c in sheet[2]]
    comments = {
        (sheet.cell(r, 1).value, code): sheet.cell(r, headers.index(name) + 1).comment
        for r in (4, 5, 6)
        for code, name in (
            (i.code, i.short_name)
            for i in Indicator.objects.filter(code__in=["DIAG", "PD_EXT_DIST", "VACANCY"])
        )
    }
    said = {key: c.text for key, c in comments.items() if c is not None}
    assert said == {
        ("МБОУ СОШ № 10", "DIAG"): f"{BELOW}, {RED}",
        ("МБОУ СОШ № 2", "DIAG"): f"{BELOW}, {YELLOW}",
        ("МБОУ СОШ № 10", "PD_EXT_DIST"): f"{ABOVE}, {RED}",
        ("МБОУ СОШ № 2", "PD_EXT_DIST"): f"{ABOVE}, {YELLOW}",
        ("МБОУ СОШ № 10", "VACANCY"): ABOVE,
    }


def test_school_export_says_the_status_and_the_bound_by_direction(
    client_for, methodologist, stored
):
    url = reverse("monitoring:school_export", args=[2024, "Z-2"])

    sheet = load_workbook(BytesIO(client_for(methodologist).get(url).content)).active

    assert [c.value for c in sheet[1]][2:7] == [
        "ОО, 2024/2025",
        "Статус ОО",
        "Числитель",
        "Знаменатель",
        "Целевое",
    ]
    by_name = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    dist = by_name[Indicator.objects.get(code="PD_EXT_DIST").name]
    assert (dist[2].value, dist[3].value, dist[6].value) == (25.0, f"{ABOVE}, {YELLOW}", 20.0)
    assert dist[6].number_format == '"не более "0.0" %"'
    vacancy = by_name[Indicator.objects.get(code="VACANCY").name]
    assert (vacancy[3].value, vacancy[6].number_format) == (
        "не выше целевого значения",
        '"не более "0',
    )
