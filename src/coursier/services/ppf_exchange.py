"""Flows to and from the PPF's exchange system (DG §3.4): queue, batch, deposit, collect, dispatch.

    flow_id = queue_flow(session, interface=F1_CII, files=[(name, xml)],
                         subject_type="invoice", subject_ids=[invoice.id])

`queue_flow` writes the files in the caller's transaction and returns the flow's id at once: the
id never changes, so a flow is deposited once whatever happens after (the PPF refuses a flow id it
already holds, and `FlowSpace.deposit` reads that refusal as "already there").

Batching (DG §3.4.6): files join the open flow of their interface; a flow is sealed (packed, its
bytes kept) and deposited once the last flow of its interface left more than
`COURSIER_PPF_BATCH_SECONDS` ago (an hour by default, as the DG recommends), or as soon as it
holds the most business objects table 5 allows, or when the next files would take it over 1 GB.

The job `ppf.exchange` (deferred by `queue_flow`, and every minute) runs `seal_due_flows`, then
`deposit_next` until nothing is left, then `collect` for each file waiting in our space, each step
in its own transaction (a file is removed from the server once what it brought is committed).
What is collected is dispatched:
- a flow's lifecycle (500/501, interface `C…`) is kept on the flow, then handed to
  `FLOW_STATUS_HANDLERS[the flow's interface]` (first answer only);
- any other message to `MESSAGE_HANDLERS[kind]`, `kind` from its interface code (`KINDS`).
Both registries are filled in one place, `coursier.services.ppf_handlers`, which the job hands over.
"""

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from coursier.config import get_settings
from coursier.db.ppf_flows import ANSWERED, DEPOSITED, OPEN, SEALED, PPFFlow, PPFFlowRepository
from coursier.formats.ppf import envelope as envelopes
from coursier.formats.ppf import flow_status
from coursier.formats.ppf.envelope import Envelope, EnvelopeError
from coursier.kit import clock
from coursier.kit.defer import defer
from coursier.network.ppf_flows import FlowSpace

log = logging.getLogger(__name__)

EXCHANGE_TASK = "ppf.exchange"
# One run of the exchange at a time: deposits stay in the order flows were sealed.
EXCHANGE_LOCK = "ppf.exchange"

# Most business objects (files) in one flow, DG §3.4.6 table 5 (indicative until the pilot); an
# interface the table leaves out goes one file a flow.
MAX_OBJECTS = {
    envelopes.F1_UBL: 1000,
    envelopes.F1_CII: 1000,
    envelopes.F6_INVOICE: 2000,
    envelopes.F10: 100,
    envelopes.F13: 1,
}

# What a collected file is, from its interface code (DG §3.4.5 table 4).
FLOW_STATUS = "FLOW_STATUS"  # 500/501 on one of our flows (interface C…)
KINDS = {
    envelopes.F6_MANDATORY_STATUSES: "CDAR",  # 601 on the statuses we sent
    envelopes.F6_INVOICE: "CDAR",
    envelopes.F6_REGULATED_DATA: "CDAR",
    envelopes.F6_TRANSACTIONS: "F10_STATUS",  # 300/301 on our e-reporting
    envelopes.F6_DIRECTORY: "DIRECTORY_STATUS",  # 400/401 on directory updates
    envelopes.F14: "F14",  # directory exports
}
UNKNOWN = "UNKNOWN"
# How long the names of collected files are kept: longer than the PPF keeps a file (7 days).
COLLECTED_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class FlowStatus:
    """The PPF's verdict on a whole flow (DG §3.4.4): 500 Recevable or 501 Irrecevable."""

    code: int
    reasons: list[tuple[str, str]]  # (reason code of table 3, what failed: file, check)
    received_at: datetime

    @property
    def receivable(self) -> bool:
        return self.code == envelopes.RECEIVABLE


