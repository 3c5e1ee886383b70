"""Invoice statuses: a change and its lifecycle event written together, and the names the API gives.

Every status change is a lifecycle event, written with the change; the numeric status goes in the
event's details.
"""

from sqlalchemy.orm import Session

from coursier.db.invoices import Invoice
from coursier.kit.tenancy import TenantContext
from coursier.model import lifecycle
from coursier.model.lifecycle import MANDATORY, REFUSAL_STATUSES, InvoiceStatus, event_code
from coursier.services.lifecycle import EMITTER_PLATFORM, record_event

# Refused, or accepted but not routable: what the Seqino API calls `rejected`.
NOT_DELIVERED = REFUSAL_STATUSES | {InvoiceStatus.ROUTING_ERROR}


def change_status(
    session: Session,
    ctx: TenantContext,
    invoice: Invoice,
    status: InvoiceStatus,
    *,
    emitter: str = EMITTER_PLATFORM,
    reason_code: str | None = None,
    message: str | None = None,
    details: dict | None = None,
) -> None:
    """Set the invoice's status and write its lifecycle event (the numeric code in its details)."""
    invoice.status_code = status
    if reason_code is not None:
        invoice.rejection_reason = reason_code
        invoice.rejection_message = clip(message, 2000)
    session.flush()
    record_event(
        session,
        ctx,
        object_type="invoice",
        object_id=invoice.id,
        status_code=event_code(status),
        emitter=emitter,
        reason=clip(message, 1000),
        rejection_reason=reason_code,
        is_mandatory=status in MANDATORY,
        details={"status_code": int(status), **(details or {})},
    )


def sender_context(invoice: Invoice) -> TenantContext:
    """The tenant of the sending side of an outbound invoice, for jobs that work on it."""
    return TenantContext(sponsor_id=invoice.sponsor_id, client_id=invoice.client_id)


def seqino_status(status_code: int) -> str:
    """The Seqino API's status: `validated` once accepted, `processed` once routed, `rejected` if
    refused or if it could not be routed."""
    if status_code in NOT_DELIVERED:
        return "rejected"
    return "validated" if status_code == InvoiceStatus.DEPOSITED else "processed"


def status_label(status_code: int) -> str:
    return lifecycle.status_label(InvoiceStatus(status_code))


def clip(text: str | None, length: int) -> str | None:
    """`text` cut to the length of the column it goes into."""
    return text[:length] if text else text
