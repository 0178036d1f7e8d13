"""A signed letter changed in the database itself (past the trigger that freezes signed rows,
as someone with direct database access could) is detected on download and on the public
verification page; it is never served silently."""

import pytest
from django.urls import reverse

from recommendations.models import Letter, LetterSeal
from recommendations.services import letter_sign
from recommendations.signing import sha256_hex
from tests.recommendations.factories import flip_a_byte, write_past_the_freeze

TAMPERED = "контрольная сумма не совпадает с сохранённой при подписании"
INVALID = "Подпись недействительна или файл изменён после подписания."


def download(client, world, letter):
    client.force_login(world.users["school_admin"])
    return client.get(reverse("recommendations:pdf", args=[letter.pk]))


def verification(client, letter) -> str:
    client.logout()
    return client.get(reverse("recommendations:verify", args=[letter.token])).content.decode()


def test_the_untouched_letter_is_served_and_verified(client, world, signed_letter):
    response = download(client, world, signed_letter)
    assert response.status_code == 200
    assert response.content == bytes(signed_letter.pdf)
    assert "Подпись действительна" in verification(client, signed_letter)


def test_the_freeze_refuses_an_ordinary_update(signed_letter):
    with pytest.raises(Exception, match="Подписанное письмо"):
        Letter.objects.filter(pk=signed_letter.pk).update(pdf=b"%PDF-1.7 forged")


def test_changed_bytes_are_refused_on_download_and_shown_on_verification(
    client, world, signed_letter
):
    write_past_the_freeze(signed_letter, pdf=flip_a_byte(bytes(signed_letter.pdf)))

    response = download(client, world, signed_letter)
    assert response.status_code == 409
    assert TAMPERED in response.content.decode()
    assert b"%PDF" not in response.content

    page = verification(client, signed_letter)
    assert INVALID in page
    assert 'Контрольная сумма совпадает</dt><dd class="col-sm-9">нет' in page


def test_changed_bytes_with_a_recomputed_hash_fail_the_signature_check(
    client, world, signed_letter
):
    forged = flip_a_byte(bytes(signed_letter.pdf))
    write_past_the_freeze(signed_letter, pdf=forged, sha256=sha256_hex(forged))

    page = verification(client, signed_letter)
    assert INVALID in page
    assert 'Целостность подписи</dt><dd class="col-sm-9">нет' in page


def test_a_forged_pdf_with_a_recomputed_hash_is_not_served(client, world, signed_letter):
    forged = flip_a_byte(bytes(signed_letter.pdf))
    write_past_the_freeze(signed_letter, pdf=forged, sha256=sha256_hex(forged))

    assert download(client, world, signed_letter).status_code == 409


def test_a_new_secret_key_leaves_the_letters_served(client, world, signed_letter, settings):
    """Issue 17.14: the seals are under their own key, not SECRET_KEY (a backup restored on a
    server with another SECRET_KEY, or a rotated SECRET_KEY, keeps its letters)."""
    settings.SECRET_KEY = "another-secret-key-on-a-new-server-" + "x" * 30
    settings.SECRET_KEY_FALLBACKS = []
    assert download(client, world, signed_letter).status_code == 200
    assert "Подпись действительна" in verification(client, signed_letter)


def test_a_rotated_seal_key_kept_as_a_fallback_still_serves_the_letter(
    client, world, signed_letter, settings
):
    settings.SEAL_KEY_FALLBACKS = [settings.SEAL_KEY]
    settings.SEAL_KEY = "a-new-seal-key-after-rotation-" + "x" * 30
    assert download(client, world, signed_letter).status_code == 200

    settings.SEAL_KEY_FALLBACKS = []
    assert download(client, world, signed_letter).status_code == 409


def test_a_signed_pdf_copied_onto_another_letter_is_not_served(client, world, signed_letter):
    """A genuine signed file with its hash, seal and certificate moved onto another letter's
    row: every column is authentic, but the seal binds the file to its own letter."""
    other = letter_sign(
        letter=Letter.objects.get(school=world.other_school), user=world.users["head"]
    )
    columns = ("pdf", "sha256", "signer_certificate")
    write_past_the_freeze(other, **{c: getattr(signed_letter, c) for c in columns})
    LetterSeal.objects.filter(letter=other).update(value=signed_letter.seal.value)

    client.force_login(world.users["other_school_admin"])
    assert client.get(reverse("recommendations:pdf", args=[other.pk])).status_code == 409
    assert INVALID in verification(client, other)
