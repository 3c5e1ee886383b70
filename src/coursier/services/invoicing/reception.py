"""Receiving an invoice for one of our clients: its own copy, received (202) and made available (203).

One home for both ways an invoice arrives: from a client of this platform (`routing.deliver_here`
copies the sender's row) and from another platform (`receive_from_peer` reads the file, as the
deposit checks read it). The caller's transaction holds the copy, its statuses and its count, and,
for an invoice from a seller abroad, its entry in the buyer's e-reporting (10.1).
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.documents import DocumentRepository
from coursier.db.invoice_statuses import BUYER, InvoiceStatusRepository
from coursier.db.invoices import INBOUND, Invoice
from coursier.db.mandates import Mandate, MandateRepository
from coursier.kit import clock, cpu
from coursier.kit.errors import InvalidInput
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.services import usage
from coursier.services.directory import DirectoryScope
from coursier.services.invoicing.checks import read_invoice_file
from coursier.services.invoicing.deposit import MEDIA_TYPES, describe
from coursier.services.invoicing.statuses import (
    Author,
    StatusDetails,
    change_status,
    mirror_status,
    receiver_platform,
)
from coursier.services.reporting.invoices import report_exchanged_invoice
from coursier.services.settings import get_client_settings

# The comment of a 204 set by the `auto_acknowledge_received` setting.
AUTO_ACKNOWLEDGED = "Acknowledged automatically on receipt (setting auto_acknowledge_received)"


@dataclass(frozen=True)
class Refused:
    """Why a file from another platform is not taken: a reason code (BR-FR-CDV-CL-09) and words."""

    reason: str
    message: str


def serving_mandate(session: Session, address: str) -> Mandate | None:
    """The active mandate on this platform for a directory address (SIREN, SIREN_SIRET...), if any."""
    try:
        scope = DirectoryScope.from_address(address)
    except InvalidInput:
        return None
    return MandateRepository(session).active_holder(scope.key)


def store_received(
    session: Session,
    mandate: Mandate,
    *,
    description: dict,
    filename: str,
    media_type: str,
    content: bytes,
    platform_id: str,
    settings: Settings,
    source_invoice_id: str | None = None,
    inbound_id: str | None = None,
    details: dict | None = None,
) -> Invoice:
    """The recipient client's copy of an invoice, with its file: the sender's statuses so far when it
    is a client here, then 202, 203, and 204 if the recipient acknowledges automatically."""
    recipient = TenantContext(sponsor_id=mandate.sponsor_id, client_id=mandate.client_id)
    copy = DocumentRepository(session).store(
        recipient, kind="invoice_received", media_type=media_type, filename=filename, content=content
    )
    inbound = Invoice(
        id=inbound_id or new_id("inv"),
        sponsor_id=recipient.sponsor_id,
        client_id=recipient.client_id,
        direction=INBOUND,
        status_code=InvoiceStatus.RECEIVED_BY_PLATFORM,
        source_invoice_id=source_invoice_id,
        document_id=copy.id,
        recipient_platform_id=platform_id,
        **description,
    )
    session.add(inbound)
    session.flush()
    if source_invoice_id is not None:
        for earlier in InvoiceStatusRepository(session).history(source_invoice_id):
            mirror_status(session, inbound, earlier, event=False)
    for status in (InvoiceStatus.RECEIVED_BY_PLATFORM, InvoiceStatus.MADE_AVAILABLE):
        change_status(
            session,
            recipient,
            inbound,
            status,
            by=receiver_platform(settings),
            transmission_id=inbound.id,
            details=StatusDetails(event_details=details or {}),
        )
    if get_client_settings(session, recipient).auto_acknowledge_received:
        change_status(
            session,
            recipient,
            inbound,
            InvoiceStatus.ACKNOWLEDGED,
            by=Author(BUYER, settings.pa_matricule),
            message=AUTO_ACKNOWLEDGED,
        )
    inbound.processed_at = clock.now()
    usage.count(session, recipient, "invoices_received")
    report_exchanged_invoice(session, recipient, inbound)  # bought from abroad: e-reported by the buyer
    return inbound


def receive_from_peer(
    session: Session,
    mandate: Mandate,
    *,
    content: bytes,
    document_id: str,
    settings: Settings,
    details: dict,
) -> Invoice | Refused:
    """An invoice another platform sends to the client of `mandate`, read as a deposit is read.

    What the sender's platform should have refused is refused here too, with the reason it would
    have given (501 IRR_* / 213 REJ_*), and nothing is kept.
    """
    try:
        reading = cpu.run(read_invoice_file, content)
    except cpu.CpuTimeExceeded as exc:
        return Refused("IRR_SYNTAX", f"The invoice could not be read within {exc.seconds:g} s")
    if reading.refusal is not None:
        return Refused(reading.refusal.reason.code, reading.refusal.message)
    if reading.invoice is None:
        return Refused("IRR_SYNTAX", "The document is no invoice")
    description = describe(reading, file_name=f"{reading.invoice.number or document_id}", file_size=len(content))
    container = description.get("container") or "xml"
    description["file_name"] = f"{description['file_name']}.{container}"
    return store_received(
        session,
        mandate,
        description=description,
        filename=description["file_name"],
        media_type=MEDIA_TYPES[container],
        content=content,
        platform_id=settings.pa_matricule,
        settings=settings,
        details=details,
    )
