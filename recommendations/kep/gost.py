"""ГОСТ Р 34.10-2012 keys and signatures and ГОСТ Р 34.11-2012 (Streebog) digests in X.509 and
CMS, by the published conventions (RFC 9215 for certificates, RFC 4490 and its successors for
CMS), with the arithmetic of `gostcrypto`:

- the public key is an OCTET STRING inside the certificate's BIT STRING: X then Y, each
  little-endian;
- a signature (a certificate's BIT STRING, a SignerInfo's OCTET STRING) is s then r, each
  big-endian;
- the digest enters the signature as a little-endian integer.

`gostcrypto` reads every number big-endian and writes r then s, hence the reversals here; the
test suite checks them against OpenSSL's GOST engine, an independent implementation.
"""

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass

import gostcrypto
from asn1crypto import core, pem, x509
from gostcrypto.gostsignature.gost_34_10_2012 import CURVES_R_1323565_1_024_2019 as CURVES

KEY_256 = "1.2.643.7.1.1.1.1"
KEY_512 = "1.2.643.7.1.1.1.2"
SIGN_256 = "1.2.643.7.1.1.3.2"
SIGN_512 = "1.2.643.7.1.1.3.3"
STREEBOG_256 = "1.2.643.7.1.1.2.2"
STREEBOG_512 = "1.2.643.7.1.1.2.3"

# Key (and signature) size in bytes by the key algorithm, the signature algorithm and the digest.
KEY_SIZE = {KEY_256: 32, KEY_512: 64}
SIGNATURE_SIZE = {KEY_256: 32, SIGN_256: 32, KEY_512: 64, SIGN_512: 64}
DIGEST_SIZE = {STREEBOG_256: 32, STREEBOG_512: 64}
DIGEST_OF_SIZE = {32: STREEBOG_256, 64: STREEBOG_512}

# Parameter sets by OID (R 1323565.1.024-2019): the ТК 26 sets and the CryptoPro sets that
# are the same curves (CryptoPro A and XchA = ТК 26 B; B = C; C and XchB = D).
_256, _512 = "id-tc26-gost-3410-2012-256-paramSet", "id-tc26-gost-3410-12-512-paramSet"
CURVE_NAMES = {
    "1.2.643.7.1.2.1.1.1": _256 + "A",
    "1.2.643.7.1.2.1.1.2": _256 + "B",
    "1.2.643.2.2.35.1": _256 + "B",
    "1.2.643.2.2.36.0": _256 + "B",
    "1.2.643.7.1.2.1.1.3": _256 + "C",
    "1.2.643.2.2.35.2": _256 + "C",
    "1.2.643.7.1.2.1.1.4": _256 + "D",
    "1.2.643.2.2.35.3": _256 + "D",
    "1.2.643.2.2.36.1": _256 + "D",
    "1.2.643.7.1.2.1.2.1": _512 + "A",
    "1.2.643.7.1.2.1.2.2": _512 + "B",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}

# Russian attributes of a qualified certificate's subject (приказ ФСБ № 795).
NAME_OIDS = {
    "1.2.643.100.1": "ОГРН",
    "1.2.643.100.3": "СНИЛС",
    "1.2.643.3.131.1.1": "ИНН",
    "1.2.643.100.4": "ИНН ЮЛ",
}


class GostKeyParameters(core.Sequence):
    _fields = [
        ("public_key_param_set", core.ObjectIdentifier),
        ("digest_param_set", core.ObjectIdentifier, {"optional": True}),
        ("encryption_param_set", core.ObjectIdentifier, {"optional": True}),
    ]


class GostKeyAlgorithm(core.Sequence):
    _fields = [
        ("algorithm", core.ObjectIdentifier),
        ("parameters", core.Any, {"optional": True}),
    ]


class GostPublicKeyInfo(core.Sequence):
    """SubjectPublicKeyInfo read without asn1crypto's list of known algorithms (it has no ГОСТ)."""

    _fields = [("algorithm", GostKeyAlgorithm), ("public_key", core.OctetBitString)]


def _with(fields, name, spec):
    return [(f[0], spec, *f[2:]) if f[0] == name else f for f in fields]


class TbsCertificate(x509.TbsCertificate):
    _fields = _with(x509.TbsCertificate._fields, "subject_public_key_info", GostPublicKeyInfo)


class Asn1Certificate(x509.Certificate):
    _fields = _with(x509.Certificate._fields, "tbs_certificate", TbsCertificate)


# Other key algorithms by name, for the refusal's message.
OTHER_KEYS = {
    "1.2.840.113549.1.1.1": "RSA",
    "1.2.840.10045.2.1": "ECDSA",
    "1.2.643.2.2.19": "ГОСТ Р 34.10-2001 (не применяется с 2019 года)",
}


class NotGost(ValueError):
    """The key is not a ГОСТ Р 34.10-2012 key (the message names its algorithm)."""


def streebog(data: bytes, size: int = 32) -> bytes:
    name = "streebog256" if size == 32 else "streebog512"
    return bytes(gostcrypto.gosthash.new(name, data=data).digest())


def digest(algorithm: str, data: bytes) -> bytes:
    """A digest by its OID: Streebog, or the SHA of an older ESS attribute."""
    if algorithm in DIGEST_SIZE:
        return streebog(data, DIGEST_SIZE[algorithm])
    return hashlib.new(algorithm, data).digest()


