"""Checking a signed letter's stored signature, whichever it is: PAdES inside the PDF (УНЭП) or
the head's detached CAdES-BES (КЭП) kept beside it."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from recommendations.kep.cades import CadesCheck, verify_detached
from recommendations.kep.gost import NotGost, read_certificate
from recommendations.kep.trust import trust_store
from recommendations.models import Letter
from recommendations.signing import validate_signature


@dataclass(frozen=True)
class StoredCheck:
    ok: bool
    intact: bool
    signer: str
    problem: str = ""
    kep: CadesCheck | None = None
    notes: list[str] = field(default_factory=list)


def is_qualified(letter: Letter) -> bool:
    """Signed with the head's КЭП (a detached signature kept beside the PDF)."""
    return letter.signature is not None


def stored_signature_check(letter: Letter, pdf: bytes) -> StoredCheck:
    certificate = bytes(letter.signer_certificate or b"")
    if not is_qualified(letter):
        check = validate_signature(pdf, certificate)
        return StoredCheck(ok=check.ok, intact=check.intact, signer=check.signer)
    try:
        kep = verify_detached(
            bytes(letter.signature), pdf, read_certificate(certificate), trust_store()
        )
    except (ValueError, NotGost):
        return StoredCheck(False, False, "", "Сертификат подписанта не читается.")
    except ValidationError as error:
        return StoredCheck(False, False, "", " ".join(error.messages))
    return StoredCheck(True, True, kep.certificate.owner, kep=kep, notes=kep.notes)
