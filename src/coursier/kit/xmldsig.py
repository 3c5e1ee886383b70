"""Enveloped XML signatures over a whole document (XML-Signature 1.0), as Peppol SMP answers carry them.

The shape Peppol SMPs sign their SignedServiceMetadata with (Peppol SMP specification 1.2.0 moved
to inclusive canonicalisation, from May 2022, and 1.3.0 to SHA-256; so signs phoss-smp, the
common Peppol SMP, in SMPKeyManager.signXML; OASIS BDXR SMP 1.0 always used inclusive): one
`ds:Signature`, last child of the document element; one `ds:Reference` with URI "" (the whole
document) and the enveloped-signature transform; canonical XML 1.0 without comments
(`REC-xml-c14n-20010315`) for the SignedInfo and the referenced document; RSA with SHA-256;
the signer's certificate in `KeyInfo/X509Data/X509Certificate`.

Verification accepts that shape and nothing looser: a signature anywhere but under the document
element, a second one, a reference to anything but the whole document, another transform or
canonicalisation, SHA-1, are refused. So what verifies is exactly the tree the caller then reads
(no signature wrapping). Whether the signer is to be trusted is the caller's decision.

The installed `as4` package's XMLDSig models are not used: they verify only exclusive
canonicalisation and have no enveloped-signature transform (WS-Security's shape, not the SMP's).
"""

import base64
import copy
import hashlib
import re
from collections.abc import Callable

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

DSIG = "http://www.w3.org/2000/09/xmldsig#"
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

