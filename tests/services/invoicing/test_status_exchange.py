"""Status messages from another platform, applied or refused (`status_exchange.receive_status`), both
ways: about an invoice we delivered to that platform (its buyer's side speaks), and about one that
platform delivered to us (its seller's side speaks). Over the network the endpoint or the job hands
each message here; the tests hand it directly."""

from decimal import Decimal

import pytest
from sqlalchemy import select, text

from coursier.db.as4_messages import As4MessageRepository
from coursier.db.base import new_id
from coursier.db.invoice_statuses import SELLER, InvoiceStatusRepository
from coursier.db.invoices import Invoice
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.webhooks import WebhookDelivery
from coursier.formats import cdar
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import AmountType
from coursier.network.peers.pki import party_id_of
from coursier.network.peers.transport import DeliveryReceipt, ReceivedMessage
from coursier.services import webhooks
from coursier.services.invoicing import reception, routing, status_exchange
from coursier.services.invoicing.f6 import party_of
from coursier.services.invoicing.party_statuses import StatusRequest, set_status
from support.invoicing import activate_mandate

S = cdar.InvoiceStatus


@pytest.fixture
def received(session, runtime, sandbox_companies, french_invoice, as_file):
    """received(tenant, number, platform="0099") -> the invoice platform `platform` delivered over AS4
    to `tenant`'s client (a new company under an active mandate), as the AS4 endpoint keeps it."""

    def receive(tenant, number: str, platform: str = "0099") -> Invoice:
        buyer, seller = sandbox_companies.pop(), sandbox_companies.pop()
        activate_mandate(session, tenant, buyer.siren)
        content = as_file(french_invoice(seller, buyer, number=number), "cii")[1]
        claimed = As4MessageRepository(session).claim(
            message_id=f"{number}@{party_id_of(platform)}",
            sender_party=party_id_of(platform),
            instance_id=number,
            sender=f"0225:{seller.siren}",
            recipient=f"0225:{buyer.siren}",
            document_type="invoice",
        )
        invoice = reception.receive_from_peer(
            session,
            reception.serving_mandate(session, buyer.siren),
            content=content,
            document_id=number,
            settings=runtime.settings,
            details={},
        )
        claimed.invoice_id = invoice.id
        session.flush()
        return invoice

    return receive


def _message(
    status: S, invoice: Invoice, *, sender: str = "0099", issuer_role: str | None = SELLER, number=None, **detail
) -> cdar.StatusMessage:
    """A status about `invoice` as platform `sender` writes it (its party `issuer_role` set it)."""
    return cdar.for_peer(
        status,
        cdar.InvoiceReference(number or invoice.number, invoice.type_code, invoice.issue_date, invoice.seller_siren),
        message_id=f"{sender}-{new_id('cdv')}",
        platform_matricule=sender,
        recipient=cdar.platform("0042"),
        ppf_matricule="9998",
        status_at=clock.now(),
        issuer=None if cdar.issued_by_platform(status) else party_of(invoice, issuer_role),
        details=[cdar.StatusDetail(**detail)] if detail else [],
    )


def _collected(amount: str, rate: str = "20") -> dict:
    return {"amounts": (cdar.Amount(AmountType.COLLECTED, Decimal(amount), "EUR", Decimal(rate)),)}


def _receive(session, runtime, message: cdar.StatusMessage, *, from_platform: str | None = None):
    """Platform `from_platform` (the message's sender unless said) delivers the message to us."""
    content = cdar.write(message)
    delivery = ReceivedMessage(
        delivery_id=new_id("dlv"),
        sender_platform_id=from_platform or message.sender.id.value,
        invoice_id=message.message_id,
        filename=f"{message.message_id}.xml",
        media_type="application/xml",
        size=len(content),
        accepted_at=clock.now(),
        kind="status",
    )
    return status_exchange.receive_status(session, delivery, content, settings=runtime.settings)


def _history(session, invoice: Invoice) -> list[tuple[int, str, str]]:
    return [
        (record.status_code, record.emitter_role, record.emitter_platform)
        for record in InvoiceStatusRepository(session).history(invoice.id)
    ]


def _jobs_of(session, status_id: str) -> int:
    query = "SELECT count(*) FROM procrastinate_jobs WHERE args->>'status_id' = :id"
    return session.scalar(text(query), {"id": status_id})


