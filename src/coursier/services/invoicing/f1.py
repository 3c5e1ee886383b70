"""Flow 1: the regulated data of a sent invoice, built by `formats.ppf.f1` and sent to the PPF.

The PPF's answer is kept on the invoice as a lifecycle event (`RegulatoryDataStatus.DEPOSITED`
when receivable, `REJECTED` otherwise) with the flow id, status and findings in its details; that
event is also how the job knows the flow was sent.
"""

import logging

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.invoice_statuses import InvoiceStatusRepository
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.formats.ppf.f1 import build_f1
from coursier.model import Invoice as InvoiceModel
from coursier.model.lifecycle import InvoiceStatus
from coursier.network.ppf import PPF, PPFError, PPFUnavailable
from coursier.services.invoicing.routing import sender_context
from coursier.services.lifecycle import record_event

log = logging.getLogger(__name__)

ACCEPTED = "RegulatoryDataStatus.DEPOSITED"
REFUSED = "RegulatoryDataStatus.REJECTED"
F1_PROFILE = "base"  # the profile the PPF requires from September 2026 (trajectoire de démarrage)
EMITTER_PPF = "PPF"
# Findings kept in the event: enough to see what to fix, bounded for a refused flow full of them.
_KEPT_FINDINGS = 50


def invoice_to_report(session: Session, invoice_id: str) -> Invoice | None:
    """The sent invoice, locked, if its F1 was not sent yet (an earlier run may have sent it)."""
    invoices = InvoiceRepository(session)
    invoice = invoices.get_for_job(invoice_id)
    # Transmitted (201), whatever came after it (the buyer's 203, 204… are its statuses too).
    if invoice is None or not InvoiceStatusRepository(session).has_status(
        invoice.id, (InvoiceStatus.TRANSMITTED_BY_PLATFORM,)
    ):
        return None
    return None if invoices.has_event(invoice, (ACCEPTED, REFUSED)) else invoice


def report_f1(session: Session, invoice: Invoice, *, ppf: PPF, settings: Settings) -> None:
    """Build the F1 of `invoice`, send it, keep the PPF's receipt; `PPFUnavailable` propagates."""
    document = build_f1(
        InvoiceModel.model_validate(invoice.model), profile=F1_PROFILE, issuer_platform_id=settings.pa_matricule
    )
    try:
        receipt = ppf.submit_flow("F1", "CII", document.filename, document.xml)
    except PPFUnavailable:
        raise
    except PPFError as exc:  # the request itself refused (authentication, form): kept with its reason
        log.warning("invoice %s: F1 refused: %s", invoice.id, exc)
        record_event(
            session,
            sender_context(invoice),
            object_type="invoice",
            object_id=invoice.id,
            status_code=REFUSED,
            emitter=EMITTER_PPF,
            reason=f"The PPF refused the flow: {exc}"[:1000],
            details={"flow_type": "F1", "filename": document.filename},
        )
        return
    details = {
        "flow_type": "F1",
        "flow_id": receipt.flow_id,
        "flow_status": receipt.status,
        "filename": receipt.filename,
        "profile": document.profile,
        "submitted_at": receipt.submitted_at.isoformat(),
        "errors": [
            {"rule": f.rule, "severity": f.severity, "message": f.message, "location": f.location}
            for f in receipt.errors[:_KEPT_FINDINGS]
        ],
    }
    if not receipt.receivable:
        log.warning("invoice %s: the PPF found F1 %s unacceptable", invoice.id, receipt.flow_id)
    record_event(
        session,
        sender_context(invoice),
        object_type="invoice",
        object_id=invoice.id,
        status_code=ACCEPTED if receipt.receivable else REFUSED,
        emitter=EMITTER_PPF,
        details=details,
    )
