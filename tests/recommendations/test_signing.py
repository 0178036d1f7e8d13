import datetime as dt
import io
import json
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from pypdf import PdfReader

from recommendations.drafting import letters_draft
from recommendations.models import (
    CitedFinding,
    Letter,
    LetterEvent,
    OutgoingRegister,
    SigningCertificate,
)
from recommendations.services import (
    TamperedLetter,
    letter_edit,
    letter_pdf,
    letter_send,
    letter_sign,
    letter_verification,
    register_update,
)
from recommendations.signing import decrypt_passphrase, sha256_hex, validate_signature
from tests.recommendations.factories import flip_a_byte

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(year, school):
    return next(x for x in letters_draft(year=year).letters if x.school_id == school.pk)


def test_signing_numbers_dates_and_stores_a_valid_pades_signature(letter, signer, district):
    register_update(district=district, year=2026, number_format="01-14/{n}", next_number=768)
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=dt.UTC)):
        signed = letter_sign(letter=letter, user=signer)
    assert (signed.number, signed.date) == ("01-14/768", dt.date(2026, 5, 24))
    assert signed.status == Letter.State.SIGNED
    assert signed.sha256 == sha256_hex(bytes(signed.pdf))
    check = validate_signature(bytes(signed.pdf), bytes(signed.signer_certificate))
    assert check.intact and check.valid
    assert "Олейникова Ольга Владимировна" in check.signer
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(signed.pdf))).pages)
    assert "от 24.05.2026 № 01-14/768" in text
    assert "Документ подписан" in text and "электронной подписью" in text
    assert SigningCertificate.objects.get(user=signer).serial_number in text.replace("\n", "")
    assert "ПРОЕКТ" not in text
    assert OutgoingRegister.objects.get(district=district, year=2026).next_number == 769


def test_a_certificate_not_yet_in_force_signs_nothing(letter, signer, district):
    """In force from 01.01.2025 (the fixture): the day before it signs nothing, changes nothing."""
    register_update(district=district, year=2024, number_format="01-14/{n}", next_number=5)
    with (
        time_machine.travel(dt.datetime(2024, 12, 31, 10, 0, tzinfo=dt.UTC)),
        pytest.raises(
            ValidationError,
            match=r"действует с 01\.01\.2025 02:55: срок его действия ещё не",
        ),
    ):
        letter_sign(letter=letter, user=signer)
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.date) == (Letter.State.DRAFT, "", None)
    assert OutgoingRegister.objects.get(district=district, year=2024).next_number == 5


def test_a_flipped_byte_invalidates_the_signature(letter, signer):
    signed = letter_sign(letter=letter, user=signer)
    check = validate_signature(flip_a_byte(bytes(signed.pdf)), bytes(signed.signer_certificate))
    assert not check.ok


def test_the_signing_date_is_the_calendar_date_in_moscow(letter, signer):
    # 31.12.2025 22:30 UTC is already 01.01.2026 in Moscow: the new year's register, number 1.
    with time_machine.travel(dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC)):
        signed = letter_sign(letter=letter, user=signer)
    assert (signed.date, signed.number) == (dt.date(2026, 1, 1), "01-14/1")


def test_a_signed_letter_is_frozen(letter, signer, methodologist):
    signed = letter_sign(letter=letter, user=signer)
    with pytest.raises(ValidationError, match="уже подписано"):
        letter_sign(letter=signed, user=signer)
    with pytest.raises(ValidationError, match="подписано и не может быть изменено"):
        letter_edit(letter=signed, body="<p>Другое</p>", user=methodologist)
    with pytest.raises(ValidationError, match="подписано"):
        letter_send(letter=signed, user=methodologist)
    again = Letter.objects.get(pk=signed.pk)
    assert (again.body, again.sha256) == (signed.body, signed.sha256)


def test_redrafting_never_touches_a_signed_letter(letter, signer):
    signed = letter_sign(letter=letter, user=signer)
    report = letters_draft(year=signed.monitoring_year)
    assert signed.pk in [x.pk for x in report.untouched]
    assert Letter.objects.get(pk=signed.pk).sha256 == signed.sha256


