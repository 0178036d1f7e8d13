"""The letter's form (ГОСТ Р 7.0.97-2025) read back from its PDF: the heading under the
registration line, the salutation, the text, the appendix mark with the appendix's real number
of sheets, the signature and the executor; named people and vacancies in the appendix; names
and «№ 10» never split across lines; schools in natural order."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from monitoring.models import CountedVacancy, Indicator, MissingPerson
from recommendations.drafting import letters_draft
from recommendations.pdf import render_letter_pdf
from recommendations.services import letter_sign
from tests import factories
from tests.recommendations.factories import value

pytestmark = pytest.mark.django_db

SURNAMES = [
    "Александровская",
    "Алексеева",
    "Николаева",
    "Преображенская",
    "Константинова",
    "Веселовская",
    "Христофорова",
    "Ярославцева",
]


def pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines, spaces (non-breaking too) collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        [" ".join(line.split()) for line in page.extract_text().split("\n")]
        for page in reader.pages
    ]


HYPHEN = "\u2010"  # what WeasyPrint puts where it hyphenates a word


def text_of(lines: list[str]) -> str:
    """The lines as one text, hyphenated words joined again."""
    return " ".join(lines).replace(f"{HYPHEN} ", "")


def appendix_start(document: list[list[str]]) -> int:
    return next(n for n, page in enumerate(document) if page[0] == "Приложение")


def letter_to(report, school):
    return next(x for x in report.letters if x.school_id == (school.pk if school else None))


@pytest.fixture
def crowd(year, school):
    """A school whose figures miss many people (long surnames): two long lists."""
    for n in range(90):
        person = factories.PersonFactory(
            last_name=SURNAMES[n % len(SURNAMES)],
            first_name=["Полина", "Татьяна", "Ольга"][n % 3],
            middle_name=["Павловна", "Евгеньевна", "Игоревна"][n % 3],
        )
        MissingPerson.objects.create(
            monitoring_year=year, school=school, person=person, indicators="DIAG PD_3Y"
        )


@pytest.fixture
def vacancies(year, school, other_school):
    rows = [
        (school, "учитель математики", 2, dt.date(2025, 3, 1)),
        (school, "педагог-психолог", 1, dt.date(2024, 9, 2)),
        (other_school, "учитель физики", 1, dt.date(2025, 6, 1)),
    ]
    for where, position, count, opened in rows:
        CountedVacancy.objects.create(
            monitoring_year=year, school=where, position=position, count=count, opened_on=opened
        )


def test_the_letter_runs_in_the_order_the_standard_gives(year, school, staff):
    document = pages(render_letter_pdf(letter_to(letters_draft(year=year), school)))
    first = text_of(document[0])
    assert first.index("от ____________ № ____________") < first.index(
        "Об адресных рекомендациях по итогам мониторинга"
    )
    assert first.index("учебный год") < first.index("Уважаемый Пётр Сергеевич!")
    assert first.index("Уважаемый Пётр Сергеевич!") < first.index("В соответствии с приказом")
    start = appendix_start(document)
    assert start == len(document) - 1  # the appendix: its own (last) page here
    letter_text = text_of([line for page in document[:start] for line in page])
    assert (
        "приведены в приложении (таблица 1), поимённые списки работников, не учтённых в "
        "показателях, — в таблице 2." in letter_text
    )
    assert "Сидорова" not in letter_text  # names stand in the appendix only
    assert "45,0 %" not in letter_text  # and the figures in its table
    assert letter_text.index("О принятых мерах просим сообщить до окончания") < letter_text.index(
        "Приложение: на 1 л. в 1 экз."
    )
    assert letter_text.index("Приложение: на 1 л. в 1 экз.") < letter_text.index(
        "Начальник отдела образования"
    )
    assert "Тел. (84454) 5-43-26" in text_of(document[start - 1])  # the executor's mark
    appendix = text_of(document[start])
    assert "Приложение к письму от ____________ № ____________" in appendix
    assert "Тел. (84454)" not in appendix  # not on the appendix's pages
    assert "Таблица 1. Показатели, по которым не достигнуты целевые значения" in appendix
    assert "Таблица 2. Работники, не учтённые в показателях мониторинга" in appendix
    assert (
        "Доля педагогов, прошедших диагностику профессиональных дефицитов Сидорова А. П."
        in appendix
    )


def test_long_lists_keep_every_name_whole_and_the_mark_counts_the_sheets(year, school, crowd):
    letter = letter_to(letters_draft(year=year), school)
    document = pages(render_letter_pdf(letter))
    start = appendix_start(document)
    sheets = len(document) - start
    assert sheets >= 2
    assert start <= 2  # the letter itself fits on one or two pages
    letter_text = text_of([line for page in document[:start] for line in page])
    assert f"Приложение: на {sheets} л. в 1 экз." in letter_text
    lines = [line for page in document[start:] for line in page]
    lines = lines[next(n for n, line in enumerate(lines) if line.startswith("Таблица 2.")) :]
    listed = [row["people"] for row in letter.figures["appendix"]["people"]]
    for name in {" ".join(n.split()) for people in listed for n in people}:
        assert any(name in line for line in lines), name  # never split across lines
    assert not any(line.endswith(HYPHEN) for line in lines)  # nothing hyphenated
    assert sum(text_of(lines).count(surname) for surname in SURNAMES) == 2 * 90


def test_number_signs_stay_with_their_numbers_and_schools_run_in_natural_order(year, district):
    diag = Indicator.objects.get(code="DIAG")
    for n in (10, 2, 11, 1, 3, 20, 12, 4, 5, 30, 6, 7, 8, 9):
        school = factories.SchoolFactory(
            district=district,
            code=f"N-{n}",
            short_name=f"МБОУ «Средняя общеобразовательная школа № {n}»",
        )
        value(year, diag, school, 1, 20, "red")
    document = pages(render_letter_pdf(letter_to(letters_draft(year=year), None)))
    lines = [line for page in document for line in page]
    assert not any(line.endswith("№") for line in lines)
    for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 30):  # each name on one line
        assert any(f"МБОУ «Средняя общеобразовательная школа № {n}»" in x for x in lines)
    text = text_of(lines)
    found = [text.index(f"школа № {n}»") for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 30)]
    assert found == sorted(found)


def test_vacancies_are_named_in_the_appendix_and_counted_in_the_district_letter(
    year, school, vacancies
):
    report = letters_draft(year=year)
    school_pdf = pages(render_letter_pdf(letter_to(report, school)))
    start = appendix_start(school_pdf)
    letter_text = text_of([line for page in school_pdf[:start] for line in page])
    assert "перечень вакантных должностей — в таблице 2." in letter_text
    appendix = text_of(school_pdf[start])
    assert "Таблица 2. Вакантные должности на 31.08.2025" in appendix
    assert "1 педагог-психолог 1 02.09.2024 2 учитель математики 2 01.03.2025" in appendix
    assert "учитель физики" not in appendix  # another school's

    district_pdf = pages(render_letter_pdf(letter_to(report, None)))
    start = appendix_start(district_pdf)
    text = text_of([line for page in district_pdf[:start] for line in page])
    assert "перечень вакантных должностей — в таблице 2." in text
    appendix = text_of(district_pdf[start])
    assert f"Количество вакантных должностей 2 не более 0 {school.short_name} — 2" in appendix
    assert f"{school.short_name} педагог-психолог 1 02.09.2024" in appendix
    assert "учитель физики" in appendix  # the district letter lists every school's


def test_the_signed_letter_s_appendix_carries_its_date_and_number(year, school, staff, signer):
    signed = letter_sign(letter=letter_to(letters_draft(year=year), school), user=signer)
    document = pages(bytes(signed.pdf))
    appendix = text_of(document[appendix_start(document)])
    assert f"Приложение к письму от {signed.date:%d.%m.%Y} № {signed.number}" in appendix


def test_a_letter_drafted_before_the_appendix_renders_as_it_was(year, school, staff):
    letter = letter_to(letters_draft(year=year), school)
    letter.figures = {
        k: v for k, v in letter.figures.items() if k not in ("appendix", "salutation")
    }
    text = text_of([line for page in pages(render_letter_pdf(letter)) for line in page])
    assert "Приложение" not in text and "Уважаем" not in text
    assert "Начальник отдела образования" in text


@pytest.mark.parametrize("paragraphs", range(21, 29))  # the first page ends at 24–26
def test_the_signature_never_stands_alone_on_a_page(year, school, staff, paragraphs):
    """Whatever the length of the text, the page with the signature also carries the text's
    last lines (the signature takes them with it onto the next page)."""
    letter = letter_to(letters_draft(year=year), school)
    letter.body = "".join(f"<p>Абзац {n} текста письма.</p>" for n in range(1, paragraphs + 1))
    document = [text_of(page) for page in pages(render_letter_pdf(letter))]
    [signed] = [n for n, page in enumerate(document) if "Начальник отдела образования" in page]
    assert "Тел. (84454) 5-43-26" in document[signed]  # the executor's mark below it
    assert f"Абзац {paragraphs} текста письма." in document[signed]
