"""The КЭП commands: register_certificate, prepare_signature, attach_signature, verify_letter
and render_letter --sig."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import Letter, OutgoingRegister, QualifiedCertificate
from recommendations.sealing import letter_seal
from tests.recommendations import kep_pki
from tests.recommendations.factories import flip_a_byte, write_past_the_freeze

pytestmark = pytest.mark.django_db


def test_register_certificate_prints_what_it_registered(year, head, trusted, pki, tmp_path, capsys):
    path = tmp_path / "head.cer"
    path.write_bytes(pki.head.certificate.der)
    call_command("register_certificate", str(path), user=head.username)
    out = capsys.readouterr().out
    assert f"Сертификат № {pki.head.certificate.serial_number} зарегистрирован" in out
    assert "Олейникова Ольга Владимировна" in out and "УЦ «Тестовый УЦ»" in out
    # The position comes from the office's requisites unless given.
    assert QualifiedCertificate.objects.get().signer_position == "Начальник отдела образования"


def test_register_certificate_refuses_with_a_russian_message(head, trusted, pki, tmp_path):
    path = tmp_path / "expired.cer"
    path.write_bytes(pki.expired.certificate.der)
    with pytest.raises(CommandError, match="срок его действия истёк") as refused:
        call_command("register_certificate", str(path), user=head.username)
    assert refused.value.returncode == 1
    assert not QualifiedCertificate.objects.exists()


def test_prepare_attach_verify_and_render_with_the_signature(kep_head, letter, pki, tmp_path):
    pdf_path, sig_path = tmp_path / "letter.pdf", tmp_path / "letter.pdf.sig"
    call_command("prepare_signature", letter.pk, user=kep_head.username, out=str(pdf_path))
    letter.refresh_from_db()
    assert (letter.number, letter.status) == ("01-14/1", Letter.State.DRAFT)
    pdf = pdf_path.read_bytes()
    sig_path.write_bytes(kep_pki.cades(pdf, pki.head, at=dt.datetime.now(dt.UTC)))
    out = StringIO()
    call_command("attach_signature", letter.pk, str(sig_path), user=kep_head.username, stdout=out)
    letter.refresh_from_db()
    assert json.loads(out.getvalue()) == {
        "id": letter.pk,
        "number": "01-14/1",
        "date": letter.date.isoformat(),
        "sha256": letter.sha256,
    }
    out = StringIO()
    call_command("verify_letter", letter.pk, stdout=out)
    report = out.getvalue()
    assert "Подпись: КЭП (открепленная CAdES-BES)" in report
    assert f"Серийный номер: {pki.head.certificate.serial_number}" in report
    assert "УЦ: Тестовый УЦ" in report
    assert "Не проверено: Отзыв сертификата «Олейникова Ольга Владимировна»" in report
    assert report.rstrip().endswith("Подпись действительна.")
    out_pdf, out_sig = tmp_path / "out.pdf", tmp_path / "out.sig"
    call_command("render_letter", letter.pk, out=str(out_pdf), sig=str(out_sig))
    assert out_pdf.read_bytes() == pdf
    assert out_sig.read_bytes() == sig_path.read_bytes()


def test_attach_signature_refuses_and_changes_nothing(kep_head, letter, pki, tmp_path):
    call_command(
        "prepare_signature", letter.pk, user=kep_head.username, out=str(tmp_path / "l.pdf")
    )
    sig_path = tmp_path / "other.sig"
    sig_path.write_bytes(kep_pki.cades(b"another document", pki.head, at=dt.datetime.now(dt.UTC)))
    with pytest.raises(CommandError, match="под другим документом") as refused:
        call_command("attach_signature", letter.pk, str(sig_path), user=kep_head.username)
    assert refused.value.returncode == 1
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.signature) == (Letter.State.DRAFT, "01-14/1", None)
    assert OutgoingRegister.objects.get().next_number == 2


def test_verify_letter_fails_for_a_changed_file(kep_head, letter, pki, tmp_path, capsys):
    pdf_path, sig_path = tmp_path / "letter.pdf", tmp_path / "letter.sig"
    call_command("prepare_signature", letter.pk, user=kep_head.username, out=str(pdf_path))
    sig_path.write_bytes(kep_pki.cades(pdf_path.read_bytes(), pki.head, at=dt.datetime.now(dt.UTC)))
    call_command("attach_signature", letter.pk, str(sig_path), user=kep_head.username)
    letter.refresh_from_db()
    changed = flip_a_byte(bytes(letter.pdf))
    write_past_the_freeze(letter, pdf=changed)
    letter.refresh_from_db()
    letter_seal(letter, changed)  # even with the seal renewed, the signature does not verify
    with pytest.raises(CommandError, match="недействительна") as refused:
        call_command("verify_letter", letter.pk)
    assert refused.value.returncode == 1
    assert "Ошибка: Подпись сделана под другим документом" in capsys.readouterr().out


def test_verify_letter_checks_a_pades_letter_too(signed, capsys):
    call_command("verify_letter", signed.pk)
    out = capsys.readouterr().out
    assert "Подпись: УНЭП (PAdES)" in out and out.rstrip().endswith("Подпись действительна.")


def test_render_letter_has_no_signature_file_for_a_pades_letter(signed, tmp_path):
    with pytest.raises(CommandError, match="встроена в PDF"):
        call_command(
            "render_letter", signed.pk, out=str(tmp_path / "a.pdf"), sig=str(tmp_path / "a.sig")
        )
    assert not (tmp_path / "a.pdf").exists()
