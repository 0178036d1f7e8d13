"""The КЭП signer beside `signing.PadesSigner`, behind the same `Signer` protocol: the head signs
the final PDF with their own tool; the portal checks the detached signature they bring and
keeps the PDF exactly as it was prepared."""

from django.core.exceptions import ValidationError

from recommendations.kep.cades import CadesCheck, verify_detached
from recommendations.kep.gost import NotGost, read_certificate
from recommendations.kep.trust import trust_store
from recommendations.models import QualifiedCertificate


def certificate_of(certificate: QualifiedCertificate):
    try:
        return read_certificate(bytes(certificate.der))
    except (ValueError, NotGost):
        raise ValidationError("Зарегистрированный сертификат КЭП не читается.") from None


class CadesSigner:
    """A detached CAdES-BES signature the head made: `sign` accepts the PDF only if the
    signature verifies under the registered certificate (a ValidationError in Russian)."""

    def __init__(self, signature: bytes):
        self.signature = signature
        self.check: CadesCheck | None = None

    def sign(self, pdf: bytes, certificate: QualifiedCertificate) -> bytes:
        self.check = verify_detached(
            self.signature, pdf, certificate_of(certificate), trust_store()
        )
        return pdf

    def public_certificate(self, certificate: QualifiedCertificate) -> bytes:
        return bytes(certificate.der)
