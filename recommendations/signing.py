"""Electronic signatures: the signers' certificates, the signing backend and validation.

The portal signs with an unqualified signature (УНЭП) recognised by a local act of the office;
a qualified provider (КЭП) replaces `PadesSigner` by another `Signer` without touching the rest.
"""

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from recommendations.models import SigningCertificate


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"profdev-signing-passphrase", info=b"v1"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_passphrase(passphrase: str) -> bytes:
    return _fernet().encrypt(passphrase.encode())


def decrypt_passphrase(token: bytes) -> str:
    try:
        return _fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        raise ValidationError(
            "Пароль сертификата не расшифровывается: SECRET_KEY изменился. "
            "Администратору нужно заново указать пароль сертификата."
        ) from None


@dataclass(frozen=True)
class CertificateInfo:
    serial_number: str
    owner: str
    valid_from: dt.datetime
    valid_until: dt.datetime


def read_pkcs12(data: bytes, passphrase: str) -> CertificateInfo:
    """The certificate's details; a clear Russian error for a wrong file or passphrase."""
    try:
        _key, cert, _extra = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except ValueError:
        raise ValidationError(
            "Файл не является контейнером PKCS#12 или пароль к нему неверен."
        ) from None
    if cert is None or _key is None:
        raise ValidationError("В контейнере PKCS#12 нет сертификата с закрытым ключом.")
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return CertificateInfo(
        serial_number=format(cert.serial_number, "X"),
        owner=names[0].value if names else cert.subject.rfc4514_string(),
        valid_from=cert.not_valid_before_utc,
        valid_until=cert.not_valid_after_utc,
    )


def certificate_set(
    *, user, pkcs12_data: bytes, passphrase: str, signer_name: str, signer_position: str
) -> SigningCertificate:
    """Store (or replace) a user's certificate; the passphrase is kept only encrypted."""
    info = read_pkcs12(pkcs12_data, passphrase)
    certificate, _ = SigningCertificate.objects.update_or_create(
        user=user,
        defaults={
            "signer_name": signer_name,
            "signer_position": signer_position,
            "pkcs12": pkcs12_data,
            "passphrase_encrypted": encrypt_passphrase(passphrase),
            "serial_number": info.serial_number,
            "owner": info.owner,
            "valid_from": info.valid_from,
            "valid_until": info.valid_until,
        },
    )
    return certificate


def make_self_signed_pkcs12(*, owner: str, passphrase: str, days: int = 3 * 365) -> bytes:
    """A self-signed RSA certificate for development and tests."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, owner),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        owner.encode(),
        key,
        cert,
        None,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )


def certificate_make_dev(*, user, owner: str, position: str) -> SigningCertificate:
    """A self-signed certificate for a user, with a random passphrase (development, demo)."""
    passphrase = secrets.token_urlsafe(16)
    return certificate_set(
        user=user,
        pkcs12_data=make_self_signed_pkcs12(owner=owner, passphrase=passphrase),
        passphrase=passphrase,
        signer_name=owner,
        signer_position=position,
    )


class Signer(Protocol):
    """The signing backend: signs a finished PDF with a signer's certificate."""

    def sign(self, pdf: bytes, certificate: SigningCertificate) -> bytes: ...

    def public_certificate(self, certificate: SigningCertificate) -> bytes:
        """The DER of the certificate the signature will be validated against."""
        ...


class PadesSigner:
    """PAdES (pyHanko) with the PKCS#12 bundle held by the portal."""

    def _signer(self, certificate: SigningCertificate) -> signers.SimpleSigner:
        passphrase = decrypt_passphrase(certificate.passphrase_encrypted)
        signer = signers.SimpleSigner.load_pkcs12_data(
            bytes(certificate.pkcs12), other_certs=(), passphrase=passphrase.encode()
        )
        if signer is None:
            raise ValidationError("Сертификат подписанта не загружается.")
        return signer

    def sign(self, pdf: bytes, certificate: SigningCertificate) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name="Signature",
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=certificate.signer_name,
            reason="Документ подписан электронной подписью",
        )
        out = signers.sign_pdf(writer, meta, signer=self._signer(certificate))
        return out.getvalue()

    def public_certificate(self, certificate: SigningCertificate) -> bytes:
        return self._signer(certificate).signing_cert.dump()


def default_signer() -> Signer:
    return PadesSigner()


@dataclass(frozen=True)
class SignatureCheck:
    intact: bool
    valid: bool
    signer: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid


def validate_signature(pdf: bytes, trusted_certificate: bytes) -> SignatureCheck:
    """Validate the PDF's signature against the signer's certificate recorded at signing.

    Nothing is fetched from the network (no OCSP/CRL): the trust anchor is the certificate
    the portal itself recorded for the signer.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf))
        signatures = reader.embedded_signatures
        if not signatures:
            return SignatureCheck(False, False, "")
        root = asn1_x509.Certificate.load(bytes(trusted_certificate))
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        status = validate_pdf_signature(signatures[-1], context)
    except Exception:
        # A damaged file is simply not a valid signature; the page says so.
        return SignatureCheck(False, False, "")
    return SignatureCheck(
        intact=bool(status.intact),
        valid=bool(status.valid and status.trusted),
        signer=status.signing_cert.subject.human_friendly,
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
