"""The lifecycle end to end, over HTTP on the live server with the job worker and the PPF sandbox:
statuses set by both parties, seen by both, and the mandatory ones held once by the PPF."""

from decimal import Decimal

import httpx
import pytest

from coursier.formats import cdar


@pytest.fixture
def call(live_server):
    base, _ = live_server

    def request(method: str, path: str, party, **kwargs) -> httpx.Response:
        return httpx.request(method, base + path, headers=party.headers, timeout=60, **kwargs)

    return request


@pytest.fixture
def held(sandbox_server):
    """held(invoice number, seller SIREN) -> the statuses of that invoice the sandbox holds from us."""

    def statuses(number: str, seller_siren: str) -> list[dict]:
        with sandbox_server.client("0042") as ppf:
            r = ppf.get("/statuses", params={"seller_siren": seller_siren, "invoice_number": number})
        assert r.status_code == 200, r.text
        return r.json()

    return statuses


def _steps(history: list[dict]) -> list[tuple[int, str]]:
    return [(status["status"], status["emitter"]["role"]) for status in history]


def _set(call, party, invoice_id: str, **body) -> dict:
    r = call("POST", f"/api/invoicing/invoices/{invoice_id}/statuses", party, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_two_clients_of_the_platform_go_through_the_lifecycle(
    call, registered_party, drain_jobs, two_rate_invoice, french_invoice, as_file, held, sandbox_server
):
    seller, buyer = registered_party(), registered_party()
    invoice = two_rate_invoice(seller.company, buyer.company, number="LC-1")
    name, content = as_file(invoice, "cii")
    sent = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()
    assert sent["status"] == "validated", sent
    drain_jobs()
    [received] = call("GET", "/api/invoicing/invoices", buyer, params={"direction": "inbound"}).json()
    received_id = received["invoice_id"]

    _set(call, buyer, received_id, status=204)
    disputed = _set(call, buyer, received_id, status=207, reason_code="PU_ERR", comment="Prix unitaire ligne 2")
    assert (disputed["reason_code"], disputed["reason_label"]) == ("PU_ERR", "Prix unitaires incorrects")
    _set(call, buyer, received_id, status=205)
    _set(call, buyer, received_id, status=211)
    collected = _set(call, seller, sent["invoice_id"], status=212, payment={"amount": "761.55", "date": "2026-12-01"})
    # The payment is spread over the two rates: each rate's gross, paid in full.
    assert collected["amounts"] == [
        {"vat_rate": "5.5", "amount": "221.55"},
        {"vat_rate": "20", "amount": "540.00"},
    ]
    assert collected["payment"] == {"amount": "761.55", "date": "2026-12-01", "currency": "EUR"}
    assert collected["ppf"]["state"] == "pending"
    drain_jobs()

    expected = [
        (200, "issuer_platform"),
        (201, "issuer_platform"),
        (202, "receiver_platform"),
        (203, "receiver_platform"),
        (204, "buyer"),
        (207, "buyer"),
        (205, "buyer"),
        (211, "buyer"),
        (212, "seller"),
    ]
    seller_history = call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}/statuses", seller).json()
    buyer_history = call("GET", f"/api/invoicing/invoices/{received_id}/statuses", buyer).json()
    assert _steps(seller_history) == _steps(buyer_history) == expected
    assert {status["emitter"]["platform"] for status in seller_history} == {"0042"}
    # Each side's copy is the same message; the mandatory ones are accepted by the PPF.
    assert [s["message_id"] for s in seller_history] == [s["message_id"] for s in buyer_history]
    for history in (seller_history, buyer_history):
        assert [(s["status"], s["ppf"]["state"]) for s in history if s["ppf"]] == [(200, "accepted"), (212, "accepted")]
    assert [s["label"] for s in buyer_history][4:6] == ["Prise en charge", "En litige"]
    # The seller's invoice now reads as the buyer's latest: collected.
    assert call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}", seller).json()["status_code"] == 212

    # The PPF holds exactly the 200 and the 212 of this invoice, each once, the 212 split per rate.
    reported = held("LC-1", seller.company.siren)
    assert [status["status_code"] for status in reported] == [200, 212]
    assert reported[1]["amounts"] == [
        {"type": "MEN", "vat_rate": "5.5", "amount": "221.55", "currency": "EUR"},
        {"type": "MEN", "vat_rate": "20", "amount": "540.00", "currency": "EUR"},
    ]
    # A second invoice refused by the buyer: the PPF holds its 200 and its 210.
    name, content = as_file(french_invoice(seller.company, buyer.company, number="LC-2"), "cii")
    refused_sent = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()
    drain_jobs()
    refused_received = next(
        i["invoice_id"]
        for i in call("GET", "/api/invoicing/invoices", buyer, params={"direction": "inbound"}).json()
        if i["extracted_data"]["invoice_number"] == "LC-2"
    )
    _set(call, buyer, refused_received, status=210, reason_code="TX_TVA_ERR", comment="Taux de TVA erroné")
    drain_jobs()
    assert [s["status_code"] for s in held("LC-2", seller.company.siren)] == [200, 210]
    outbound = call("GET", f"/api/invoicing/invoices/{refused_sent['invoice_id']}", seller).json()
    assert (outbound["status_code"], outbound["rejection_reason"]) == (210, "TX_TVA_ERR")
    # A third invoice rejected at deposit (its totals are wrong): the PPF holds its 213 only.
    wrong = french_invoice(seller.company, buyer.company, number="LC-3")
    wrong.totals.total_with_vat += 1
    rejected = call("POST", "/api/invoicing/files/submit", seller, files={"file": as_file(wrong, "cii")}).json()
    assert (rejected["status_code"], rejected["rejection_reason"]) == (213, "REJ_SEMAN")
    drain_jobs()
    [reported_213] = held("LC-3", seller.company.siren)
    assert (reported_213["status_code"], reported_213["reasons"]) == (213, ["REJ_SEMAN"])