def test_the_seller_s_collection_reaches_the_buyer_s_invoice_and_is_not_reported_nor_sent_back(
    session, runtime, tenant_a, received
):
    invoice = received(tenant_a, "IN-212")
    ctx = TenantContext(sponsor_id=tenant_a.sponsor_id, client_id=tenant_a.client_id)
    endpoint, _ = webhooks.create_endpoint(
        session,
        ctx,
        webhooks.Registration(url="http://127.0.0.1:9/hook", event_types=["invoice.status_changed"]),
        allow_private=True,
    )
    message = _message(S.COLLECTED, invoice, **_collected("120.00"))
    kept = _receive(session, runtime, message)

    assert (kept.outcome, kept.reason, kept.invoice_id) == ("applied", None, invoice.id)
    assert _history(session, invoice) == [
        (202, "receiver_platform", "0042"),
        (203, "receiver_platform", "0042"),
        (212, "seller", "0099"),
    ]
    record = InvoiceStatusRepository(session).history(invoice.id)[-1]
    assert (record.message_id, record.received_from) == (message.message_id, "0099")
    assert record.amounts == [{"vat_rate": "20", "amount": "120.00"}] and record.currency == "EUR"
    assert invoice.status_code == 212
    # The seller's platform reports its own 212 to the PPF (it set it): no F6 here, and not sent back.
    assert (record.ppf_state, record.ppf_reporter) == ("other_platform", False)
    assert _jobs_of(session, record.id) == 0
    # The buyer's side has its event, and the webhook that wants it is queued.
    (event,) = session.scalars(
        select(LifecycleEvent).where(
            LifecycleEvent.object_id == invoice.id, LifecycleEvent.status_code == "InvoiceLifecycleStatus.COLLECTED"
        )
    )
    assert (event.client_id, event.emitter, event.details["emitter_role"]) == (tenant_a.client_id, "PDPE", "seller")
    (delivery,) = session.scalars(select(WebhookDelivery).where(WebhookDelivery.event_id == event.id))
    assert (delivery.endpoint_id, delivery.event_type) == (endpoint.id, "invoice.status_changed")


def test_the_buyer_sees_the_seller_s_status_in_its_history_and_another_sponsor_nothing(
    session, runtime, tenant_a, tenant_b, received, api
):
    invoice = received(tenant_a, "IN-API")
    _receive(session, runtime, _message(S.COLLECTED, invoice, **_collected("60.00")))
    session.commit()
    history = api.get(f"/api/invoicing/invoices/{invoice.id}/statuses", headers=tenant_a.headers).json()
    last = history[-1]
    assert (last["status"], last["emitter"], last["ppf"]["state"]) == (
        212,
        {"role": "seller", "platform": "0099"},
        "other_platform",
    )
    assert api.get(f"/api/invoicing/invoices/{invoice.id}/statuses", headers=tenant_b.headers).status_code == 404


def test_a_message_received_again_is_a_repeat(session, runtime, tenant_a, received):
    invoice = received(tenant_a, "IN-REPEAT")
    message = _message(S.CANCELLED, invoice)
    assert _receive(session, runtime, message).outcome == "applied"
    again = _receive(session, runtime, message)  # another delivery of the same message
    assert (again.outcome, again.invoice_id) == ("repeated", invoice.id)
    assert [code for code, _, _ in _history(session, invoice)] == [202, 203, 220]


def test_the_seller_s_refund_and_its_platform_s_rejection_are_applied_as_that_side_s(
    session, runtime, tenant_a, received
):
    invoice = received(tenant_a, "IN-SIDES")
    for message in (
        _message(S.COLLECTED, invoice, **_collected("100.00")),
        _message(S.PAYMENT_TRANSMITTED, invoice),  # the seller paid it back (DG table 8)
        _message(S.REJECTED, invoice, reason="CALCUL_ERR"),  # a check of the issuer's platform (DG table 8)
    ):
        assert _receive(session, runtime, message).outcome == "applied"
    assert _history(session, invoice)[2:] == [
        (212, "seller", "0099"),
        (211, "seller", "0099"),
        (213, "issuer_platform", "0099"),
    ]
    assert (invoice.status_code, invoice.rejection_reason) == (213, "CALCUL_ERR")


@pytest.mark.parametrize(
    ("status", "issuer", "detail", "reason"),
    [
        # Only the buyer's side sets these: from the seller's platform they are refused.
        (S.APPROVED, "buyer", {}, "status 205 from the buyer is not one the seller's side sets"),
        (S.APPROVED, SELLER, {}, "rule LC-SIDE: 205 is set by the buyer side only"),
        (S.MADE_AVAILABLE, None, {}, "status 203 from the platform is not one the seller's side sets"),
        # The issuer's platform's 200 and 201 come before the delivery that brought the invoice.
        (S.DEPOSITED, None, {}, "status 200 from the platform is not one the seller's side sets"),
        # The sequence rules, as the seller's: 209 answers a 208, a refund follows a collection.
        (S.COMPLETED, SELLER, {}, "rule LC-209-ANSWERS-208"),
        (S.PAYMENT_TRANSMITTED, SELLER, {}, "rule LC-REFUND-NEEDS-COLLECTION"),
    ],
    ids=["buyer-205", "seller-205", "203", "200", "209-without-208", "211-without-212"],
)
def test_what_the_seller_s_side_does_not_set_is_refused(
    session, runtime, tenant_a, received, status, issuer, detail, reason
):
    invoice = received(tenant_a, f"IN-NO-{int(status)}-{issuer}")
    kept = _receive(session, runtime, _message(status, invoice, issuer_role=issuer, **detail))
    assert (kept.outcome, kept.invoice_id) == ("refused", invoice.id)
    assert reason in kept.reason
    assert [code for code, _, _ in _history(session, invoice)] == [202, 203] and invoice.status_code == 203


