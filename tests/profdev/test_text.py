"""Russian text rules: natural order of names with numbers, numerals agreeing with nouns."""

import pytest
from django.template import Context, Template

from profdev.text import natural_key, plural


def test_schools_run_in_natural_order():
    names = ["МБОУ СОШ № 10", "МБОУ СОШ № 2", "МБДОУ № 1", "мбоу сош № 1", "МБОУ СОШ № 2а"]
    assert sorted(names, key=natural_key) == [
        "МБДОУ № 1",
        "мбоу сош № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 2а",
        "МБОУ СОШ № 10",
    ]


def test_names_starting_with_a_number_compare_with_names_starting_with_text():
    assert sorted(["Школа", "10 класс", "2 класс"], key=natural_key) == [
        "2 класс",
        "10 класс",
        "Школа",
    ]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "нарушений"),
        (1, "нарушение"),
        (2, "нарушения"),
        (4, "нарушения"),
        (5, "нарушений"),
        (11, "нарушений"),
        (12, "нарушений"),
        (14, "нарушений"),
        (21, "нарушение"),
        (22, "нарушения"),
        (111, "нарушений"),
        (181, "нарушение"),
        (1000, "нарушений"),
    ],
)
def test_the_noun_agrees_with_the_number(n, expected):
    assert plural(n, "нарушение", "нарушения", "нарушений") == expected


def test_the_template_filter_writes_the_number_and_the_noun_without_a_break():
    template = Template('{% load russian %}из {{ n|plural:"нарушения,нарушений,нарушений" }}')
    assert template.render(Context({"n": 181})) == "из 181\u00a0нарушения"
    assert template.render(Context({"n": 5})) == "из 5\u00a0нарушений"
