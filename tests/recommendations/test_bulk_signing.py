"""Signing with one confirmation that shows the certificate; many letters at once in a
background job; all drafts of a year sent for signature in one step."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from profdev.models import Job
from recommendations.bulk import sign_letters
from recommendations.models import Letter, LetterEvent, SigningCertificate
from recommendations.services import letter_return, letter_send
from recommendations.signing import validate_signature
from tests import factories
from tests.html import page, rows, text, texts
from tests.recommendations.factories import MonitoringYearFactory

pytestmark = pytest.mark.django_db

SELECTED = reverse("recommendations:sign_selected")


def url(name, *args):
    return reverse(f"recommendations:{name}", args=args)


def certificate_shown(response) -> dict[str, str]:
    [details] = page(response).xpath("//dl[@data-certificate]")
    return dict(zip(texts(details, "dt"), texts(details, "dd"), strict=True))


@pytest.fixture
def sent(numbered, methodologist):
    """The three numbered schools' letters sent for signature, by addressee."""
    return {
        name: letter_send(letter=numbered[name], user=methodologist)
        for name in ("МБОУ СОШ № 10", "МБОУ СОШ № 2", "МБОУ СОШ № 1")
    }


def test_signing_one_letter_shows_the_certificate_first(client_for, signer, sent):
    letter = sent["МБОУ СОШ № 2"]
    client = client_for(signer)
    detail = page(client.get(url("detail", letter.pk)))
    [link] = detail.xpath("//a[starts-with(normalize-space(.), 'Подписать')]/@href")
    response = client.get(link)
    certificate = SigningCertificate.objects.get(user=signer)
    assert certificate_shown(response) == {
        "Владелец": "Олейникова Ольга Владимировна",
        "Серийный номер": certificate.serial_number,
        "Действителен": f"с {timezone.localtime(certificate.valid_from):%d.%m.%Y} "
        f"по {timezone.localtime(certificate.valid_until):%d.%m.%Y}",
        "Подпись в письме": f"{certificate.signer_position} {certificate.signer_name}",
    }
    assert Letter.objects.get(pk=letter.pk).status == "sent"  # nothing signed by looking
    [form] = page(response).xpath("//form[.//button[normalize-space(.)='Подписать']]")
    assert form.get("method") == "post" and form.xpath(".//input[@name='csrfmiddlewaretoken']")
    response = client.post(form.get("action"), follow=True)
    assert "Письмо подписано." in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == "signed"


def test_an_expired_certificate_is_refused_in_russian(client_for, signer, sent):
    letter = sent["МБОУ СОШ № 2"]
    yesterday = timezone.now() - dt.timedelta(days=1)
    SigningCertificate.objects.filter(user=signer).update(valid_until=yesterday)
    client = client_for(signer)
    for response in (
        client.get(url("sign", letter.pk)),
        client.get(SELECTED, {"letter": letter.pk}),
        client.post(url("sign", letter.pk), follow=True),
        client.post(SELECTED, {"letter": letter.pk}, follow=True),
    ):
        assert f"по {timezone.localdate(yesterday):%d.%m.%Y}: срок его действия истёк" in (
            response.content.decode()
        )
        assert not page(response).xpath("//button[normalize-space(.)='Подписать']")
    assert Letter.objects.get(pk=letter.pk).status == "sent"
    assert not Job.objects.exists()


def test_a_methodologist_is_refused_and_an_outsider_gets_404(
    client_for, methodologist, school_admin, sent
):
    letter = sent["МБОУ СОШ № 2"]
    response = client_for(methodologist).get(url("sign", letter.pk))
    assert "не является начальником" in text(page(response).xpath("//div[@role='alert']")[0])
    response = client_for(methodologist).post(SELECTED, {"letter": letter.pk}, follow=True)
    assert "не является начальником" in response.content.decode()
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role="head", district=factories.DistrictFactory(code="OTHER")
    )
    assert client_for(outsider).get(url("sign", letter.pk)).status_code == 404
    response = client_for(outsider).get(SELECTED, {"letter": letter.pk}, follow=True)
    assert "Отметьте письма" in response.content.decode()  # not hers: nothing to sign
    assert client_for(school_admin).get(SELECTED, {"letter": letter.pk}).status_code == 404
    assert client_for(school_admin).post(SELECTED, {"letter": letter.pk}).status_code == 404
    assert Letter.objects.get(pk=letter.pk).status == "sent" and not Job.objects.exists()


