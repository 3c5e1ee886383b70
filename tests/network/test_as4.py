"""The AS4 transport against an AS4 endpoint, in memory: what is signed, encrypted, checked and
refused, with the error the profile names. The stored side is in tests/api/test_as4.py."""

from dataclasses import dataclass, replace
from datetime import timedelta

import httpx
import pytest

from coursier.kit import clock
from coursier.network.peers import as4, pki
from coursier.network.peers.smp import Endpoint
from coursier.network.peers.transport import RECIPIENT_NOT_SERVICED, TransportRejected, TransportUnavailable

PDF = b"%PDF-1.7\n% a Factur-X stands here\n%%EOF\n"
SERVED = "0225:200000008"


@dataclass
class Pki:
    a: pki.Credentials
    b: pki.Credentials
    rogue_a: pki.Credentials  # A's party id, but from another CA
    expired_a: pki.Credentials  # A's party id from the right CA, out of its validity


def _platform(ca_key, ca, party, **validity) -> pki.Credentials:
    key = pki.new_key()
    certificate = pki.issue(key, party, issuer_key=ca_key, issuer=ca, **validity)
    return pki.Credentials(key=key, certificate=certificate, anchors=(ca,))


@pytest.fixture(scope="module")
def keys() -> Pki:
    ca_key, rogue_key = pki.new_key(), pki.new_key()
    ca = pki.issue(ca_key, "Test CA", ca=True)
    rogue = pki.issue(rogue_key, "Test CA", ca=True)  # the same name, another key
    a, b = _platform(ca_key, ca, "PFR000042"), _platform(ca_key, ca, "PFR000099")
    long_ago = clock.now() - timedelta(days=400)
    return Pki(
        a=a,
        b=b,
        rogue_a=replace(_platform(rogue_key, rogue, "PFR000042"), anchors=(ca,)),
        expired_a=replace(_platform(ca_key, ca, "PFR000042", not_before=long_ago, days=30), anchors=(ca,)),
    )


class FixedEndpoint:
    """An SMP that names one endpoint for everyone."""

    def __init__(self, url: str, certificate) -> None:
        self.found = Endpoint(url, certificate)

    def endpoint(self, participant_id, document_type, process):
        return self.found

    def close(self):
        pass


@dataclass
class Receiver:
    endpoint: as4.As4Endpoint
    opened: list
    tamper: callable = None  # bytes -> bytes, applied to the message on its way

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = self.tamper(request.content) if self.tamper else request.content
        inbound, refusal = self.endpoint.open(request.headers["content-type"], body, lambda p: p == SERVED)
        if inbound is not None:
            self.opened.append(inbound)
        signal = refusal or self.endpoint.receipt(inbound)
        return httpx.Response(200, headers=signal.headers, content=signal.body)


def _pair(sender: pki.Credentials, receiver: pki.Credentials, *, smp_certificate=None, max_payload=1_000_000):
    receiving = Receiver(as4.As4Endpoint(receiver, max_payload_bytes=max_payload), [])
    smp = FixedEndpoint("http://127.0.0.1:9/as4", smp_certificate or receiver.certificate)
    transport = as4.As4Transport(sender, smp, transport=httpx.MockTransport(receiving.handle))
    return transport, receiving


def _send(transport, *, content=PDF, recipient="200000008", invoice_id="inv_1"):
    return transport.deliver(
        platform_id="0099",
        invoice_id=invoice_id,
        filename="F-1.pdf",
        content=content,
        media_type="application/pdf",
        recipient=recipient,
        sender="100000009",
    )


def test_a_delivery_is_opened_by_the_recipient_and_its_signed_receipt_checked(keys):
    transport, receiver = _pair(keys.a, keys.b)
    receipt = _send(transport)
    (inbound,) = receiver.opened
    assert inbound.document.content == PDF and inbound.document.instance_id == "inv_1"
    assert (inbound.sender_party, inbound.sender, inbound.recipient) == ("PFR000042", "0225:100000009", SERVED)
    assert inbound.document_type.startswith("urn:peppol:doctype:pdf+xml##")
    assert receipt.delivery_id == inbound.message_id == as4.message_id_of("PFR000042", "inv_1")
    # A retry is the same AS4 message: the receiver's duplicate elimination knows it by its MessageId.
    _send(transport)
    assert receiver.opened[1].message_id == receipt.delivery_id


def test_an_unserved_recipient_is_not_serviced(keys):
    transport, receiver = _pair(keys.a, keys.b)
    with pytest.raises(TransportRejected) as refused:
        _send(transport, recipient="300000007")
    assert (refused.value.code, refused.value.reason) == (RECIPIENT_NOT_SERVICED, "DEST_INC")
    assert receiver.opened == []


def _flip_in_messaging(body: bytes) -> bytes:
    # The SBDH participants are encrypted; the signed eb:Messaging header names the final recipient in clear.
    return body.replace(b"0225:100000009", b"0225:100000008", 1)


