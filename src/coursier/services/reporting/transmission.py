"""Sending a period's report to the PPF, and its answer.

When. A period's first report leaves once its deadline day is over, in the platform's 8 hours
(DG §3.7.7, table 13): never empty, never before (no empty report is due when there was nothing
to report, DG §2.3.3). After the PPF's answer, any change of the period's data (an item arriving
late, a day sent again, an invoice withdrawn) calls for a corrective report (RE) carrying all its
current data, which replaces what the PPF held (DG §3.7.7 and note 127); so does a correction of
a rejected report. Nothing leaves while a report of the period waits for its answer.

What. `next_report` is exactly what the next report of a period contains (the preview shows it);
`transmit` writes it as F10, checks it against the official XSD and the Flux10 schematron, keeps
it with the items it carries, and queues it to the PPF on the flow seam (`services.ppf_exchange`,
interface FFE1025A). A report the artefacts refuse never leaves:
it is recorded as rejected (REJ_SEMAN), the period too, for the client to correct.

The answer. 300 deposited or 301 rejected with its reasons (REJ_SEMAN, REJ_UNI, REJ_COH, REJ_PER,
DG §3.7.10), in the PPF's lifecycle messages of interface FFE0624A (`record_answers`), or a 501 on
the whole flow (`record_flow_status`); recorded on the transmission, as events on the period and
on each item it carried.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.clients import ClientRepository
from coursier.db.ppf_flows import PPFFlow
from coursier.db.reporting import (
    ACCEPTED,
    DEPOSITED,
    OPEN,
    QUEUED,
    REFUSED,
    REJECTED,
    SENT,
    ReportingItem,
    ReportingItemRepository,
    ReportingPeriod,
    ReportingPeriodRepository,
    ReportingTransmission,
    ReportingTransmissionRepository,
)
from coursier.formats.ppf import envelope, flow_status
from coursier.formats.ppf.f10 import build_f10
from coursier.kit import clock, cpu
from coursier.kit.errors import Conflict, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import (
    DataKind,
    DeclarantRole,
    Period,
    Report,
    ReportDocument,
    ReportType,
    VatRegime,
    transmission_window,
)
from coursier.services.lifecycle import EMITTER_PLATFORM, record_event
from coursier.services.ppf_exchange import CollectedMessage, FlowStatus, queue_flow
from coursier.services.reporting.aggregation import digest, is_empty, payments_body, transactions_body
from coursier.services.reporting.items import object_of
from coursier.validation.f10 import check_f10

log = logging.getLogger(__name__)

PLATFORM_NAME = "Coursier"  # TT-9
SUBJECT = "reporting_transmission"  # what a flow of reports carries, by their TT-1
EMITTER_PPF = "PPF"
PERIOD_OBJECT = "period"
PERIOD_SENT = "ReportingPeriodStatus.SENT"
PERIOD_ACCEPTED = "ReportingPeriodStatus.ACCEPTED"
PERIOD_REJECTED = "ReportingPeriodStatus.REJECTED"
ITEM_DEPOSITED = "TransactionDataStatus.DEPOSITED"  # 300
ITEM_REJECTED = "TransactionDataStatus.REJECTED"  # 301
SEMANTICS = "REJ_SEMAN"
_KEPT_FINDINGS = 50


@dataclass(frozen=True)
class NextReport:
    report: Report  # as it would leave now (its id and time are given when it does)
    items: list[ReportingItem]
    digest: str
    due: bool  # the job would send it now
    why: str  # why it is, or is not, due

    @property
    def empty(self) -> bool:
        return is_empty(self.report.transactions or self.report.payments)

    def to_dict(self) -> dict:
        return {"due": self.due, "why": self.why, "report": self.report.model_dump(mode="json")}


def context_of(period: ReportingPeriod) -> TenantContext:
    return TenantContext(sponsor_id=period.sponsor_id, client_id=period.client_id)


def window_opens(period: ReportingPeriod) -> datetime:
    kind, dates = DataKind(period.kind), Period(period.start_date, period.end_date)
    return transmission_window(VatRegime(period.regime), kind, dates, clock.PARIS)[0]


def next_report(session: Session, period: ReportingPeriod, *, settings: Settings) -> NextReport:
    now = clock.now()
    items = ReportingItemRepository(session).current(period.id)
    contents = [(item.item_type, item.content) for item in items]
    if period.kind == DataKind.TRANSACTIONS:
        body, key = transactions_body(period.start_date, period.end_date, contents), "transactions"
    else:
        body, key = payments_body(period.start_date, period.end_date, contents), "payments"
    sent = ReportingTransmissionRepository(session).of_period(period.id)
    last = sent[-1] if sent else None
    corrective = any(transmission.state == DEPOSITED for transmission in sent)
    report = Report(
        document=ReportDocument(
            id=_document_id(period, len(sent) + 1, settings),
            issued_at=now,
            type_code=ReportType.CORRECTIVE if corrective else ReportType.INITIAL,
            sender_id=settings.pa_matricule,
            sender_name=PLATFORM_NAME,
            declarant_siren=period.siren,
            declarant_name=period.declarant_name,
            role=DeclarantRole(period.role),
        ),
        **{key: body},
    )
    content_digest = digest(body)
    if not corrective and is_empty(body):
        # An initial report is never empty; a corrective one may be (it cancels what was accepted).
        due, why = False, "Nothing to report: no report is due"
    elif last is None:
        if now < window_opens(period):
            due, why = False, f"Sent once its deadline, {period.deadline}, is over"
        else:
            due, why = True, "Its deadline is over"
    elif last.state == QUEUED:
        due, why = False, f"Report {last.document_id} waits for the PPF's answer"
    elif content_digest == last.digest:
        due, why = False, f"Nothing changed since report {last.document_id} ({last.state})"
    else:
        due, why = True, f"Its data changed since report {last.document_id} ({last.state})"
    return NextReport(report, items, content_digest, due, why)


def transmissions_of(session: Session, period: ReportingPeriod) -> list[ReportingTransmission]:
    return ReportingTransmissionRepository(session).of_period(period.id)


def preview(session: Session, ctx: TenantContext, period_id: str, *, settings: Settings) -> NextReport:
    """The client's period's next report, exactly as it would leave now."""
    return next_report(session, ReportingPeriodRepository(session).get_or_404(ctx, period_id), settings=settings)


def preview_for_operator(session: Session, client_id: str, period_id: str, *, settings: Settings) -> NextReport:
    """`preview` for the platform's operator (the command line), who names the client."""
    client = ClientRepository(session).get_for_job(client_id, for_update=False)
    if client is None:
        raise NotFound(f"No client {client_id}", code="client_not_found")
    return preview(session, TenantContext(client.sponsor_id, client_id=client.id), period_id, settings=settings)


