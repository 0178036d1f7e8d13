import datetime as dt

import pytest

from profdev.models import CourseCompletion
from profdev.workbook import rules


@pytest.mark.parametrize(
    "raw",
    [
        "123-456-789 64",
        "12345678964",
        12345678964.0,
        12345678964,
        " 123 456 789 64 ",
        "12345678964.0",
    ],
)
def test_snils_spellings(raw):
    assert rules.snils(raw) == "12345678964"


def test_snils_number_cell_gets_its_leading_zeros_back():
    assert rules.snils(4642890268.0) == "04642890268"


def test_snils_small_numbers_carry_no_checksum():
    assert rules.snils("001-001-998 77") == "00100199877"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            "123-456-789 65",
            "«123-456-789 65» — неверное контрольное число СНИЛС (по первым девяти цифрам "
            "должно быть 64)",
        ),
        ("1234567896", "«1234567896» — не СНИЛС: нужно 11 цифр, например 123-456-789 01"),
        (123.5, "«123.5» — не СНИЛС: нужно 11 цифр, например 123-456-789 01"),
    ],
)
def test_snils_refused(raw, message):
    assert rules.validate(rules.snils, raw) == (None, message)


def test_snils_checksum_above_101_is_reduced_modulo_101():
    # 9*9+9*8+…+9*1 = 405; 405 mod 101 = 1
    assert rules.snils("999-999-999 01") == "99999999901"


@pytest.mark.parametrize(
    "raw",
    [dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 0, 0), "05.03.2024", "5.3.2024", "2024-03-05"],
)
def test_date_spellings(raw):
    assert rules.date_value(raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2024/03/05", "«2024/03/05» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
        ("31.02.2024", "«31.02.2024» — такой даты нет в календаре"),
        (45356.0, "«45356» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
    ],
)
def test_date_refused(raw, message):
    assert rules.validate(rules.date_value, raw) == (None, message)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("да", True),
        ("Да", True),
        ("НЕТ", False),
        ("1", True),
        (0.0, False),
        (1, True),
        ("true", True),
        ("False", False),
        (True, True),
        (False, False),
    ],
)
def test_yes_no_spellings(raw, value):
    assert rules.yes_no(raw) is value


def test_yes_no_refused():
    assert rules.validate(rules.yes_no, "может быть") == (
        None,
        "«может быть» — ожидается «да» или «нет»",
    )


def test_integer_accepts_text_and_whole_floats_within_bounds():
    score = rules.integer(0, 100)
    assert score("72") == 72
    assert score(72.0) == 72
    assert rules.validate(score, 72.5) == (None, "«72.5» — не целое число")
    assert rules.validate(score, "сто") == (None, "«сто» — не целое число")
    assert rules.validate(score, 101) == (None, "«101» — число должно быть от 0 до 100")


def test_choice_matches_labels_in_any_case_and_with_e_for_yo():
    level = rules.choice(CourseCompletion.Form, {"дистанционная": "distance"})
    assert level("ОЧНО-ЗАОЧНАЯ") == "mixed"
    assert level(" Дистанционная ") == "distance"
    assert rules.validate(level, "вечерняя") == (
        None,
        "«вечерняя» — нет такого значения; допустимо: очная · очно-заочная · заочная",
    )


def test_choice_yo_and_e_are_the_same_letter():
    from profdev.models import ContestParticipation

    result = rules.choice(ContestParticipation.Result)
    assert result("призер") == result("ПРИЗЁР") == "prize"


def test_topics_separated_by_semicolons_or_commas_are_stored_encoded():
    assert (
        rules.topics("Воспитание; федеральные программы,ЦИФРОВЫЕ") == ",digital,federal,upbringing,"
    )
    assert rules.validate(rules.topics, "воспитание; астрология")[1] == (
        "тематика «астрология» — нет такого значения; допустимо: оценка качества · таланты · "
        "профориентация · воспитание · дошкольное · федеральные программы · ШНОР · цифровые · "
        "инклюзия · предметная · методическая · управление"
    )


def test_text_length_and_email():
    assert rules.text(5)(" abc ") == "abc"
    assert rules.text(10)(504910.0) == "504910"
    assert rules.validate(rules.text(3), "abcd") == (None, "текст длиннее 3 символов (4)")
    assert rules.validate(rules.email(50), "school1@") == (
        None,
        "«school1@» — не адрес электронной почты",
    )


def test_blank_means_none_or_only_spaces():
    assert rules.is_blank(None) and rules.is_blank("   ")
    assert not rules.is_blank(0.0)


def test_course_hours_minimum_by_kind():
    assert rules.course_hours({"kind": "pk", "hours": 16}) == []
    assert rules.course_hours({"kind": "pk", "hours": 12}) == [
        ("hours", "«12» — программа ПК должна быть не короче 16 часов")
    ]
    assert rules.course_hours({"kind": "pp", "hours": 249}) == [
        ("hours", "«249» — программа ПП должна быть не короче 250 часов")
    ]


def test_dates_in_order():
    rule = rules.dates_in_order("started_on", "ended_on")
    assert rule({"started_on": dt.date(2024, 1, 2), "ended_on": dt.date(2024, 1, 2)}) == []
    assert rule({"started_on": dt.date(2024, 1, 2), "ended_on": None}) == []
    assert rule({"started_on": dt.date(2024, 1, 2), "ended_on": dt.date(2024, 1, 1)}) == [
        ("ended_on", "«01.01.2024» — раньше даты начала 02.01.2024")
    ]


def test_mentor_differs_from_mentee_and_diagnostic_needs_a_score():
    assert rules.distinct_mentor({"mentor": "1", "mentee": "1"}) == [
        ("mentee", "наставник и наставляемый — один и тот же человек")
    ]
    assert rules.distinct_mentor({"mentor": "1", "mentee": "2"}) == []
    assert rules.has_diagnostic_score({"digital": 0}) == []
    assert rules.has_diagnostic_score({"subject": None}) == [
        ("subject", "нужна оценка хотя бы по одной составляющей")
    ]


def test_find_overlap_of_periods():
    periods = [(dt.date(2010, 1, 1), dt.date(2015, 6, 30), "ОО «S-B»")]
    assert rules.find_overlap(dt.date(2015, 7, 1), None, periods) is None
    assert rules.find_overlap(dt.date(2015, 6, 30), None, periods) == periods[0]
    assert rules.find_overlap(dt.date(2000, 1, 1), dt.date(2009, 12, 31), periods) is None
    assert rules.overlap_message(*periods[0]) == (
        "основное место работы пересекается с другим основным местом работы (ОО «S-B») "
        "с 01.01.2010 по 30.06.2015"
    )
