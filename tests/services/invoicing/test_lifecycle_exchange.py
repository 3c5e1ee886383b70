"""The lifecycle end to end, over HTTP on the live server with the job worker and the PPF sandbox:
statuses set by both parties, seen by both, and the mandatory ones held once by the PPF."""

import httpx
import pytest


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