def preview_xml(pending: NextReport) -> bytes:
    return build_f10(pending.report).xml


def _document_id(period: ReportingPeriod, sequence: int, settings: Settings) -> str:
    """TT-1, unique per declarant and period (A7 G8.05), 50 characters of the G1.104 set."""
    kind = "T" if period.kind == DataKind.TRANSACTIONS else "P"
    return f"{settings.pa_matricule}-{period.siren}-{kind}{period.role}-{period.start_date:%Y%m%d}-{sequence}"


def periods_to_transmit(session: Session) -> list[str]:
    """The periods that may call for a report now (each is looked at again, locked, by `transmit_due`)."""
    return ReportingPeriodRepository(session).to_transmit(clock.today())


def transmit_due(session: Session, period_id: str, *, settings: Settings) -> ReportingTransmission | None:
    """For the job: send the period's next report if it is due (the period locked meanwhile)."""
    period = ReportingPeriodRepository(session).get_for_job(period_id)
    if period is None:
        return None
    pending = next_report(session, period, settings=settings)
    return _transmit(session, period, pending, settings=settings) if pending.due else None


def resend(session: Session, ctx: TenantContext, period_id: str, *, settings: Settings) -> ReportingTransmission:
    """Send a period's report now: a rejected one again (once corrected, or as it is), a due one
    without waiting for the job. The client's call."""
    period = ReportingPeriodRepository(session).get_or_404(ctx, period_id, for_update=True)
    pending = next_report(session, period, settings=settings)
    if period.state == SENT:
        raise Conflict(pending.why, code="transmission_in_progress")
    if pending.due or (period.state == REJECTED and not pending.empty):
        return _transmit(session, period, pending, settings=settings)
    code = {OPEN: "not_sent_yet", ACCEPTED: "nothing_to_correct"}.get(period.state, "nothing_to_send")
    raise Conflict(f"No report to send: {pending.why}", code=code)


def _transmit(
    session: Session, period: ReportingPeriod, pending: NextReport, *, settings: Settings
) -> ReportingTransmission:
    document = build_f10(pending.report)
    checked = cpu.run(check_f10, document.xml)
    header = pending.report.document
    transmissions = ReportingTransmissionRepository(session)
    transmission = transmissions.add(
        ReportingTransmission(
            id=new_id("rtx"),
            sponsor_id=period.sponsor_id,
            client_id=period.client_id,
            period_id=period.id,
            sequence=len(transmissions.of_period(period.id)) + 1,
            document_id=header.id,
            type_code=header.type_code.value,
            state=QUEUED if checked.valid else REFUSED,
            filename=document.filename,
            xml=document.xml,
            digest=pending.digest,
            item_ids=[item.id for item in pending.items],
            reasons=[] if checked.valid else [SEMANTICS],
            findings=[_finding(issue.rule, issue.message, issue.location) for issue in checked.errors[:_KEPT_FINDINGS]],
        )
    )
    period.transmitted_at = clock.now()
    ctx = context_of(period)
    if not checked.valid:  # never leaves: the client corrects the data, and it is sent again
        transmission.answered_at = clock.now()
        period.state = REJECTED
        reason = "Not valid against the official e-reporting XSD and Flux10 schematron: not sent"
        _period_event(session, ctx, period, transmission, PERIOD_REJECTED, reason, emitter=EMITTER_PLATFORM)
        return transmission
    period.state = SENT
    send(session, transmission, settings)
    _period_event(session, ctx, period, transmission, PERIOD_SENT, None, emitter=EMITTER_PLATFORM)
    return transmission


