"""Flow 6 to the PPF: the mandatory statuses (200, 210, 212, 213), each a status message queued to
the PPF once, and the PPF's answers kept on them.

A status this platform reports (`ppf_reporter`, see `statuses._reporting`) is written in the CDAR
form for the PPF (`formats.cdar.for_ppf`), checked as the PPF would check it (`validation.f6`:
the D22B XSD, BR-FR-CDV, the annex 7 rules) and queued by the job `invoicing.report_status` to a
flow of interface FFE0614A (DG §3.4.5 table 4) in the job's transaction: the status is marked
with its flow in the same commit, so a worker killed midway queues it again from the start and a
finished run is never repeated. `ppf_exchange` batches those files into flows (at most 2000 a
flow, DG §3.4.6; one flow at least every COURSIER_PPF_BATCH_SECONDS) and deposits each flow once.

The answers: the flow's 500 marks its statuses accepted, a 501 rejected with the flow's reason;
the PPF's 601 on one status (a message of interface FFE0654A, DG §3.6.8 table 10) rejects it with
its reasons (DG §3.6.10 table 12) and is shown on the invoice as an event
`LifecycleStatusReporting.REJECTED` (webhook `lifecycle_status.rejected`, and an e-mail).
"""

import logging
from decimal import Decimal

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.invoice_statuses import (
    BUYER,
    PPF_ACCEPTED,
    PPF_PENDING,
    PPF_REJECTED,
    PPF_UNREPORTABLE,
    SELLER,
    InvoiceStatusRecord,
    InvoiceStatusRepository,
)
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.db.ppf_flows import PPFFlow
from coursier.formats import cdar
from coursier.formats.ppf import envelope
from coursier.kit import clock
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import AmountType, InvoiceStatus
from coursier.services.lifecycle import record_event
from coursier.services.ppf_exchange import CollectedMessage, FlowStatus, queue_flow
from coursier.validation.f6 import check_f6

log = logging.getLogger(__name__)

SUBJECT = "invoice_status"  # flow subjects: the status messages' ids
REJECTED_EVENT = "LifecycleStatusReporting.REJECTED"
EMITTER_PPF = "PPF"


def status_to_report(session: Session, status_id: str) -> InvoiceStatusRecord | None:
    """The status, locked, if this platform reports it and it is not queued yet."""
    record = InvoiceStatusRepository(session).get_for_job(status_id)
    if record is None or not record.ppf_reporter or record.ppf_state != PPF_PENDING or record.ppf_flow_id:
        return None
    return record


def report_status(session: Session, record: InvoiceStatusRecord, *, settings: Settings) -> str | None:
    """Queue the status's message to the PPF; returns its flow id, None when it cannot be reported."""
    invoice = InvoiceRepository(session).get_for_job(record.invoice_id, for_update=False)
    statuses = InvoiceStatusRepository(session)
    try:
        xml = cdar.write(ppf_message(record, invoice, settings))
    except cdar.CdarError as exc:
        return _unreportable(statuses, record, exc.message)
    # Every message that leaves passes the checks the PPF runs (XSD, BR-FR-CDV, annex 7).
    verdict = check_f6(xml, sender_matricule=settings.pa_matricule)
    if not verdict.accepted:
        problems = verdict.syntax_errors + [f"{finding.rule}: {finding.message}" for finding in verdict.findings]
        return _unreportable(statuses, record, "; ".join(problems))
    flow_id = queue_flow(
        session,
        interface=envelope.F6_INVOICE,
        files=[(f"{record.message_id}.xml", xml)],
        subject_type=SUBJECT,
        subject_ids=[record.message_id],
        application_code=settings.ppf_application_code,
    )
    statuses.set_ppf_state([record.message_id], PPF_PENDING, ppf_flow_id=flow_id, ppf_queued_at=clock.now())
    return flow_id


def ppf_message(record: InvoiceStatusRecord, invoice: Invoice, settings: Settings) -> cdar.StatusMessage:
    """The status as the PPF receives it (guideline einvoicingF2, recipient the PPF, role DFH)."""
    status = InvoiceStatus(record.status_code)
    details = []
    if record.reason_code or record.comment or record.amounts:
        details.append(
            cdar.StatusDetail(
                reason=record.reason_code,
                comment=record.comment,
                requested_action=record.requested_action,
                amounts=tuple(
                    cdar.Amount(
                        AmountType.COLLECTED, Decimal(part["amount"]), record.currency, Decimal(part["vat_rate"])
                    )
                    for part in record.amounts
                ),
            )
        )
    return cdar.for_ppf(
        status,
        invoice_reference(invoice),
        message_id=record.message_id,
        platform_matricule=settings.pa_matricule,
        ppf_matricule=settings.ppf_matricule,
        status_at=record.at,
        issuer=party_of(invoice, record.emitter_role),
        details=details,
    )