_SIGNATURE_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    RSA_SHA256: hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}
_DIGESTS: dict[str, Callable[[bytes], "hashlib._Hash"]] = {
    SHA256: hashlib.sha256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashlib.sha384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
# The reference's transforms: the enveloped-signature one, optionally followed by the same c14n.
_TRANSFORMS = ([ENVELOPED_SIGNATURE], [ENVELOPED_SIGNATURE, C14N])


class SignatureRejected(ValueError):
    """The document is not signed, or not in the accepted shape, or its signature does not verify."""

    UNSIGNED = "unsigned"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"
    INVALID = "invalid"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # one of the constants above
        self.message = message


def _ds(name: str) -> str:
    return f"{{{DSIG}}}{name}"


def sign_enveloped(root: etree._Element, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> None:
    """Sign the document of `root` (its document element) in place: a `ds:Signature` is appended to it."""
    digest = base64.b64encode(hashlib.sha256(_canonical(root.getroottree())).digest()).decode("ascii")
    signature = etree.SubElement(root, _ds("Signature"), nsmap={"ds": DSIG})
    signed_info = etree.SubElement(signature, _ds("SignedInfo"))
    etree.SubElement(signed_info, _ds("CanonicalizationMethod"), Algorithm=C14N)
    etree.SubElement(signed_info, _ds("SignatureMethod"), Algorithm=RSA_SHA256)
    reference = etree.SubElement(signed_info, _ds("Reference"), URI="")
    transforms = etree.SubElement(reference, _ds("Transforms"))
    etree.SubElement(transforms, _ds("Transform"), Algorithm=ENVELOPED_SIGNATURE)
    etree.SubElement(reference, _ds("DigestMethod"), Algorithm=SHA256)
    etree.SubElement(reference, _ds("DigestValue")).text = digest
    value = key.sign(_canonical(signed_info), padding.PKCS1v15(), hashes.SHA256())
    etree.SubElement(signature, _ds("SignatureValue")).text = base64.b64encode(value).decode("ascii")
    x509_data = etree.SubElement(etree.SubElement(signature, _ds("KeyInfo")), _ds("X509Data"))
    etree.SubElement(x509_data, _ds("X509SubjectName")).text = certificate.subject.rfc4514_string()
    der = certificate.public_bytes(serialization.Encoding.DER)
    etree.SubElement(x509_data, _ds("X509Certificate")).text = base64.b64encode(der).decode("ascii")


def verify_enveloped(tree: etree._ElementTree) -> x509.Certificate:
    """The certificate that signed the whole of `tree`, once its signature is verified; raises
    `SignatureRejected` otherwise. Trusting that certificate is the caller's business."""
    root = tree.getroot()
    signatures = list(root.iter(_ds("Signature")))
    if not signatures:
        raise SignatureRejected(SignatureRejected.UNSIGNED, "the document carries no XML signature")
    if len(signatures) > 1 or signatures[0].getparent() is not root:
        raise SignatureRejected(
            SignatureRejected.MALFORMED, "the document must carry exactly one signature, under its document element"
        )
    signature = signatures[0]
    signed_info = _one(signature, "SignedInfo")
    _require(_algorithm(_one(signed_info, "CanonicalizationMethod")) == C14N, "canonicalisation")
    hash_of_signature = _SIGNATURE_HASHES.get(_algorithm(_one(signed_info, "SignatureMethod")))
    _require(hash_of_signature is not None, "signature method")
    reference = _one(signed_info, "Reference")
    if reference.get("URI") != "":
        raise SignatureRejected(SignatureRejected.MALFORMED, "the signature's reference is not the whole document")
    transforms = [_algorithm(transform) for transform in _one(reference, "Transforms").findall(_ds("Transform"))]
    _require(transforms in _TRANSFORMS, "transforms")
    digest_of_reference = _DIGESTS.get(_algorithm(_one(reference, "DigestMethod")))
    _require(digest_of_reference is not None, "digest method")
    certificate = _signer(_one(_one(signature, "KeyInfo"), "X509Data"))
    public_key = certificate.public_key()
    _require(isinstance(public_key, rsa.RSAPublicKey), "key type")
    try:
        public_key.verify(
            _base64(_one(signature, "SignatureValue")), _canonical(signed_info), padding.PKCS1v15(), hash_of_signature()
        )
    except InvalidSignature as exc:
        raise SignatureRejected(SignatureRejected.INVALID, "the signature does not verify") from exc
    unsigned = _without(tree, signature)
    if digest_of_reference(_canonical(unsigned)).digest() != _base64(_one(reference, "DigestValue")):
        raise SignatureRejected(SignatureRejected.INVALID, "the signed document was changed after signing")
    return certificate


def _canonical(node: etree._Element | etree._ElementTree) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=False, with_comments=False)


def _without(tree: etree._ElementTree, signature: etree._Element) -> etree._ElementTree:
    """A copy of `tree` without `signature` (the enveloped-signature transform); the text after it,
    which the transform keeps, stays."""
    unsigned = copy.deepcopy(tree)
    root = unsigned.getroot()
    element = root[signature.getparent().index(signature)]
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            root.text = (root.text or "") + element.tail
    root.remove(element)
    return unsigned


def _one(parent: etree._Element, name: str) -> etree._Element:
    found = parent.findall(_ds(name))
    if len(found) != 1:
        raise SignatureRejected(SignatureRejected.MALFORMED, f"the signature needs exactly one ds:{name}")
    return found[0]


def _algorithm(element: etree._Element) -> str:
    return element.get("Algorithm", "")


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise SignatureRejected(SignatureRejected.UNSUPPORTED, f"the signature's {what} is not one accepted")


def _base64(element: etree._Element) -> bytes:
    try:
        return base64.b64decode(re.sub(r"\s+", "", element.text or ""), validate=True)
    except ValueError as exc:
        raise SignatureRejected(SignatureRejected.MALFORMED, f"{element.tag} is not base64") from exc


def _signer(x509_data: etree._Element) -> x509.Certificate:
    certificates = x509_data.findall(_ds("X509Certificate"))
    if len(certificates) != 1:
        raise SignatureRejected(SignatureRejected.MALFORMED, "the signature needs exactly one X509Certificate")
    try:
        return x509.load_der_x509_certificate(_base64(certificates[0]))
    except ValueError as exc:
        raise SignatureRejected(SignatureRejected.MALFORMED, f"the signer's certificate: {exc}") from exc