def _buyer_sets(session, runtime, tenant, invoice: Invoice, status: S, **request) -> None:
    """Our client, the buyer, sets a status on the invoice it received (as through the API)."""
    ctx = TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id)
    set_status(session, ctx, invoice.id, StatusRequest(status=status, **request), settings=runtime.settings)


def test_the_seller_completes_what_the_buyer_suspended(session, runtime, tenant_a, received):
    invoice = received(tenant_a, "IN-SUSPENDED")
    _buyer_sets(session, runtime, tenant_a, invoice, S.SUSPENDED, reason_code="JUSTIF_ABS", comment="Bon de livraison")
    assert _receive(session, runtime, _message(S.COMPLETED, invoice)).outcome == "applied"
    assert _history(session, invoice)[2:] == [(208, "buyer", "0042"), (209, "seller", "0099")]


def test_nothing_follows_the_buyer_s_refusal_from_the_seller_s_side(session, runtime, tenant_a, received):
    invoice = received(tenant_a, "IN-REFUSED")
    _buyer_sets(session, runtime, tenant_a, invoice, S.REFUSED, reason_code="TX_TVA_ERR", comment="Taux")
    kept = _receive(session, runtime, _message(S.COLLECTED, invoice, **_collected("10.00")))
    assert kept.outcome == "refused" and "LC-REFUSED-FINAL" in kept.reason
    assert invoice.status_code == 210


def test_a_platform_that_did_not_deliver_the_invoice_is_refused(session, runtime, tenant_a, tenant_b, received):
    invoice = received(tenant_a, "IN-OTHER-PLATFORM")  # delivered by 0099
    # Platform 0077 speaks of it, in its own name: it delivered no such invoice to us.
    kept = _receive(session, runtime, _message(S.COLLECTED, invoice, sender="0077", **_collected("1.00")))
    assert kept.outcome == "refused" and kept.invoice_id is None
    assert f"no invoice IN-OTHER-PLATFORM of {invoice.seller_siren} was exchanged with platform 0077" in kept.reason
    # 0077 in 0099's name, over its own connection: the message must speak for its sender.
    spoofed = _receive(session, runtime, _message(S.COLLECTED, invoice, **_collected("1.00")), from_platform="0077")
    assert spoofed.outcome == "refused" and "sent by 0077 in the name of platform 0099" in spoofed.reason
    # Another sponsor's client got an invoice of the same seller from 0077: 0077 reaches that one only.
    other = received(tenant_b, "IN-OTHER-PLATFORM-B", platform="0077")
    message = _message(S.COLLECTED, other, sender="0077", **_collected("1.00"))
    assert _receive(session, runtime, message).invoice_id == other.id
    assert [code for code, _, _ in _history(session, invoice)] == [202, 203]
    assert [code for code, _, _ in _history(session, other)] == [202, 203, 212]


def test_an_unknown_invoice_is_refused(session, runtime, tenant_a, received):
    invoice = received(tenant_a, "IN-KNOWN")
    kept = _receive(session, runtime, _message(S.CANCELLED, invoice, number="IN-UNKNOWN"))
    assert kept.outcome == "refused" and "no invoice IN-UNKNOWN" in kept.reason


# ---- the other way: about an invoice we delivered, the buyer's side speaks --------------------------


class _Receipt:
    """The buyer's platform takes every delivery."""

    def deliver(self, **delivery) -> DeliveryReceipt:
        return DeliveryReceipt(f"{delivery['invoice_id']}@pfr000042", delivery["platform_id"], clock.now())


@pytest.fixture
def delivered(session, runtime, submit, seller, buyer_elsewhere, french_invoice, as_file, ppf):
    """delivered(number) -> our seller's invoice, routed to the buyer's platform 0099 (its 201 done)."""

    def send(number: str) -> Invoice:
        content = as_file(french_invoice(seller.company, buyer_elsewhere, number=number), "cii")[1]
        r = submit(seller, content)
        assert r.status_code == 201, r.text
        invoice = session.get(Invoice, r.json()["invoice_id"])
        assert routing.route(session, invoice, ppf=ppf, peers=_Receipt(), settings=runtime.settings)
        return invoice

    return send


def test_the_buyer_s_side_still_speaks_of_what_we_delivered(session, runtime, delivered):
    invoice = delivered("OUT-1")
    for status in (S.RECEIVED_BY_PLATFORM, S.MADE_AVAILABLE):
        assert _receive(session, runtime, _message(status, invoice)).outcome == "applied"
    assert _receive(session, runtime, _message(S.APPROVED, invoice, issuer_role="buyer")).outcome == "applied"
    # The seller's statuses are ours to set: the buyer's platform does not send them.
    refused = _receive(session, runtime, _message(S.COLLECTED, invoice, **_collected("1.00")))
    assert refused.outcome == "refused" and "from the seller is not one the buyer's side sets" in refused.reason
    assert _history(session, invoice)[2:] == [
        (202, "receiver_platform", "0099"),
        (203, "receiver_platform", "0099"),
        (205, "buyer", "0099"),
    ]
