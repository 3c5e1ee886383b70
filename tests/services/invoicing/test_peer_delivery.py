"""Routing to another platform: who the delivery names, and what the sender records when that
platform refuses it (213 with its reason when the reason rejects, else 221)."""

from datetime import datetime

import pytest

from coursier.db.invoices import Invoice
from coursier.network.peers.smp import SmpAnswerRefused
from coursier.network.peers.transport import DeliveryReceipt, TransportRejected
from coursier.services.invoicing import routing


class RecordingTransport:
    def __init__(self, refusal: TransportRejected | None = None) -> None:
        self.refusal = refusal
        self.deliveries = []

    def deliver(self, **delivery) -> DeliveryReceipt:
        self.deliveries.append(delivery)
        if self.refusal is not None:
            raise self.refusal
        return DeliveryReceipt("msg-1@pfr000042", delivery["platform_id"], datetime.fromisoformat("2026-12-06T10:00Z"))


@pytest.fixture
def sent(submit, seller, buyer_elsewhere, french_invoice, as_file, session):
    def send(number: str) -> Invoice:
        r = submit(seller, as_file(french_invoice(seller.company, buyer_elsewhere, number=number), "facturx")[1])
        assert r.status_code == 201, r.text
        return session.get(Invoice, r.json()["invoice_id"])

    return send


def test_the_delivery_names_the_line_and_the_seller(sent, seller, buyer_elsewhere, runtime, ppf, session):
    invoice = sent("R-1")
    transport = RecordingTransport()
    routing.route(session, invoice, ppf=ppf, peers=transport, settings=runtime.settings)
    (delivery,) = transport.deliveries
    assert (delivery["platform_id"], delivery["invoice_id"]) == ("0099", invoice.id)
    assert (delivery["recipient"], delivery["sender"]) == (buyer_elsewhere.siren, seller.company.siren)
    assert invoice.status_code == 201


@pytest.mark.parametrize(
    "refusal, status, reason",
    [
        (TransportRejected("recipient_not_serviced", "not here", reason="DEST_INC"), 213, "DEST_INC"),
        (TransportRejected("ebms_0004", "REJ_SEMAN: BR-CO-10", reason="REJ_SEMAN"), 213, "REJ_SEMAN"),
        (TransportRejected("ebms_0101", "FailedAuthentication"), 221, "ROUTAGE_ERR"),
        (TransportRejected("ebms_0303", "too large", reason="IRR_TAILLE_F"), 221, "ROUTAGE_ERR"),  # a 501 reason
        # The recipient's SMP answer could not be believed: final, not retried as an outage.
        (SmpAnswerRefused("smp_signature_invalid", "the signature does not verify"), 221, "ROUTAGE_ERR"),
    ],
    ids=["not-serviced", "rejected", "authentication", "not-a-rejection", "smp-answer-refused"],
)
def test_a_refusal_is_recorded_as_the_lifecycle_rules_say(sent, runtime, ppf, session, refusal, status, reason):
    invoice = sent(f"R-{status}-{reason}")
    routing.route(session, invoice, ppf=ppf, peers=RecordingTransport(refusal), settings=runtime.settings)
    assert (invoice.status_code, invoice.rejection_reason) == (status, reason)
    assert refusal.code in invoice.rejection_message
    # Said as it happened: the recipient's platform refused, or the invoice never reached it.
    assert ("refused the invoice" in invoice.rejection_message) == refusal.by_recipient