def invoice_reference(invoice: Invoice) -> cdar.InvoiceReference:
    if not (invoice.number and invoice.type_code and invoice.issue_date and invoice.seller_siren):
        raise cdar.CdarError("the invoice has no number, type, date or seller SIREN", code=cdar.CdarError.MISSING)
    return cdar.InvoiceReference(invoice.number, invoice.type_code, invoice.issue_date, invoice.seller_siren)


def party_of(invoice: Invoice, role: str) -> cdar.Party | None:
    """The party that set a status, as a status message names it (BR-FR-CDV-07, A7 G7.46); a
    platform's status has none (it is issued by the platform)."""
    parties = {
        SELLER: (cdar.PartyRole.SELLER, invoice.seller_siren, invoice.seller_name),
        BUYER: (cdar.PartyRole.BUYER, invoice.buyer_siren, invoice.buyer_name),
    }
    if role not in parties:
        return None
    party_role, siren, name = parties[role]
    if not siren:
        raise cdar.CdarError(f"the {role} has no SIREN to be named by", code=cdar.CdarError.PARTY_INCOMPLETE)
    return cdar.Party(party_role, cdar.Identifier(siren, cdar.SIREN_SCHEME), name)


def _unreportable(statuses: InvoiceStatusRepository, record: InvoiceStatusRecord, why: str) -> None:
    log.error("status %s (%s) cannot be reported to the PPF: %s", record.id, record.status_code, why)
    statuses.set_ppf_state([record.message_id], PPF_UNREPORTABLE, detail=why[:1000])
    return None


# ---- the PPF's answers ----------------------------------------------------------------------------


def record_flow_status(session: Session, flow: PPFFlow, status: FlowStatus) -> None:
    """500: the flow's statuses are accepted (unless a 601 came first); 501: all are rejected."""
    statuses = InvoiceStatusRepository(session)
    message_ids = flow.subject_ids(SUBJECT)
    if status.receivable:
        statuses.set_ppf_state(message_ids, PPF_ACCEPTED, only_from=PPF_PENDING)
        return
    reason, text = status.reasons[0] if status.reasons else ("IRR", "the flow was found unacceptable")
    detail = f"flow {flow.flow_id} unacceptable (501): " + "; ".join(f"{code}: {why}" for code, why in status.reasons)
    for message_id in message_ids:
        _rejected(session, statuses, message_id, reason, detail[:1000], flow.flow_id)


def record_rejections(session: Session, message: CollectedMessage) -> None:
    """The PPF's 601s: each file one status message that rejects one of ours."""
    statuses = InvoiceStatusRepository(session)
    for name, content in message.files:
        try:
            answer = cdar.parse(content)
        except cdar.CdarError as exc:
            log.warning("collected %s/%s: not a readable status message: %s", message.name, name, exc.message)
            continue
        if answer.status != InvoiceStatus.REPORT_REJECTED:
            log.warning("collected %s/%s: status %s, not a 601; kept only", message.name, name, answer.status)
            continue
        reasons = [detail for detail in answer.details if detail.reason]
        detail = "; ".join(f"{item.reason}: {item.comment}" if item.comment else item.reason for item in reasons)
        first = reasons[0].reason if reasons else "REJ_RG"
        # The 601 names the rejected message by its id (MDT-87, A7 G7.14 "CDV de CDV").
        _rejected(session, statuses, answer.invoice.number, first, detail[:1000], message.flow_id)


def _rejected(
    session: Session, statuses: InvoiceStatusRepository, message_id: str, reason: str, detail: str, flow_id: str
) -> None:
    copies = statuses.copies(message_id)
    reporter = next((copy for copy in copies if copy.ppf_reporter), None)
    if reporter is None:
        log.warning("a rejection for status message %s, which this platform did not report", message_id)
        return
    if reporter.ppf_state == PPF_REJECTED:
        return  # kept once, however often it is answered
    statuses.set_ppf_state([message_id], PPF_REJECTED, reason=reason[:40], detail=detail)
    log.warning("status message %s rejected by the PPF: %s", message_id, detail)
    record_event(
        session,
        TenantContext(sponsor_id=reporter.sponsor_id, client_id=reporter.client_id),
        object_type="lifecycle_status",
        object_id=reporter.invoice_id,
        status_code=REJECTED_EVENT,
        emitter=EMITTER_PPF,
        reason=detail,
        rejection_reason=reason[:40],
        is_mandatory=True,
        details={
            "status_code": 601,
            "rejected_status": reporter.status_code,
            "status_id": reporter.id,
            "message_id": message_id,
            "flow_id": flow_id,
        },
    )
