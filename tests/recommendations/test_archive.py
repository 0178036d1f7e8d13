"""A year's signed letters in one ZIP with the outgoing register (.xlsx)."""

from io import BytesIO
from unittest import mock
from zipfile import ZipFile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from recommendations.models import LetterEvent
from recommendations.services import letter_sign
from tests import factories
from tests.html import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_three(numbered, signer):
    """№ 10, № 2 and the district letter signed, in that order; № 1 left a draft."""
    return [
        letter_sign(letter=numbered[name], user=signer)
        for name in ("МБОУ СОШ № 10", "МБОУ СОШ № 2", "Руководителям ОО")
    ]


def test_the_zip_holds_the_signed_pdfs_in_natural_order_and_the_register(
    client_for, methodologist, signed_three, year
):
    client = client_for(methodologist)
    listing = page(client.get(reverse("recommendations:list"), {"year": year.pk}))
    [link] = listing.xpath("//a[starts-with(normalize-space(.), 'Скачать подписанные')]/@href")
    response = client.get(link)
    assert response["Content-Type"] == "application/zip"
    assert f"letters-{year.district.code}-2024-2025.zip" in response["Content-Disposition"]
    archive = ZipFile(BytesIO(response.content))
    ten, two, district = signed_three
    number = ten.number.replace("/", "_")
    assert archive.namelist() == [
        f"{district.number.replace('/', '_')} Руководителям ОО.pdf",
        f"{two.number.replace('/', '_')} МБОУ СОШ № 2.pdf",
        f"{number} МБОУ СОШ № 10.pdf",
        "Журнал исходящих.xlsx",
    ]
    assert archive.read(f"{number} МБОУ СОШ № 10.pdf") == bytes(ten.pdf)
    sheet = load_workbook(BytesIO(archive.read("Журнал исходящих.xlsx"))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Исходящий номер", "Дата", "Адресат", "Заголовок", "Подписал", "SHA-256"]
    signer = f"{ten.signer_position} Олейникова Ольга Владимировна"
    assert [row[0] for row in values[1:]] == [ten.number, two.number, district.number]
    assert values[1][2:] == ["МБОУ СОШ № 10", ten.title, signer, ten.sha256]
    assert values[1][1].date() == ten.date
    downloads = LetterEvent.objects.filter(kind="downloaded", user=methodologist)
    assert downloads.count() == 3


def test_a_changed_pdf_stops_the_zip(client_for, methodologist, signed_three, year):
    with mock.patch("recommendations.sealing.sha256_hex", return_value="0" * 64):
        response = client_for(methodologist).get(reverse("recommendations:archive", args=[year.pk]))
    assert response.status_code == 409
    assert "контрольная сумма не совпадает" in response.content.decode()


def test_the_zip_is_for_the_districts_staff_only(client_for, school_admin, head, year):
    link = reverse("recommendations:archive", args=[year.pk])
    assert client_for(head).get(link).status_code == 200
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role="methodologist", district=factories.DistrictFactory(code="OTHER")
    )
    for user in (school_admin, outsider):
        assert client_for(user).get(link).status_code == 404
