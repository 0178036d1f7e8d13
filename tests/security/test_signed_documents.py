"""A signed letter changed in the database itself (past the trigger that freezes signed rows,
as someone with direct database access could) is detected on download and on the public
verification page; it is never served silently."""

import pytest
from django.db import connection
from django.urls import reverse

from recommendations.models import Letter
from recommendations.services import letter_sign
from recommendations.signing import sha256_hex

TAMPERED = "контрольная сумма не совпадает с сохранённой при подписании"
INVALID = "Подпись недействительна или файл изменён после подписания."


def flip_a_byte(pdf: bytes) -> bytes:
    """One byte of the signed content: inside the first page's content stream."""
    i = pdf.index(b"stream") + 200
    return pdf[:i] + bytes([pdf[i] ^ 0x01]) + pdf[i + 1 :]


def write_past_the_freeze(letter: Letter, **columns) -> None:
    """UPDATE the stored row with the freezing trigger out of the way (inside the test's
    transaction, so the trigger is back afterwards)."""
    table = Letter._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER recommendations_letter_frozen")
        else:
            cursor.execute("DROP TRIGGER recommendations_letter_frozen_update")
    Letter.objects.filter(pk=letter.pk).update(**columns)


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


def test_a_rotated_secret_key_kept_as_a_fallback_still_serves_the_letter(
    client, world, signed_letter, settings
):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 30
    assert download(client, world, signed_letter).status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert download(client, world, signed_letter).status_code == 409


def test_a_signed_pdf_copied_onto_another_letter_is_not_served(client, world, signed_letter):
    """A genuine signed file with its hash, seal and certificate moved onto another letter's
    row: every column is authentic, but the seal binds the file to its own letter."""
    other = letter_sign(
        letter=Letter.objects.get(school=world.other_school), user=world.users["head"]
    )
    columns = ("pdf", "sha256", "seal", "signer_certificate")
    write_past_the_freeze(other, **{c: getattr(signed_letter, c) for c in columns})

    client.force_login(world.users["other_school_admin"])
    assert client.get(reverse("recommendations:pdf", args=[other.pk])).status_code == 409
    assert INVALID in verification(client, other)
