"""Invoices between two clients of two sponsors on one platform, on the live server with real
commits, the job worker and the PPF sandbox."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from coursier.formats import cii, ubl
from coursier.kit import clock


@pytest.fixture
def call(live_server):
    base, _ = live_server

    def request(method: str, path: str, party, **kwargs) -> httpx.Response:
        return httpx.request(method, base + path, headers=party.headers, timeout=60, **kwargs)

    return request


def _statuses(invoice: dict) -> list[tuple[int, str]]:
    return [(event["status_code"], event["emitter"]) for event in invoice["history"] if event["status_code"]]


def test_a_client_invoices_a_client_of_another_sponsor(call, registered_party, drain_jobs, french_invoice, as_file):
    seller, buyer = registered_party(), registered_party()
    invoice = french_invoice(seller.company, buyer.company, number="E2E-1")
    name, pdf = as_file(invoice, "facturx")
    r = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, pdf, "application/pdf")})
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["status"] == "validated", sent
    drain_jobs()

    # The seller sees its invoice sent (201), then made available to the buyer (203, the receiver's
    # status); the buyer has its own copy, received and made available.
    outbound = call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}", seller).json()
    assert (outbound["status"], outbound["status_code"]) == ("processed", 203)
    assert _statuses(outbound) == [(200, "PDPE"), (201, "PDPE")]
    assert outbound["processed_at"] and outbound["recipient_platform_id"] == "0042"
    # Its regulated data (F1) went to the PPF over SFTP in a named envelope (DG §3.4.5), which the
    # PPF found receivable (500); its answer is kept on the invoice.
    (f1,) = [event for event in outbound["history"] if event["event"].startswith("RegulatoryDataStatus.")]
    assert (f1["event"], f1["emitter"]) == ("RegulatoryDataStatus.DEPOSITED", "PPF")
    flow_id = f1["details"]["flow_id"]
    assert f1["details"]["flow_status"] == 500 and f1["details"]["reasons"] == []
    assert len(flow_id) == 25 and flow_id.startswith("CRS0420112")
    assert f1["details"]["envelope"] == f"FFE0112A_CRS042_{flow_id}.tar.gz"
    listed = call("GET", "/api/invoicing/invoices", buyer, params={"direction": "inbound"}).json()
    assert [i["extracted_data"]["invoice_number"] for i in listed] == [invoice.number]
    received_id = listed[0]["invoice_id"]
    assert received_id != sent["invoice_id"]
    inbound = call("GET", f"/api/invoicing/invoices/{received_id}", buyer).json()
    assert (inbound["direction"], inbound["status"], inbound["status_code"]) == ("inbound", "processed", 203)
    assert _statuses(inbound) == [(202, "PDPR"), (203, "PDPR")]
    assert inbound["extracted_data"]["seller_siren"] == seller.company.siren
    assert call("GET", "/api/invoicing/invoices", seller, params={"direction": "inbound"}).json() == []

    # The buyer reads the data and downloads the invoice as sent and in three other formats.
    data = call("GET", f"/api/invoicing/invoice_data/{received_id}", buyer).json()
    assert data["number"] == invoice.number and data["processed_at"]
    assert data["seller"]["legal_registration_identifier"]["value"] == seller.company.siren
    original = call("GET", f"/api/invoicing/invoices/{received_id}/download", buyer)
    assert original.content == pdf and original.headers["content-type"] == "application/pdf"
    as_cii = call("GET", f"/api/invoicing/invoices/{received_id}/download", buyer, params={"format": "cii"})
    assert cii.parse(as_cii.content).invoice.number == invoice.number
    assert as_cii.headers["content-type"] == "application/xml"
    as_ubl = call("GET", f"/api/invoicing/invoices/{received_id}/download", buyer, params={"format": "ubl"})
    assert ubl.parse(as_ubl.content).invoice.totals == invoice.totals
    assert "filename*=UTF-8" in as_ubl.headers["content-disposition"]
    readable = call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}/download", seller, params={"format": "pdf"})
    assert readable.content.startswith(b"%PDF-") and readable.content == pdf  # a Factur-X is its own readable PDF
    # The buyer's setting picks the default format of what it receives.
    assert call("PATCH", "/api/settings", buyer, json={"received_invoice_format": "ubl"}).status_code == 200
    assert call("GET", f"/api/invoicing/invoices/{received_id}/download", buyer).content == as_ubl.content

    # Each sponsor sees nothing of the other side's invoice.
    for party, foreign_id in ((buyer, sent["invoice_id"]), (seller, received_id)):
        for path in (
            f"/api/invoicing/invoices/{foreign_id}",
            f"/api/invoicing/invoice_data/{foreign_id}",
            f"/api/invoicing/invoices/{foreign_id}/download",
        ):
            r = call("GET", path, party)
            assert r.status_code == 404 and r.json()["code"] == "invoice_not_found", path
        assert foreign_id not in call("GET", "/api/invoicing/invoices", party).text
        # Naming the other side's client does not help either.
        other = seller if party is buyer else buyer
        posing = type(party)(
            type(party.tenant)(party.tenant.sponsor_id, party.tenant.token, other.tenant.client_id), party.company
        )
        r = call("GET", f"/api/invoicing/invoices/{foreign_id}", posing)
        assert r.status_code == 404 and r.json()["code"] == "client_not_found"


def test_the_same_invoice_sent_concurrently_is_accepted_once(
    call, registered_party, buyer_elsewhere, french_invoice, as_file
):
    seller = registered_party()
    name, content = as_file(french_invoice(seller.company, buyer_elsewhere, number="CC-1"), "cii")

    def send(_):
        return call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))
    assert sorted(a["status"] for a in answers) == ["rejected", "rejected", "rejected", "validated"]
    assert {a["rejection_reason"] for a in answers if a["status"] == "rejected"} == {"DOUBLON"}
    listed = call("GET", "/api/invoicing/invoices", seller, params={"status": "validated"}).json()
    assert len(listed) == 1


def test_an_invoice_for_another_platform_is_delivered_there_once(
    call, registered_party, buyer_elsewhere, drain_jobs, french_invoice, as_file, sandbox_server
):
    from coursier.network.peers.sandbox import SandboxNetworkTransport

    seller = registered_party()
    name, content = as_file(french_invoice(seller.company, buyer_elsewhere, number="P2P-1"), "ubl")
    sent = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()
    drain_jobs()

    outbound = call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}", seller).json()
    assert (outbound["status_code"], outbound["recipient_platform_id"]) == (201, "0099")
    transmitted = next(e for e in outbound["history"] if e["status_code"] == 201)
    assert transmitted["details"]["delivery"]["on_platform"] is False
    with SandboxNetworkTransport(sandbox_server.url, sandbox_server.competitor_token) as network:
        received = [m for m in network.inbox(sandbox_server.competitor_id) if m.invoice_id == sent["invoice_id"]]
        assert len(received) == 1 and received[0].sender_platform_id == "0042"
        assert network.content(sandbox_server.competitor_id, received[0].delivery_id) == content


def test_a_line_of_this_platform_without_a_mandate_is_a_routing_error(
    call, registered_party, sandbox_companies, sandbox_server, drain_jobs, french_invoice, as_file
):
    seller = registered_party()
    orphan = sandbox_companies.pop()  # a line in our name at the PPF that no mandate here backs
    with sandbox_server.ppf() as ppf:
        ppf.create_line(siren=orphan.siren, platform_id=sandbox_server.platform_id, effective_from=clock.today())
    name, content = as_file(french_invoice(seller.company, orphan, number="O-1"), "cii")
    sent = call("POST", "/api/invoicing/files/submit", seller, files={"file": (name, content)}).json()
    assert sent["status"] == "validated"
    drain_jobs()
    invoice = call("GET", f"/api/invoicing/invoices/{sent['invoice_id']}", seller).json()
    assert (invoice["status"], invoice["status_code"], invoice["rejection_reason"]) == ("rejected", 221, "ROUTAGE_ERR")
    assert "no active mandate" in invoice["rejection_message"]
    assert [e["event"] for e in invoice["history"]] == [
        "InvoiceLifecycleStatus.DEPOSITED",
        "InvoiceLifecycleStatus.ROUTING_ERROR",
    ]
