import pytest

from recommendations.text import dative_initials, initials_surname, sanitise


@pytest.mark.parametrize(
    ("full_name", "dative"),
    [
        ("Иванов Пётр Сергеевич", "П. С. Иванову"),
        ("Петрова Анна Ивановна", "А. И. Петровой"),
        ("Шевченко Тарас Григорьевич", "Т. Г. Шевченко"),
        ("Шевченко Анна Ивановна", "А. И. Шевченко"),
        ("Черных Ольга Петровна", "О. П. Черных"),
        ("Олейникова Ольга Владимировна", "О. В. Олейниковой"),
    ],
)
def test_head_in_the_dative(full_name, dative):
    assert dative_initials(full_name) == dative


def test_signature_initials():
    assert initials_surname("Олейникова Ольга Владимировна") == "О. В. Олейникова"


def test_sanitiser_keeps_paragraphs_and_lists_only():
    dirty = (
        '<p onclick="x()">Текст <strong>важно</strong><script>alert(1)</script></p>'
        '<ul><li>пункт</li></ul><img src="http://evil/x.png"><a href="http://evil">ссылка</a>'
        '<link rel="stylesheet" href="file:///etc/passwd">'
    )
    assert sanitise(dirty) == "<p>Текст <strong>важно</strong></p><ul><li>пункт</li></ul>ссылка"
