"""The trusted roots and intermediates of the accredited УЦ (PROFDEV_TRUSTED_CERTS, DER or PEM
files; revocation lists as `.crl` files beside them): building a certificate's chain and
checking it at a moment. Nothing is fetched from the network, and the result says what could
not be checked."""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl, pem
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from recommendations.kep.gost import Certificate, NotGost, read_certificate

MAX_CHAIN = 8
CRL_SUFFIXES = {".crl"}


@dataclass(frozen=True)
class RevocationList:
    issuer: Certificate
    revoked: dict[int, dt.datetime]
    next_update: dt.datetime | None


@dataclass
class TrustStore:
    certificates: list[Certificate] = field(default_factory=list)
    crls: list[crl.CertificateList] = field(default_factory=list)

    def issuers_of(self, certificate: Certificate) -> list[Certificate]:
        return [c for c in self.certificates if certificate.issued_by(c)]

    def revocation_list(self, issuer: Certificate) -> RevocationList | None:
        for item in self.crls:
            tbs = item["tbs_cert_list"]
            if tbs["issuer"] != issuer.subject:
                continue
            algorithm = item["signature_algorithm"]["algorithm"].dotted
            if not algorithm.startswith("1.2.643.7.1.1.3.") or not issuer.key.verify(
                tbs.dump(), item["signature"].native
            ):
                continue
            revoked = {
                entry["user_certificate"].native: entry["revocation_date"].native
                for entry in tbs["revoked_certificates"]
            }
            return RevocationList(issuer, revoked, tbs["next_update"].native)
        return None


def _pieces(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for _type, _headers, der in pem.unarmor(data, multiple=True)]
    return [data]


def directory() -> Path | None:
    value = settings.PROFDEV_TRUSTED_CERTS
    return Path(value) if value else None


def trust_store() -> TrustStore:
    """Every ГОСТ certificate and revocation list in the directory (others are skipped)."""
    folder = directory()
    if folder is None or not folder.is_dir():
        raise ValidationError(
            "Не настроен каталог доверенных сертификатов УЦ (PROFDEV_TRUSTED_CERTS): "
            "проверить цепочку сертификата нельзя. Его настраивает администратор "
            "(docs/deploy.md, раздел «Квалифицированная подпись»)."
        )
    store = TrustStore()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        for der in _pieces(path.read_bytes()):
            if path.suffix.lower() in CRL_SUFFIXES:
                try:
                    item = crl.CertificateList.load(der)
                    item.native  # noqa: B018 — a damaged list is skipped, not half-read
                except (ValueError, TypeError, KeyError):
                    continue
                store.crls.append(item)
                continue
            try:
                store.certificates.append(read_certificate(der))
            except (ValueError, NotGost):
                continue
    return store


def _moment(value: dt.datetime) -> str:
    return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"


@dataclass(frozen=True)
class ChainCheck:
    path: list[Certificate]  # the certificate first, the root last
    notes: list[str]  # what could not be checked

    @property
    def authority(self) -> Certificate:
        return self.path[1] if len(self.path) > 1 else self.path[0]


def check_chain(certificate: Certificate, moment: dt.datetime, store: TrustStore) -> ChainCheck:
    """The chain from the certificate to a trusted root, every link valid at `moment` and not
    revoked by then; a ValidationError in Russian for the first failure."""
    path = [certificate]
    trusted = {c.der for c in store.certificates}
    # A root is trusted as it lies in the directory: its self-signature proves nothing more.
    while not (path[-1].is_self_issued and path[-1].der in trusted):
        issuers = [c for c in store.issuers_of(path[-1]) if c.der not in {p.der for p in path}]
        if path[-1].is_self_issued or not issuers or len(path) > MAX_CHAIN:
            raise ValidationError(
                f"Сертификат «{path[-1].subject_name}» выдан УЦ «{path[-1].issuer_name}», "
                "которого нет среди доверенных (каталог PROFDEV_TRUSTED_CERTS): цепочка до "
                "доверенного корневого сертификата не выстраивается."
            )
        path.append(issuers[0])
    for item in path:
        if not item.valid_at(moment):
            raise ValidationError(
                f"Сертификат «{item.subject_name}» № {item.serial_number} действует с "
                f"{_moment(item.valid_from)} по {_moment(item.valid_until)}, а проверка — на "
                f"{_moment(moment)}: на этот момент он недействителен."
            )
    for issuer in path[1:]:
        if not issuer.is_ca:
            raise ValidationError(
                f"Сертификат «{issuer.subject_name}» не является сертификатом УЦ, а им "
                "подписан другой сертификат цепочки."
            )
    return ChainCheck(path=path, notes=_revocation_notes(path, moment, store))


def _revocation_notes(path: list[Certificate], moment: dt.datetime, store) -> list[str]:
    notes = []
    for item, issuer in itertools.pairwise(path):
        listed = store.revocation_list(issuer)
        if listed is None:
            notes.append(
                f"Отзыв сертификата «{item.subject_name}» не проверен: список отзыва УЦ "
                f"«{issuer.subject_name}» не загружен (портал не обращается к сети)."
            )
            continue
        serial = item.tbs["serial_number"].native
        if serial in listed.revoked and listed.revoked[serial] <= moment:
            raise ValidationError(
                f"Сертификат «{item.subject_name}» № {item.serial_number} отозван "
                f"{_moment(listed.revoked[serial])} — до времени подписи {_moment(moment)}."
            )
        if serial in listed.revoked:
            notes.append(
                f"Сертификат «{item.subject_name}» отозван {_moment(listed.revoked[serial])}, "
                "после времени подписи, указанного в ней самой (в CAdES-BES его ставит "
                "подписант, штампа времени нет)."
            )
        if listed.next_update and listed.next_update < timezone.now():
            notes.append(
                f"Список отзыва УЦ «{issuer.subject_name}» устарел (следующее обновление — "
                f"{_moment(listed.next_update)}): более поздний отзыв им не учтён."
            )
    return notes
