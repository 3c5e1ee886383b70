"""Flow 1: the regulated data of a sent invoice, built by `formats.ppf.f1` and queued to the PPF.

The F1 file joins a flow of interface FFE0112A (F1 in CII, DG §3.4.5 table 4) by `queue_flow`,
once per invoice: the flow that carries it is found again through its subject ("invoice", id).
The PPF's verdict on that flow (500 Recevable / 501 Irrecevable, DG §3.4.4) is kept on each of
its invoices as a lifecycle event, `RegulatoryDataStatus.DEPOSITED` or `REJECTED`, with the flow
id, status and reasons in its details.
"""

import logging

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.invoice_statuses import InvoiceStatusRepository
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.db.ppf_flows import PPFFlow, PPFFlowRepository
from coursier.formats.ppf import envelope
from coursier.formats.ppf.f1 import build_f1
from coursier.model import Invoice as InvoiceModel
from coursier.model.lifecycle import InvoiceStatus
from coursier.services.invoicing.parties import counterparty_abroad
from coursier.services.invoicing.statuses import sender_context
from coursier.services.lifecycle import record_event
from coursier.services.ppf_exchange import FlowStatus, queue_flow

log = logging.getLogger(__name__)

ACCEPTED = "RegulatoryDataStatus.DEPOSITED"
REFUSED = "RegulatoryDataStatus.REJECTED"
F1_PROFILE = "base"  # the profile the PPF requires from September 2026 (trajectoire de démarrage)
F1_INTERFACES = (envelope.F1_UBL, envelope.F1_CII)
SUBJECT = "invoice"
EMITTER_PPF = "PPF"
# Reasons kept in the event: enough to see what to fix, bounded for a flow refused for many.
_KEPT_REASONS = 50


def invoice_to_report(session: Session, invoice_id: str) -> Invoice | None:
    """The sent invoice, locked, if its F1 is not queued yet (an earlier run may have queued it),
    and is due: an invoice to a buyer abroad is e-reported instead (`counterparty_abroad`)."""
    invoice = InvoiceRepository(session).get_for_job(invoice_id)
    if invoice is not None and counterparty_abroad(invoice):
        return None
    # Transmitted (201), whatever came after it (the buyer's 203, 204… are its statuses too).
    if invoice is None or not InvoiceStatusRepository(session).has_status(
        invoice.id, (InvoiceStatus.TRANSMITTED_BY_PLATFORM,)
    ):
        return None
    return None if PPFFlowRepository(session).flows_of_subject(SUBJECT, invoice.id, F1_INTERFACES) else invoice


def report_f1(session: Session, invoice: Invoice, *, settings: Settings) -> str:
    """Build the F1 of `invoice` and queue it (CII, FFE0112A); returns the id of its flow."""
    document = build_f1(
        InvoiceModel.model_validate(invoice.model), profile=F1_PROFILE, issuer_platform_id=settings.pa_matricule
    )
    return queue_flow(
        session,
        interface=envelope.F1_CII,
        files=[(document.filename, document.xml)],
        subject_type=SUBJECT,
        subject_ids=[invoice.id],
        application_code=settings.ppf_application_code,
    )


def record_flow_status(session: Session, flow: PPFFlow, status: FlowStatus) -> None:
    """The PPF's 500/501 on an F1 flow, kept on every invoice it carried (a 501 refuses the whole flow)."""
    invoices = InvoiceRepository(session)
    details = {
        "flow_type": "F1",
        "flow_id": flow.flow_id,
        "interface": flow.interface,
        "envelope": flow.envelope_name,
        "flow_status": status.code,
        "received_at": status.received_at.isoformat(),
        "reasons": [{"code": code, "text": text} for code, text in status.reasons[:_KEPT_REASONS]],
    }
    for invoice_id in flow.subject_ids(SUBJECT):
        invoice = invoices.get_for_job(invoice_id)
        if invoice is None:
            continue
        if not status.receivable:
            log.warning("invoice %s: the PPF found F1 flow %s unacceptable", invoice.id, flow.flow_id)
        record_event(
            session,
            sender_context(invoice),
            object_type="invoice",
            object_id=invoice.id,
            status_code=ACCEPTED if status.receivable else REFUSED,
            emitter=EMITTER_PPF,
            reason="; ".join(f"{code}: {text}" for code, text in status.reasons)[:1000] or None,
            details=details,
        )
