import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from effectiveness.models import Measure
from effectiveness.services import measure_create
from tests import factories
from tests.effectiveness.conftest import indicator
from tests.html import page, rows, texts

pytestmark = pytest.mark.django_db

REPORT_URLS = [
    reverse("effectiveness:report"),
    reverse("effectiveness:report", args=[2024]),
    reverse("effectiveness:report_export", args=[2024]),
    reverse("effectiveness:report_letters", args=[2024]),
    reverse("effectiveness:measures"),
    reverse("effectiveness:measure_new"),
]


def a_measure(district, **fields):
    defaults = {
        "title": "Семинар «Индивидуальный образовательный маршрут педагога»",
        "date": dt.date(2024, 10, 17),
        "kind": "seminar",
        "indicators": [indicator("IOM")],
        "schools": [],
    }
    return measure_create(district=district, **{**defaults, **fields})


@pytest.mark.parametrize("url", REPORT_URLS)
def test_district_staff_open_every_page(client_for, methodologist, head, two_years, url):
    assert client_for(methodologist).get(url).status_code == 200
    assert client_for(head).get(url).status_code == 200


@pytest.mark.parametrize("url", REPORT_URLS)
def test_school_administrator_gets_404(client_for, school_admin, url):
    assert client_for(school_admin).get(url).status_code == 404


@pytest.mark.parametrize("url", REPORT_URLS)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_measure_pages_of_another_district_answer_404(client_for, methodologist):
    other = factories.DistrictFactory(code="OTHER")
    measure = a_measure(other)
    for name in ("measure_edit", "measure_delete"):
        url = reverse(f"effectiveness:{name}", args=[measure.pk])
        assert client_for(methodologist).get(url).status_code == 404
    assert (
        client_for(methodologist)
        .post(reverse("effectiveness:measure_delete", args=[measure.pk]))
        .status_code
        == 404
    )
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_school_administrator_cannot_edit_or_delete(client_for, school_admin, district):
    measure = a_measure(district)
    for name in ("measure_edit", "measure_delete"):
        url = reverse(f"effectiveness:{name}", args=[measure.pk])
        assert client_for(school_admin).post(url, {"title": "x"}).status_code == 404


def test_pdfs_for_district_staff_only(client_for, methodologist, school_admin, two_years):
    for name in ("report_pdf", "analytical_pdf"):
        url = reverse(f"effectiveness:{name}", args=[2024])
        assert client_for(school_admin).get(url).status_code == 404
        response = client_for(methodologist).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def _form(**changes):
    data = {
        "title": "Школа молодого педагога",
        "date": "15.11.2024",
        "kind": "mentorship",
        "responsible": "Смирнова О. И., методист ИМК",
        "participants": "18",
        "note": "",
    }
    return {**data, **changes}


def test_methodologist_records_a_measure(client_for, methodologist, district, school):
    data = _form(indicators=["MENTOR_YOUNG", "YOUNG"], schools=[school.pk])
    response = client_for(methodologist).post(reverse("effectiveness:measure_new"), data)
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.district, measure.date, measure.participants) == (
        district,
        dt.date(2024, 11, 15),
        18,
    )
    assert measure.created_by == methodologist
    assert sorted(measure.indicators.values_list("code", flat=True)) == ["MENTOR_YOUNG", "YOUNG"]
    assert list(measure.schools.all()) == [school]


