"""Two Coursier instances on one machine talking Peppol AS4: distinct matricules (0042, 0099),
databases, data dirs, ports and certificates, one sandbox (directory and local SMP). Real
processes, as the README shows them."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text

from coursier.formats import cdar
from coursier.network.peers.as4 import As4Transport
from coursier.network.peers.pki import Credentials, load_anchors
from coursier.network.peers.smp import FixedSmp, SmpClient
from coursier.network.peers.transport import TransportRejected
from support.factories import as_file, french_invoice
from support.platforms import Platform, participant_published

# Transmitted (201), then received and made available (202, 203) as B's platform tells A.
DELIVERED = {201, 202, 203}


@pytest.fixture(scope="module")
def pki(sandbox_server):
    """The sandbox's test PKI: its SMP signs with a certificate of that PKI's SMP CA."""
    return sandbox_server.pki


@pytest.fixture(scope="module")
def platforms(sandbox_server, fresh_database, worker_id, tmp_path_factory, pki):
    folder = tmp_path_factory.mktemp("platforms")
    started = {}
    try:
        for matricule in ("0042", "0099"):
            started[matricule] = Platform(
                matricule=matricule,
                database_url=fresh_database(f"coursier_as4_{matricule}_{worker_id}"),
                data_dir=folder / matricule,
                ppf_url=sandbox_server.url,
                ppf_token=sandbox_server.tokens[matricule],
                pki=pki[matricule],
                extra_env=sandbox_server.directory_environment(matricule),  # PISTE client, same-day lines
            ).start()
        yield started["0042"], started["0099"]
    finally:
        for platform in started.values():
            platform.stop()


@pytest.fixture(scope="module")
def parties(platforms, sandbox_companies, sandbox_server):
    """A's client (seller) and B's client (buyer), each under an active mandate; B's line published."""
    a, b = platforms
    seller = a.new_client(a.new_sponsor("Seller's ERP"), sandbox_companies.pop())
    buyer = b.new_client(b.new_sponsor("Buyer's ERP"), sandbox_companies.pop())
    b.wait_for(lambda: participant_published(sandbox_server.url, buyer.siren), "the buyer in the SMP")
    return seller, buyer


def _send(a: Platform, seller, buyer, number: str) -> tuple[str, bytes]:
    filename, content = as_file(french_invoice(seller.company, buyer.company, number=number), "facturx")
    sent = a.call("POST", "/api/invoicing/files/submit", seller.headers, files={"file": (filename, content)})
    assert sent["status"] == "validated", sent
    return sent["invoice_id"], content


def _inbound(b: Platform, buyer) -> list[dict]:
    return b.call("GET", "/api/invoicing/invoices", buyer.headers, params={"direction": "inbound", "limit": 200})


def test_a_factur_x_from_a_client_of_a_reaches_a_client_of_b(platforms, parties):
    a, b = platforms
    seller, buyer = parties
    invoice_id, pdf = _send(a, seller, buyer, "AS4-E2E-1")
    sent = a.wait_for(
        lambda: (
            (found := a.call("GET", f"/api/invoicing/invoices/{invoice_id}", seller.headers))["status_code"] != 200
            and found
        ),
        "the invoice to leave A",
    )
    assert sent["status_code"] in DELIVERED and sent["recipient_platform_id"] == "0099", sent
    (delivered,) = [event for event in sent["history"] if event["status_code"] == 201]
    assert delivered["details"]["delivery"]["delivery_id"].endswith("@pfr000042")

    (received,) = [i for i in _inbound(b, buyer) if i["extracted_data"]["invoice_number"] == "AS4-E2E-1"]
    assert received["status_code"] == 203
    download = b.call("GET", f"/api/invoicing/invoices/{received['invoice_id']}/download", buyer.headers)
    assert download.content == pdf and download.headers["content-type"] == "application/pdf"


