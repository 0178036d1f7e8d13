"""The office's requisites: entered on the portal by the administrator and the head, with
their history; a letter is sent for signature and signed only with every requisite filled."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from profdev.models import Organisation, RoleGrant
from profdev.roles import grant_role
from recommendations.drafting import letters_draft
from recommendations.models import Letter, OutgoingRegister
from recommendations.services import letter_send, letter_sign
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:requisites")
COMPLETE = {
    "name": "Отдел образования администрации Заречного района",
    "short_name": "Отдел образования",
    "parent_body": "Администрация Заречного района",
    "name_genitive": "Заречного района",
    "name_dative": "Заречному району",
    "address": "ул. Советская, д. 12, г. Заречный, 403100",
    "phone": "(84455) 2-14-37",
    "email": "uo@zarechny.example.ru",
    "okpo": "02117634",
    "ogrn": "1023401234567",
    "inn": "3412004567",
    "kpp": "341201001",
    "head_position": "Начальник отдела образования",
    "head_name": "Белова Ирина Николаевна",
}


@pytest.fixture
def admin(db):
    return grant_role(username="it-admin", role=RoleGrant.Role.ADMIN).user


def test_the_head_enters_the_requisites_piece_by_piece_with_history(client_for, head, district):
    client = client_for(head)
    page = client.get(URL).content.decode()
    assert "Не заполнено: наименование, вышестоящий орган" in page

    partial = {**COMPLETE, "inn": "", "kpp": ""}
    response = client.post(URL, partial, follow=True)
    page = response.content.decode()
    assert "Реквизиты сохранены." in page
    assert "Не заполнено: ИНН, КПП." in page
    organisation = Organisation.objects.get(district=district)
    assert organisation.name_dative == "Заречному району"

    client.post(URL, {**partial, "inn": "3412004567", "kpp": "341201001"})
    page = client.get(URL).content.decode()
    assert "Не заполнено" not in page
    assert "Изменено ИНН и КПП." in page
    assert head.username in page


def test_a_malformed_requisite_is_refused_in_russian(client_for, head, district):
    response = client_for(head).post(URL, {**COMPLETE, "inn": "34120045", "kpp": "34120100"})
    page = response.content.decode()
    assert "ИНН организации — 10 цифр." in page
    assert "КПП — 9 знаков" in page
    assert not Organisation.objects.filter(district=district).exists()


def test_the_administrator_edits_any_district_the_head_only_their_own(
    client_for, admin, head, district
):
    other = factories.DistrictFactory(code="OTHER", name="Другой район")
    response = client_for(admin).post(f"{URL}?district=OTHER", COMPLETE)
    assert response.status_code == 302
    assert Organisation.objects.get(district=other).inn == COMPLETE["inn"]

    # The head's request for another district shows and saves their own.
    client_for(head).post(f"{URL}?district=OTHER", {**COMPLETE, "inn": "1111111111"})
    assert Organisation.objects.get(district=other).inn == COMPLETE["inn"]
    assert Organisation.objects.get(district=district).inn == "1111111111"


def test_everyone_else_gets_404(client_for, methodologist, school_admin, district):
    factories.RoleGrantFactory(
        user=factories.UserFactory(username="region"),
        role=RoleGrant.Role.REGIONAL_METHODOLOGIST,
    )
    for user in (methodologist, school_admin, factories.UserFactory()):
        client = client_for(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, COMPLETE).status_code == 404
    assert not Organisation.objects.exists()


@pytest.fixture
def incomplete(year, district):
    Organisation.objects.filter(district=district).update(inn="", name_dative="")


def test_a_letter_waits_for_the_requisites(year, district, incomplete, signer, methodologist):
    letter = letters_draft(year=year).letters[0]
    message = "Реквизиты отдела образования .* не указано: ИНН, муниципалитет в дательном падеже"
    with pytest.raises(ValidationError, match=message):
        letter_send(letter=letter, user=methodologist)
    with pytest.raises(ValidationError, match=message):
        letter_sign(letter=letter, user=signer)
    assert Letter.objects.get(pk=letter.pk).status == Letter.State.DRAFT
    assert not OutgoingRegister.objects.exists()


def test_sending_on_the_web_names_the_missing_requisites(
    client_for, year, incomplete, methodologist
):
    letter = letters_draft(year=year).letters[0]
    response = client_for(methodologist).post(
        reverse("recommendations:send", args=[letter.pk]), follow=True
    )
    assert "не указано: ИНН, муниципалитет в дательном падеже" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == Letter.State.DRAFT


def test_sign_letter_exits_1_and_signs_nothing(year, incomplete, signer):
    letter = letters_draft(year=year).letters[0]
    with pytest.raises(CommandError, match="не указано: ИНН") as error:
        call_command("sign_letter", str(letter.pk), user=signer.username)
    assert error.value.returncode == 1
    assert not Letter.objects.filter(status=Letter.State.SIGNED).exists()
