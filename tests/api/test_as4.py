"""POST /as4: what another platform pushes is kept once for the client whose line it names, in
the request's own transaction, before the receipt; every refusal keeps nothing. The sending side
is our own AS4 transport, pointed at this app."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from coursier.api.app import create_app
from coursier.db.as4_messages import As4Message
from coursier.db.invoices import INBOUND, Invoice
from coursier.formats import cdar
from coursier.model.lifecycle import AmountType
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
            smp_trust_anchors_file=files["smp_anchors"],
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


def test_the_seller_s_statuses_pushed_by_its_platform_reach_the_buyer_or_are_refused_with_why(
    receiving, peer, invoice_for, session, tenant_a
):
    app = receiving()
    pdf, siren = invoice_for
    _deliver(peer(app), pdf, siren)
    invoice = session.scalars(select(Invoice).where(Invoice.direction == INBOUND, Invoice.number == "AS4-1")).one()
    reference = cdar.InvoiceReference(invoice.number, invoice.type_code, invoice.issue_date, invoice.seller_siren)

    def push(status, message_id: str, role: cdar.PartyRole, **detail):
        issuer = cdar.Party(role, cdar.Identifier(invoice.seller_siren, cdar.SIREN_SCHEME), "Une société")
        message = cdar.for_peer(
            status,
            reference,
            message_id=message_id,
            platform_matricule="0099",
            recipient=cdar.platform("0042"),
            ppf_matricule="9998",
            status_at=datetime.now(UTC),
            issuer=issuer,
            details=[cdar.StatusDetail(**detail)] if detail else [],
        )
        transport = peer(app)
        return transport.deliver(
            platform_id="0042",
            invoice_id=message_id,
            filename=f"{message_id}.xml",
            content=cdar.write(message),
            media_type="application/xml",
            recipient=siren,
            sender=invoice.seller_siren,
        )

    collected = (cdar.Amount(AmountType.COLLECTED, Decimal("120.00"), "EUR", Decimal("20")),)
    push(cdar.InvoiceStatus.COLLECTED, "0099-212", cdar.PartyRole.SELLER, amounts=collected)
    # The buyer's approval is the buyer's to give, not something the seller's platform says.
    with pytest.raises(TransportRejected) as refused:
        push(cdar.InvoiceStatus.APPROVED, "0099-205", cdar.PartyRole.BUYER)
    assert refused.value.code == "ebms_0004" and "not one the seller's side sets" in refused.value.message

    history = app.get(f"/api/invoicing/invoices/{invoice.id}/statuses", headers=tenant_a.headers).json()
    assert [(s["status"], s["emitter"]["role"], s["emitter"]["platform"]) for s in history] == [
        (202, "receiver_platform", "0042"),
        (203, "receiver_platform", "0042"),
        (212, "seller", "0099"),
    ]
    assert (history[-1]["message_id"], history[-1]["ppf"]["state"]) == ("0099-212", "other_platform")
