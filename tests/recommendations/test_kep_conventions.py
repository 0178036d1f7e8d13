"""The byte-order conventions of ГОСТ keys and signatures, checked against the example
certificate RFC 9215 publishes (tests/data/rfc9215-example-256.pem, self-signed with the ТК 26
256-bit parameter set A by an independent implementation): reading it and verifying its own
signature proves the key's little-endian halves, the digest read little-endian and the
signature as s || r all at once."""

from pathlib import Path

import pytest

from recommendations.kep.gost import KEY_256, der_of, read_certificate, streebog

EXAMPLE = Path(__file__).parent.parent / "data" / "rfc9215-example-256.pem"


def test_the_rfc_9215_example_certificate_reads_and_verifies_itself():
    certificate = read_certificate(EXAMPLE.read_bytes())
    assert certificate.tbs["subject_public_key_info"]["algorithm"]["algorithm"].dotted == KEY_256
    assert certificate.key.curve == "id-tc26-gost-3410-2012-256-paramSetA"
    # As OpenSSL's GOST engine prints the key of this certificate.
    assert certificate.key.x.hex().upper() == (
        "99C3DF265EA59350640BA69D1DE04418AF3FEA03EC0F85F2DD84E8BED4952774"
    )
    assert certificate.key.y.hex().upper() == (
        "E218631A69C47C122E2D516DA1C09E6BD19344D94389D1F16C0C4D4DCF96F578"
    )
    assert (certificate.serial_number, certificate.subject_name) == ("A", "Example")
    assert certificate.is_ca and certificate.issued_by(certificate)


def test_a_changed_byte_of_the_example_fails_its_signature():
    der = der_of(EXAMPLE.read_bytes())
    i = der.index(b"Example") + 2  # inside the signed subject name
    changed = read_certificate(der[:i] + b"X" + der[i + 1 :])
    assert not changed.issued_by(changed)


def test_the_signature_halves_swapped_fail():
    certificate = read_certificate(EXAMPLE.read_bytes())
    value = certificate.asn1["signature_value"].native
    swapped = value[32:] + value[:32]
    assert not certificate.key.verify(certificate.tbs.dump(), swapped)
    assert certificate.key.verify(certificate.tbs.dump(), value)


def test_streebog_matches_the_standards_example():
    # ГОСТ Р 34.11-2012, example 1: the 63 digits «0123456789…012» (OpenSSL's GOST engine
    # returns the same bytes).
    message = b"0123456789" * 6 + b"012"
    assert streebog(message, 32).hex() == (
        "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"
    )


def test_a_structure_that_is_not_a_certificate_is_refused():
    with pytest.raises(ValueError, match="not a certificate"):
        read_certificate(b"\x30\x03\x02\x01\x01")