@dataclass(frozen=True)
class PublicKey:
    size: int  # 32 (256-bit key) or 64 (512-bit key)
    curve: str
    x: bytes  # big-endian
    y: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        """A signature (s || r, big-endian) over Streebog of `message` of the key's size."""
        if len(signature) != 2 * self.size:
            return False
        mode = (
            gostcrypto.gostsignature.MODE_256
            if self.size == 32
            else (gostcrypto.gostsignature.MODE_512)
        )
        verifier = gostcrypto.gostsignature.new(mode, CURVES[self.curve])
        value = streebog(message, self.size)[::-1]
        r_s = signature[self.size :] + signature[: self.size]
        try:
            return verifier.verify(bytearray(self.x + self.y), bytearray(value), bytearray(r_s))
        except gostcrypto.gostsignature.GOSTSignatureError:
            return False


def public_key(info: GostPublicKeyInfo) -> PublicKey:
    algorithm = info["algorithm"]["algorithm"].dotted
    if algorithm not in KEY_SIZE:
        raise NotGost(OTHER_KEYS.get(algorithm, algorithm))
    size = KEY_SIZE[algorithm]
    try:
        parameters = GostKeyParameters.load(info["algorithm"]["parameters"].dump())
        curve = CURVE_NAMES[parameters["public_key_param_set"].dotted]
        point = core.OctetString.load(info["public_key"].native).native
    except (ValueError, KeyError, TypeError):
        raise NotGost(algorithm) from None
    if len(point) != 2 * size or not curve.startswith(_256 if size == 32 else "id-tc26"):
        raise NotGost(algorithm)
    return PublicKey(size=size, curve=curve, x=point[:size][::-1], y=point[size:][::-1])


def _name_part(name: x509.Name, oid: str) -> str:
    for rdn in name.chosen:
        for pair in rdn:
            if pair["type"].dotted == oid:
                value = pair["value"]
                value = value.native if hasattr(value, "native") else value
                return str(value.native if hasattr(value, "native") else value).strip()
    return ""


@dataclass(frozen=True)
class Certificate:
    """An X.509 certificate with a ГОСТ Р 34.10-2012 key, and what the portal shows of it."""

    der: bytes
    asn1: Asn1Certificate
    key: PublicKey

    @property
    def tbs(self) -> TbsCertificate:
        return self.asn1["tbs_certificate"]

    @property
    def subject(self) -> x509.Name:
        return self.tbs["subject"]

    @property
    def issuer(self) -> x509.Name:
        return self.tbs["issuer"]

    @property
    def serial_number(self) -> str:
        return format(self.tbs["serial_number"].native, "X")

    @property
    def valid_from(self) -> dt.datetime:
        return self.tbs["validity"]["not_before"].native

    @property
    def valid_until(self) -> dt.datetime:
        return self.tbs["validity"]["not_after"].native

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.valid_from <= moment <= self.valid_until

    @property
    def owner(self) -> str:
        """The person: surname and given names (a legal entity's certificate has the
        organisation in CN), else the common name."""
        surname = _name_part(self.subject, "2.5.4.4")
        given = _name_part(self.subject, "2.5.4.42")
        return f"{surname} {given}".strip() or _name_part(self.subject, "2.5.4.3")

    @property
    def organisation(self) -> str:
        return _name_part(self.subject, "2.5.4.10")

    @property
    def issuer_name(self) -> str:
        return _name_part(self.issuer, "2.5.4.3") or _name_part(self.issuer, "2.5.4.10")

    @property
    def subject_name(self) -> str:
        return _name_part(self.subject, "2.5.4.3") or self.owner

    @property
    def is_ca(self) -> bool:
        constraints = self.asn1.basic_constraints_value
        return bool(constraints and constraints["ca"].native)

    @property
    def is_self_issued(self) -> bool:
        return self.subject == self.issuer

    def issued_by(self, issuer: "Certificate") -> bool:
        """The certificate's signature verifies under the issuer's key."""
        algorithm = self.asn1["signature_algorithm"]["algorithm"].dotted
        if SIGNATURE_SIZE.get(algorithm) != issuer.key.size or self.issuer != issuer.subject:
            return False
        return issuer.key.verify(self.tbs.dump(), self.asn1["signature_value"].native)


def der_of(data: bytes) -> bytes:
    """DER as it is, or from PEM armour, or from bare Base64 (CryptoPro saves all three)."""
    if data[:1] == b"0":  # a DER SEQUENCE (bytes are never stripped: they may end in a space)
        return data
    data = data.strip()
    if pem.detect(data):
        return pem.unarmor(data)[2]
    try:
        return base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return data


def read_certificate(data: bytes) -> Certificate:
    """A certificate from DER or PEM; ValueError for anything else, NotGost for another key."""
    der = der_of(data)
    try:
        asn1 = Asn1Certificate.load(der, strict=True)
        info = asn1["tbs_certificate"]["subject_public_key_info"]
        asn1.native  # noqa: B018 — parse every field now: a damaged one fails here, not later
    except (ValueError, TypeError, KeyError):
        raise ValueError("not a certificate") from None
    return Certificate(der=der, asn1=asn1, key=public_key(info))
