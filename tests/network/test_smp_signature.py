"""The SMP's answer is used only when its signature holds: a SignedServiceMetadata the sandbox's SMP
signed is read; changed after signing, unsigned, signed under another CA or with an expired
certificate, wrapped, or about someone else, it is refused and nothing is sent."""

import base64
import copy
import logging
import uuid
from datetime import timedelta

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from coursier.kit import clock
from coursier.kit.xmldsig import DSIG, sign_enveloped
from coursier.network.peers import as4, peppol, pki
from coursier.network.peers.peppol import DOCUMENT_TYPE_SCHEME, PARTICIPANT_SCHEME
from coursier.network.peers.smp import (
    SMP_NAMESPACE,
    WSA_NAMESPACE,
    FixedSmp,
    SmpAnswerRefused,
    SmpClient,
    SmpPublisher,
    identifier_path,
    read_endpoint,
)
from coursier.network.peers.transport import TransportRejected, TransportUnavailable

CII = peppol.RECEIVED_DOCUMENT_TYPES[1]
URL = "https://ap.b.example/as4"
SIGNATURE = f"{{{DSIG}}}Signature"


def _participant() -> str:
    return f"0225:{uuid.uuid4().int % 10**9:09d}"


def _published(sandbox_server, certificate, document_type: str = CII) -> tuple[str, bytes]:
    """A new participant published with `certificate`, and the sandbox SMP's signed answer about it."""
    participant = _participant()
    with SmpPublisher(f"{sandbox_server.url}/smp", sandbox_server.token) as publisher:
        publisher.publish(participant, endpoint_url=URL, certificate=certificate, document_types=[document_type])
    path = f"{identifier_path(PARTICIPANT_SCHEME, participant)}/services/"
    answer = httpx.get(f"{sandbox_server.url}/smp/{path}{identifier_path(DOCUMENT_TYPE_SCHEME, document_type)}")
    assert answer.status_code == 200
    return participant, answer.content


@pytest.fixture(scope="module")
def files(sandbox_server):
    return sandbox_server.pki["0099"]


@pytest.fixture(scope="module")
def smp_anchors(files):
    return pki.load_anchors(files["smp_anchors"])


@pytest.fixture(scope="module")
def endpoint_certificate(files):
    return pki.Credentials.load(files["key"], files["certificate"], files["anchors"]).certificate


@pytest.fixture(scope="module")
def signed(sandbox_server, endpoint_certificate):
    return _published(sandbox_server, endpoint_certificate)


def _read(answer: bytes, participant: str, anchors) -> object:
    return read_endpoint(answer, participant, CII, peppol.PROCESS_REGULATED, anchors)


def _refusal(answer: bytes, participant: str, anchors) -> str:
    with pytest.raises(SmpAnswerRefused) as refused:
        _read(answer, participant, anchors)
    return refused.value.code


def _resigned(answer: bytes, key, certificate) -> bytes:
    """The answer's content signed again, by `key` and `certificate`."""
    root = etree.fromstring(answer)
    root.remove(root.find(SIGNATURE))
    sign_enveloped(root, key, certificate)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_a_signed_answer_gives_the_endpoint(signed, smp_anchors, endpoint_certificate):
    participant, answer = signed
    assert etree.fromstring(answer).find(SIGNATURE) is not None
    found = _read(answer, participant.upper(), smp_anchors)
    assert found.url == URL and found.certificate == endpoint_certificate
    # Comments are outside what is signed (canonical XML without comments).
    commented = answer.replace(b"<ServiceMetadata>", b"<!-- cached --><ServiceMetadata>")
    assert commented != answer and _read(commented, participant, smp_anchors).url == URL


def test_an_endpoint_url_changed_after_signing_is_refused(signed, smp_anchors):
    participant, answer = signed
    changed = answer.replace(URL.encode(), b"https://ap.attacker.example/as4")
    assert changed != answer
    assert _refusal(changed, participant, smp_anchors) == "smp_signature_invalid"
    # One character is enough.
    assert _refusal(answer.replace(b"ap.b.example", b"ap.c.example"), participant, smp_anchors) == (
        "smp_signature_invalid"
    )


def test_a_swapped_endpoint_certificate_is_refused(signed, smp_anchors, sandbox_server):
    participant, answer = signed
    theirs = pki.Credentials.load(*(sandbox_server.pki["0042"][name] for name in ("key", "certificate", "anchors")))
    root = etree.fromstring(answer)
    element = root.find(f".//{{{SMP_NAMESPACE}}}Certificate")
    element.text = base64.b64encode(theirs.certificate.public_bytes(serialization.Encoding.DER)).decode()
    swapped = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert _refusal(swapped, participant, smp_anchors) == "smp_signature_invalid"


def test_an_answer_without_its_signature_is_refused(signed, smp_anchors):
    participant, answer = signed
    root = etree.fromstring(answer)
    root.remove(root.find(SIGNATURE))
    unsigned = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert _refusal(unsigned, participant, smp_anchors) == "smp_unsigned"