def test_the_buyer_s_approval_on_b_reaches_the_seller_s_history_on_a(platforms, parties, pki, sandbox_server):
    a, b = platforms
    seller, buyer = parties
    invoice_id, _ = _send(a, seller, buyer, "AS4-CDAR-1")

    def statuses() -> list[tuple[int, str, str]]:
        history = a.call("GET", f"/api/invoicing/invoices/{invoice_id}/statuses", seller.headers)
        return [(s["status"], s["emitter"]["role"], s["emitter"]["platform"]) for s in history]

    a.wait_for(lambda: (201, "issuer_platform", "0042") in statuses(), "the invoice to leave A")
    received = b.wait_for(
        lambda: next((i for i in _inbound(b, buyer) if i["extracted_data"]["invoice_number"] == "AS4-CDAR-1"), None),
        "the invoice at B",
    )
    approved = b.call(
        "POST", f"/api/invoicing/invoices/{received['invoice_id']}/statuses", buyer.headers, json={"status": 205}
    )
    a.wait_for(lambda: len(statuses()) == 5, "B's statuses to reach A")
    assert statuses() == [
        (200, "issuer_platform", "0042"),
        (201, "issuer_platform", "0042"),
        (202, "receiver_platform", "0099"),
        (203, "receiver_platform", "0099"),
        (205, "buyer", "0099"),
    ]
    applied = a.call("GET", f"/api/invoicing/invoices/{invoice_id}/statuses", seller.headers)[-1]
    assert applied["message_id"] == approved["message_id"]

    # What B's access point pushes that fails the checks is refused with its reason, and A applies nothing.
    reference = cdar.InvoiceReference(
        "AS4-CDAR-1", "380", date.fromisoformat(received["extracted_data"]["issue_date"]), seller.siren
    )
    buyer_party = cdar.Party(cdar.PartyRole.BUYER, cdar.Identifier(buyer.siren, cdar.SIREN_SCHEME), "Acheteur")
    credentials = Credentials.load(pki["0099"]["key"], pki["0099"]["certificate"], pki["0099"]["anchors"])
    transport = As4Transport(
        credentials, SmpClient(FixedSmp(f"{sandbox_server.url}/smp"), load_anchors(pki["0099"]["smp_anchors"]))
    )

    def push(message: cdar.StatusMessage, content: bytes | None = None):
        return transport.deliver(
            platform_id="0042",
            invoice_id=message.message_id,
            filename="status.xml",
            content=content or cdar.write(message),
            media_type="application/xml",
            recipient=seller.siren,
            sender=buyer.siren,
        )

    def dispute(message_id: str, sender: str) -> cdar.StatusMessage:
        return _status_message(cdar.InvoiceStatus.IN_DISPUTE, reference, message_id, sender, buyer_party, "PU_ERR")

    try:
        no_reason = dispute("0099-no-reason", "0099")
        refusal = _status_message(
            cdar.InvoiceStatus.REFUSED, reference, "0099-late", "0099", buyer_party, "TX_TVA_ERR", "Taux"
        )
        refusals = [
            (no_reason, cdar.write(no_reason).replace(b"<ram:ReasonCode>PU_ERR</ram:ReasonCode>", b""), "BR-FR-CDV-15"),
            (dispute("0099-spoofed", "0077"), None, "in the name of platform 0077"),  # B's AP speaking for another
            (refusal, None, "LC-BUYER-SEQUENCE"),  # a refusal after the approval
        ]
        for message, content, expected in refusals:
            with pytest.raises(TransportRejected) as refused:
                push(message, content)
            assert refused.value.code == "ebms_0004" and expected in refused.value.message, refused.value.message
        assert len(statuses()) == 5
        assert a.call("GET", f"/api/invoicing/invoices/{invoice_id}", seller.headers)["status_code"] == 205

        # A valid one is applied once: the same message again (same MessageId) gets a receipt, no copy.
        paid = _status_message(cdar.InvoiceStatus.PAYMENT_TRANSMITTED, reference, "0099-paid", "0099", buyer_party)
        assert push(paid).delivery_id == push(paid).delivery_id
    finally:
        transport.close()
    assert statuses()[5:] == [(211, "buyer", "0099")]


