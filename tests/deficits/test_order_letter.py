"""The course order issued to a provider as an official letter: drafted from the order page,
edited, numbered and signed (PAdES and КЭП) as every letter, listed with its kind."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from deficits.letter import order_letter_draft
from deficits.models import CourseOrder, CourseOrderLine
from recommendations.kep.services import (
    certificate_register,
    letter_attach_signature,
    letter_prepare_signature,
)
from recommendations.models import Letter
from recommendations.services import (
    letter_edit,
    letter_pdf,
    letter_send,
    letter_sign,
    letter_verification,
    register_update,
)
from recommendations.signing import validate_signature
from tests import factories
from tests.deficits.test_order import ORDER, built  # noqa: F401 (fixtures)
from tests.deficits.test_views import diagnostic, staff, threshold  # noqa: F401 (fixtures)
from tests.effectiveness.pdf import text as pdf_text
from tests.html import page, rows, texts
from tests.recommendations import kep_pki
from tests.recommendations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def letter_url(provider) -> str:
    return reverse("deficits:order_letter", args=[2024, provider.pk])


@pytest.fixture
def provider(built, district):  # noqa: F811
    """ГАУ ДПО «ИРО» takes the digital line (2 people: one per school) with 3 places and the
    subject line (1 person) with 1 place."""
    OrganisationFactory(district=district)
    provider = factories.ProviderFactory(name="ГАУ ДПО «Институт развития образования»")
    CourseOrderLine.objects.filter(component="digital").update(
        provider=provider,
        programme="Цифровая образовательная среда",
        form="mixed",
        hours=36,
        number=3,
    )
    CourseOrderLine.objects.filter(component="subject").update(provider=provider, number=1)
    return provider


@pytest.fixture
def letter(provider, methodologist):
    return order_letter_draft(
        order=CourseOrder.objects.get(), provider=provider, user=methodologist
    ).letter


def test_the_letter_is_drafted_from_the_order_page(
    client_for, methodologist, provider, school, other_school
):
    client = client_for(methodologist)
    order_page = page(client.get(ORDER))
    [button] = order_page.xpath("//button[normalize-space(.)='Оформить письмо исполнителю']")
    assert "Институт развития образования" in "".join(button.xpath("ancestor::li//text()"))

    response = client.post(letter_url(provider), follow=True)

    letter = Letter.objects.get()
    assert response.redirect_chain == [(reverse("recommendations:detail", args=[letter.pk]), 302)]
    assert "Письмо организации «ГАУ ДПО «Институт развития образования»» составлено." in texts(
        page(response), "//div[contains(@class,'alert')]"
    )
    assert (letter.kind, letter.provider, letter.school, letter.status) == (
        Letter.Kind.COURSE_ORDER,
        provider,
        None,
        Letter.State.DRAFT,
    )
    assert letter.addressee == "Руководителю\nГАУ ДПО «Институт развития образования»"
    assert letter.monitoring_year.year == 2024
    order = letter.figures["order"]
    assert [(x["component"], x["number"]) for x in order["lines"]] == [
        ("Предметный", 1),
        ("Цифровой", 3),
    ]
    assert order["total"] == 4
    # the places per school and line, schools in natural order
    assert [(row["school"], row["places"]) for row in order["schools"]] == [
        (school.short_name, [1, 1]),
        (other_school.short_name, [0, 1]),
    ]
    # the page now links the letter and offers to draft it again
    again = page(client.get(ORDER))
    assert again.xpath("//a[normalize-space(.)='Письмо: черновик']")
    assert again.xpath("//button[normalize-space(.)='Составить письмо заново']")


def test_the_letter_reads_as_an_official_letter_with_its_appendix(letter, school, other_school):
    text = pdf_text(letter_pdf(letter))
    assert "от ____________ № ____________" in text  # a draft
    assert "Руководителю ГАУ ДПО «Институт развития образования»" in text
    assert "О плане-заказе на обучение педагогических работников" in text
    assert "Уважаемые коллеги!" in text
    assert "по 2 программам, всего 4 места:" in text
    assert "программа по тематике «предметная» (предметный компонент) — 1 место;" in text
    assert (
        "«Цифровая образовательная среда» (цифровой компонент, очно-заочная, 36 ч) — 3 места."
        in (text)
    )
    assert "Приложение: на 1 л. в 1 экз." in text
    assert "Таблица 1. План-заказ на 2025/2026 учебный год" in text
    assert "1 Предметный: предметная" in text and "2 Цифровой: цифровые" in text
    assert "Итого 4" in text
    assert "Таблица 2. Педагоги целевых групп по образовательным организациям" in text
    assert f"1 {school.short_name} 1 1 2 {other_school.short_name} 0 1" in text


def test_the_letter_is_numbered_and_signed_with_pades(letter, methodologist, signer, district):
    register_update(district=district, year=2026, number_format="01-14/{n}", next_number=41)
    letter_send(letter=letter, user=methodologist)
    with time_machine.travel(dt.datetime(2026, 2, 3, 10, 0, tzinfo=dt.UTC)):
        signed = letter_sign(letter=letter, user=signer)
    assert (signed.number, signed.serial, signed.date) == ("01-14/41", 41, dt.date(2026, 2, 3))
    check = validate_signature(bytes(signed.pdf), bytes(signed.signer_certificate))
    assert check.intact and check.valid
    text = pdf_text(bytes(signed.pdf))
    assert "от 03.02.2026 № 01-14/41" in text and "ПРОЕКТ" not in text
    assert "Приложение к письму от 03.02.2026 № 01-14/41" in text
    assert letter_verification(signed)["school"] == "ГАУ ДПО «Институт развития образования»"


def test_the_letter_is_signed_with_a_qualified_signature(letter, head, settings, tmp_path):
    pki = kep_pki.build(dt.datetime.now(dt.UTC))
    folder = tmp_path / "trusted"
    folder.mkdir()
    for name, data in pki.trusted_files().items():
        (folder / name).write_bytes(data)
    settings.PROFDEV_TRUSTED_CERTS = str(folder)
    certificate_register(
        user=head, data=pki.head.certificate.der, signer_position="Начальник отдела образования"
    )
    pdf = bytes(letter_prepare_signature(letter=letter, user=head).pdf)
    der = kep_pki.cades(pdf, pki.head, at=dt.datetime.now(dt.UTC))

    signed = letter_attach_signature(letter=letter, user=head, signature=der)

    assert (signed.status, signed.number) == (Letter.State.SIGNED, "01-14/1")
    assert letter_verification(signed)["valid"]
    assert "Таблица 1. План-заказ на 2025/2026 учебный год" in pdf_text(pdf)


def test_drafting_again_refreshes_the_figures_and_keeps_an_edited_text(
    letter, methodologist, signer, provider
):
    letter_edit(letter=letter, body="<p>Свой текст письма.</p>", user=methodologist)
    CourseOrderLine.objects.filter(component="digital").update(number=5)
    order = CourseOrder.objects.get()

    again = order_letter_draft(order=order, provider=provider, user=methodologist)

    assert not again.created and again.letter.pk == letter.pk
    assert again.letter.body == "<p>Свой текст письма.</p>"
    assert again.letter.figures["order"]["total"] == 6
    signed = letter_sign(letter=again.letter, user=signer)
    with pytest.raises(Exception, match="подписанное письмо не меняется"):
        order_letter_draft(order=order, provider=provider, user=methodologist)
    assert Letter.objects.get(pk=signed.pk).figures["order"]["total"] == 6


def test_a_provider_without_places_gets_no_letter(client_for, methodologist, provider):
    other = factories.ProviderFactory(name="АНО ДПО «Другая»")
    response = client_for(methodologist).post(letter_url(other), follow=True)
    assert response.redirect_chain == [(ORDER, 302)]
    assert "нет строк с организацией «АНО ДПО «Другая»» и числом мест больше нуля" in " ".join(
        texts(page(response), "//div[contains(@class,'alert')]")
    )
    assert not Letter.objects.exists()


def test_the_letters_list_shows_each_kind(client_for, methodologist, letter):
    listing = page(client_for(methodologist).get(reverse("recommendations:list")))
    kinds = {r[0]: r[3] for r in rows(listing)[1:]}
    assert kinds["ГАУ ДПО «Институт развития образования»"] == "План-заказ исполнителю"


def test_a_school_administrator_neither_drafts_nor_reads_it(client_for, school_admin, letter):
    client = client_for(school_admin)
    assert client.post(letter_url(letter.provider)).status_code == 404
    assert client.get(reverse("recommendations:detail", args=[letter.pk])).status_code == 404
    listing = client.get(reverse("recommendations:list"))
    assert "Институт развития образования" not in listing.content.decode()


def test_the_order_page_with_letters_has_a_fixed_query_count(
    client_for, methodologist, provider, letter, django_assert_num_queries
):
    client = client_for(methodologist)
    client.get(ORDER)
    # As without providers (test_order), and the providers' letters (1).
    with django_assert_num_queries(4 + 4 + 6 + 3):
        client.get(ORDER)
    other = factories.ProviderFactory(name="АНО ДПО «Другая»")
    CourseOrderLine.objects.filter(component="subject").update(provider=other)
    order_letter_draft(order=CourseOrder.objects.get(), provider=other, user=methodologist)
    with django_assert_num_queries(4 + 4 + 6 + 3):
        client.get(ORDER)