def test_the_head_signs_the_selected_letters_with_one_confirmation(client_for, signer, sent):
    client = client_for(signer)
    inbox = page(client.get(f"{url('list')}?year=all&status=sent"))
    boxes = inbox.xpath("//input[@type='checkbox'][@name='letter']/@value")
    assert sorted(boxes) == sorted(str(x.pk) for x in sent.values())
    response = client.get(SELECTED, {"letter": boxes})
    assert certificate_shown(response)["Владелец"] == "Олейникова Ольга Владимировна"
    assert [r[0] for r in rows(page(response))[1:]] == [
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]
    [form] = page(response).xpath("//form[.//button[normalize-space(.)='Подписать']]")
    data = {"letter": form.xpath(".//input[@name='letter']/@value")}
    response = client.post(form.get("action"), data, follow=True)
    assert "Подписано писем: 3 из 3." in text(page(response).xpath("//div[@role='status']")[0])
    letters = sorted(Letter.objects.filter(pk__in=boxes), key=lambda x: x.serial)
    assert [x.school.short_name for x in letters] == [
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]
    first = letters[0].serial
    assert [x.serial for x in letters] == [first, first + 1, first + 2]
    for letter in letters:
        assert letter.status == "signed"
        check = validate_signature(bytes(letter.pdf), bytes(letter.signer_certificate))
        assert check.ok and "Олейникова" in check.signer
    job = Job.objects.get()
    assert (job.status, job.done, job.total, job.message) == ("done", 3, 3, "подписано")


def test_every_letter_awaiting_signature_in_one_confirmation(client_for, signer, sent):
    client = client_for(signer)
    inbox = page(client.get(f"{url('list')}?year=all&status=sent"))
    [link] = inbox.xpath("//a[normalize-space(.)='Подписать все письма на подписи (3)']/@href")
    confirmation = page(client.get(link))
    assert [r[0] for r in rows(confirmation)[1:]] == [
        "МБОУ СОШ № 1",
        "МБОУ СОШ № 2",
        "МБОУ СОШ № 10",
    ]


def test_a_letter_that_cannot_be_signed_is_named_and_the_others_are_signed(
    signer, sent, methodologist
):
    """A letter returned after it was selected: the job reports it, the others sign."""
    letter_return(letter=sent["МБОУ СОШ № 2"], user=signer, comment="Уточнить сроки")
    job = sign_letters.enqueue(
        user=signer, letter_ids=sorted(x.pk for x in sent.values()), district=None
    )
    job.refresh_from_db()
    assert job.status == "done"
    assert job.result["message"] == "Подписано писем: 2 из 3."
    assert job.result["warnings"] == [
        "МБОУ СОШ № 2: Письмо возвращено на доработку: подписать его нельзя."
    ]
    assert (job.done, job.total, job.message) == (2, 3, "не подписано: 1; подписано")
    states = {
        x.school.short_name: x.status
        for x in Letter.objects.filter(pk__in=job.arguments["letter_ids"])
    }
    assert states == {
        "МБОУ СОШ № 1": "signed",
        "МБОУ СОШ № 2": "returned",
        "МБОУ СОШ № 10": "signed",
    }


def test_when_no_letter_signs_the_job_fails_naming_them(signer, sent):
    SigningCertificate.objects.filter(user=signer).update(valid_until=timezone.now())  # expired
    job = sign_letters.enqueue(user=signer, letter_ids=[sent["МБОУ СОШ № 1"].pk])
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "Ни одно письмо не подписано.")
    assert job.result["details"][0].startswith("МБОУ СОШ № 1: Сертификат подписи")


def test_send_all_drafts_of_a_year_in_one_step(client_for, methodologist, head, numbered, year):
    returned = letter_send(letter=numbered["МБОУ СОШ № 1"], user=methodologist)
    letter_return(letter=returned, user=head, comment="Доработать")
    older = MonitoringYearFactory(district=year.district, year=2023)
    old_draft = Letter.objects.create(
        monitoring_year=older,
        kind=Letter.Kind.DISTRICT,
        title="2023",
        addressee="Руководителям ОО",
        body="<p>x</p>",
    )
    client = client_for(methodologist)
    listing = page(client.get(url("list"), {"year": year.pk}))
    drafts = len(numbered) - 1
    assert drafts == 4
    [link] = listing.xpath(
        f"//a[normalize-space(.)='Направить все черновики на подпись ({drafts})']/@href"
    )
    confirmation = page(client.get(link))
    assert "будут направлены 4\u00a0черновика" in text(confirmation.xpath("//main//p")[0])
    assert "МБОУ СОШ № 1" not in texts(confirmation, "//main//li")
    response = client.post(link, follow=True)
    assert "Направлено на подпись: 4 письма." in response.content.decode()
    states = dict(Letter.objects.filter(monitoring_year=year).values_list("pk", "status"))
    assert states.pop(returned.pk) == "returned"
    assert set(states.values()) == {"sent"}
    assert LetterEvent.objects.filter(kind="sent", user=methodologist).count() == drafts + 1
    assert Letter.objects.get(pk=old_draft.pk).status == "draft"


def test_send_all_is_for_the_districts_staff_only(client_for, school_admin, numbered, year):
    link = url("send_all", year.pk)
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role="methodologist", district=factories.DistrictFactory(code="OTHER")
    )
    for user in (school_admin, outsider):
        assert client_for(user).get(link).status_code == 404
        assert client_for(user).post(link).status_code == 404
    assert set(Letter.objects.values_list("status", flat=True)) == {"draft"}