def test_the_seller_s_collection_on_a_reaches_the_buyer_s_history_on_b(platforms, parties):
    a, b = platforms
    seller, buyer = parties
    invoice_id, _ = _send(a, seller, buyer, "AS4-212-1")
    received = b.wait_for(
        lambda: next((i for i in _inbound(b, buyer) if i["extracted_data"]["invoice_number"] == "AS4-212-1"), None),
        "the invoice at B",
    )
    received_id = received["invoice_id"]
    collected = a.call(
        "POST",
        f"/api/invoicing/invoices/{invoice_id}/statuses",
        seller.headers,
        json={"status": 212, "payment": {"amount": "100.00", "date": date.today().isoformat(), "payment_id": "b-1"}},
    )

    def buyer_history() -> list[dict]:
        return b.call("GET", f"/api/invoicing/invoices/{received_id}/statuses", buyer.headers)

    b.wait_for(lambda: any(s["status"] == 212 for s in buyer_history()), "A's 212 to reach B")
    history = buyer_history()
    assert [(s["status"], s["emitter"]["role"], s["emitter"]["platform"]) for s in history] == [
        (202, "receiver_platform", "0099"),
        (203, "receiver_platform", "0099"),
        (212, "seller", "0042"),
    ]
    on_b = history[-1]
    assert (on_b["message_id"], on_b["amounts"]) == (collected["message_id"], collected["amounts"])
    # A reports its own 212 to the PPF; B neither reports it again nor sends it back to A.
    assert on_b["ppf"]["state"] == "other_platform" and collected["ppf"]["state"] == "pending"
    engine = create_engine(b.database_url)
    try:
        with engine.connect() as conn:
            jobs = conn.scalar(
                text(
                    "SELECT count(*) FROM procrastinate_jobs j JOIN invoice_statuses s ON s.id = j.args->>'status_id'"
                    " WHERE s.invoice_id = :id AND s.status_code = 212"
                ),
                {"id": received_id},
            )
    finally:
        engine.dispose()
    assert jobs == 0
    assert b.call("GET", f"/api/invoicing/invoices/{received_id}", buyer.headers)["status_code"] == 212
    # B's client hears of it as of any status change: its lifecycle event (and webhooks).
    events = b.wait_for(
        lambda: [
            event
            for event in b.call(
                "GET",
                "/api/lifecycle-events",
                buyer.headers,
                params={"object_type": "invoice", "object_id": received_id},
            )
            if event["status_code"] == "InvoiceLifecycleStatus.COLLECTED"
        ],
        "B's event of the 212",
    )
    assert [(event["emitter"], event["details"]["platform"]) for event in events] == [("PDPE", "0042")]


def _status_message(status, reference, message_id: str, sender: str, issuer, reason=None, comment=None):
    """A status of the buyer's side, as platform `sender` says it."""
    return cdar.for_peer(
        status,
        reference,
        message_id=message_id,
        platform_matricule=sender,
        recipient=cdar.platform("0042"),
        ppf_matricule="9998",
        status_at=datetime.now(UTC),
        issuer=issuer,
        details=[cdar.StatusDetail(reason=reason, comment=comment)] if reason else [],
    )


def test_the_receiver_killed_during_a_burst_gets_every_invoice_exactly_once(platforms, parties):
    a, b = platforms
    seller, buyer = parties
    burst = [f"BURST-{n:02d}" for n in range(16)]
    with ThreadPoolExecutor(4) as pool:
        sent = list(pool.map(lambda number: _send(a, seller, buyer, number)[0], burst))

    def received_numbers() -> list[str]:
        return [i["extracted_data"]["invoice_number"] for i in _inbound(b, buyer) if i["extracted_data"]]

    b.wait_for(lambda: any(n in burst for n in received_numbers()), "the first invoices of the burst at B")
    b.kill()
    assert b.process.returncode == -9
    statuses = [a.call("GET", f"/api/invoicing/invoices/{i}", seller.headers)["status_code"] for i in sent]
    assert statuses.count(200) > 0, "the burst was over before the kill: nothing was in flight"
    b.start()  # same database, port and certificate; A's routing jobs retry with growing waits

    a.wait_for(
        lambda: all(a.call("GET", f"/api/invoicing/invoices/{i}", seller.headers)["status_code"] != 200 for i in sent),
        "every invoice of the burst to leave A",
        timeout=240,
    )
    statuses = [a.call("GET", f"/api/invoicing/invoices/{i}", seller.headers)["status_code"] for i in sent]
    # Delivered (201), and B's 202/203 may have come back already: no invoice left behind or refused.
    assert set(statuses) <= DELIVERED, a.log()[-4000:]
    numbers = [n for n in received_numbers() if n in burst]
    assert sorted(numbers) == sorted(burst)  # each one, once
    engine = create_engine(b.database_url)
    try:
        with engine.connect() as conn:
            kept = conn.scalar(text("SELECT count(*) FROM as4_messages WHERE instance_id = ANY(:ids)"), {"ids": sent})
    finally:
        engine.dispose()
    assert kept == len(burst)
