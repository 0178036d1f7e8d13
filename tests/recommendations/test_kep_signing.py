"""The head's КЭП: registering the certificate, preparing the final PDF (the reserved number
and date), attaching the detached CAdES-BES signature, and every refusal leaving everything
as it was."""

import base64
import datetime as dt
import io

import pytest
import time_machine
from asn1crypto import pem
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from recommendations.kep.gost import KEY_256, SIGN_256
from recommendations.kep.services import (
    certificate_register,
    letter_attach_signature,
    letter_prepare_signature,
)
from recommendations.models import (
    Letter,
    LetterEvent,
    OutgoingRegister,
    QualifiedCertificate,
    SignaturePreparation,
)
from recommendations.requisites import organisation_of
from recommendations.sealing import letters_reseal
from recommendations.services import (
    letter_pdf,
    letter_sign,
    letter_verification,
    register_update,
)
from recommendations.signing import sha256_hex
from tests.recommendations import kep_pki

pytestmark = pytest.mark.django_db
POSITION = "Начальник отдела образования"


def text_of(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def rsa_like_certificate() -> bytes:
    """An ordinary (ECDSA P-256) certificate: not ГОСТ."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Олейникова")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=100))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def not_yet_valid(pki) -> kep_pki.Party:
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    return kep_pki.issue(
        kep_pki.HEAD_NAME,
        issuer=pki.intermediate,
        valid_from=tomorrow,
        valid_until=tomorrow + dt.timedelta(days=365),
    )


# Registering the certificate


def test_registering_shows_owner_organisation_serial_issuer_and_validity(head, trusted, pki):
    registered = certificate_register(
        user=head, data=pki.head.certificate.der, signer_position=POSITION
    )
    certificate = pki.head.certificate
    assert registered.owner == "Олейникова Ольга Владимировна"
    assert registered.organisation == "Отдел образования администрации Тестового района"
    assert registered.serial_number == certificate.serial_number
    assert registered.issuer == "Тестовый УЦ"
    assert (registered.valid_from, registered.valid_until) == (
        certificate.valid_from,
        certificate.valid_until,
    )
    assert bytes(registered.der) == certificate.der


def test_a_pem_certificate_is_read_as_well(head, trusted, pki):
    data = pem.armor("CERTIFICATE", pki.head.certificate.der)
    registered = certificate_register(user=head, data=data, signer_position=POSITION)
    assert registered.serial_number == pki.head.certificate.serial_number


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda pki: rsa_like_certificate(), "не ГОСТ Р 34.10-2012: алгоритм ключа ECDSA"),
        (lambda pki: b"not a certificate at all", "не является сертификатом X.509"),
        (lambda pki: pki.head.certificate.der[:200], "не является сертификатом X.509"),
        (lambda pki: pki.expired.certificate.der, "срок его действия истёк"),
        (lambda pki: pki.untrusted.certificate.der, "выдан УЦ «Непризнанный УЦ», которого нет"),
        (lambda pki: not_yet_valid(pki).certificate.der, "на этот момент он недействителен"),
    ],
    ids=["not-gost", "garbage", "truncated", "expired", "untrusted", "not-yet-valid"],
)
def test_registering_refuses_and_keeps_the_previous_certificate(kep_head, pki, data, message):
    before = QualifiedCertificate.objects.get(user=kep_head)
    with pytest.raises(ValidationError, match=message):
        certificate_register(user=kep_head, data=data(pki), signer_position=POSITION)
    after = QualifiedCertificate.objects.get(user=kep_head)
    assert (bytes(after.der), after.registered_at) == (bytes(before.der), before.registered_at)


def test_registering_refuses_without_the_trusted_directory(head, pki, settings):
    settings.PROFDEV_TRUSTED_CERTS = ""
    with pytest.raises(ValidationError, match="Не настроен каталог доверенных сертификатов"):
        certificate_register(user=head, data=pki.head.certificate.der, signer_position=POSITION)
    assert not QualifiedCertificate.objects.exists()


def test_only_a_head_registers_a_certificate(methodologist, trusted, pki):
    with pytest.raises(ValidationError, match="не может подписывать письма"):
        certificate_register(
            user=methodologist, data=pki.head.certificate.der, signer_position=POSITION
        )
    assert not QualifiedCertificate.objects.exists()


# Preparing the final PDF


def test_preparing_reserves_the_number_and_date_and_renders_the_stamp(kep_head, letter, district):
    register_update(district=district, year=2026, number_format="01-14/{n}", next_number=768)
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)):
        preparation = letter_prepare_signature(letter=letter, user=kep_head)
    letter.refresh_from_db()
    assert (letter.number, letter.date) == ("01-14/768", dt.date(2026, 12, 7))
    assert letter.status == Letter.State.DRAFT  # reserved, not signed
    assert OutgoingRegister.objects.get(district=district, year=2026).next_number == 769
    text = text_of(bytes(preparation.pdf)).replace("\n", " ")
    assert "от 07.12.2026 № 01-14/768" in text
    assert "Документ подписан" in text and "электронной подписью" in text
    assert "ПРОЕКТ" not in text
    assert pki_serial(kep_head) in text.replace(" ", "")


def pki_serial(user) -> str:
    return QualifiedCertificate.objects.get(user=user).serial_number


def test_preparing_twice_gives_the_same_bytes_and_burns_no_number(kep_head, letter, district):
    first = bytes(letter_prepare_signature(letter=letter, user=kep_head).pdf)
    again = bytes(letter_prepare_signature(letter=letter, user=kep_head).pdf)
    assert again == first
    letter.refresh_from_db()
    register = OutgoingRegister.objects.get(district=district)
    assert (letter.serial, register.next_number) == (1, 2)
    events = LetterEvent.objects.filter(letter=letter, kind=LetterEvent.Kind.PREPARED)
    assert events.count() == 1


def test_a_changed_letter_is_prepared_anew_under_the_same_number(kep_head, letter, district):
    first = bytes(letter_prepare_signature(letter=letter, user=kep_head).pdf)
    organisation = organisation_of(district)
    organisation.phone = "(84454) 5-00-00"
    organisation.save()
    again = bytes(letter_prepare_signature(letter=letter, user=kep_head).pdf)
    assert again != first
    assert "5-00-00" in text_of(again)
    letter.refresh_from_db()
    assert (letter.number, OutgoingRegister.objects.get().next_number) == ("01-14/1", 2)


def test_preparing_refuses_without_a_registered_certificate(signer, letter):
    with pytest.raises(ValidationError, match="не зарегистрирован сертификат КЭП"):
        letter_prepare_signature(letter=letter, user=signer)
    letter.refresh_from_db()
    assert (letter.number, letter.serial) == ("", None)
    assert not OutgoingRegister.objects.exists()


def test_a_pades_signature_of_a_reserved_letter_keeps_its_number(kep_head, letter, district):
    from django.core.management import call_command

    letter_prepare_signature(letter=letter, user=kep_head)
    call_command("make_dev_certificate", user=kep_head.username, name="Олейникова О. В.")
    signed = letter_sign(letter=letter, user=kep_head)
    assert signed.number == "01-14/1"
    assert OutgoingRegister.objects.get().next_number == 2


# Attaching the signature


def prepared(letter, user) -> bytes:
    return bytes(letter_prepare_signature(letter=letter, user=user).pdf)


def as_base64(der: bytes) -> bytes:
    text = base64.b64encode(der).decode()
    return "\r\n".join(text[i : i + 64] for i in range(0, len(text), 64)).encode()


@pytest.mark.parametrize(
    "form",
    [
        lambda der: der,
        as_base64,
        lambda der: pem.armor("CMS", der),
    ],
    ids=["der", "base64", "pem"],
)
@pytest.mark.parametrize("algorithm", [SIGN_256, KEY_256], ids=["signWithDigest", "key"])
def test_a_valid_detached_signature_signs_and_freezes_the_letter(
    kep_head, letter, pki, form, algorithm
):
    pdf = prepared(letter, kep_head)
    der = kep_pki.cades(pdf, pki.head, at=dt.datetime.now(dt.UTC), signature_algorithm=algorithm)
    signed = letter_attach_signature(letter=letter, user=kep_head, signature=form(der))
    signed.refresh_from_db()
    assert signed.status == Letter.State.SIGNED
    assert (signed.number, signed.serial) == ("01-14/1", 1)
    assert bytes(signed.pdf) == pdf and signed.sha256 == sha256_hex(pdf)
    assert bytes(signed.signature) == der
    assert bytes(signed.signer_certificate) == pki.head.certificate.der
    assert signed.signed_by == kep_head
    assert letter_pdf(signed) == pdf
    assert not SignaturePreparation.objects.exists()
    check = letter_verification(signed)
    assert check["valid"] and check["kep"].certificate.owner == "Олейникова Ольга Владимировна"


def test_a_512_bit_key_signs_as_well(head, trusted, pki, letter):
    head512 = kep_pki.issue(
        kep_pki.HEAD_NAME,
        issuer=pki.intermediate,
        key=kep_pki.new_key(kep_pki.TC26_512_A),
        valid_from=pki.head.certificate.valid_from,
        valid_until=pki.head.certificate.valid_until,
    )
    certificate_register(user=head, data=head512.certificate.der, signer_position=POSITION)
    pdf = prepared(letter, head)
    der = kep_pki.cades(pdf, head512, at=dt.datetime.now(dt.UTC))
    assert letter_attach_signature(letter=letter, user=head, signature=der).is_signed


def snapshot(letter) -> tuple:
    row = Letter.objects.get(pk=letter.pk)
    register = OutgoingRegister.objects.get()
    preparation = SignaturePreparation.objects.get(letter=letter)
    return (
        row.status,
        row.number,
        row.serial,
        row.date,
        row.pdf,
        row.signature,
        row.sha256,
        register.next_number,
        bytes(preparation.pdf),
        LetterEvent.objects.filter(letter=letter).count(),
    )


def another_certificate(pki):
    return kep_pki.issue(
        kep_pki.HEAD_NAME,
        issuer=pki.intermediate,
        valid_from=pki.head.certificate.valid_from,
        valid_until=pki.head.certificate.valid_until,
    )


NOW = dt.datetime.now(dt.UTC)
REFUSALS = {
    "another-document": (
        lambda pdf, pki: kep_pki.cades(pdf + b"\n", pki.head, at=NOW),
        "Подпись сделана под другим документом",
    ),
    "another-certificate": (
        lambda pdf, pki: kep_pki.cades(pdf, another_certificate(pki), at=NOW),
        "Подпись сделана другим сертификатом",
    ),
    "untrusted-certificate": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.untrusted, at=NOW),
        "Подпись сделана другим сертификатом",
    ),
    "attached": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW, attached=True),
        "Подпись присоединённая",
    ),
    "not-a-signature": (lambda pdf, pki: b"%PDF-1.7 not a signature", "не является электронной"),
    "truncated": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW)[:-40],
        "не является электронной подписью",
    ),
    "corrupted-value": (
        lambda pdf, pki: flip_last_byte(kep_pki.cades(pdf, pki.head, at=NOW)),
        "Подпись повреждена или подделана",
    ),
    "sha256-digest": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW, digest_algorithm="sha256"),
        "не по ГОСТ Р 34.10-2012",
    ),
    "ecdsa-algorithm": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW, signature_algorithm="sha256_ecdsa"),
        "не по ГОСТ Р 34.10-2012",
    ),
    "signed-before-the-certificate": (
        lambda pdf, pki: kep_pki.cades(
            pdf, pki.head, at=pki.head.certificate.valid_from - dt.timedelta(days=1)
        ),
        "на этот момент он недействителен",
    ),
    "signed-in-the-future": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW + dt.timedelta(days=2)),
        "ещё не наступило",
    ),
    "no-signing-certificate-attribute": (
        lambda pdf, pki: kep_pki.cades(pdf, pki.head, at=NOW, with_signing_certificate=False),
        "это не CAdES-BES",
    ),
    "signing-certificate-names-another": (
        lambda pdf, pki: kep_pki.cades(
            pdf, pki.head, at=NOW, signing_certificate=pki.expired.certificate
        ),
        "называет другой сертификат",
    ),
}


def flip_last_byte(der: bytes) -> bytes:
    """The last byte of a SignerInfo's signature value (the signature's last field here)."""
    return der[:-1] + bytes([der[-1] ^ 0x01])


@pytest.mark.parametrize(("make", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_every_refusal_is_russian_and_changes_nothing(kep_head, letter, pki, make, message):
    pdf = prepared(letter, kep_head)
    before = snapshot(letter)
    with pytest.raises(ValidationError, match=message):
        letter_attach_signature(letter=letter, user=kep_head, signature=make(pdf, pki))
    assert snapshot(letter) == before


def test_attaching_refuses_before_the_pdf_is_prepared(kep_head, letter, pki):
    with pytest.raises(ValidationError, match="не подготовлен"):
        letter_attach_signature(
            letter=letter, user=kep_head, signature=kep_pki.cades(b"x", pki.head, at=NOW)
        )
    letter.refresh_from_db()
    assert (letter.status, letter.number) == (Letter.State.DRAFT, "")


def test_attaching_refuses_when_the_requisites_changed_since(kep_head, letter, pki, district):
    pdf = prepared(letter, kep_head)
    organisation = organisation_of(district)
    organisation.phone = "(84454) 5-00-00"
    organisation.save()
    before = snapshot(letter)
    with pytest.raises(ValidationError, match="изменились после подготовки PDF"):
        letter_attach_signature(
            letter=letter, user=kep_head, signature=kep_pki.cades(pdf, pki.head, at=NOW)
        )
    assert snapshot(letter) == before


def test_attaching_refuses_once_the_registered_certificate_expired(kep_head, letter, pki):
    pdf = prepared(letter, kep_head)
    signature = kep_pki.cades(pdf, pki.head, at=NOW)
    before = snapshot(letter)
    later = pki.head.certificate.valid_until + dt.timedelta(minutes=1)
    with (
        time_machine.travel(later),
        pytest.raises(ValidationError, match="срок его действия истёк"),
    ):
        letter_attach_signature(letter=letter, user=kep_head, signature=signature)
    assert snapshot(letter) == before


def test_attaching_refuses_when_the_root_is_no_longer_trusted(kep_head, letter, pki, trusted):
    pdf = prepared(letter, kep_head)
    (trusted / "root.cer").unlink()
    before = snapshot(letter)
    with pytest.raises(ValidationError, match="которого нет среди доверенных"):
        letter_attach_signature(
            letter=letter, user=kep_head, signature=kep_pki.cades(pdf, pki.head, at=NOW)
        )
    assert snapshot(letter) == before


def test_a_revoked_certificate_is_refused_and_a_crl_is_read(kep_head, letter, pki, trusted):
    pdf = prepared(letter, kep_head)
    crl = kep_pki.revocation_list(
        pki.intermediate, {pki.head.certificate: NOW - dt.timedelta(hours=1)}, at=NOW
    )
    (trusted / "intermediate.crl").write_bytes(crl)
    before = snapshot(letter)
    with pytest.raises(ValidationError, match="отозван"):
        letter_attach_signature(
            letter=letter, user=kep_head, signature=kep_pki.cades(pdf, pki.head, at=NOW)
        )
    assert snapshot(letter) == before


def test_the_check_says_which_revocation_it_could_not_verify(kep_head, letter, pki, trusted):
    pdf = prepared(letter, kep_head)
    crl = kep_pki.revocation_list(pki.intermediate, {pki.expired.certificate: NOW}, at=NOW)
    (trusted / "intermediate.crl").write_bytes(crl)
    signed = letter_attach_signature(
        letter=letter, user=kep_head, signature=kep_pki.cades(pdf, pki.head, at=NOW)
    )
    notes = letter_verification(signed)["notes"]
    assert notes == [
        "Отзыв сертификата «Тестовый УЦ» не проверен: список отзыва УЦ «Тестовый Головной УЦ» "
        "не загружен (портал не обращается к сети)."
    ]


def test_a_signed_kep_letter_is_resealed_after_its_signature_is_checked(kep_head, letter, pki):
    pdf = prepared(letter, kep_head)
    letter_attach_signature(
        letter=letter, user=kep_head, signature=kep_pki.cades(pdf, pki.head, at=NOW)
    )
    report = letters_reseal(without_old_key=True, dry_run=True)
    assert (len(report.refused), len(report.current)) == (0, 1)
