"""Flow intake (DG §3.4): each flow a partner deposits on its SFTP space is checked, kept and answered.

The technical checks of DG §3.4.2 come first, the same for every flow (envelope name, application
code, interface code, tar.gz, sizes, empty or non-UTF-8 files); then the flow's files go to the
judge of its interface code (`JUDGES`), which runs the applicative checks of DG §3.4.3 and may
leave later messages for the partner (a 601, a 300/301...). Every flow gets its lifecycle, 500 or
501 with reasons (DG §3.4.4), in an envelope of interface `C…` put in the partner's space.

A flow id is taken once (DG §3.4.2 "contrôle d'unicité"): a flow id the sandbox already holds is
refused at the SFTP level before anything else (`flow_held`), which is how a partner that deposits
the same flow again after a crash learns it was received.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from coursier.formats.ppf import envelope as envelopes
from coursier.formats.ppf import flow_status
from coursier.formats.ppf.envelope import DG_LIMITS, Envelope, EnvelopeError, Limits
from coursier.kit import clock
from coursier.sandbox.conformance import judge, profile_for
from coursier.sandbox.storage import PPF_APPLICATION_CODE, answer_sequence, received_flows

# What partners send the PPF (DG §3.4.5 table 4); the other codes are the PPF's own.
PARTNER_INTERFACES = frozenset({envelopes.F1_UBL, envelopes.F1_CII, envelopes.F6_INVOICE, envelopes.F10, envelopes.F13})

Files = list[tuple[str, bytes]]


@dataclass(frozen=True)
class Message:
    """A flow the sandbox puts in the partner's space after its 500/501."""

    interface: str
    files: Files


@dataclass(frozen=True)
class Judgement:
    code: int  # 500 Recevable, 501 Irrecevable
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (reason code, what failed)
    messages: list[Message] = field(default_factory=list)

    @classmethod
    def of(cls, reasons: list[tuple[str, str]], messages: Sequence[Message] = ()) -> "Judgement":
        if reasons:
            return cls(envelopes.UNACCEPTABLE, reasons, [])
        return cls(envelopes.RECEIVABLE, [], list(messages))


@dataclass(frozen=True)
class Intake:
    """What a judge knows of the flow besides its files."""

    conn: Connection
    application_code: str
    matricule: str
    envelope: Envelope


Judge = Callable[[Intake, Files], Judgement]


def judge_f1(intake: Intake, files: Files) -> Judgement:
    """F1 in CII: each file's name (`<profile>_<name>.xml`, DG §3.4.4 note 71), schema and rules."""
    reasons = []
    for name, content in files:
        for finding in judge(profile_for("F1", "CII"), name, content):
            if finding.severity == "fatal":
                where = f" ({finding.location})" if finding.location else ""
                reasons.append((finding.rule or envelopes.IRR_SYNTAX, f"{name}: {finding.message}{where}"))
    return Judgement.of(reasons)


# Interface code -> judge. The helpers of F6 and F10 add theirs here.
JUDGES: dict[str, Judge] = {
    envelopes.F1_CII: judge_f1,
}


def readable_interface(name: str) -> str | None:
    """The interface code a deposited name starts with, if any: enough to answer it."""
    interface = name[:8]
    return interface if interface in PARTNER_INTERFACES else None


def flow_held(conn: Connection, application_code: str, name: str) -> bool:
    """Whether the flow id of `name` was received from this partner already."""
    try:
        flow_id = envelopes.parse_name(name).flow_id
    except EnvelopeError:
        return False
    return (
        conn.execute(
            select(received_flows.c.flow_id).where(
                received_flows.c.application_code == application_code, received_flows.c.flow_id == flow_id
            )
        ).first()
        is not None
    )


def receive(
    conn: Connection, *, application_code: str, matricule: str, name: str, content: bytes, limits: Limits = DG_LIMITS
) -> Files:
    """Check, keep and judge one deposited flow; returns the envelopes (name, bytes) to put in the
    partner's space: its 500/501 first, then the judge's messages."""
    received_at = clock.now()
    envelope, reasons, files = _technical_checks(application_code, name, content, limits)
    if reasons:
        judgement = Judgement.of(reasons)
    else:
        judgement = JUDGES[envelope.interface](Intake(conn, application_code, matricule, envelope), files)
    flow_id = envelope.flow_id if envelope else name
    conn.execute(
        received_flows.insert().values(
            application_code=application_code,
            flow_id=flow_id,
            envelope_name=name,
            interface=envelope.interface if envelope else name[:8],
            content=content,
            status_code=judgement.code,
            reasons=[list(reason) for reason in judgement.reasons],
            received_at=received_at,
        )
    )
    answer = flow_status.FlowStatusMessage(
        message_id=f"{PPF_APPLICATION_CODE}-{flow_id}",
        flow_id=flow_id,
        code=judgement.code,
        received_at=received_at,
        recipient_matricule=matricule,
        reasons=tuple(judgement.reasons),
    )
    interface = envelope.interface if envelope else readable_interface(name)
    outgoing = [(envelopes.answer_interface(interface), [(f"{flow_id}.xml", flow_status.write(answer))])]
    outgoing += [(message.interface, message.files) for message in judgement.messages]
    return [_ppf_envelope(conn, application_code, code, files) for code, files in outgoing]


def _ppf_envelope(conn: Connection, application_code: str, interface: str, files: Files) -> tuple[str, bytes]:
    """A flow of the PPF to a partner: the partner's code in the name, the PPF's in the flow id (DG §3.4.5)."""
    sequence = conn.execute(answer_sequence.next_value()).scalar_one()
    flow_id = envelopes.flow_id(PPF_APPLICATION_CODE, interface, sequence)
    return Envelope(interface, application_code, flow_id).name, envelopes.pack(files)


def _technical_checks(
    application_code: str, name: str, content: bytes, limits: Limits
) -> tuple[Envelope | None, list[tuple[str, str]], Files]:
    """DG §3.4.2, in its order; the first failing check stops the flow."""
    try:
        envelope = envelopes.parse_name(name)
    except EnvelopeError as exc:
        return None, [(exc.reason, exc.message)], []
    if envelope.application_code != application_code:
        return envelope, [(envelopes.IRR_APPLICATION, f"{name}: not the application code of this space")], []
    if envelope.interface not in JUDGES:
        return envelope, [(envelopes.IRR_INTERFACE, f"{envelope.interface}: not an interface the sandbox takes")], []
    if not envelope.flow_id.startswith(application_code):
        return envelope, [(envelopes.IRR_ENVELOPE_NAME, f"{name}: the flow id starts with the sender's code")], []
    try:
        files = envelopes.unpack(envelope, content, limits)
    except EnvelopeError as exc:
        return envelope, [(exc.reason, exc.message)], []
    return envelope, envelopes.file_findings(files), files
