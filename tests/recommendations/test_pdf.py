import io
import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from pypdf import PdfReader

from profdev.pdf import STATIC_DIR, StaticOnlyFetcher
from recommendations.drafting import letters_draft
from recommendations.pdf import render_letter_pdf
from recommendations.services import letter_edit, letter_sign

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)  # points


@pytest.fixture
def letter(year, school, staff):
    return next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font used on the pages → whether its file is embedded."""
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            found[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return found


def test_draft_reads_as_an_official_letter(letter, school):
    reader, text = read(render_letter_pdf(letter))
    assert "Директору" in text and school.short_name in text and "П. С. Иванову" in text
    assert (
        "от ____________ № ____________ Об адресных рекомендациях по итогам мониторинга системы "
        "обеспечения профессионального развития педагогических работников за 2024/2025 учебный "
        "год" in text
    )  # no number before signing; the heading under the registration line
    assert "Уважаемый Пётр Сергеевич!" in text
    assert "целевые значения не достигнуты по 4 показателям" in text
    assert "Таблица 1. Показатели, по которым не достигнуты целевые значения" in text
    assert "45,0 % не менее 80,0 % 67,5 % за пределами" in text  # DIAG's row
    assert "Начальник отдела образования" in text and "О. В. Олейникова" in text
    assert "ОКПО 80200184, ОГРН 1073453000796, ИНН/КПП 3407011107/340701001" in text
    assert "ПРОЕКТ" in text
    assert "Тел. (84454) 5-43-26" in text  # the executor's mark
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4, abs=0.5
        )
    used = fonts(reader)
    assert used and all(used.values())
    assert all("Liberation-Serif" in name for name in used)


def test_pdf_is_pdf_a_3b(letter):
    reader, _ = read(render_letter_pdf(letter))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3" pdfaid:conformance="B"' in metadata


def test_page_numbers_start_on_page_two(letter):
    reader, _ = read(render_letter_pdf(letter))
    assert len(reader.pages) >= 2
    first, second = ([x.strip() for x in p.extract_text().split("\n")] for p in reader.pages[:2])
    assert "1" not in first
    assert "2" in second


def test_edited_text_cannot_fetch_anything(letter, methodologist):
    letter_edit(
        letter=letter,
        body='<p>Текст</p><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/hostname">',
        user=methodologist,
    )
    letter.refresh_from_db()
    assert "img" not in letter.body
    _, text = read(render_letter_pdf(letter))
    assert "Текст" in text


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.css", "file:///etc/passwd", f"{STATIC_DIR.as_uri()}/../manage.py"]
)
def test_the_renderer_serves_only_static_files(url):
    with pytest.raises(ValueError, match="Запрещённый ресурс"):
        StaticOnlyFetcher().fetch(url)
    assert StaticOnlyFetcher().fetch(f"{STATIC_DIR.as_uri()}/letters/letter.css").status == 200


@override_settings(PORTAL_URL="https://portal.example.ru")
def test_qr_links_to_the_verification_page(letter):
    from recommendations.pdf import verification_url

    assert verification_url(letter) == f"https://portal.example.ru/letters/verify/{letter.token}/"


def test_the_signed_letter_carries_the_qr_code_of_its_verification_page(letter, signer):
    from unittest import mock

    from profdev import pdf as renderer
    from recommendations import pdf

    rendered = []

    def keep(template, context):
        rendered.append(render_to_string(template, context))
        return rendered[-1]

    with mock.patch.object(renderer, "render_to_string", side_effect=keep):
        pdf.render_letter_pdf(letter)  # a draft: no QR code
        signed = letter_sign(letter=letter, user=signer)
    qr = f'<img src="{pdf.qr_data_uri(pdf.verification_url(signed))}"'
    assert qr not in rendered[0]
    assert qr in rendered[-1]
