"""An RSA private key and its certificate, read from PEM files: what signs (an AS4 access point,
the sandbox's SMP) must hold the key of the certificate it presents."""

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class KeyPairError(ValueError):
    """A file unreadable, a key that is not RSA, or a certificate of another key."""


def load_rsa_pair(key_file: Path, certificate_file: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise KeyPairError(f"the key or certificate cannot be read: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyPairError(f"{key_file} is not an RSA key")
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise KeyPairError(f"{certificate_file} is not the certificate of the RSA key {key_file}")
    return key, certificate
