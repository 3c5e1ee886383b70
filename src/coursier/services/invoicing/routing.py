"""Routing an accepted invoice to its recipient, on this platform or at another PA.

Run by the `invoicing.route` job, in one transaction with the outbound row locked: either the
delivery and the 201 status commit together, or neither does. On this platform the delivery is the
recipient's own row, and the unique index on `source_invoice_id` makes a second copy impossible.
"""

import logging

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.documents import DocumentRepository
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice, InvoiceRepository
from coursier.db.mandates import Mandate
from coursier.kit import clock
from coursier.kit.errors import Unavailable
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice as InvoiceModel
from coursier.model.lifecycle import InvoiceStatus
from coursier.network.peers.transport import PeerTransport, TransportRejected, TransportUnavailable
from coursier.network.ppf import PPF
from coursier.services import directory, usage
from coursier.services.invoicing.parties import find_recipient
from coursier.services.invoicing.statuses import change_status
from coursier.services.reporting.invoices import report_exchanged_invoice

log = logging.getLogger(__name__)

# The receiving platform's statuses (PDPR: receiver's platform, in the Seqino lifecycle events).
EMITTER_RECEIVER = "PDPR"
# BR-FR-CDV-CL-09: the one reason of status 221 "Erreur de routage".
ROUTING_ERROR_REASON = "ROUTAGE_ERR"
# What describes an invoice, whoever's copy it is: copied as such onto the recipient's row.
DESCRIPTION_COLUMNS = (
    "number",
    "type_code",
    "issue_date",
    "due_date",
    "currency",
    "total_without_vat",
    "total_vat",
    "total_with_vat",
    "amount_due",
    "seller_siren",
    "seller_name",
    "buyer_siren",
    "buyer_name",
    "container",
    "syntax",
    "profile",
    "file_name",
    "model",
    "validation",
)


def sender_context(invoice: Invoice) -> TenantContext:
    return TenantContext(sponsor_id=invoice.sponsor_id, client_id=invoice.client_id)


def invoice_to_route(session: Session, invoice_id: str) -> Invoice | None:
    """The outbound invoice, locked, if it still waits for routing (else an earlier run did it)."""
    invoice = InvoiceRepository(session).get_for_job(invoice_id)
    if invoice is None or invoice.direction != OUTBOUND or invoice.status_code != InvoiceStatus.DEPOSITED:
        return None
    return invoice


def route(session: Session, invoice: Invoice, *, ppf: PPF, peers: PeerTransport, settings: Settings) -> None:
    """Deliver `invoice` where the directory says its recipient is: here, or at another PA.

    Raises `coursier.kit.errors.Unavailable` when the directory or the other platform cannot be reached.
    """
    entry = find_recipient(session, ppf, InvoiceModel.model_validate(invoice.model), settings)
    if entry is None:
        routing_failed(session, invoice, "No directory line covers the recipient any more")
        return
    invoice.recipient_platform_id = entry["platform_id"]
    if entry["platform_id"] != settings.pa_matricule:
        deliver_to_peer(session, invoice, peers)
        return
    mandate = directory.served_client(session, entry, settings.pa_matricule)
    if mandate is None:
        routing_failed(session, invoice, "The recipient's line is on this platform but no active mandate serves it")
        return
    deliver_here(session, invoice, mandate)
    mark_transmitted(session, invoice, delivery={"platform_id": settings.pa_matricule, "on_platform": True})


def deliver_here(session: Session, invoice: Invoice, mandate: Mandate) -> Invoice:
    """The recipient client's own copy: received (202), then made available (203)."""
    recipient = TenantContext(sponsor_id=mandate.sponsor_id, client_id=mandate.client_id)
    documents = DocumentRepository(session)
    original = documents.get(sender_context(invoice), invoice.document_id)
    copy = documents.store(
        recipient,
        kind="invoice_received",
        media_type=original.media_type,
        filename=original.filename,
        content=original.content,
    )
    inbound = Invoice(
        id=new_id("inv"),
        sponsor_id=recipient.sponsor_id,
        client_id=recipient.client_id,
        direction=INBOUND,
        status_code=InvoiceStatus.RECEIVED_BY_PLATFORM,
        source_invoice_id=invoice.id,
        document_id=copy.id,
        recipient_platform_id=invoice.recipient_platform_id,
        **{column: getattr(invoice, column) for column in DESCRIPTION_COLUMNS},
    )
    session.add(inbound)
    change_status(session, recipient, inbound, InvoiceStatus.RECEIVED_BY_PLATFORM, emitter=EMITTER_RECEIVER)
    change_status(session, recipient, inbound, InvoiceStatus.MADE_AVAILABLE, emitter=EMITTER_RECEIVER)
    inbound.processed_at = clock.now()
    report_exchanged_invoice(session, recipient, inbound)  # bought from abroad: e-reported by the buyer
    usage.count(session, recipient, "invoices_received")
    return inbound


def deliver_to_peer(session: Session, invoice: Invoice, peers: PeerTransport) -> None:
    """Send the original file to the recipient's PA, then 201; a PA that refuses it is a routing error.

    A worker dying between the sending and the commit sends again on the retry: the network knows
    the invoice by its id and answers the first receipt (delivery is idempotent per invoice).
    """
    original = DocumentRepository(session).get(sender_context(invoice), invoice.document_id)
    try:
        receipt = peers.deliver(
            platform_id=invoice.recipient_platform_id,
            invoice_id=invoice.id,
            filename=original.filename,
            content=original.content,
            media_type=original.media_type,
        )
    except TransportUnavailable as exc:
        raise Unavailable(
            f"The platform {invoice.recipient_platform_id} cannot be reached: {exc}", code="peer_unavailable"
        ) from exc
    except TransportRejected as exc:
        routing_failed(
            session,
            invoice,
            f"The platform {invoice.recipient_platform_id} refused the invoice ({exc.code}): {exc.message}",
        )
        return
    mark_transmitted(
        session,
        invoice,
        delivery={
            "platform_id": receipt.platform_id,
            "on_platform": False,
            "delivery_id": receipt.delivery_id,
            "accepted_at": receipt.accepted_at.isoformat(),
        },
    )


def mark_transmitted(session: Session, invoice: Invoice, *, delivery: dict) -> None:
    """201 "Émise par la plateforme"; the regulated data (F1) goes to the PPF next, by its own job,
    and a sale to a buyer abroad to the seller's e-reporting (10.1)."""
    invoice.processed_at = clock.now()
    change_status(
        session, sender_context(invoice), invoice, InvoiceStatus.TRANSMITTED_BY_PLATFORM, details={"delivery": delivery}
    )
    report_exchanged_invoice(session, sender_context(invoice), invoice)


def routing_failed(session: Session, invoice: Invoice, message: str) -> None:
    log.warning("invoice %s: routing failed: %s", invoice.id, message)
    change_status(
        session,
        sender_context(invoice),
        invoice,
        InvoiceStatus.ROUTING_ERROR,
        reason_code=ROUTING_ERROR_REASON,
        message=message,
    )
