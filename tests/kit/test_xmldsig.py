"""Enveloped signatures: what is signed is the whole document less the signature, and only the
accepted shape verifies."""

import pytest
from lxml import etree

from coursier.kit.xml import parse_xml
from coursier.kit.xmldsig import DSIG, SignatureRejected, sign_enveloped, verify_enveloped
from coursier.network.peers import pki

_SIGNATURE = f"{{{DSIG}}}Signature"


@pytest.fixture(scope="module")
def signer():
    key = pki.new_key()
    return key, pki.issue(key, "Signer")


def _signed(signer) -> etree._Element:
    root = etree.fromstring(b'<a xmlns="urn:a" xmlns:b="urn:b"><b:first>1</b:first>\n<second>2</second></a>')
    sign_enveloped(root, *signer)
    return root


def _verify(root: etree._Element):
    return verify_enveloped(parse_xml(etree.tostring(root)))


def test_the_signer_is_given_back_and_the_text_around_the_signature_is_kept(signer):
    root = _signed(signer)
    assert _verify(root) == signer[1]
    # The signature moved between the children, the line break after it: the same document once it is
    # taken out (the enveloped-signature transform keeps the text that follows it).
    first, signature = root[0], root.find(_SIGNATURE)
    first.addnext(signature)
    signature.tail, first.tail = first.tail, None
    assert _verify(root) == signer[1]
    signature.tail = None  # now the line break is gone from the document: changed
    with pytest.raises(SignatureRejected) as changed:
        _verify(root)
    assert changed.value.code == SignatureRejected.INVALID


@pytest.mark.parametrize(
    "path, attribute, value, code",
    [
        ("ds:SignedInfo/ds:SignatureMethod", "Algorithm", "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "unsupported"),
        (
            "ds:SignedInfo/ds:CanonicalizationMethod",
            "Algorithm",
            "http://www.w3.org/2001/10/xml-exc-c14n#",
            "unsupported",
        ),
        (
            "ds:SignedInfo/ds:Reference/ds:DigestMethod",
            "Algorithm",
            "http://www.w3.org/2000/09/xmldsig#sha1",
            "unsupported",
        ),
        (
            "ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform",
            "Algorithm",
            "http://www.w3.org/TR/1999/REC-xpath-19991116",
            "unsupported",
        ),
        ("ds:SignedInfo/ds:Reference", "URI", "#first", "malformed"),
    ],
    ids=["rsa-sha1", "exclusive-c14n", "sha1-digest", "xpath-transform", "not-the-whole-document"],
)
def test_only_the_accepted_shape_verifies(signer, path, attribute, value, code):
    root = _signed(signer)
    root.find(_SIGNATURE).find(path, {"ds": DSIG}).set(attribute, value)
    with pytest.raises(SignatureRejected) as refused:
        _verify(root)
    assert refused.value.code == code


def test_a_second_signature_or_one_deeper_is_refused(signer):
    root = _signed(signer)
    root[0].append(etree.fromstring(etree.tostring(root.find(_SIGNATURE))))
    with pytest.raises(SignatureRejected) as doubled:
        _verify(root)
    assert doubled.value.code == SignatureRejected.MALFORMED
    unsigned = etree.fromstring(b'<a xmlns="urn:a"/>')
    with pytest.raises(SignatureRejected) as missing:
        _verify(unsigned)
    assert missing.value.code == SignatureRejected.UNSIGNED