def test_the_database_refuses_to_change_or_delete_a_signed_letter(letter, signer):
    signed = letter_sign(letter=letter, user=signer)
    for change in (
        lambda: Letter.objects.filter(pk=signed.pk).update(body="<p>подмена</p>"),
        lambda: Letter.objects.filter(pk=signed.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()


def test_the_database_refuses_to_change_what_a_signed_letter_cites(letter, signer):
    draft = CitedFinding.objects.filter(letter=letter)
    cited = list(draft.values_list("indicator_id", "value_text"))
    draft.filter(indicator="DIAG").update(value_text="45,0\u00a0%")  # a draft's rows may change
    signed = letter_sign(letter=letter, user=signer)
    rows = CitedFinding.objects.filter(letter=signed)
    for change in (
        lambda: rows.update(value_text="99,9\u00a0%"),
        lambda: rows.filter(indicator="DIAG").delete(),
        lambda: CitedFinding.objects.create(
            letter=signed, order=99, indicator_id="ATTEST", status="red", value_text="1"
        ),
    ):
        refused = pytest.raises(DatabaseError, match="Показатели подписанного письма")
        with refused, transaction.atomic():
            change()
    assert list(rows.values_list("indicator_id", "value_text")) == cited


def test_a_tampered_pdf_is_never_served(letter, signer):
    signed = letter_sign(letter=letter, user=signer)
    signed.pdf = flip_a_byte(bytes(signed.pdf))  # as if the stored bytes had been damaged
    with pytest.raises(TamperedLetter, match="контрольная сумма не совпадает"):
        letter_pdf(signed)
    assert letter_verification(signed)["valid"] is False


def test_only_a_head_with_a_certificate_signs(letter, methodologist, head):
    with pytest.raises(ValidationError, match="не является начальником"):
        letter_sign(letter=letter, user=methodologist)
    with pytest.raises(ValidationError, match="нет сертификата подписи"):
        letter_sign(letter=letter, user=head)


def test_the_passphrase_is_stored_encrypted(signer):
    certificate = SigningCertificate.objects.get(user=signer)
    stored = bytes(certificate.passphrase_encrypted)
    passphrase = decrypt_passphrase(stored)
    assert passphrase.encode() not in stored and len(passphrase) >= 16


def test_numbering_settings_are_validated(district):
    with pytest.raises(ValidationError, match="ровно один"):
        register_update(district=district, year=2026, number_format="01-14/", next_number=1)


def test_the_next_number_must_be_above_the_highest_issued(letter, signer, district):
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=dt.UTC)):
        register_update(district=district, year=2026, number_format="01-14/{n}", next_number=28)
        letter_sign(letter=letter, user=signer)
    for number in (27, 28):
        with pytest.raises(ValidationError, match="01-14/28 уже выдан в 2026 году"):
            register_update(
                district=district, year=2026, number_format="01-14/{n}", next_number=number
            )
    register = OutgoingRegister.objects.get(district=district, year=2026)
    assert register.next_number == 29
    # Another year's register and a number above the highest are not concerned.
    register_update(district=district, year=2027, number_format="01-14/{n}", next_number=1)
    register_update(district=district, year=2026, number_format="01-14/{n}", next_number=40)


def test_a_register_set_back_past_the_portal_still_gives_a_new_number(
    letter, year, other_school, signer, district
):
    """A next number lowered behind the service (the Django admin, SQL): signing skips the
    numbers already issued instead of issuing one twice."""
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=dt.UTC)):
        first = letter_sign(letter=letter, user=signer)
        OutgoingRegister.objects.filter(pk=first.register_id).update(next_number=1)
        other = Letter.objects.exclude(pk=first.pk).first()
        second = letter_sign(letter=other, user=signer)
    assert (first.number, second.number) == ("01-14/1", "01-14/2")
    assert OutgoingRegister.objects.get(pk=first.register_id).next_number == 3


def test_the_database_refuses_a_number_issued_twice(letter, year, signer):
    first = letter_sign(letter=letter, user=signer)
    other = Letter.objects.exclude(pk=first.pk).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.filter(pk=other.pk).update(register=first.register, serial=first.serial)


def test_sign_letter_command(letter, signer, capsys):
    call_command("sign_letter", str(letter.pk), user=signer.username)
    result = json.loads(capsys.readouterr().out)
    signed = Letter.objects.get(pk=letter.pk)
    assert result == {
        "id": letter.pk,
        "number": signed.number,
        "date": signed.date.isoformat(),
        "sha256": signed.sha256,
    }
    with pytest.raises(CommandError, match="уже подписано"):
        call_command("sign_letter", str(letter.pk), user=signer.username)


def test_sign_letter_command_refuses_non_heads_and_missing_certificates(
    letter, methodologist, head
):
    with pytest.raises(CommandError, match="не является начальником"):
        call_command("sign_letter", str(letter.pk), user=methodologist.username)
    with pytest.raises(CommandError, match="нет сертификата"):
        call_command("sign_letter", str(letter.pk), user=head.username)


def test_generate_and_render_commands(year, school, signer, capsys, tmp_path):
    call_command("generate_letters", year=2024)
    rows = json.loads(capsys.readouterr().out)
    ids = {r["school"]: r["id"] for r in rows}
    assert rows == [
        {"id": ids[None], "school": None, "status": "draft"},
        {"id": ids["S-A"], "school": "S-A", "status": "draft"},
    ]
    call_command("render_letter", str(ids["S-A"]), out=str(tmp_path / "draft.pdf"))
    assert "ПРОЕКТ" in PdfReader(tmp_path / "draft.pdf").pages[0].extract_text()
    signed = letter_sign(letter=Letter.objects.get(pk=ids["S-A"]), user=signer)
    call_command("render_letter", str(signed.pk), out=str(tmp_path / "signed.pdf"))
    assert (tmp_path / "signed.pdf").read_bytes() == bytes(signed.pdf)


def test_generate_letters_refuses_an_unknown_year(district):
    with pytest.raises(CommandError, match="не найден"):
        call_command("generate_letters", year=1999)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="row locks need PostgreSQL")
def test_concurrent_signing_gives_unique_consecutive_numbers(year, school, signer, district):
    letters_draft(year=year)
    letter_ids = list(Letter.objects.values_list("pk", flat=True))
    register_update(
        district=district, year=dt.date.today().year, number_format="{n}", next_number=5
    )
    errors = []
    barrier = threading.Barrier(len(letter_ids))

    def sign(pk):
        try:
            barrier.wait()
            letter_sign(letter=Letter.objects.get(pk=pk), user=signer)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(pk,)) for pk in letter_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(n) for n in Letter.objects.values_list("number", flat=True))
    assert numbers == [5, 6]
    assert LetterEvent.objects.filter(kind="signed").count() == 2
