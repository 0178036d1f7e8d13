"""The КЭП workflow: register the head's certificate; prepare a letter's final PDF (reserving
its number and date); attach the head's detached signature, which signs and freezes the letter.

Every refusal is a ValidationError in Russian and changes nothing."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from recommendations.kep.gost import Certificate, NotGost, read_certificate
from recommendations.kep.signer import CadesSigner
from recommendations.kep.trust import ChainCheck, check_chain, trust_store
from recommendations.models import Letter, LetterEvent, QualifiedCertificate, SignaturePreparation
from recommendations.pdf import render_letter_pdf
from recommendations.requisites import require_requisites
from recommendations.sealing import letter_seal
from recommendations.services import (
    _locked_for_signing,
    _take_number,
    refuse_non_signer,
    refuse_out_of_force,
)
from recommendations.signing import CertificateInfo, sha256_hex

MAX_FILE_BYTES = 1024 * 1024


def _refuse_large(data: bytes, what: str) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"Файл {what} больше 1 МБ: это не он.")


def certificate_check(data: bytes, signer_position: str) -> tuple[Certificate, ChainCheck]:
    """A certificate fit to register: ГОСТ Р 34.10-2012, valid now, chained to a trusted root."""
    _refuse_large(data, "сертификата")
    try:
        certificate = read_certificate(data)
    except NotGost as error:
        raise ValidationError(
            f"Сертификат не ГОСТ Р 34.10-2012: алгоритм ключа {error}. Для КЭП нужен "
            "квалифицированный сертификат с ключом ГОСТ Р 34.10-2012 (256 или 512 бит)."
        ) from None
    except ValueError:
        raise ValidationError(
            "Файл не является сертификатом X.509: нужен файл .cer (DER или PEM)."
        ) from None
    now = timezone.now()
    if certificate.valid_until < now:
        raise ValidationError(
            f"Сертификат № {certificate.serial_number} ({certificate.owner}) действовал по "
            f"{timezone.localdate(certificate.valid_until):%d.%m.%Y}: срок его действия истёк."
        )
    chain = check_chain(certificate, now, trust_store())
    if not signer_position.strip():
        raise ValidationError("Укажите должность подписанта, как в подписи письма.")
    return certificate, chain


@transaction.atomic
def certificate_register(*, user, data: bytes, signer_position: str) -> QualifiedCertificate:
    """Register (or replace) the head's qualified certificate."""
    refuse_non_signer(user)
    certificate, chain = certificate_check(data, signer_position)
    registered, _ = QualifiedCertificate.objects.update_or_create(
        user=user,
        defaults={
            "der": certificate.der,
            "signer_position": signer_position.strip(),
            "owner": certificate.owner,
            "organisation": certificate.organisation,
            "serial_number": certificate.serial_number,
            "issuer": chain.authority.subject_name,
            "valid_from": certificate.valid_from,
            "valid_until": certificate.valid_until,
        },
    )
    return registered


def qualified_certificate(user) -> QualifiedCertificate:
    """The head's registered КЭП certificate, refused when missing or not in force."""
    refuse_non_signer(user)
    certificate = QualifiedCertificate.objects.filter(user=user).first()
    if certificate is None:
        raise ValidationError(
            f"У пользователя «{user.username}» не зарегистрирован сертификат КЭП: загрузите "
            "его на странице «Сертификат КЭП» (или командой register_certificate)."
        )
    refuse_out_of_force(certificate, "Сертификат КЭП", "Зарегистрируйте новый сертификат.")
    return certificate


def stamp_of(certificate: QualifiedCertificate) -> CertificateInfo:
    return CertificateInfo(
        serial_number=certificate.serial_number,
        owner=certificate.owner,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
    )


def fingerprint(letter: Letter, certificate: QualifiedCertificate) -> str:
    """What the final PDF shows: the letter, the office's requisites and the certificate."""
    organisation = letter.monitoring_year.district.organisation
    shown = {
        "letter": [letter.title, letter.addressee, letter.body, letter.figures],
        "number": [letter.number, letter.date.isoformat(), letter.executor_id],
        "organisation": model_to_dict(organisation),
        "certificate": sha256_hex(bytes(certificate.der)),
        "position": certificate.signer_position,
    }
    return hashlib.sha256(json.dumps(shown, default=str, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def letter_prepare_signature(*, letter: Letter, user) -> SignaturePreparation:
    """The final PDF to sign with КЭП. The first preparation reserves the register's next
    number and today's date; later ones keep them, and give the very same bytes back while
    the letter and the certificate are unchanged."""
    certificate = qualified_certificate(user)
    letter = _locked_for_signing(letter.pk, user)
    require_requisites(letter.monitoring_year.district)
    if letter.serial is None:
        today = timezone.localdate()
        _take_number(letter, today.year)
        letter.date = today
    letter.signer_name = certificate.owner
    letter.signer_position = certificate.signer_position
    shown = fingerprint(letter, certificate)
    existing = SignaturePreparation.objects.filter(letter=letter).first()
    if existing and existing.fingerprint == shown:
        return existing
    letter.save()
    preparation, _ = SignaturePreparation.objects.update_or_create(
        letter=letter,
        defaults={
            "certificate_der": bytes(certificate.der),
            "pdf": render_letter_pdf(letter, stamp=stamp_of(certificate)),
            "fingerprint": shown,
            "prepared_by": user,
        },
    )
    LetterEvent.objects.create(
        letter=letter,
        kind=LetterEvent.Kind.PREPARED,
        user=user,
        comment=f"{letter.date:%d.%m.%Y} № {letter.number}",
    )
    return preparation


@transaction.atomic
def letter_attach_signature(*, letter: Letter, user, signature: bytes) -> Letter:
    """Sign and freeze the letter with the head's detached CAdES-BES signature of its
    prepared PDF, all or nothing."""
    certificate = qualified_certificate(user)
    _refuse_large(signature, "подписи")
    letter = _locked_for_signing(letter.pk, user)
    preparation = SignaturePreparation.objects.filter(letter=letter).first()
    if preparation is None:
        raise ValidationError(
            "PDF письма к подписанию не подготовлен: сначала скачайте его («Подготовить PDF»), "
            "подпишите и загрузите подпись."
        )
    if bytes(preparation.certificate_der) != bytes(certificate.der):
        raise ValidationError(
            "PDF подготовлен для другого сертификата: подготовьте его заново и подпишите."
        )
    if fingerprint(letter, certificate) != preparation.fingerprint:
        raise ValidationError(
            "Письмо или реквизиты изменились после подготовки PDF: подготовьте PDF заново и "
            "подпишите его."
        )
    signer = CadesSigner(signature)
    pdf = signer.sign(bytes(preparation.pdf), certificate)
    letter.pdf = pdf
    letter.sha256 = sha256_hex(pdf)
    letter.signature = signer.check.der
    letter.signer_certificate = signer.public_certificate(certificate)
    letter.signed_by = user
    letter.status = Letter.State.SIGNED
    letter.signed_at = timezone.now()
    letter.save()
    letter_seal(letter, pdf)
    preparation.delete()
    LetterEvent.objects.create(letter=letter, kind=LetterEvent.Kind.SIGNED, user=user)
    return letter
