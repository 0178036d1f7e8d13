"""The КЭП pages: the head's certificate, signing a letter (prepare, download, upload), the
school's ZIP of the PDF and its signature, and the public verification page."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.archive import pdf_name
from recommendations.kep.services import letter_attach_signature, letter_prepare_signature
from recommendations.models import Letter, OutgoingRegister, QualifiedCertificate
from tests.recommendations import kep_pki

pytestmark = pytest.mark.django_db
NOW = dt.datetime.now(dt.UTC)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture
def kep_signed(kep_head, letter, pki):
    pdf = bytes(letter_prepare_signature(letter=letter, user=kep_head).pdf)
    signature = kep_pki.cades(pdf, pki.head, at=NOW)
    return letter_attach_signature(letter=letter, user=kep_head, signature=signature)


def test_the_head_registers_a_certificate_and_sees_it(year, head, trusted, pki, client_for):
    client = client_for(head)
    page = client.get(reverse("recommendations:kep_certificate"))
    assert "Сертификат КЭП не зарегистрирован" in page.text
    assert 'value="Начальник отдела образования"' in page.text  # from the requisites
    response = client.post(
        reverse("recommendations:kep_certificate"),
        {
            "file": upload("head.cer", pki.head.certificate.der),
            "signer_position": "Начальник отдела образования",
        },
        follow=True,
    )
    assert "Сертификат КЭП зарегистрирован." in response.text
    assert pki.head.certificate.serial_number in response.text
    assert "Тестовый УЦ" in response.text and "Олейникова Ольга Владимировна" in response.text


def test_a_refused_certificate_is_explained_and_nothing_is_registered(
    head, trusted, pki, client_for
):
    response = client_for(head).post(
        reverse("recommendations:kep_certificate"),
        {"file": upload("old.cer", pki.expired.certificate.der), "signer_position": "Начальник"},
    )
    assert response.status_code == 200
    assert "срок его действия истёк" in response.text
    assert not QualifiedCertificate.objects.exists()


@pytest.mark.parametrize("who", ["methodologist", "school_admin"])
def test_only_a_head_reaches_the_kep_pages(request, who, letter, client_for):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("recommendations:kep_certificate")).status_code == 404
    assert client.get(reverse("recommendations:kep_sign", args=[letter.pk])).status_code == 404
    prepared = client.get(reverse("recommendations:kep_prepared", args=[letter.pk]))
    assert prepared.status_code == 404


def test_the_head_prepares_downloads_and_signs(kep_head, letter, pki, client_for):
    client = client_for(kep_head)
    url = reverse("recommendations:kep_sign", args=[letter.pk])
    assert "Подготовить PDF" in client.get(url).text
    page = client.post(url, {"prepare": "1"}, follow=True)
    assert "номер <strong>01-14/1</strong>" in page.text
    pdf = client.get(reverse("recommendations:kep_prepared", args=[letter.pk])).content
    assert pdf.startswith(b"%PDF")
    signature = kep_pki.cades(pdf, pki.head, at=NOW)
    response = client.post(url, {"file": upload("letter.pdf.sig", signature)}, follow=True)
    assert "Письмо подписано квалифицированной электронной подписью." in response.text
    letter.refresh_from_db()
    assert (letter.status, letter.number, bytes(letter.pdf)) == (
        Letter.State.SIGNED,
        "01-14/1",
        pdf,
    )


def test_a_refused_signature_is_explained_and_nothing_changes(kep_head, letter, pki, client_for):
    client = client_for(kep_head)
    url = reverse("recommendations:kep_sign", args=[letter.pk])
    client.post(url, {"prepare": "1"})
    other = kep_pki.cades(b"another file", pki.head, at=NOW)
    response = client.post(url, {"file": upload("other.sig", other)})
    assert response.status_code == 200
    assert "Подпись сделана под другим документом" in response.text
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.signature) == (Letter.State.DRAFT, "01-14/1", None)
    assert OutgoingRegister.objects.get().next_number == 2


def test_the_school_downloads_the_pdf_and_its_signature_together(
    kep_signed, school_admin, other_school_admin, client_for
):
    url = reverse("recommendations:kep_package", args=[kep_signed.pk])
    response = client_for(school_admin).get(url)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = pdf_name(kep_signed)
    assert name == f"01-14_1 {kep_signed.school.short_name}.pdf"
    assert archive.namelist() == [name, name + ".sig"]
    assert archive.read(name) == bytes(kep_signed.pdf)
    assert archive.read(name + ".sig") == bytes(kep_signed.signature)
    assert client_for(other_school_admin).get(url).status_code == 404


def test_a_pades_letter_has_no_signature_package(signed, school_admin, client_for):
    url = reverse("recommendations:kep_package", args=[signed.pk])
    assert client_for(school_admin).get(url).status_code == 404


def test_the_public_page_shows_the_kep_details_and_offers_the_sig(
    kep_signed, pki, client, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the letter; its seal
        page = client.get(reverse("recommendations:verify", args=[kep_signed.token]))
    assert "Подпись действительна" in page.text
    assert "Квалифицированная электронная подпись (КЭП)" in page.text
    assert pki.head.certificate.serial_number in page.text
    assert "Тестовый УЦ" in page.text
    assert "Что не удалось проверить" in page.text
    sig_url = reverse("recommendations:kep_signature", args=[kep_signed.token])
    assert sig_url in page.text
    assert client.get(sig_url).content == bytes(kep_signed.signature)


def test_an_unsigned_letter_has_no_public_signature(letter, client):
    url = reverse("recommendations:kep_signature", args=[letter.token])
    assert client.get(url).status_code == 404


def test_the_years_zip_holds_the_sig_and_the_register_shows_a_reserved_number(
    kep_signed, kep_head, client_for
):
    reserved = Letter.objects.get(monitoring_year=kep_signed.monitoring_year, school=None)
    letter_prepare_signature(letter=reserved, user=kep_head)  # reserved, never signed: № 2
    client = client_for(kep_head)
    response = client.get(reverse("recommendations:archive", args=[kep_signed.monitoring_year_id]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = pdf_name(kep_signed)
    assert archive.namelist() == [name, name + ".sig", "Журнал исходящих.xlsx"]
    assert archive.read(name + ".sig") == bytes(kep_signed.signature)
    sheet = load_workbook(io.BytesIO(archive.read("Журнал исходящих.xlsx"))).active
    rows = [[c.value for c in row][:5:4] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["01-14/1", "Начальник отдела образования Олейникова Ольга Владимировна"],
        ["01-14/2", "номер зарезервирован для подписи КЭП, письмо не подписано"],
    ]
    page = client.get(reverse("recommendations:register"))
    assert "Зарезервированы для подписи КЭП и ещё не подписаны: № 01-14/2" in page.text


def test_the_administrator_registers_a_heads_certificate(head, trusted, pki, admin_client):
    response = admin_client.post(
        reverse("admin:recommendations_qualifiedcertificate_add"),
        {
            "user": head.pk,
            "signer_position": "И. о. начальника",
            "certificate_file": upload("head.cer", pki.head.certificate.der),
        },
    )
    assert response.status_code == 302
    registered = QualifiedCertificate.objects.get(user=head)
    assert (registered.signer_position, registered.issuer) == ("И. о. начальника", "Тестовый УЦ")
    refused = admin_client.post(
        reverse("admin:recommendations_qualifiedcertificate_change", args=[registered.pk]),
        {
            "user": head.pk,
            "signer_position": "Начальник",
            "certificate_file": upload("old.cer", pki.untrusted.certificate.der),
        },
    )
    assert "которого нет среди доверенных" in refused.text
    registered.refresh_from_db()
    assert registered.signer_position == "И. о. начальника"