@dataclass(frozen=True)
class CollectedMessage:
    """A file the PPF left in our space, other than a flow's 500/501.

    name: the envelope's name, as collected; interface: its interface code; flow_id: the PPF's id
    of that flow; kind: what it is (`KINDS`: "CDAR", "F10_STATUS", "DIRECTORY_STATUS", "F14");
    content: the envelope's bytes; files: its files (name, bytes), unpacked (a `.xml` envelope is
    its own single file).
    """

    name: str
    interface: str
    flow_id: str
    kind: str
    content: bytes
    files: list[tuple[str, bytes]] = field(default_factory=list)


FlowStatusHandler = Callable[[Session, PPFFlow, FlowStatus], None]
MessageHandler = Callable[[Session, CollectedMessage], None]


def queue_flow(
    session: Session,
    *,
    interface: str,
    files: Sequence[tuple[str, bytes]],
    subject_type: str,
    subject_ids: Sequence[str],
    application_code: str | None = None,
) -> str:
    """Queue `files` to the PPF in the caller's transaction; return the id of the flow they join.

    `interface`: an interface code (FFE0111A, FFE0112A, FFE0614A, FFE1025A...); `files`: (name,
    content), packed into the flow's tar.gz envelope; `subject_type`/`subject_ids`: what they carry
    ("invoice"/[invoice ids], "invoice_status"/[status ids], "reporting_period"/[period ids]), for
    the handlers of the answers. `application_code`: ours, COURSIER_PPF_APPLICATION_CODE if not given.
    """
    if interface not in envelopes.INTERFACE_CODES or interface.startswith("C"):
        raise ValueError(f"unknown interface code {interface!r} (DG §3.4.5 table 4)")
    if not files:
        raise ValueError("a flow holds at least one file")
    size = sum(len(content) for _, content in files)
    if size > envelopes.MAX_FLOW_BYTES:
        raise ValueError("these files are over the 1 GB of one flow (DG §3.4.2 note 67)")
    flows = PPFFlowRepository(session)
    flow = flows.open_flow(interface)
    if flow is not None and not _room_for(flow, files, size):
        _seal(flow)  # full: it goes as it is (DG §3.4.6), the files start the next one
        flow = None
    if flow is None:
        code = envelopes.check_application_code(application_code or get_settings().ppf_application_code)
        flow_id = envelopes.flow_id(code, interface, flows.next_sequence())
        flow = flows.add(
            PPFFlow(
                flow_id=flow_id,
                interface=interface,
                envelope_name=Envelope(interface, code, flow_id).name,
                state=OPEN,
                file_count=0,
                total_bytes=0,
            )
        )
    flows.add_files(flow, files)
    flows.add_subjects(flow, subject_type, subject_ids)
    if flow.file_count >= MAX_OBJECTS.get(interface, 1):
        _seal(flow)
    defer(session, EXCHANGE_TASK, lock=EXCHANGE_LOCK)
    return flow.flow_id


def _room_for(flow: PPFFlow, files: Sequence[tuple[str, bytes]], size: int) -> bool:
    taken = {file.name for file in flow.files}
    return (
        flow.file_count + len(files) <= MAX_OBJECTS.get(flow.interface, 1)
        and flow.total_bytes + size <= envelopes.MAX_FLOW_BYTES
        and not taken.intersection(name for name, _ in files)
    )


def _seal(flow: PPFFlow) -> None:
    flow.envelope = envelopes.pack([(file.name, file.content) for file in flow.files])
    flow.state = SEALED
    flow.sealed_at = clock.now()


def seal_due_flows(session: Session, *, batch_seconds: float) -> list[str]:
    """Seal the open flows whose time has come (DG §3.4.6); returns their ids."""
    flows = PPFFlowRepository(session)
    now, sealed = clock.now(), []
    for flow in flows.open_flows():
        last = flows.last_deposit(flow.interface)
        if last is None or now - last >= timedelta(seconds=batch_seconds):
            _seal(flow)
            sealed.append(flow.flow_id)
    session.flush()
    return sealed


