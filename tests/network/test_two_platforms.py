"""Two Coursier instances on one machine talking Peppol AS4: distinct matricules (0042, 0099),
databases, data dirs, ports and certificates, one sandbox (directory and local SMP). Real
processes, as the README shows them."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from coursier.network.peers.pki import init_test_pki
from support.factories import as_file, french_invoice
from support.platforms import Platform, participant_published


@pytest.fixture(scope="module")
def platforms(sandbox_server, fresh_database, worker_id, tmp_path_factory):
    folder = tmp_path_factory.mktemp("platforms")
    pki = init_test_pki(folder / "pki", ["0042", "0099"])
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
    assert (sent["status_code"], sent["recipient_platform_id"]) == (201, "0099"), sent
    (delivered,) = [event for event in sent["history"] if event["status_code"] == 201]
    assert delivered["details"]["delivery"]["delivery_id"].endswith("@pfr000042")

    (received,) = [i for i in _inbound(b, buyer) if i["extracted_data"]["invoice_number"] == "AS4-E2E-1"]
    assert received["status_code"] == 203
    download = b.call("GET", f"/api/invoicing/invoices/{received['invoice_id']}/download", buyer.headers)
    assert download.content == pdf and download.headers["content-type"] == "application/pdf"


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
    assert statuses == [201] * len(burst), a.log()[-4000:]
    numbers = [n for n in received_numbers() if n in burst]
    assert sorted(numbers) == sorted(burst)  # each one, once
    engine = create_engine(b.database_url)
    try:
        with engine.connect() as conn:
            kept = conn.scalar(text("SELECT count(*) FROM as4_messages WHERE instance_id = ANY(:ids)"), {"ids": sent})
    finally:
        engine.dispose()
    assert kept == len(burst)
