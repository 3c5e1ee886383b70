"""POST /as4: what another platform pushes is kept once for the client whose line it names, in
the request's own transaction, before the receipt; every refusal keeps nothing. The sending side
is our own AS4 transport, pointed at this app."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from coursier.api.app import create_app
from coursier.db.as4_messages import As4Message
from coursier.db.invoices import INBOUND, Invoice
from coursier.network.peers import as4
from coursier.network.peers.pki import Credentials, init_test_pki
from coursier.network.peers.smp import Endpoint
from coursier.network.peers.transport import RECIPIENT_NOT_SERVICED, TransportRejected
from support.invoicing import activate_mandate

ENDPOINT_URL = "http://127.0.0.1/as4"  # the TestClient serves any address


@pytest.fixture(scope="session")
def test_pki(tmp_path_factory):
    return init_test_pki(tmp_path_factory.mktemp("pki"), ["0042", "0099"])


def _credentials(files) -> Credentials:
    return Credentials.load(files["key"], files["certificate"], files["anchors"])


@pytest.fixture
def receiving(database_url, engine, sessions, test_pki):
    """receiving(**settings) -> a TestClient of this platform (0042) receiving over AS4."""
    from conftest import make_runtime

    clients = []

    def make(**settings) -> TestClient:
        files = test_pki["0042"]
        runtime = make_runtime(
            database_url,
            engine,
            sessions,
            peer_transport="as4",
            as4_key_file=files["key"],
            as4_certificate_file=files["certificate"],
            as4_trust_anchors_file=files["anchors"],
            smp_url="http://127.0.0.1:9/smp",
            **settings,
        )
        client = TestClient(create_app(runtime), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


class _Smp:
    def __init__(self, certificate) -> None:
        self.certificate = certificate

    def endpoint(self, participant_id, document_type, process):
        return Endpoint(ENDPOINT_URL, self.certificate)

    def close(self) -> None:
        pass


@pytest.fixture
def peer(test_pki):
    """peer(app) -> platform 0099's AS4 transport, delivering to `app`."""

    def make(app: TestClient, *, tamper=None) -> as4.As4Transport:
        receiver = _credentials(test_pki["0042"])
        transport = as4.As4Transport(_credentials(test_pki["0099"]), _Smp(receiver.certificate))
        transport._http = app if tamper is None else _Tampering(app, tamper)
        return transport

    return make


class _Tampering:
    def __init__(self, app: TestClient, tamper) -> None:
        self.app, self.tamper = app, tamper

    def post(self, url, *, content, headers):
        return self.app.post(url, content=self.tamper(content), headers=headers)


def _deliver(transport, content: bytes, recipient: str, invoice_id: str = "inv_peer_1"):
    return transport.deliver(
        platform_id="0042",
        invoice_id=invoice_id,
        filename="sent.pdf",
        content=content,
        media_type="application/pdf",
        recipient=recipient,
        sender="100000009",
    )


@pytest.fixture
def invoice_for(session, tenant_a, company, sandbox_companies, french_invoice, as_file):
    """(Factur-X from a company elsewhere to tenant A's client, its SIREN line served here)."""
    activate_mandate(session, tenant_a, company.siren)
    seller = sandbox_companies.pop()
    return as_file(french_invoice(seller, company, number="AS4-1"), "facturx")[1], company.siren


def _kept(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Invoice).where(Invoice.direction == INBOUND)),
        session.scalar(select(func.count()).select_from(As4Message)),
    )


def test_a_delivered_invoice_is_kept_once_for_its_recipient(
    receiving, peer, invoice_for, session, tenant_a, tenant_b, api, monkeypatch
):
    app = receiving()
    pdf, siren = invoice_for
    before = _kept(session)
    receipt = _deliver(peer(app), pdf, siren)
    listed = app.get("/api/invoicing/invoices", params={"direction": "inbound"}, headers=tenant_a.headers).json()
    (received,) = listed
    assert received["status_code"] == 203 and received["extracted_data"]["invoice_number"] == "AS4-1"
    download = app.get(f"/api/invoicing/invoices/{received['invoice_id']}/download", headers=tenant_a.headers)
    assert download.content == pdf
    row = session.get(As4Message, receipt.delivery_id)
    assert (row.sender_party, row.instance_id, row.invoice_id) == ("PFR000099", "inv_peer_1", received["invoice_id"])
    assert row.recipient == f"0225:{siren}"

    # The same message again (a retry), then the same document in a new message: a receipt, no copy.
    _deliver(peer(app), pdf, siren)
    monkeypatch.setattr(as4, "message_id_of", lambda party, document: f"another-{document}@{party}")
    assert _deliver(peer(app), pdf, siren).delivery_id == "another-inv_peer_1@PFR000099"
    assert _kept(session) == (before[0] + 1, before[1] + 1)

    # Another sponsor sees nothing of it.
    assert app.get(f"/api/invoicing/invoices/{received['invoice_id']}", headers=tenant_b.headers).status_code == 404
    assert app.get("/api/invoicing/invoices", params={"direction": "inbound"}, headers=tenant_b.headers).json() == []


def test_a_recipient_not_served_here_is_refused_and_nothing_kept(receiving, peer, invoice_for, session):
    app = receiving()
    pdf, _ = invoice_for
    before = _kept(session)
    with pytest.raises(TransportRejected) as refused:
        _deliver(peer(app), pdf, "300000007")
    assert (refused.value.code, refused.value.reason) == (RECIPIENT_NOT_SERVICED, "DEST_INC")
    assert _kept(session) == before


def test_a_tampered_message_is_refused_and_nothing_kept(receiving, peer, invoice_for, session):
    app = receiving()
    pdf, siren = invoice_for
    before = _kept(session)
    tampered = peer(app, tamper=lambda body: body.replace(b"0225:100000009", b"0225:100000008", 1))
    with pytest.raises(TransportRejected) as refused:
        _deliver(tampered, pdf, siren)
    assert refused.value.code == "ebms_0101"
    assert _kept(session) == before


def test_an_oversized_payload_is_refused_and_nothing_kept(receiving, peer, invoice_for, session):
    pdf, siren = invoice_for
    app = receiving(as4_max_payload_bytes=len(pdf))  # the envelope makes it larger
    before = _kept(session)
    with pytest.raises(TransportRejected) as refused:
        _deliver(peer(app), pdf, siren)
    assert refused.value.code == "ebms_0303"
    assert _kept(session) == before


def test_a_document_the_platform_would_not_accept_is_refused_with_its_reason(receiving, peer, invoice_for, session):
    app = receiving()
    _, siren = invoice_for
    before = _kept(session)
    with pytest.raises(TransportRejected) as refused:
        _deliver(peer(app), b"%PDF-1.7\n% no invoice in here\n%%EOF\n", siren)
    assert refused.value.code == "ebms_0004" and refused.value.reason.startswith("IRR_")
    assert _kept(session) == before


def test_a_factur_x_with_active_content_from_another_platform_is_refused(receiving, peer, invoice_for, session):
    from support.pdfs import with_active_content

    app = receiving()
    pdf, siren = invoice_for
    before = _kept(session)
    with pytest.raises(TransportRejected) as refused:
        _deliver(peer(app), with_active_content(pdf, "open_action"), siren)
    assert (refused.value.code, refused.value.reason) == ("ebms_0004", "IRR_ANTIVIRUS")
    assert _kept(session) == before


def test_a_platform_not_on_as4_has_no_endpoint(api):
    assert api.post("/as4", content=b"x", headers={"Content-Type": "multipart/related"}).status_code == 404