@pytest.mark.parametrize(
    "sender_of, tamper",
    [
        (lambda keys: keys.a, _flip_in_messaging),  # the signature no longer matches what arrives
        (lambda keys: keys.rogue_a, None),  # a certificate from a CA the receiver does not trust
        (lambda keys: keys.expired_a, None),  # an expired certificate
    ],
    ids=["tampered", "untrusted", "expired"],
)
def test_what_fails_authentication_is_refused_with_ebms_0101(keys, sender_of, tamper):
    transport, receiver = _pair(sender_of(keys), keys.b)
    receiver.tamper = tamper
    with pytest.raises(TransportRejected) as refused:
        _send(transport)
    assert refused.value.code == "ebms_0101" and "FailedAuthentication" in refused.value.message
    assert receiver.opened == []


def test_a_wrong_certificate_in_the_smp_delivers_nothing(keys):
    transport, receiver = _pair(keys.a, keys.b, smp_certificate=keys.expired_a.certificate)
    # The SMP's certificate is checked first: an expired one is never used.
    with pytest.raises(TransportRejected) as refused:
        _send(transport)
    assert refused.value.code == "untrusted_certificate" and receiver.opened == []
    # A trusted certificate that is not the recipient's: the recipient cannot decrypt (EBMS:0102), and
    # its error, signed by another certificate than the one the SMP named, proves nothing either.
    transport, receiver = _pair(keys.a, keys.b, smp_certificate=keys.a.certificate)
    with pytest.raises(TransportUnavailable) as unproven:
        _send(transport)
    assert unproven.value.code == "receipt_unverified" and receiver.opened == []


def test_a_payload_over_the_limit_is_refused_with_ebms_0303(keys):
    transport, receiver = _pair(keys.a, keys.b, max_payload=len(PDF) * 2)
    with pytest.raises(TransportRejected) as refused:
        _send(transport, content=PDF + b"%" * len(PDF) * 2)
    assert refused.value.code == "ebms_0303" and receiver.opened == []


def test_an_answer_that_proves_nothing_is_retried(keys):
    transport, receiver = _pair(keys.a, keys.b)
    # Someone else's receipt (signed by A, not by the recipient B the SMP names).
    impostor = as4.As4Endpoint(keys.a, max_payload_bytes=1_000_000)
    receiver.endpoint = as4.As4Endpoint(keys.b, max_payload_bytes=1_000_000)
    original = receiver.handle

    def answered_by_impostor(request):
        inbound, _ = receiver.endpoint.open(request.headers["content-type"], request.content, lambda p: True)
        inbound.exchange.local_party = impostor.local_party
        signal = impostor.refuse(inbound.exchange, as4.ContentRefused("x"))
        return httpx.Response(200, headers=signal.headers, content=signal.body)

    transport._http = httpx.Client(transport=httpx.MockTransport(answered_by_impostor))
    with pytest.raises(TransportUnavailable) as unproven:
        _send(transport)
    assert unproven.value.code == "receipt_unverified"
    transport._http = httpx.Client(transport=httpx.MockTransport(original))
    assert _send(transport).delivery_id


def test_the_endpoint_must_be_https_unless_on_this_machine(keys):
    assert as4.sendable_url("https://ap.example.fr/as4")
    assert as4.sendable_url("http://127.0.0.1:8052/as4") and as4.sendable_url("http://localhost/as4")
    assert not as4.sendable_url("http://ap.example.fr/as4") and not as4.sendable_url("ftp://127.0.0.1/")
    transport, _ = _pair(keys.a, keys.b)
    transport.smp = FixedEndpoint("http://ap.example.fr/as4", keys.b.certificate)
    with pytest.raises(TransportRejected) as refused:
        _send(transport)
    assert refused.value.code == "insecure_endpoint"


def test_an_unreachable_endpoint_is_worth_retrying(keys):
    def down(request):
        raise httpx.ConnectError("refused")

    transport, _ = _pair(keys.a, keys.b)
    transport._http = httpx.Client(transport=httpx.MockTransport(down))
    with pytest.raises(TransportUnavailable) as unavailable:
        _send(transport)
    assert unavailable.value.code == "unreachable"


def test_a_refusal_with_a_reason_carries_it_to_the_sender(keys):
    transport, receiver = _pair(keys.a, keys.b)

    def refusing(request):
        inbound, _ = receiver.endpoint.open(request.headers["content-type"], request.content, lambda p: True)
        signal = receiver.endpoint.refuse(inbound.exchange, as4.ContentRefused.because("REJ_SEMAN", "BR-CO-10"))
        return httpx.Response(200, headers=signal.headers, content=signal.body)

    transport._http = httpx.Client(transport=httpx.MockTransport(refusing))
    with pytest.raises(TransportRejected) as refused:
        _send(transport)
    assert (refused.value.code, refused.value.reason) == ("ebms_0004", "REJ_SEMAN")


def test_a_document_the_package_cannot_envelope_is_refused_before_sending(keys):
    # as4 0.2 re-reads the envelope body without libxml2's huge-tree option: no text node over 10 MB.
    transport, receiver = _pair(keys.a, keys.b)
    with pytest.raises(TransportRejected) as refused:
        _send(transport, content=PDF + b"\0" * 8_000_000)
    assert refused.value.code == "unsupported_document" and receiver.opened == []
