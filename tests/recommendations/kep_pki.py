"""A ГОСТ Р 34.10-2012 test PKI made with the same libraries as the portal (gostcrypto for the
arithmetic, asn1crypto for the structures): keys, certificates, revocation lists and detached
CAdES-BES signatures laid out as CryptoPro makes them (signed attributes: content type,
message digest, signing time, signing certificate v2)."""

import datetime as dt
import os
from dataclasses import dataclass
from itertools import count

import gostcrypto
from asn1crypto import algos, cms, core, crl, tsp, x509
from gostcrypto.gostsignature.gost_34_10_2012 import CURVES_R_1323565_1_024_2019 as CURVES

from recommendations.kep.gost import (
    CURVE_NAMES,
    DIGEST_OF_SIZE,
    KEY_256,
    KEY_512,
    SIGN_256,
    SIGN_512,
    Asn1Certificate,
    Certificate,
    GostKeyParameters,
    GostPublicKeyInfo,
    PublicKey,
    TbsCertificate,
    read_certificate,
    streebog,
)

TC26_256_A = "1.2.643.7.1.2.1.1.1"
CRYPTOPRO_A = "1.2.643.2.2.35.1"
TC26_512_A = "1.2.643.7.1.2.1.2.1"
_serials = count(0x1A2B3C00)


@dataclass(frozen=True)
class Key:
    private: bytes
    public: PublicKey
    param_set: str

    @property
    def size(self) -> int:
        return self.public.size

    def _signer(self):
        mode = (
            gostcrypto.gostsignature.MODE_256
            if self.size == 32
            else (gostcrypto.gostsignature.MODE_512)
        )
        return gostcrypto.gostsignature.new(mode, CURVES[self.public.curve])

    def sign(self, message: bytes) -> bytes:
        """s || r, big-endian, over Streebog of the message read little-endian."""
        r_s = self._signer().sign(bytearray(self.private), streebog(message, self.size)[::-1])
        return bytes(r_s[self.size :] + r_s[: self.size])


def new_key(param_set: str = TC26_256_A) -> Key:
    curve = CURVE_NAMES[param_set]
    size = 64 if "512" in curve else 32
    q = CURVES[curve]["q"]
    private = (int.from_bytes(os.urandom(size), "big") % (q - 1) + 1).to_bytes(size, "big")
    mode = gostcrypto.gostsignature.MODE_256 if size == 32 else gostcrypto.gostsignature.MODE_512
    point = bytes(gostcrypto.gostsignature.new(mode, CURVES[curve]).public_key_generate(private))
    public = PublicKey(size=size, curve=curve, x=point[:size], y=point[size:])
    return Key(private=private, public=public, param_set=param_set)


def key_info(key: Key) -> GostPublicKeyInfo:
    point = key.public.x[::-1] + key.public.y[::-1]  # X then Y, little-endian (RFC 9215)
    parameters = GostKeyParameters(
        {"public_key_param_set": key.param_set, "digest_param_set": DIGEST_OF_SIZE[key.size]}
    )
    return GostPublicKeyInfo(
        {
            "algorithm": {
                "algorithm": KEY_256 if key.size == 32 else KEY_512,
                "parameters": core.Any.load(parameters.dump()),
            },
            "public_key": core.OctetString(point).dump(),
        }
    )


@dataclass(frozen=True)
class Party:
    """A certificate and its key."""

    certificate: Certificate
    key: Key


def _time(moment: dt.datetime) -> x509.Time:
    return x509.Time({"utc_time" if moment.year < 2050 else "general_time": moment})


def issue(
    name: dict,
    *,
    issuer: Party | None = None,
    key: Key | None = None,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    ca: bool = False,
) -> Party:
    """A certificate for `name` issued by `issuer` (self-signed without one)."""
    key = key or new_key()
    subject = x509.Name.build(name)
    signing_key = issuer.key if issuer else key
    ski = streebog(key.public.x + key.public.y)[:20]
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {
            "extn_id": "key_usage",
            "critical": True,
            "extn_value": {"key_cert_sign", "crl_sign"}
            if ca
            else {"digital_signature", "non_repudiation"},
        },
        {"extn_id": "key_identifier", "critical": False, "extn_value": ski},
    ]
    if issuer:
        extensions.append(
            {
                "extn_id": "authority_key_identifier",
                "critical": False,
                "extn_value": {"key_identifier": issuer.certificate.asn1.key_identifier},
            }
        )
    tbs = TbsCertificate(
        {
            "version": "v3",
            "serial_number": next(_serials),
            "signature": {"algorithm": SIGN_256 if signing_key.size == 32 else SIGN_512},
            "issuer": issuer.certificate.subject if issuer else subject,
            "validity": {"not_before": _time(valid_from), "not_after": _time(valid_until)},
            "subject": subject,
            "subject_public_key_info": key_info(key),
            "extensions": extensions,
        }
    )
    asn1 = Asn1Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": {"algorithm": SIGN_256 if signing_key.size == 32 else SIGN_512},
            "signature_value": signing_key.sign(tbs.dump()),
        }
    )
    return Party(certificate=read_certificate(asn1.dump()), key=key)


