"""Certificates between platforms: this platform's AS4 key and certificate, the CAs it trusts, and
a local test PKI (`coursier network init`) so that two instances can talk on one machine.

Peppol gives each access point a certificate from its own PKI whose subject common name is the AP's
seat id (Peppol AS4 profile: the PartyId of eb:From and eb:To names the certificate's CN). The test
PKI does the same with a CA of its own: one certificate per platform, CN `PFR00` + matricule, the
shape of a French seat id. Trust is "chains to a configured anchor and is in its validity period".

The SMP signs its answers with a certificate of another CA (Peppol PKI: the SMP CA is distinct
from the access points' CA), so the test PKI has a second CA for the local SMP's certificate.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from coursier.kit import clock
from coursier.kit.keys import KeyPairError, load_rsa_pair

# RSA keys, as the Peppol AS4 profile's algorithms (RSA-SHA256 signatures, RSA-OAEP key transport) need.
KEY_BITS = 2048
TEST_CA_NAME = "Coursier test access point CA"
TEST_SMP_CA_NAME = "Coursier test SMP CA"
TEST_SMP_NAME = "Coursier test SMP"
# A French seat id: this prefix, then the platform matricule.
_PARTY_PREFIX = "PFR00"


class CredentialsError(ValueError):
    """A key, certificate or anchor file is missing or unreadable."""


@dataclass(frozen=True)
class Credentials:
    """This platform's side of AS4: its key, its certificate (CN = its party id), the anchors it trusts."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    anchors: tuple[x509.Certificate, ...]

    @property
    def party_id(self) -> str:
        return common_name(self.certificate)

    @classmethod
    def load(cls, key_file: Path, certificate_file: Path, anchors_file: Path) -> "Credentials":
        try:
            key, certificate = load_rsa_pair(key_file, certificate_file)
        except KeyPairError as exc:
            raise CredentialsError(f"AS4 credentials: {exc}") from exc
        anchors = load_anchors(anchors_file)
        if not common_name(certificate):
            raise CredentialsError(f"{certificate_file} names no common name (the AS4 party id)")
        return cls(key=key, certificate=certificate, anchors=anchors)


def load_anchors(anchors_file: Path) -> tuple[x509.Certificate, ...]:
    """The CA certificates of a PEM file (one or more)."""
    try:
        return tuple(x509.load_pem_x509_certificates(anchors_file.read_bytes()))
    except (OSError, ValueError) as exc:
        raise CredentialsError(f"The trust anchors {anchors_file} cannot be read: {exc}") from exc


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


def untrusted_reason(certificate: x509.Certificate, anchors: tuple[x509.Certificate, ...]) -> str | None:
    """Why `certificate` is not to be trusted (not issued by an anchor, or out of its validity
    period, or its anchor out of its own), or None when it is."""
    now = clock.now()
    issuer = next((anchor for anchor in anchors if _issued_by(certificate, anchor)), None)
    if issuer is None:
        return f"{certificate.subject.rfc4514_string()} is not issued by a trusted CA"
    for checked in (certificate, issuer):
        if not checked.not_valid_before_utc <= now <= checked.not_valid_after_utc:
            return f"{checked.subject.rfc4514_string()} is outside its validity period"
    return None


def _issued_by(certificate: x509.Certificate, anchor: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(anchor)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def party_id_of(matricule: str) -> str:
    """The test PKI's AP id of a platform: `PFR00` + its matricule (French seats are PFR + 6 characters)."""
    return f"{_PARTY_PREFIX}{matricule}"


def matricule_of(party_id: str) -> str | None:
    """The platform matricule an AP id names (`PFR00` + matricule), if it is one."""
    matricule = party_id.removeprefix(_PARTY_PREFIX)
    return matricule if party_id.startswith(_PARTY_PREFIX) and re.fullmatch(r"[A-Za-z0-9]{4}", matricule) else None


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)


def issue(
    subject_key: rsa.RSAPrivateKey,
    common_name_: str,
    *,
    issuer_key: rsa.RSAPrivateKey | None = None,
    issuer: x509.Certificate | None = None,
    ca: bool = False,
    not_before: datetime | None = None,
    days: int = 825,
) -> x509.Certificate:
    """A certificate for `subject_key`, self-signed when no issuer is given."""
    start = not_before or clock.now() - timedelta(minutes=5)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name_)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer is not None else subject)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=False,
                key_encipherment=not ca,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(issuer_key or subject_key, hashes.SHA256())


def pem(item: x509.Certificate | rsa.RSAPrivateKey) -> bytes:
    if isinstance(item, x509.Certificate):
        return item.public_bytes(serialization.Encoding.PEM)
    return item.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def init_test_pki(folder: Path, matricules: list[str]) -> dict[str, dict[str, Path]]:
    """A CA and one key and certificate per platform under `folder`, and an SMP CA with the local
    SMP's key and certificate (`smp_files_of`); existing CAs and SMP certificate are kept, so a
    platform added later trusts and is trusted by the others. Returns each platform's files, with
    the SMP trust anchors (`smp_anchors`)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key, ca = _test_ca(folder / "ca-key.pem", folder / "ca.pem", TEST_CA_NAME)
    smp = _init_test_smp(folder)
    made = {}
    for matricule in matricules:
        key = new_key()
        certificate = issue(key, party_id_of(matricule), issuer_key=ca_key, issuer=ca)
        platform = folder / matricule
        platform.mkdir(exist_ok=True)
        _write_private(platform / "key.pem", pem(key))
        (platform / "cert.pem").write_bytes(pem(certificate))
        made[matricule] = {
            "key": platform / "key.pem",
            "certificate": platform / "cert.pem",
            "anchors": folder / "ca.pem",
            "smp_anchors": smp["anchors"],
        }
    return made


def smp_files_of(folder: Path) -> dict[str, Path]:
    """Where `init_test_pki` puts the local SMP's key, certificate and CA (its trust anchor)."""
    return {
        "key": folder / "smp" / "key.pem",
        "certificate": folder / "smp" / "cert.pem",
        "anchors": folder / "smp-ca.pem",
    }


def _init_test_smp(folder: Path) -> dict[str, Path]:
    files = smp_files_of(folder)
    ca_key, ca = _test_ca(folder / "smp-ca-key.pem", files["anchors"], TEST_SMP_CA_NAME)
    if not (files["key"].exists() and files["certificate"].exists()):
        key = new_key()
        files["key"].parent.mkdir(exist_ok=True)
        _write_private(files["key"], pem(key))
        files["certificate"].write_bytes(pem(issue(key, TEST_SMP_NAME, issuer_key=ca_key, issuer=ca)))
    return files


def _test_ca(key_path: Path, certificate_path: Path, name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The CA whose files are there, or a new one written there."""
    if key_path.exists() and certificate_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        return key, x509.load_pem_x509_certificate(certificate_path.read_bytes())
    key = new_key()
    ca = issue(key, name, ca=True, days=3650)
    _write_private(key_path, pem(key))
    certificate_path.write_bytes(pem(ca))
    return key, ca


def _write_private(path: Path, content: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.write_bytes(content)