def test_an_answer_signed_under_another_ca_is_refused(signed, smp_anchors, sandbox_server):
    # An access point's certificate (the AS4 CA's), the attacker's own: it signs well, but is no SMP's.
    participant, answer = signed
    files = sandbox_server.pki["0042"]
    access_point = pki.Credentials.load(files["key"], files["certificate"], files["anchors"])
    resigned = _resigned(answer, access_point.key, access_point.certificate)
    assert _refusal(resigned, participant, smp_anchors) == "smp_signer_untrusted"
    # And under the AS4 anchors instead, the SMP's own certificate is not trusted either.
    assert _refusal(answer, participant, access_point.anchors) == "smp_signer_untrusted"


def test_an_answer_signed_with_an_expired_smp_certificate_is_refused(signed, smp_anchors, files):
    participant, answer = signed
    folder = files["smp_anchors"].parent
    ca_key = serialization.load_pem_private_key((folder / "smp-ca-key.pem").read_bytes(), password=None)
    ca = smp_anchors[0]
    key = pki.new_key()
    expired = pki.issue(
        key, "Coursier test SMP", issuer_key=ca_key, issuer=ca, not_before=clock.now() - timedelta(days=60), days=30
    )
    current = pki.issue(key, "Coursier test SMP", issuer_key=ca_key, issuer=ca)
    assert _read(_resigned(answer, key, current), participant, smp_anchors).url == URL  # the same CA, in time
    assert _refusal(_resigned(answer, key, expired), participant, smp_anchors) == "smp_signer_untrusted"


def test_a_wrapped_signature_is_refused(signed, smp_anchors):
    participant, answer = signed
    original = etree.fromstring(answer)
    forged_metadata = copy.deepcopy(original.find(f"{{{SMP_NAMESPACE}}}ServiceMetadata"))
    forged_metadata.find(f".//{{{WSA_NAMESPACE}}}Address").text = "https://ap.attacker.example/as4"

    # The genuine signed document moved inside a new one whose own ServiceMetadata is the attacker's.
    wrapper = etree.Element(f"{{{SMP_NAMESPACE}}}SignedServiceMetadata", nsmap=original.nsmap)
    wrapper.append(forged_metadata)
    wrapper.append(copy.deepcopy(original))
    wrapped = etree.tostring(wrapper, xml_declaration=True, encoding="UTF-8")
    assert _refusal(wrapped, participant, smp_anchors) == "smp_signature_invalid"

    # The attacker's ServiceMetadata put first in the genuine document, its signature kept as it was.
    doubled = copy.deepcopy(original)
    doubled.insert(0, copy.deepcopy(forged_metadata))
    assert _refusal(etree.tostring(doubled), participant, smp_anchors) == "smp_signature_invalid"

    # The genuine signature under the attacker's document: its digest is of another document.
    moved = etree.Element(f"{{{SMP_NAMESPACE}}}SignedServiceMetadata", nsmap=original.nsmap)
    moved.append(forged_metadata)
    moved.append(copy.deepcopy(original.find(SIGNATURE)))
    assert _refusal(etree.tostring(moved), participant, smp_anchors) == "smp_signature_invalid"


def test_a_genuine_answer_about_another_participant_is_refused(signed, smp_anchors):
    # Signed by the SMP, but about the attacker's participant: replayed for ours, it is not used.
    participant, answer = signed
    assert _refusal(answer, _participant(), smp_anchors) == "smp_answer_mismatch"
    with pytest.raises(SmpAnswerRefused) as other_document:
        read_endpoint(answer, participant, peppol.FACTURX_DOCUMENT_TYPE, peppol.PROCESS_REGULATED, smp_anchors)
    assert other_document.value.code == "smp_answer_mismatch"


def test_a_refused_answer_is_final_sends_nothing_and_is_logged_with_the_participant(
    smp_anchors, sandbox_server, endpoint_certificate, caplog
):
    participant, answer = _published(sandbox_server, endpoint_certificate, peppol.FACTURX_DOCUMENT_TYPE)
    tampered = answer.replace(URL.encode(), b"http://127.0.0.1:9/as4")
    smp = SmpClient(
        FixedSmp("http://smp.example"),
        smp_anchors,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=tampered)),
    )
    sent = []
    files = sandbox_server.pki["0042"]
    sender = pki.Credentials.load(files["key"], files["certificate"], files["anchors"])
    transport = as4.As4Transport(
        sender, smp, transport=httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(500))
    )
    with (
        caplog.at_level(logging.WARNING, logger="coursier.network.peers.smp"),
        pytest.raises(TransportRejected) as refused,
    ):
        transport.deliver(
            platform_id="0099",
            invoice_id=str(uuid.uuid4()),
            filename="invoice.pdf",
            content=b"%PDF-1.7\n%%EOF\n",
            media_type="application/pdf",
            recipient=participant.removeprefix("0225:"),
            sender="100000009",
        )
    assert isinstance(refused.value, SmpAnswerRefused) and not isinstance(refused.value, TransportUnavailable)
    assert refused.value.code == "smp_signature_invalid"
    assert sent == []
    assert participant in caplog.text and "refused" in caplog.text
