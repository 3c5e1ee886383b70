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
from coursier.db.invoice_statuses import RECEIVER_PLATFORM
from coursier.db.invoices import OUTBOUND, Invoice, InvoiceRepository
from coursier.db.mandates import Mandate
from coursier.kit import clock
from coursier.kit.errors import Unavailable
from coursier.model import Invoice as InvoiceModel
from coursier.model.lifecycle import REASONS, InvoiceStatus
from coursier.network.peers.transport import PeerTransport, TransportRejected, TransportUnavailable
from coursier.network.ppf import PPF
from coursier.services import directory
from coursier.services.invoicing.parties import find_recipient, seller_address
from coursier.services.invoicing.reception import store_received
from coursier.services.invoicing.statuses import (
    Author,
    Received,
    StatusDetails,
    change_status,
    issuer_platform,
    sender_context,
)
from coursier.services.reporting.invoices import report_exchanged_invoice

log = logging.getLogger(__name__)

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


def invoice_to_route(session: Session, invoice_id: str) -> Invoice | None:
    """The outbound invoice, locked, if it still waits for routing (else an earlier run did it)."""
    invoice = InvoiceRepository(session).get_for_job(invoice_id)
    if invoice is None or invoice.direction != OUTBOUND or invoice.status_code != InvoiceStatus.DEPOSITED:
        return None
    return invoice


def route(session: Session, invoice: Invoice, *, ppf: PPF, peers: PeerTransport, settings: Settings) -> bool:
    """Deliver `invoice` where the directory says its recipient is: here, or at another PA; whether
    it was transmitted (201), as its F1 then follows.

    Raises `coursier.kit.errors.Unavailable` when the directory or the other platform cannot be reached.
    """
    entry = find_recipient(session, ppf, InvoiceModel.model_validate(invoice.model), settings)
    if entry is None:
        routing_failed(session, invoice, "No directory line covers the recipient any more", settings)
        return False
    invoice.recipient_platform_id = entry["platform_id"]
    if entry["platform_id"] != settings.pa_matricule:
        return deliver_to_peer(session, invoice, entry, peers, settings)
    mandate = directory.served_client(session, entry, settings.pa_matricule)
    if mandate is None:
        routing_failed(
            session, invoice, "The recipient's line is on this platform but no active mandate serves it", settings
        )
        return False
    # 201 first: the recipient's copy starts with the seller's statuses, in their order.
    inbound_id = new_id("inv")
    mark_transmitted(
        session,
        invoice,
        settings,
        delivery={"platform_id": settings.pa_matricule, "on_platform": True, "delivery_id": inbound_id},
    )
    deliver_here(session, invoice, mandate, settings, inbound_id=inbound_id)
    return True


def deliver_here(
    session: Session, invoice: Invoice, mandate: Mandate, settings: Settings, *, inbound_id: str
) -> Invoice:
    """The recipient client's own copy, with the seller's statuses so far: received (202), then made
    available (203)."""
    original = DocumentRepository(session).get(sender_context(invoice), invoice.document_id)
    return store_received(
        session,
        mandate,
        description={column: getattr(invoice, column) for column in DESCRIPTION_COLUMNS},
        filename=original.filename,
        media_type=original.media_type,
        content=original.content,
        platform_id=invoice.recipient_platform_id,
        settings=settings,
        source_invoice_id=invoice.id,
        inbound_id=inbound_id,
    )


def deliver_to_peer(session: Session, invoice: Invoice, entry: dict, peers: PeerTransport, settings: Settings) -> bool:
    """Send the original file to the recipient's PA, then 201. A PA that refuses it: 213 with its
    reason when it gives one that rejects (DEST_INC for a recipient it does not serve), else a
    routing error (221).

    A worker dying between the sending and the commit sends again on the retry: the network knows
    the invoice by its id and answers a receipt without delivering it twice.
    """
    original = DocumentRepository(session).get(sender_context(invoice), invoice.document_id)
    model = InvoiceModel.model_validate(invoice.model)
    try:
        receipt = peers.deliver(
            platform_id=invoice.recipient_platform_id,
            invoice_id=invoice.id,
            filename=original.filename,
            content=original.content,
            media_type=original.media_type,
            recipient=directory.scope_of_entry(entry).electronic_address,
            sender=seller_address(model) or invoice.seller_siren or "",
        )
    except TransportUnavailable as exc:
        raise Unavailable(
            f"The platform {invoice.recipient_platform_id} cannot be reached: {exc}", code="peer_unavailable"
        ) from exc
    except TransportRejected as exc:
        refusal = (
            f"The platform {invoice.recipient_platform_id} refused the invoice ({exc.code}): {exc.message}"
            if exc.by_recipient
            else f"The invoice was not sent to platform {invoice.recipient_platform_id} ({exc.code}): {exc.message}"
        )
        reason = REASONS.get(exc.reason or "")
        if reason is not None and reason.status == InvoiceStatus.REJECTED:
            log.warning("invoice %s: rejected by the recipient's platform: %s", invoice.id, refusal)
            # That platform's 213, given in its refusal: it is that platform's to report. (choice)
            change_status(
                session,
                sender_context(invoice),
                invoice,
                reason.status,
                by=Author(RECEIVER_PLATFORM, invoice.recipient_platform_id),
                reason_code=reason.code,
                message=refusal,
                received=Received(invoice.recipient_platform_id, new_id("cdv")),
            )
            return False
        routing_failed(session, invoice, refusal, settings)
        return False
    mark_transmitted(
        session,
        invoice,
        settings,
        delivery={
            "platform_id": receipt.platform_id,
            "on_platform": False,
            "delivery_id": receipt.delivery_id,
            "accepted_at": receipt.accepted_at.isoformat(),
        },
    )
    return True


def mark_transmitted(session: Session, invoice: Invoice, settings: Settings, *, delivery: dict) -> None:
    """201 "Émise par la plateforme"; the regulated data (F1) goes to the PPF next, by its own job,
    and a sale to a buyer abroad to the seller's e-reporting (10.1)."""
    invoice.processed_at = clock.now()
    change_status(
        session,
        sender_context(invoice),
        invoice,
        InvoiceStatus.TRANSMITTED_BY_PLATFORM,
        by=issuer_platform(settings),
        transmission_id=delivery.get("delivery_id"),
        details=StatusDetails(event_details={"delivery": delivery}),
    )
    report_exchanged_invoice(session, sender_context(invoice), invoice)


def routing_failed(session: Session, invoice: Invoice, message: str, settings: Settings) -> None:
    log.warning("invoice %s: routing failed: %s", invoice.id, message)
    change_status(
        session,
        sender_context(invoice),
        invoice,
        InvoiceStatus.ROUTING_ERROR,
        by=issuer_platform(settings),
        reason_code=ROUTING_ERROR_REASON,
        message=message,
    )