def deposit_next(session: Session, space: FlowSpace, *, flows_per_hour: int | None = None) -> str | None:
    """Deposit the oldest sealed flow; returns its id, None when none is left, or when
    `flows_per_hour` flows already left in the last hour (DG §3.4.6: at most 1000 an hour per
    sender; the rest waits for a later run).

    The flow stays locked while it is put, and is marked deposited in the same transaction: a run
    cut after the put deposits it again, which the PPF answers "already held" (`deposit` False).
    """
    flows = PPFFlowRepository(session)
    if flows_per_hour is not None and flows.deposits_since(clock.now() - timedelta(hours=1)) >= flows_per_hour:
        log.warning("%s flows deposited in the last hour: the next ones wait", flows_per_hour)
        return None
    sealed = flows.sealed_flows()
    if not sealed:
        return None
    flow = sealed[0]
    if not space.deposit(flow.envelope_name, flow.envelope):
        log.info("flow %s was already deposited", flow.flow_id)
    flow.state = DEPOSITED
    flow.deposited_at = clock.now()
    session.flush()
    return flow.flow_id


def collect(
    session: Session,
    name: str,
    content: bytes,
    *,
    flow_status_handlers: Mapping[str, FlowStatusHandler],
    message_handlers: Mapping[str, MessageHandler],
) -> str:
    """Keep and dispatch one collected file (once: a name kept before is skipped); returns its kind.

    The handlers are `coursier.services.ppf_handlers`' (the job passes them: the domains' handlers
    import this module)."""
    flows = PPFFlowRepository(session)
    try:
        envelope = envelopes.parse_name(name)
    except EnvelopeError as exc:
        log.warning("collected %s: not an envelope: %s", name, exc.message)
        flows.record_collected(name, UNKNOWN, content, None)
        return UNKNOWN
    if envelope.interface.startswith("C"):
        return _collect_flow_status(session, flows, envelope, content, flow_status_handlers)
    kind = KINDS.get(envelope.interface, UNKNOWN)
    if not flows.record_collected(name, kind, content, None):
        return kind
    try:
        files = envelopes.unpack(envelope, content)
    except EnvelopeError as exc:
        log.warning("collected %s: unreadable: %s", name, exc.message)
        return kind
    handler = message_handlers.get(kind)
    if handler is None:
        log.warning("collected %s (%s): no handler; kept", name, kind)
        return kind
    handler(session, CollectedMessage(name, envelope.interface, envelope.flow_id, kind, content, files))
    return kind


def _collect_flow_status(
    session: Session,
    flows: PPFFlowRepository,
    envelope: Envelope,
    content: bytes,
    handlers: Mapping[str, FlowStatusHandler],
) -> str:
    try:
        (_, xml), *_ = envelopes.unpack(envelope, content)
        message = flow_status.parse(xml)
    except (EnvelopeError, flow_status.FlowStatusError) as exc:
        log.warning("collected %s: unreadable flow status: %s", envelope.name, exc)
        flows.record_collected(envelope.name, FLOW_STATUS, content, None)
        return FLOW_STATUS
    if not flows.record_collected(envelope.name, FLOW_STATUS, content, message.flow_id):
        return FLOW_STATUS
    flow = flows.get(message.flow_id, lock=True)
    if flow is None:
        log.warning("flow status %s for flow %s, which is not ours", message.code, message.flow_id)
        return FLOW_STATUS
    if flow.state == ANSWERED:
        # The first answer stands (a second one answers a deposit repeated after a crash).
        log.info("flow %s: a later status %s ignored", flow.flow_id, message.code)
        return FLOW_STATUS
    status = FlowStatus(code=message.code, reasons=list(message.reasons), received_at=message.received_at)
    flow.state = ANSWERED
    flow.status_code = status.code
    flow.reasons = [list(reason) for reason in status.reasons]
    flow.received_at = status.received_at
    flow.answered_at = clock.now()
    session.flush()
    handler = handlers.get(flow.interface)
    if handler is None:
        log.warning("flow %s (%s): status %s, no handler", flow.flow_id, flow.interface, status.code)
    else:
        handler(session, flow, status)
    return FLOW_STATUS


def purge_collected(session: Session) -> int:
    return PPFFlowRepository(session).purge_collected_before(clock.now() - COLLECTED_KEPT)