def test_a_buyer_on_another_platform_exchanges_statuses_through_the_network(
    call, live_server, registered_party, buyer_elsewhere, drain_jobs, two_rate_invoice, as_file, held, sandbox_server
):
    from sqlalchemy import select

    from coursier.db.invoice_statuses import ReceivedStatusMessage
    from coursier.kit.defer import defer
    from coursier.network.peers.sandbox import SandboxNetworkTransport

    _, runtime = live_server
    seller = registered_party()
    name, content = as_file(two_rate_invoice(seller.company, buyer_elsewhere, number="PEER-1"), "ubl")
    sent = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()
    invoice_id = sent["invoice_id"]
    drain_jobs()

    def from_platform_0099(status: int, **details) -> str:
        """Platform 0099, the buyer's, sets a status on the invoice it received from us and sends it."""
        with sandbox_server.client("0099") as competitor:
            r = competitor.post("/peers/0042/statuses", json={"invoice_id": invoice_id, "status": status, **details})
        assert r.status_code == 202, r.text
        return r.json()["message_id"]

    def receive() -> None:
        with runtime.sessions.begin() as session:
            defer(session, "invoicing.receive_statuses")
        drain_jobs()

    def outcomes(*message_ids: str) -> dict[str, tuple[str, str | None]]:
        with runtime.sessions() as session:
            rows = session.scalars(
                select(ReceivedStatusMessage).where(ReceivedStatusMessage.message_id.in_(message_ids))
            )
            return {row.message_id: (row.outcome, row.reason) for row in rows}

    for status in (202, 203, 204, 205):
        from_platform_0099(status)
    receive()
    history = call("GET", f"/api/invoicing/invoices/{invoice_id}/statuses", seller).json()
    assert [(s["status"], s["emitter"]["role"], s["emitter"]["platform"]) for s in history] == [
        (200, "issuer_platform", "0042"),
        (201, "issuer_platform", "0042"),
        (202, "receiver_platform", "0099"),
        (203, "receiver_platform", "0099"),
        (204, "buyer", "0099"),
        (205, "buyer", "0099"),
    ]

    # A refusal after the approval breaks the rules, and a message without the reason its status
    # needs is invalid: both are refused with their reason and change nothing.
    refused_move = from_platform_0099(210, reason_code="TX_TVA_ERR", comment="Taux")
    broken = cdar_without_reason(history[-1], seller.company.siren)
    with SandboxNetworkTransport(sandbox_server.url, sandbox_server.competitor_token) as network:
        network.deliver(
            platform_id="0042",
            invoice_id="0099-broken-1",
            filename="0099-broken-1.xml",
            content=broken,
            media_type="application/xml",
            recipient=seller.company.siren,
            sender=buyer_elsewhere.siren,
        )
    receive()
    seen = outcomes(refused_move, "0099-broken-1")
    assert seen[refused_move][0] == "refused" and "LC-BUYER-SEQUENCE" in seen[refused_move][1]
    assert seen["0099-broken-1"][0] == "refused" and "BR-FR-CDV-15" in seen["0099-broken-1"][1]
    assert len(call("GET", f"/api/invoicing/invoices/{invoice_id}/statuses", seller).json()) == 6

    # Our seller's collection goes to platform 0099 as a status message, and to the PPF.
    collected = _set(call, seller, invoice_id, status=212, payment={"amount": "300.00", "date": "2026-12-02"})
    drain_jobs()
    with SandboxNetworkTransport(sandbox_server.url, sandbox_server.competitor_token) as network:
        [delivered] = [
            m for m in network.received_statuses("0099", limit=500) if m.invoice_id == collected["message_id"]
        ]
        message = cdar.parse(network.content("0099", delivered.delivery_id))
    assert (message.status, message.sender.id.value, message.issuer.role) == (212, "0042", cdar.PartyRole.SELLER)
    assert [(a.vat_rate, a.value) for a in message.amounts] == [
        (Decimal(p["vat_rate"]), Decimal(p["amount"])) for p in collected["amounts"]
    ]
    assert [s["status_code"] for s in held("PEER-1", seller.company.siren)] == [200, 212]

    # A 213 DOUBLON from the buyer's platform after it made the invoice available refuses a
    # repeated delivery: it is kept as such, and the invoice keeps its status.
    from_platform_0099(213, reason_code="DOUBLON")
    receive()
    last = call("GET", f"/api/invoicing/invoices/{invoice_id}/statuses", seller).json()[-1]
    assert (last["status"], last["repeat_delivery"], last["ppf"]["state"]) == (213, True, "other_platform")
    assert call("GET", f"/api/invoicing/invoices/{invoice_id}", seller).json()["status_code"] == 212


def cdar_without_reason(previous: dict, seller_siren: str) -> bytes:
    """A 207 from platform 0099 that gives no reason (BR-FR-CDV-15 requires one)."""
    from datetime import UTC, date, datetime

    invoice = cdar.InvoiceReference("PEER-1", "380", date.today(), seller_siren)
    message = cdar.for_peer(
        cdar.InvoiceStatus.IN_DISPUTE,
        invoice,
        message_id="0099-broken-1",
        platform_matricule="0099",
        recipient=cdar.platform("0042"),
        ppf_matricule="9998",
        status_at=datetime.now(UTC),
        issuer=cdar.Party(cdar.PartyRole.BUYER, cdar.Identifier("200000008", "0002"), "Acheteur"),
        details=[cdar.StatusDetail(reason="PU_ERR")],
    )
    return cdar.write(message).replace(b"<ram:ReasonCode>PU_ERR</ram:ReasonCode>", b"")