def revocation_list(issuer: Party, revoked: dict, *, at: dt.datetime, days: int = 30) -> bytes:
    """A CRL of `issuer` listing {certificate: revocation moment}."""
    algorithm = {"algorithm": SIGN_256 if issuer.key.size == 32 else SIGN_512}
    tbs = crl.TbsCertList(
        {
            "version": "v2",
            "signature": algorithm,
            "issuer": issuer.certificate.subject,
            "this_update": _time(at),
            "next_update": _time(at + dt.timedelta(days=days)),
            "revoked_certificates": [
                {
                    "user_certificate": c.tbs["serial_number"].native,
                    "revocation_date": _time(moment),
                }
                for c, moment in revoked.items()
            ],
        }
    )
    return crl.CertificateList(
        {
            "tbs_cert_list": tbs,
            "signature_algorithm": algorithm,
            "signature": issuer.key.sign(tbs.dump()),
        }
    ).dump()


def cades(
    document: bytes,
    signer: Party,
    *,
    at: dt.datetime,
    signature_algorithm: str | None = None,
    digest_algorithm: str | None = None,
    attached: bool = False,
    signing_certificate: Certificate | None = None,
    with_signing_time: bool = True,
    with_signing_certificate: bool = True,
) -> bytes:
    """A CAdES-BES signature of `document` in DER, detached unless `attached`; the defaults
    are CryptoPro's: signWithDigest algorithm, Streebog of the key's size, the signer's
    certificate included."""
    size = signer.key.size
    digest_algorithm = digest_algorithm or DIGEST_OF_SIZE[size]
    named = signing_certificate or signer.certificate
    attributes = [
        {"type": "content_type", "values": ["data"]},
        {"type": "message_digest", "values": [streebog(document, size)]},
    ]
    if with_signing_time:
        attributes.append({"type": "signing_time", "values": [cms.Time({"utc_time": at})]})
    if with_signing_certificate:
        essid = tsp.SigningCertificateV2(
            {
                "certs": [
                    {
                        "hash_algorithm": {"algorithm": DIGEST_OF_SIZE[size]},
                        "cert_hash": streebog(named.der, size),
                        "issuer_serial": {
                            "issuer": [x509.GeneralName({"directory_name": named.issuer})],
                            "serial_number": named.tbs["serial_number"].native,
                        },
                    }
                ]
            }
        )
        attributes.append({"type": "signing_certificate_v2", "values": [essid]})
    signed_attrs = cms.CMSAttributes(attributes)
    value = signer.key.sign(signed_attrs.dump())
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": {
                "issuer_and_serial_number": {
                    "issuer": signer.certificate.issuer,
                    "serial_number": signer.certificate.tbs["serial_number"].native,
                }
            },
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": digest_algorithm}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": {
                "algorithm": signature_algorithm or (SIGN_256 if size == 32 else SIGN_512)
            },
            "signature": value,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [{"algorithm": digest_algorithm}],
            "encap_content_info": {
                "content_type": "data",
                "content": document if attached else None,
            },
            "certificates": [cms.CertificateChoices.load(signer.certificate.der)],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()


@dataclass(frozen=True)
class TestPki:
    root: Party
    intermediate: Party
    head: Party
    expired: Party
    untrusted_root: Party
    untrusted: Party

    def trusted_files(self) -> dict[str, bytes]:
        """The trusted directory's files: the root in DER, the intermediate in PEM."""
        from asn1crypto import pem

        return {
            "root.cer": self.root.certificate.der,
            "intermediate.pem": pem.armor("CERTIFICATE", self.intermediate.certificate.der),
        }


HEAD_NAME = {
    "country_name": "RU",
    "organization_name": "Отдел образования администрации Тестового района",
    "title": "Начальник отдела образования",
    "surname": "Олейникова",
    "given_name": "Ольга Владимировна",
    "common_name": "Олейникова Ольга Владимировна",
}


def build(now: dt.datetime) -> TestPki:
    """A root and an intermediate УЦ, the head's certificate (valid a year around `now`), an
    expired one of the head, and a certificate from a root that is not trusted."""
    year = dt.timedelta(days=365)
    root = issue(
        {"country_name": "RU", "common_name": "Тестовый Головной УЦ"},
        valid_from=now - 5 * year,
        valid_until=now + 10 * year,
        ca=True,
    )
    intermediate = issue(
        {"country_name": "RU", "organization_name": "ТестУЦ", "common_name": "Тестовый УЦ"},
        issuer=root,
        valid_from=now - 3 * year,
        valid_until=now + 5 * year,
        ca=True,
    )
    head = issue(
        HEAD_NAME, issuer=intermediate, valid_from=now - year / 2, valid_until=now + year / 2
    )
    expired = issue(
        HEAD_NAME, issuer=intermediate, valid_from=now - 2 * year, valid_until=now - year
    )
    untrusted_root = issue(
        {"country_name": "RU", "common_name": "Непризнанный УЦ"},
        valid_from=now - year,
        valid_until=now + year,
        ca=True,
    )
    untrusted = issue(
        HEAD_NAME, issuer=untrusted_root, valid_from=now - year / 2, valid_until=now + year / 2
    )
    return TestPki(root, intermediate, head, expired, untrusted_root, untrusted)