def test_methodologist_edits_and_deletes_a_measure(client_for, methodologist, district):
    measure = a_measure(district)
    client = client_for(methodologist)
    url = reverse("effectiveness:measure_edit", args=[measure.pk])
    page = client.get(url)
    assert 'type="date" name="date" value="2024-10-17"' in page.content.decode()  # the picker
    response = client.post(url, _form(title="Семинар по ИОМ", kind="seminar", indicators=["IOM"]))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.title, measure.participants) == ("Семинар по ИОМ", 18)
    delete = reverse("effectiveness:measure_delete", args=[measure.pk])
    assert "Удалить мероприятие?" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date": ""}, "Укажите дату мероприятия."),
        ({"date": "31.02.2024"}, "Дата не распознана: нужна дата в виде ДД.ММ.ГГГГ."),
        ({"participants": "-3"}, "Число участников не может быть отрицательным: указано -3."),
        ({"title": ""}, "Укажите название мероприятия."),
    ],
)
def test_bad_input_is_refused_with_a_russian_message(client_for, methodologist, changes, message):
    response = client_for(methodologist).post(
        reverse("effectiveness:measure_new"), _form(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measure.objects.exists()


def test_a_school_of_another_district_is_refused(client_for, methodologist, school):
    foreign = factories.SchoolFactory(district=factories.DistrictFactory(code="OTHER"))
    data = _form(schools=[school.pk, foreign.pk])
    response = client_for(methodologist).post(reverse("effectiveness:measure_new"), data)
    assert response.status_code == 400
    assert f"ОО «{foreign.pk}» нет среди ОО вашего муниципалитета" in response.content.decode()
    assert not Measure.objects.exists()


def test_list_filters_by_year_kind_indicator_and_school(
    client_for, methodologist, district, school
):
    a_measure(district, title="Семинар 2024", date=dt.date(2024, 9, 1))
    a_measure(district, title="Семинар 2023", date=dt.date(2024, 8, 31))
    a_measure(
        district,
        title="Конкурс «Педагог года»",
        kind="contest",
        date=dt.date(2025, 2, 1),
        indicators=[indicator("CONTEST")],
        schools=[school],
    )
    client = client_for(methodologist)
    url = reverse("effectiveness:measures")

    def titles(**query):
        # Date, title, kind, …: the table's rows below its header.
        return [r[1] for r in rows(page(client.get(url, query)))[1:]]

    assert titles() == ["Конкурс «Педагог года»", "Семинар 2024", "Семинар 2023"]
    assert titles(year=2024) == ["Конкурс «Педагог года»", "Семинар 2024"]
    assert titles(year=2023) == ["Семинар 2023"]
    assert titles(kind="contest") == ["Конкурс «Педагог года»"]
    assert titles(indicator="IOM") == ["Семинар 2024", "Семинар 2023"]
    assert titles(school=school.pk) == ["Конкурс «Педагог года»"]


def test_list_paginates_with_a_fixed_number_of_queries(
    client_for, methodologist, district, school, django_assert_num_queries
):
    for n in range(27):
        a_measure(district, title=f"Вебинар {n}", schools=[school])
    client = client_for(methodologist)
    client.get(reverse("effectiveness:measures"))
    # Session, user, role grants, district, years of the filter, count, the filter's
    # indicators and schools, the page, its indicators and schools; the session's save (3).
    with django_assert_num_queries(14):
        response = client.get(reverse("effectiveness:measures"), {"page": 2})
    assert "страница 2 из 2" in response.content.decode()
    assert len(rows(page(response))) == 1 + 2  # the header and two measures


def test_report_page_shows_verdicts_and_caveat(
    client_for, methodologist, signed_letters, district, school, django_assert_num_queries
):
    a_measure(district, indicators=[indicator("DIAG")], schools=[school])
    client = client_for(methodologist)
    url = reverse("effectiveness:report", args=[2024])
    client.get(url)
    # Session, user, role grants, district; years on record; the report (14); session (3).
    with django_assert_num_queries(22):
        response = client.get(url)
    html = response.content.decode()
    assert "Анализ эффективности мер за 2024/2025 учебный год" in html
    assert "Это сравнение, а не доказательство." in html
    assert "2023/2024" in html  # the years on record
    letters = client.get(reverse("effectiveness:report_letters", args=[2024])).content.decode()
    assert "ознакомлен" in letters and "ознакомление не подтверждено" in letters
    assert "улучшение" in letters and "ухудшение" in letters and "нет данных" in letters


def test_xlsx_export_has_every_section(client_for, methodologist, signed_letters):
    response = client_for(methodologist).get(reverse("effectiveness:report_export", args=[2024]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Письма 2023-2024", "Мероприятия", "Сводка", "Качество ДПО"]
    letters = book["Письма 2023-2024"]
    rows = [[c.value for c in row] for row in letters.iter_rows(min_row=2)]
    diag = next(
        r
        for r in rows
        if r[0].startswith("МБОУ") and r[3].startswith("Доля педагогов, прошедших диагностику")
    )
    assert diag[5:9] == [50.0, 51.0, 1.0, "без изменений"]


def _pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_analytical_report_pdf(client_for, methodologist, signed_letters, district, school):
    a_measure(
        district, title="Стажировка в ЦНППМ", indicators=[indicator("DIAG")], schools=[school]
    )
    response = client_for(methodologist).get(reverse("effectiveness:analytical_pdf", args=[2024]))
    text = _pdf_text(response.content)
    assert "Аналитическая справка" in text
    assert "40,0" in text  # the district's DIAG of 2024/2025, decimal comma
    assert "Стажировка в ЦНППМ" in text
    assert "ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ТЕСТОВОГО" in text  # the letterhead


def test_effectiveness_report_pdf(client_for, methodologist, signed_letters):
    response = client_for(methodologist).get(reverse("effectiveness:report_pdf", args=[2024]))
    text = _pdf_text(response.content)
    assert "Отчёт об эффективности мер" in text
    assert "50,0 %" in text and "51,0" in text


def test_pdf_without_the_offices_requisites_says_so(client_for, methodologist, district):
    response = client_for(methodologist).get(
        reverse("effectiveness:analytical_pdf", args=[2024]), follow=True
    )
    assert "Не заполнены реквизиты организации" in response.content.decode()


def test_the_measure_form_offers_indicators_by_name_under_their_groups(client_for, methodologist):
    html = page(client_for(methodologist).get(reverse("effectiveness:measure_new")))
    [box] = html.xpath("//div[@id='div_id_indicators']")
    groups = texts(box, ".//strong")
    assert groups[:2] == ["Диагностика и ИОМ", "Повышение квалификации"]
    assert len(groups) == len(set(groups))  # each group once
    labels = texts(box, ".//label[@class='form-check-label']")
    assert "Доля руководящих работников, прошедших диагностику профессиональных дефицитов" in labels
    assert not any("DIAG" in label or "_" in label for label in labels)  # no codes
    assert html.xpath("//input[@type='checkbox'][@name='indicators'][@value='DIAG_MGR']")


def test_the_report_opens_with_each_letter_in_brief(client_for, methodologist, signed_letters):
    html = page(client_for(methodologist).get(reverse("effectiveness:report", args=[2024])))
    header, *briefs = rows(html, "//table[@id='report-schools']")
    assert header[:2] == ["Адресат", "Показателей в письме"]
    assert len(briefs) == len(signed_letters)  # every signed letter of the year before
    for line in briefs:
        total, better, same, worse, unknown = (int(x) for x in line[1:6])
        assert total == better + same + worse + unknown
    first_section = html.xpath("//section")[0]
    assert first_section.get("aria-labelledby") == "schools-head"  # the summary comes first
    letters = reverse("effectiveness:report_letters", args=[2024])
    assert html.xpath(f"//section[@aria-labelledby='letters-head']//a[@href='{letters}']")
    first = html.xpath("//table[@id='report-schools']//tbody//th/a/@href")[0]
    assert first.startswith(f"{letters}?letter=")


def test_the_letters_page_shows_every_finding_a_page_of_letters_at_a_time(
    client_for, methodologist, signed_letters, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("effectiveness.views.LETTERS_PAGE_SIZE", 1)
    client = client_for(methodologist)
    url = reverse("effectiveness:report_letters", args=[2024])
    client.get(url)
    # Section 1 only (not the report's other sections: measures, closure, quality), and the
    # page's letters in full: their findings, this year's values of those, the responses.
    with django_assert_num_queries(16):
        first = page(client.get(url))
    addressees = "//section[@aria-labelledby='letters-head']//tbody/tr/th[@scope='rowgroup']"
    assert len(first.xpath(addressees)) == 1  # one letter on a page
    assert first.xpath("//nav[@aria-label='Страницы списка']")
    seen = {" ".join(first.xpath(addressees)[0].itertext())}
    for number in range(2, len(signed_letters) + 1):
        shown = page(client.get(f"{url}?page={number}")).xpath(addressees)
        seen.add(" ".join(shown[0].itertext()))
    assert len(seen) == len(signed_letters)  # every letter, each on its page


def test_the_letters_page_shows_one_letter_alone(client_for, methodologist, signed_letters):
    client = client_for(methodologist)
    url = reverse("effectiveness:report_letters", args=[2024])
    letter = next(iter(signed_letters.values()))
    html = page(client.get(f"{url}?letter={letter.pk}"))
    cells = html.xpath("//section[@aria-labelledby='letters-head']//tbody/tr/th[@scope='rowgroup']")
    assert [c.get("id") for c in cells] == [f"letter-{letter.pk}"]
    assert client.get(f"{url}?letter=0").status_code == 404  # no such letter of the year
