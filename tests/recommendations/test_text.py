import pytest

from recommendations.people import short_name
from recommendations.text import (
    dative_initials,
    initials_surname,
    keep_abbreviations,
    salutation,
    sanitise,
)
from tests.factories import PersonFactory

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("full_name", "dative"),
    [
        ("Иванов Пётр Сергеевич", "П. С. Иванову"),
        ("Петрова Анна Ивановна", "А. И. Петровой"),
        ("Шевченко Тарас Григорьевич", "Т. Г. Шевченко"),
        ("Шевченко Анна Ивановна", "А. И. Шевченко"),
        ("Черных Ольга Петровна", "О. П. Черных"),
        ("Олейникова Ольга Владимировна", "О. В. Олейниковой"),
        ("Петрова", "Петровой"),
    ],
)
def test_head_in_the_dative_with_initials_held_together(full_name, dative):
    assert dative_initials(full_name) == dative.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("full_name", "greeting"),
    [
        ("Егорова Татьяна Евгеньевна", "Уважаемая Татьяна Евгеньевна!"),
        ("Иванов Пётр Сергеевич", "Уважаемый Пётр Сергеевич!"),
        ("Шевченко Никита Ильич", "Уважаемый Никита Ильич!"),
        ("Черных Саша Александровна", "Уважаемая Саша Александровна!"),
        ("Оглы Рустам Алиевич", "Уважаемый Рустам Алиевич!"),
        ("Петрова", "Уважаемые коллеги!"),
        ("", "Уважаемые коллеги!"),
    ],
)
def test_salutation_by_the_patronymic(full_name, greeting):
    assert salutation(full_name) == greeting


@pytest.mark.django_db
def test_a_short_name_keeps_the_initials_with_the_surname():
    person = PersonFactory(last_name="Субботина", first_name="Полина", middle_name="Павловна")
    assert short_name(person) == f"Субботина{NBSP}П.{NBSP}П."
    person.middle_name = ""
    assert short_name(person) == f"Субботина{NBSP}П."


def test_signature_initials():
    assert initials_surname("Олейникова Ольга Владимировна") == "О. В. Олейникова"


def test_sanitiser_keeps_paragraphs_lists_and_whole_names_only():
    dirty = (
        '<p onclick="x()">Текст <strong>важно</strong><script>alert(1)</script></p>'
        '<ul><li>пункт</li></ul><img src="http://evil/x.png"><a href="http://evil">ссылка</a>'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        '<p><span class="name" style="color:red" id="x">МБОУ СОШ № 10</span>'
        '<span class="big name">Б</span><span class="big">В</span> <span><span class="name">Г'
        "</span></span></p>"
    )
    assert sanitise(dirty) == (
        "<p>Текст <strong>важно</strong></p><ul><li>пункт</li></ul>ссылка"
        '<p><span class="name">МБОУ СОШ № 10</span><span class="name">Б</span>В '
        '<span class="name">Г</span></p>'
    )


def test_abbreviations_are_kept_whole_in_the_text_and_never_in_tags():
    html = (
        '<p>Систематизировать ВСОКО и ГАУ-ДПО; <span class="name">МБОУ СОШ</span>, '
        "№ 273-ФЗ, Ивлев</p>"
    )
    assert keep_abbreviations(html) == (
        '<p>Систематизировать <span class="name">ВСОКО</span> и <span class="name">ГАУ-ДПО'
        '</span>; <span class="name"><span class="name">МБОУ</span> <span class="name">СОШ'
        "</span></span>, № 273-ФЗ, Ивлев</p>"
    )
