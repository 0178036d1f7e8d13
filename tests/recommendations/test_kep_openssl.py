"""Cross-checks against OpenSSL's GOST engine (Debian's libengine-gost-openssl), an independent
implementation: OpenSSL verifies the test PKI's signatures, and the portal accepts a signature,
a certificate and a root that OpenSSL made."""

import datetime as dt
import subprocess

import pytest
from asn1crypto import pem

from recommendations.kep.services import (
    certificate_register,
    letter_attach_signature,
    letter_prepare_signature,
)
from tests.recommendations import kep_pki


def _gost_engine() -> bool:
    try:
        done = subprocess.run(["openssl", "engine", "gost"], capture_output=True, timeout=30)
    except OSError:
        return False
    return done.returncode == 0


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not _gost_engine(),
        reason="нет движка GOST для OpenSSL (Debian: apt-get install libengine-gost-openssl)",
    ),
]


def openssl(*args, cwd) -> subprocess.CompletedProcess:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_openssl_verifies_the_test_pki_signature(tmp_path, pki):
    document = b"%PDF-1.7 any bytes\n"
    (tmp_path / "letter.pdf").write_bytes(document)
    (tmp_path / "letter.pdf.sig").write_bytes(
        kep_pki.cades(document, pki.head, at=dt.datetime.now(dt.UTC))
    )
    (tmp_path / "ca.pem").write_bytes(
        pem.armor("CERTIFICATE", pki.root.certificate.der)
        + pem.armor("CERTIFICATE", pki.intermediate.certificate.der)
    )
    verify = ["cms", "-engine", "gost", "-verify", "-binary", "-inform", "DER"]
    verify += ["-in", "letter.pdf.sig", "-CAfile", "ca.pem", "-purpose", "any", "-out", "-"]
    openssl(*verify, "-content", "letter.pdf", cwd=tmp_path)
    (tmp_path / "other.pdf").write_bytes(document + b" ")
    refused = subprocess.run(
        ["openssl", *verify, "-content", "other.pdf"], cwd=tmp_path, capture_output=True
    )
    assert refused.returncode != 0


@pytest.mark.parametrize(
    ("algorithm", "paramset", "digest", "outform"),
    [
        ("gost2012_256", "A", "md_gost12_256", "DER"),
        ("gost2012_256", "TCA", "md_gost12_256", "PEM"),
        ("gost2012_512", "A", "md_gost12_512", "DER"),
    ],
    ids=["256-cryptopro-a-der", "256-tc26-a-pem", "512-a-der"],
)
def test_the_portal_accepts_what_openssl_signed(
    head, letter, settings, tmp_path, algorithm, paramset, digest, outform
):
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    settings.PROFDEV_TRUSTED_CERTS = str(trusted)
    key = ["-engine", "gost", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}"]
    openssl("genpkey", *key, "-out", "root.key", cwd=tmp_path)
    openssl("genpkey", *key, "-out", "head.key", cwd=tmp_path)
    openssl(
        "req", "-engine", "gost", "-new", "-x509", "-utf8", "-days", "30", "-" + digest,
        "-key", "root.key", "-subj", "/C=RU/CN=Корневой УЦ OpenSSL", "-out", "root.pem",
        cwd=tmp_path,
    )  # fmt: skip
    openssl(
        "req", "-engine", "gost", "-new", "-utf8", "-" + digest, "-key", "head.key",
        "-subj", "/C=RU/O=Отдел образования/SN=Олейникова/GN=Ольга Владимировна"
        "/CN=Олейникова Ольга Владимировна", "-out", "head.csr",
        cwd=tmp_path,
    )  # fmt: skip
    openssl(
        "x509", "-engine", "gost", "-req", "-in", "head.csr", "-CA", "root.pem",
        "-CAkey", "root.key", "-days", "20", "-" + digest, "-out", "head.pem",
        cwd=tmp_path,
    )  # fmt: skip
    (trusted / "root.pem").write_bytes((tmp_path / "root.pem").read_bytes())
    registered = certificate_register(
        user=head, data=(tmp_path / "head.pem").read_bytes(), signer_position="Начальник"
    )
    assert (registered.owner, registered.organisation, registered.issuer) == (
        "Олейникова Ольга Владимировна",
        "Отдел образования",
        "Корневой УЦ OpenSSL",
    )
    (tmp_path / "letter.pdf").write_bytes(
        bytes(letter_prepare_signature(letter=letter, user=head).pdf)
    )
    openssl(
        "cms", "-engine", "gost", "-sign", "-binary", "-cades", "-md", digest,
        "-signer", "head.pem", "-inkey", "head.key", "-in", "letter.pdf",
        "-outform", outform, "-out", "letter.pdf.sig",
        cwd=tmp_path,
    )  # fmt: skip
    signature = (tmp_path / "letter.pdf.sig").read_bytes()
    signed = letter_attach_signature(letter=letter, user=head, signature=signature)
    assert signed.is_signed and signed.number == "01-14/1"
