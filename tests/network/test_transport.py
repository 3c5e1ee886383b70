"""The PA-to-PA transport against the sandbox process playing the network: delivery, the
receiving platform's inbox, idempotent redelivery, refusals and outages."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from coursier.config import Settings
from coursier.network.peers.sandbox import SandboxNetworkTransport
from coursier.network.peers.transport import TransportRejected, TransportUnavailable
from coursier.runtime import connectors_for

INVOICE = b"<rsm:CrossIndustryInvoice xmlns:rsm='urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'/>"


@pytest.fixture
def sender(sandbox_server):
    with SandboxNetworkTransport(sandbox_server.url, sandbox_server.token) as transport:
        yield transport


@pytest.fixture
def receiver(sandbox_server):
    with SandboxNetworkTransport(sandbox_server.url, sandbox_server.competitor_token) as transport:
        yield transport


def new_invoice_id() -> str:
    return f"inv_{uuid.uuid4().hex}"


def deliver(transport, sandbox_server, invoice_id: str, content: bytes = INVOICE):
    return transport.deliver(
        platform_id=sandbox_server.competitor_id,
        invoice_id=invoice_id,
        filename="F2026-0042.xml",
        content=content,
        media_type="application/xml",
        recipient="200000008",
        sender="100000009",
    )


def test_a_delivered_invoice_waits_in_the_receivers_inbox(sender, receiver, sandbox_server):
    invoice_id = new_invoice_id()
    receipt = deliver(sender, sandbox_server, invoice_id)
    assert receipt.platform_id == sandbox_server.competitor_id and receipt.delivery_id.startswith("dlv_")
    [message] = [
        message for message in receiver.inbox(sandbox_server.competitor_id) if message.invoice_id == invoice_id
    ]
    assert (message.delivery_id, message.sender_platform_id, message.filename, message.media_type, message.size) == (
        receipt.delivery_id,
        sandbox_server.platform_id,
        "F2026-0042.xml",
        "application/xml",
        len(INVOICE),
    )
    assert message.accepted_at == receipt.accepted_at
    assert receiver.content(sandbox_server.competitor_id, receipt.delivery_id) == INVOICE
    later = receiver.inbox(sandbox_server.competitor_id, since=receipt.accepted_at)
    assert receipt.delivery_id not in [message.delivery_id for message in later]


def test_a_repeated_delivery_answers_the_first_receipt_and_stores_nothing(sender, receiver, sandbox_server):
    invoice_id = new_invoice_id()
    first = deliver(sender, sandbox_server, invoice_id)
    assert deliver(sender, sandbox_server, invoice_id) == first
    with ThreadPoolExecutor(4) as pool:  # racing repeats too
        assert set(pool.map(lambda _: deliver(sender, sandbox_server, invoice_id), range(4))) == {first}
    stored = [
        message
        for message in receiver.inbox(sandbox_server.competitor_id, limit=500)
        if message.invoice_id == invoice_id
    ]
    assert [message.delivery_id for message in stored] == [first.delivery_id]
    with sandbox_server.client() as client:
        replay = client.post(
            f"/peers/{sandbox_server.competitor_id}/inbox",
            data={"invoice_id": invoice_id},
            files={"file": ("F2026-0042.xml", INVOICE, "application/xml")},
        )
    assert replay.status_code == 202 and replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["delivery_id"] == first.delivery_id


def test_the_same_invoice_with_another_file_is_a_conflict(sender, sandbox_server):
    invoice_id = new_invoice_id()
    deliver(sender, sandbox_server, invoice_id)
    with pytest.raises(TransportRejected) as refused:
        deliver(sender, sandbox_server, invoice_id, content=INVOICE + b"\n<!-- changed -->")
    assert (refused.value.code, refused.value.status) == ("delivery_conflict", 409)


def test_an_unknown_platform_is_refused(sender):
    with pytest.raises(TransportRejected) as refused:
        sender.deliver(
            platform_id="0777",
            invoice_id=new_invoice_id(),
            filename="x.xml",
            content=INVOICE,
            media_type="application/xml",
            recipient="200000008",
            sender="100000009",
        )
    assert (refused.value.code, refused.value.status) == ("platform_not_found", 404)


def test_only_the_receiving_platform_reads_its_inbox(sender, receiver, sandbox_server):
    receipt = deliver(sender, sandbox_server, new_invoice_id())
    for read in (
        lambda: sender.inbox(sandbox_server.competitor_id),
        lambda: sender.content(sandbox_server.competitor_id, receipt.delivery_id),
    ):
        with pytest.raises(TransportRejected) as refused:
            read()
        assert (refused.value.code, refused.value.status) == ("platform_mismatch", 403)
    with pytest.raises(TransportRejected) as missing:
        receiver.content(sandbox_server.competitor_id, "dlv_unknown")
    assert missing.value.code == "delivery_not_found"


def test_an_outage_is_retryable_and_the_delivery_then_goes_through(sender, receiver, sandbox_server):
    invoice_id = new_invoice_id()
    sandbox_server.set_available(False)
    try:
        with pytest.raises(TransportUnavailable) as unavailable:
            deliver(sender, sandbox_server, invoice_id)
        assert (unavailable.value.code, unavailable.value.status) == ("ppf_unavailable", 503)
    finally:
        sandbox_server.set_available(True)
    receipt = deliver(sender, sandbox_server, invoice_id)
    assert receiver.content(sandbox_server.competitor_id, receipt.delivery_id) == INVOICE


def test_an_unreachable_network_is_retryable():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with (
        SandboxNetworkTransport("http://network.invalid", "token", transport=httpx.MockTransport(refuse)) as transport,
        pytest.raises(TransportUnavailable) as unavailable,
    ):
        transport.deliver(
            platform_id="0099",
            invoice_id="inv_1",
            filename="x.xml",
            content=INVOICE,
            media_type="application/xml",
            recipient="200000008",
            sender="100000009",
        )
    assert unavailable.value.code == "unreachable"


def test_the_runtime_gives_the_configured_transport(sender, sandbox_server):
    settings = Settings(ppf_url=sandbox_server.url, ppf_token=sandbox_server.token)
    transport = connectors_for(settings).peers
    assert isinstance(transport, SandboxNetworkTransport) and connectors_for(settings).peers is transport
    receipt = deliver(transport, sandbox_server, new_invoice_id())
    assert receipt.platform_id == sandbox_server.competitor_id