def send(session: Session, transmission: ReportingTransmission, settings: Settings) -> None:
    """Queue the report to the PPF (interface FFE1025A, DG §3.4.5), in the caller's transaction:
    the flow's id never changes, so it is deposited once whatever happens to the worker."""
    transmission.flow_id = queue_flow(
        session,
        interface=envelope.F10,
        files=[(transmission.filename, transmission.xml)],
        subject_type=SUBJECT,
        subject_ids=[transmission.document_id],
        application_code=settings.ppf_application_code,
    )


def record_flow_status(session: Session, flow: PPFFlow, status: FlowStatus) -> None:
    """The PPF's 500/501 on a flow of reports: a 500 waits for each report's own 300/301; a 501
    refused the whole flow before any report was read, so each is rejected with its reasons."""
    if status.receivable:
        return
    findings = [{"rule": code, "message": text, "location": None} for code, text in status.reasons]
    for document_id in flow.subject_ids(SUBJECT):
        record_answer(
            session,
            document_id,
            accepted=False,
            reasons=list(dict.fromkeys(code for code, _ in status.reasons)),
            findings=findings,
            flow_id=flow.flow_id,
        )


def record_answers(session: Session, message: CollectedMessage) -> None:
    """The PPF's lifecycle messages on our reports (interface FFE0624A): 300 or 301 each."""
    for name, content in message.files:
        try:
            answer = flow_status.parse(content, guideline=flow_status.EREPORTING_GUIDELINE)
        except flow_status.FlowStatusError as exc:
            log.warning("collected %s, file %s: not an e-reporting status: %s", message.name, name, exc)
            continue
        record_answer(
            session,
            answer.flow_id,
            accepted=answer.code == flow_status.DEPOSITED,
            reasons=list(dict.fromkeys(code for code, _ in answer.reasons)),
            findings=[{"rule": code, "message": text, "location": None} for code, text in answer.reasons],
        )


def _finding(rule: str | None, message: str, location: str | None) -> dict:
    return {"rule": rule, "message": message, "location": location}


def record_answer(
    session: Session,
    document_id: str,
    *,
    accepted: bool,
    reasons: list[str] = (),
    findings: list[dict] = (),
    flow_id: str | None = None,
) -> ReportingTransmission | None:
    """The PPF's 300 (accepted) or 301 (rejected, with its reasons) on a report; an answer
    already recorded is ignored."""
    transmission = ReportingTransmissionRepository(session).by_document_id(document_id)
    if transmission is None or transmission.state != QUEUED:
        return None
    period = ReportingPeriodRepository(session).get_for_job(transmission.period_id)
    transmission.state = DEPOSITED if accepted else REFUSED
    transmission.reasons = list(reasons)
    transmission.findings = list(findings)[:_KEPT_FINDINGS]
    transmission.flow_id = flow_id or transmission.flow_id
    transmission.answered_at = clock.now()
    period.state = ACCEPTED if accepted else REJECTED
    ctx = context_of(period)
    reason = None if accepted else "; ".join(f"[{f.get('rule')}] {f.get('message')}" for f in transmission.findings[:3])
    status = PERIOD_ACCEPTED if accepted else PERIOD_REJECTED
    _period_event(session, ctx, period, transmission, status, reason, emitter=EMITTER_PPF)
    items = {item.id: item for item in ReportingItemRepository(session).current(period.id)}
    for item_id in transmission.item_ids:
        item = items.get(item_id)
        if item is None:  # replaced meanwhile: its successor goes in the next report
            continue
        object_type, object_id = object_of(item)
        record_event(
            session,
            ctx,
            object_type=object_type,
            object_id=object_id,
            status_code=ITEM_DEPOSITED if accepted else ITEM_REJECTED,
            emitter=EMITTER_PPF,
            reason=reason[:1000] if reason else None,
            rejection_reason=None if accepted else ",".join(transmission.reasons)[:40],
            is_mandatory=True,
            details={"item_id": item.id, "period_id": period.id, "transmission": transmission.document_id},
        )
    return transmission


def _period_event(
    session: Session,
    ctx: TenantContext,
    period: ReportingPeriod,
    transmission: ReportingTransmission,
    status_code: str,
    reason: str | None,
    *,
    emitter: str,
) -> None:
    record_event(
        session,
        ctx,
        object_type=PERIOD_OBJECT,
        object_id=period.id,
        status_code=status_code,
        emitter=emitter,
        reason=reason[:1000] if reason else None,
        rejection_reason=",".join(transmission.reasons)[:40] or None,
        details={
            "transmission": transmission.document_id,
            "type_code": transmission.type_code,
            "state": transmission.state,
            "findings": transmission.findings,
        },
    )
