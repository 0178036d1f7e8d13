import pytest
from django.urls import reverse

from profdev.models import Job
from recommendations import services
from recommendations.models import Letter, LetterEvent, RecommendationRule
from recommendations.services import letter_send
from tests import factories
from tests.html import page, texts

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"recommendations:{name}", args=args)


def test_methodologist_lists_and_generates(client_for, methodologist, year, school, other_school):
    client = client_for(methodologist)
    response = client.post(url("generate", year.pk), follow=True)
    # Drafted in the background: the job's page reports it and links to the year's letters.
    [job] = Job.objects.all()
    assert response.redirect_chain == [(reverse("job", args=[job.pk]), 302)]
    assert job.title == f"Составление писем: {year.label}" and job.district == year.district
    html = page(response)
    assert texts(html, "//div[@role='status']") == [
        "Составлено новых писем: 2, обновлено черновиков: 0, удалено неактуальных черновиков: 0."
    ]
    [link] = html.xpath("//a[text()='Перейти к результату']")
    assert link.get("href") == f"{url('list')}?year={year.pk}"
    assert Letter.objects.filter(monitoring_year=year).count() == 2
    listed = client.get(url("list"), {"year": year.pk}).content.decode()
    assert school.short_name in listed and "Руководителям ОО" in listed
    assert other_school.short_name not in listed


def test_letter_list_query_count_does_not_grow(
    client_for, methodologist, letters, year, django_assert_num_queries, school_admin, signed
):
    client = client_for(methodologist)
    client.post(url("confirm", signed.pk))  # a methodologist cannot confirm: 404, no event
    LetterEvent.objects.create(letter=signed, kind="confirmed", user=school_admin)
    with django_assert_num_queries(10):
        response = client.get(url("list"), {"year": year.pk})
    assert school_admin.username in response.content.decode()


def test_edit_send_sign_flow(client_for, methodologist, signer, letters, school):
    letter = letters[school.pk]
    client = client_for(methodologist)
    response = client.post(
        url("edit", letter.pk), {"body": "<p>Новый текст<script>x</script></p>"}, follow=True
    )
    assert "Текст письма сохранён." in response.content.decode()
    letter.refresh_from_db()
    assert (letter.body, letter.edited) == ("<p>Новый текст</p>", True)
    client.post(url("send", letter.pk))
    assert Letter.objects.get(pk=letter.pk).status == "sent"
    client = client_for(signer)
    client.post(url("sign", letter.pk))
    letter.refresh_from_db()
    assert letter.status == "signed" and letter.number


def test_head_returns_with_a_comment(client_for, methodologist, head, letters, school):
    letter = letter_send(letter=letters[school.pk], user=methodologist)
    client_for(head).post(url("return", letter.pk), {"comment": "Уточнить сроки"})
    letter.refresh_from_db()
    assert (letter.status, letter.return_comment) == ("returned", "Уточнить сроки")


def test_methodologist_cannot_sign(client_for, methodologist, letters, school):
    response = client_for(methodologist).post(url("sign", letters[school.pk].pk), follow=True)
    assert "не является начальником" in response.content.decode()
    assert Letter.objects.get(pk=letters[school.pk].pk).status == "draft"


def test_a_signed_letter_cannot_be_edited_or_resigned_via_views(
    client_for, methodologist, signer, signed
):
    client = client_for(methodologist)
    response = client.post(url("edit", signed.pk), {"body": "<p>Подмена</p>"}, follow=True)
    assert "изменить его нельзя" in response.content.decode()
    response = client_for(signer).post(url("sign", signed.pk), follow=True)
    assert "уже подписано" in response.content.decode()
    assert Letter.objects.get(pk=signed.pk).sha256 == signed.sha256


