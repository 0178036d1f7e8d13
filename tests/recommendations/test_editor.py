"""Editing a draft letter's text: the page, the allow-list on saving, who may edit what."""

import pytest
from django.urls import reverse

from recommendations.drafting import letters_draft
from recommendations.models import Letter, LetterEvent
from recommendations.services import letter_send, letter_sign
from recommendations.text import ALLOWED_TAGS
from tests import factories
from tests.html import form_errors, page, script_data, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(year, school):
    return next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)


def edit_url(letter):
    return reverse("recommendations:edit", args=[letter.pk])


def test_the_page_offers_the_editor_and_a_textarea_with_help_that_shows_its_tags(
    client_for, methodologist, draft
):
    root = page(client_for(methodologist).get(edit_url(draft)))
    toolbar = root.get_element_by_id("letter-editor-toolbar")
    assert toolbar.get("role") == "toolbar" and toolbar.get("aria-label") == "Оформление текста"
    assert texts(toolbar, ".//button") == [
        "Жирный",
        "Курсив",
        "Список",
        "Нумерованный список",
        "Отменить",
    ]
    editor = root.get_element_by_id("letter-editor")
    assert editor.get("role") == "textbox"
    assert text(root.get_element_by_id(editor.get("aria-labelledby"))) == "Текст письма"
    assert text(root.get_element_by_id("letter-textarea-help")).startswith(
        "Текст размечается тегами HTML: абзацы — <p>…</p>, списки — <ul> или <ol> с пунктами "
        "<li>…</li>, выделение — <strong> и <em>."
    )
    [textarea] = root.xpath("//textarea[@name='body']")
    assert textarea.text_content().strip() == draft.body  # without JavaScript: a plain textarea
    assert script_data(root, "letter-allowed") == {
        "tags": sorted(ALLOWED_TAGS),
        "classes": {"span": ["name"]},
    }
    assert root.xpath("//script[contains(@src, 'vendor/squire/squire')]")


def test_saving_keeps_only_the_allowed_html_marks_the_letter_edited_and_records_it(
    client_for, methodologist, draft
):
    body = (
        '<p style="color: red" onclick="steal()">Абзац <span>с</span> '
        '<a href="javascript:steal()">ссылкой</a><script>steal()</script></p>'
        '<ul class="x"><li id="y"><b>один</b></li><li><em>два</em></li></ul>'
        '<img src="x" onerror="steal()"><iframe src="https://example.org"></iframe>'
        "<ol><li><strong>три</strong></li></ol><style>p { color: red }</style>"
    )
    response = client_for(methodologist).post(edit_url(draft), {"body": body}, follow=True)
    assert "Текст письма сохранён." in response.content.decode()
    draft.refresh_from_db()
    assert draft.body == (
        "<p>Абзац с ссылкой</p><ul><li><b>один</b></li><li><em>два</em></li></ul>"
        "<ol><li><strong>три</strong></li></ol>"
    )
    assert draft.edited
    [event] = draft.events.filter(kind=LetterEvent.Kind.EDITED)
    assert event.user == methodologist


def test_saving_the_text_unchanged_leaves_the_letter_unedited(client_for, methodologist, draft):
    client_for(methodologist).post(edit_url(draft), {"body": draft.body})
    draft.refresh_from_db()
    assert not draft.edited


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Обязательное поле."), ("<script>x()</script>", "Текст письма не может быть пустым.")],
)
def test_an_empty_text_is_refused_in_russian_and_changes_nothing(
    client_for, methodologist, draft, body, message
):
    before = draft.body
    response = client_for(methodologist).post(edit_url(draft), {"body": body})
    assert form_errors(page(response)) == {"body": [message]}
    draft.refresh_from_db()
    assert (draft.body, draft.edited) == (before, False)


def test_a_letter_sent_for_signature_or_signed_cannot_be_edited(
    client_for, methodologist, signer, draft, year
):
    letter_send(letter=draft, user=methodologist)
    district_letter = Letter.objects.get(monitoring_year=year, school=None)
    letter_sign(letter=district_letter, user=signer)
    client = client_for(methodologist)
    for letter in (draft, district_letter):
        before = Letter.objects.get(pk=letter.pk).body
        response = client.get(edit_url(letter), follow=True)
        assert "изменить его нельзя" in response.content.decode()
        assert not page(response).xpath("//textarea[@name='body']")
        client.post(edit_url(letter), {"body": "<p>Другое</p>"})
        assert Letter.objects.get(pk=letter.pk).body == before


def test_outsiders_get_404_and_change_nothing(client_for, school_admin, draft):
    outsider = factories.UserFactory()
    factories.RoleGrantFactory(
        user=outsider, role="methodologist", district=factories.DistrictFactory(code="OTHER")
    )
    for user in (school_admin, outsider):
        client = client_for(user)
        assert client.get(edit_url(draft)).status_code == 404
        assert client.post(edit_url(draft), {"body": "<p>Чужое</p>"}).status_code == 404
    draft.refresh_from_db()
    assert "Чужое" not in draft.body and not draft.edited
