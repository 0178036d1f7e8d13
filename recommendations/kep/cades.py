"""Verifying a detached CAdES-BES signature (CMS SignedData, ГОСТ Р 34.10-2012 with Streebog)
of a document under a given certificate, as CryptoPro and OpenSSL's GOST engine make them."""

import datetime as dt
from dataclasses import dataclass

from asn1crypto import cms, tsp
from django.core.exceptions import ValidationError
from django.utils import timezone

from recommendations.kep.gost import (
    DIGEST_SIZE,
    SIGNATURE_SIZE,
    Certificate,
    der_of,
    digest,
    streebog,
)
from recommendations.kep.trust import ChainCheck, TrustStore, check_chain

SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
SIGNING_CERTIFICATE = "1.2.840.113549.1.9.16.2.12"
# A signing time later than this past the moment of checking is a wrong clock, not a signature.
CLOCK_SKEW = dt.timedelta(minutes=10)

NOT_A_SIGNATURE = (
    "Файл не является электронной подписью: нужна открепленная подпись CMS (.sig) в DER "
    "или в Base64, как её сохраняет КриптоПро."
)


@dataclass(frozen=True)
class CadesCheck:
    certificate: Certificate
    signing_time: dt.datetime
    chain: ChainCheck
    der: bytes  # the signature in DER, whatever form it came in

    @property
    def notes(self) -> list[str]:
        return self.chain.notes


def signed_data(data: bytes) -> tuple[cms.SignedData, bytes]:
    """The SignedData of a `.sig` file (DER, Base64, PEM) and its DER."""
    der = der_of(data)
    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError
        content = info["content"]
        # Parse what is read now, so a damaged field fails here (not the certificates: the
        # registered one is used, and asn1crypto alone does not know ГОСТ keys).
        content["encap_content_info"].native  # noqa: B018
        content["signer_infos"].native  # noqa: B018
    except (ValueError, TypeError, KeyError):
        raise ValidationError(NOT_A_SIGNATURE) from None
    return content, der


def _identifies(sid: cms.SignerIdentifier, certificate: Certificate) -> bool:
    if sid.name == "issuer_and_serial_number":
        chosen = sid.chosen
        return (
            chosen["issuer"] == certificate.issuer
            and chosen["serial_number"].native == certificate.tbs["serial_number"].native
        )
    return sid.chosen.native == certificate.asn1.key_identifier


def _attribute(signer_info: cms.SignerInfo, oid: str):
    for attribute in signer_info["signed_attrs"]:
        if attribute["type"].dotted == oid:
            return attribute["values"][0]
    return None


def _names_certificate(signer_info: cms.SignerInfo, certificate: Certificate) -> bool:
    """The signing-certificate attribute (v2, or v1 of older tools) names this certificate."""
    v2 = _attribute(signer_info, SIGNING_CERTIFICATE_V2)
    if v2 is not None:
        ids = tsp.SigningCertificateV2.load(v2.dump())["certs"]
        return any(
            digest(i["hash_algorithm"]["algorithm"].dotted, certificate.der)
            == i["cert_hash"].native
            for i in ids
        )
    v1 = _attribute(signer_info, SIGNING_CERTIFICATE)
    if v1 is not None:
        ids = tsp.SigningCertificate.load(v1.dump())["certs"]
        return any(digest("sha1", certificate.der) == i["cert_hash"].native for i in ids)
    raise ValidationError(
        "В подписи нет атрибута «сертификат подписи» (signing-certificate-v2): это не "
        "CAdES-BES. Подпишите файл в формате CAdES-BES, открепленной подписью."
    )


def verify_detached(
    signature: bytes,
    document: bytes,
    certificate: Certificate,
    store: TrustStore,
    now: dt.datetime | None = None,
) -> CadesCheck:
    """Check that `signature` is a valid detached CAdES-BES signature of `document` by the
    certificate's key, the certificate chained to a trusted root at the signing time."""
    content, der = signed_data(signature)
    if content["encap_content_info"]["content"].native is not None:
        raise ValidationError(
            "Подпись присоединённая: файл содержит сам документ. Нужна открепленная подпись "
            "(в КриптоПро — «Создать отсоединённую подпись»), отдельным файлом .sig."
        )
    signers = [s for s in content["signer_infos"] if _identifies(s["sid"], certificate)]
    if not signers:
        raise ValidationError(
            "Подпись сделана другим сертификатом, не зарегистрированным сертификатом "
            f"№ {certificate.serial_number} ({certificate.owner})."
        )
    signer_info = signers[0]
    digest_algorithm = signer_info["digest_algorithm"]["algorithm"].dotted
    signature_algorithm = signer_info["signature_algorithm"]["algorithm"].dotted
    size = certificate.key.size
    if DIGEST_SIZE.get(digest_algorithm) != size or SIGNATURE_SIZE.get(signature_algorithm) != size:
        raise ValidationError(
            f"Подпись сделана не по ГОСТ Р 34.10-2012 ключом сертификата: алгоритм хэширования "
            f"{digest_algorithm}, алгоритм подписи {signature_algorithm}. Нужна подпись ГОСТ Р "
            f"34.10-2012 ({size * 8} бит) с хэш-функцией ГОСТ Р 34.11-2012 (Стрибог)."
        )
    if not signer_info["signed_attrs"]:
        raise ValidationError(
            "В подписи нет подписанных атрибутов: это не CAdES-BES. Подпишите файл в формате "
            "CAdES-BES, открепленной подписью."
        )
    content_type = _attribute(signer_info, "1.2.840.113549.1.9.3")
    message_digest = _attribute(signer_info, "1.2.840.113549.1.9.4")
    if content_type is None or content_type.native != "data" or message_digest is None:
        raise ValidationError(
            "В подписи нет типа содержимого или хэша документа: это не CAdES-BES."
        )
    if message_digest.native != streebog(document, size):
        raise ValidationError(
            "Подпись сделана под другим документом: хэш подписанного файла не совпадает с "
            "подготовленным PDF этого письма. Подпишите именно скачанный с портала PDF."
        )
    if not _names_certificate(signer_info, certificate):
        raise ValidationError(
            "Атрибут «сертификат подписи» называет другой сертификат, не зарегистрированный "
            f"№ {certificate.serial_number}."
        )
    attributes = signer_info["signed_attrs"].dump()
    signed = b"\x31" + attributes[1:]  # the attributes are signed as a SET, not as [0]
    if not certificate.key.verify(signed, signer_info["signature"].native):
        raise ValidationError(
            "Подпись повреждена или подделана: значение подписи не проверяется ключом "
            f"сертификата № {certificate.serial_number}."
        )
    now = now or timezone.now()
    moment = _attribute(signer_info, "1.2.840.113549.1.9.5")
    signing_time = moment.native if moment is not None else now
    if signing_time > now + CLOCK_SKEW:
        raise ValidationError(
            f"Время подписания в подписи ({timezone.localtime(signing_time):%d.%m.%Y %H:%M}) "
            "ещё не наступило: проверьте часы компьютера, на котором подписан файл."
        )
    chain = check_chain(certificate, signing_time, store)
    if moment is None:
        chain.notes.insert(
            0, "В подписи нет времени подписания: сертификат проверен на момент проверки."
        )
    return CadesCheck(certificate=certificate, signing_time=signing_time, chain=chain, der=der)