def test_school_admin_downloads_and_confirms(client_for, school_admin, signed):
    client = client_for(school_admin)
    assert signed.title in client.get(url("list")).content.decode()
    response = client.get(url("pdf", signed.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(signed.pdf)
    client.post(url("confirm", signed.pk))
    kinds = set(
        LetterEvent.objects.filter(letter=signed, user=school_admin).values_list("kind", flat=True)
    )
    assert kinds == {"downloaded", "confirmed"}


def test_the_workspace_asks_for_the_unread_letter_until_it_is_acknowledged(
    client_for, school_admin, signed, school
):
    client = client_for(school_admin)
    workspace = reverse("school_workspace", args=[school.code])
    html = client.get(workspace).content.decode()
    link = f'<a class="alert-link" href="{url("detail", signed.pk)}">'
    assert f"{link}Письмо от {signed.date:%d.%m.%Y}" in html
    assert "ещё не прочитано: откройте его и отметьте ознакомление" in html
    detail = client.get(url("detail", signed.pk)).content.decode()
    assert ">Отметить ознакомление</button>" in detail  # an action, not a status
    client.post(url("confirm", signed.pk))
    assert "ещё не прочитано" not in client.get(workspace).content.decode()


def test_school_admin_sees_no_drafts(client_for, school_admin, letters, school):
    client = client_for(school_admin)
    assert client.get(url("detail", letters[school.pk].pk)).status_code == 404
    assert client.get(url("pdf", letters[school.pk].pk)).status_code == 404


def test_outsiders_get_404(client_for, other_school_admin, signed):
    client = client_for(other_school_admin)
    for name in ("detail", "pdf"):
        assert client.get(url(name, signed.pk)).status_code == 404
    assert client.post(url("confirm", signed.pk)).status_code == 404
    for name in ("edit", "send", "sign", "return"):
        assert client.post(url(name, signed.pk)).status_code == 404
    assert client.get(url("rules")).status_code == 404
    assert client.get(url("register")).status_code == 404


def test_methodologist_of_another_district_gets_404(client_for, signed, year):
    other = factories.DistrictFactory(code="OTHER")
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(user=outsider, role="methodologist", district=other)
    client = client_for(outsider)
    assert client.get(url("detail", signed.pk)).status_code == 404
    assert client.post(url("generate", year.pk)).status_code == 404


@pytest.mark.parametrize("role", ["methodologist", "head"])
def test_district_staff_of_another_district_cannot_act_on_a_draft(
    client_for, letters, school, role
):
    """The letter lookup itself is scoped, not only the role check before it."""
    draft = letters[school.pk]
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role=role, district=factories.DistrictFactory(code="OTHER")
    )
    client = client_for(outsider)
    assert client.get(url("pdf", draft.pk)).status_code == 404
    for name in ("edit", "send", "sign", "return"):
        assert client.post(url(name, draft.pk), {"body": "<p>чужое</p>"}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Letter.State.DRAFT and "чужое" not in draft.body
    assert not draft.events.exclude(kind=LetterEvent.Kind.CREATED).exists()


def test_tampered_pdf_is_refused_with_a_clear_message(client_for, school_admin, signed):
    # The database refuses to change a signed row, so simulate damage on read.
    from unittest import mock

    with mock.patch("recommendations.sealing.sha256_hex", return_value="0" * 64):
        response = client_for(school_admin).get(url("pdf", signed.pk))
    assert response.status_code == 409
    assert "контрольная сумма не совпадает" in response.content.decode()


def test_verification_page_is_public_and_shows_no_personal_data(client, signed, school, staff):
    response = client.get(url("verify", signed.token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Подпись действительна" in page
    assert signed.number in page and signed.sha256 in page and school.short_name in page
    assert "О. В. Олейникова" in page
    for personal in ("Сидорова", "Алексеева", "Иванову", "Иванов"):
        assert personal not in page
    assert b"%PDF" not in response.content
    assert client.get(url("verify", "not-a-token")).status_code == 404


def test_verification_of_a_draft_is_404(client, letters, school):
    assert client.get(url("verify", letters[school.pk].token)).status_code == 404


def test_methodologist_edits_rules(client_for, methodologist):
    rule = RecommendationRule.objects.filter(indicator_id="DIAG").first()
    client = client_for(methodologist)
    assert rule.text[:40] in client.get(url("rules")).content.decode()
    client.post(
        url("rule_edit", rule.pk),
        {
            "indicator": "DIAG",
            "trigger": "red",
            "audience": "teachers",
            "text": " Новый текст ",
            "active": "on",
            "order": 1,
        },
    )
    rule.refresh_from_db()
    assert (rule.text, rule.audience) == ("Новый текст", "teachers")


def test_the_head_sets_numbering_and_the_methodologist_gets_404(
    client_for, methodologist, head, district
):
    assert client_for(methodologist).get(url("register")).status_code == 404
    assert client_for(methodologist).post(url("register"), {"next_number": 5}).status_code == 404
    client = client_for(head)
    response = client.post(url("register"), {"number_format": "02-10", "next_number": 5})
    assert "ровно один" in response.content.decode()
    client.post(url("register"), {"number_format": "02-10/{n}", "next_number": 5})
    from recommendations.models import OutgoingRegister

    assert OutgoingRegister.objects.get(district=district).format_number(5) == "02-10/5"


def test_the_letter_list_links_numbering_for_the_head_only(client_for, methodologist, head, year):
    link = url("register")
    assert link not in client_for(methodologist).get(url("list")).content.decode()
    assert link in client_for(head).get(url("list")).content.decode()


def test_the_next_number_cannot_go_back_to_one_issued(client_for, head, signed, district, year):
    """The attack of issue 17.6: the next number set to one already issued, so that two letters
    would carry the same official number."""
    from recommendations.models import OutgoingRegister

    issued = signed.serial
    client = client_for(head)
    response = client.post(url("register"), {"number_format": "01-14/{n}", "next_number": issued})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Номер {signed.number} уже выдан" in page
    assert f"следующий номер должен быть больше {issued}" in page
    register = OutgoingRegister.objects.get(district=district, year=signed.date.year)
    assert register.next_number == issued + 1


def test_drafting_again_reports_the_edited_drafts_it_kept(
    client_for, methodologist, year, letters, school
):
    edited = letters[school.pk]
    services.letter_edit(letter=edited, body="<p>Текст методиста</p>", user=methodologist)

    response = client_for(methodologist).post(url("generate", year.pk), follow=True)

    html = page(response)
    assert texts(html, "//div[@role='status']") == [
        "Составлено новых писем: 0, обновлено черновиков: 1, удалено неактуальных черновиков: 0."
    ]
    assert texts(html, "//h2[text()='Предупреждения']/following-sibling::ul/li") == [
        f"Изменённые методистом черновики сохранены без замены: {edited.addressee_short}."
    ]
