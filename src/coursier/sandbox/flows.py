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
from datetime import datetime

from sqlalchemy import Connection, select

from coursier.formats import cdar
from coursier.formats.cdar.document import NAMESPACES
from coursier.formats.ppf import envelope as envelopes
from coursier.formats.ppf import flow_status
from coursier.formats.ppf.envelope import DG_LIMITS, Envelope, EnvelopeError, Limits
from coursier.kit import clock
from coursier.kit.xml import parse_xml
from coursier.sandbox import statuses
from coursier.sandbox.conformance import judge, profile_for
from coursier.sandbox.ereporting import answer, schema_errors
from coursier.sandbox.storage import PPF_APPLICATION_CODE, answer_sequence, received_flows
from coursier.validation.f6 import check_f6

# What partners send the PPF (DG §3.4.5 table 4); the other codes are the PPF's own.
PARTNER_INTERFACES = frozenset({envelopes.F1_UBL, envelopes.F1_CII, envelopes.F6_INVOICE, envelopes.F10, envelopes.F13})

Files = list[tuple[str, bytes]]
# Syntax errors named per file in a 501: enough to see what is wrong.
_KEPT_ERRORS = 5


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


def judge_f6(intake: Intake, files: Files) -> Judgement:
    """F6 invoice lifecycle: each file one status message to the PPF (DG §3.6.7 note 105).

    A file that is not readable XML or breaks the CDAR XSD makes the flow unacceptable (501
    IRR_SYNTAX, DG §3.4.3). Otherwise each status is judged on its own (`validation.f6`: BR-FR-CDV
    and the annex 7 rules): accepted, it is held; refused, or a message id this platform already
    had held, it is answered 601 with its reasons (REJ_INC for the repeat), all of a flow's 601s
    in one message of interface FFE0654A after the flow's 500.
    """
    syntax, refused, accepted = [], [], []
    for name, content in files:
        verdict = check_f6(content, sender_matricule=intake.matricule)
        if verdict.syntax_errors:
            syntax += [(envelopes.IRR_SYNTAX, f"{name}: {error}") for error in verdict.syntax_errors[:_KEPT_ERRORS]]
        elif verdict.findings:
            refused.append(
                (content, [(finding.reason, f"{finding.rule}: {finding.message}") for finding in verdict.findings])
            )
        else:
            accepted.append(content)
    if syntax:
        return Judgement.of(syntax)
    for content in accepted:
        message = cdar.parse(content)
        if not statuses.hold(intake.conn, intake.matricule, intake.envelope.flow_id, message, content):
            refused.append((content, [("REJ_INC", f"status message {message.message_id} is held already")]))
    answers = [(f"{name}.xml", xml) for name, xml in (_rejection(intake, content, why) for content, why in refused)]
    return Judgement.of([], [Message(envelopes.F6_MANDATORY_STATUSES, answers)] if answers else [])


def _rejection(intake: Intake, content: bytes, reasons: list[tuple[str, str]]) -> tuple[str, bytes]:
    """The 601 on one refused status message, named after it."""
    message_id, invoice = _reference(content)
    rejection = cdar.ppf_rejection(
        message_id=f"{PPF_APPLICATION_CODE}-601-{message_id}"[:200],
        rejected_message_id=message_id,
        invoice=invoice,
        platform_matricule=intake.matricule,
        ppf_matricule=cdar.DGFIP_PPF_MATRICULE,
        at=clock.now(),
        reasons=[(reason, text[:500]) for reason, text in reasons],
    )
    return f"601_{message_id}"[:200], cdar.write(rejection)


def _reference(content: bytes) -> tuple[str, cdar.InvoiceReference]:
    """The refused message's id and invoice, read as far as they can be from a message that breaks rules."""
    tree = parse_xml(content).getroot()

    def first(path: str, default: str) -> str:
        found = tree.xpath(path, namespaces=NAMESPACES)
        return (found[0].text or "").strip() or default if found else default

    referenced = "rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument"
    issued = first(f"{referenced}/ram:FormattedIssueDateTime/qdt:DateTimeString", "")
    try:
        issue_date = datetime.strptime(issued, "%Y%m%d").date()
    except ValueError:
        issue_date = clock.today()
    return first("rsm:ExchangedDocument/ram:ID", "UNKNOWN"), cdar.InvoiceReference(
        number=first(f"{referenced}/ram:IssuerAssignedID", "UNKNOWN"),
        type_code=first(f"{referenced}/ram:TypeCode", "380"),
        issue_date=issue_date,
        seller_siren=first(f"{referenced}/ram:IssuerTradeParty/ram:GlobalID", "000000000"),
    )


def judge_f10(intake: Intake, files: Files) -> Judgement:
    """F10 (e-reporting): each file's schema, an applicative check (DG §3.4.3 note 68); then each
    file is judged by the e-reporting desk and answered on its own, 300 or 301 (DG §3.7.8-§3.7.10),
    in one flow of interface FFE0624A."""
    reasons = [
        (envelopes.IRR_SYNTAX, f"{name}: {message}") for name, content in files for message in schema_errors(content)
    ]
    if reasons:
        return Judgement.of(reasons)
    answers = [(f"CR_{name}", answer(intake.conn, intake.matricule, content)[1]) for name, content in files]
    return Judgement.of([], [Message(envelopes.F6_TRANSACTIONS, answers)])


# Interface code -> judge.
JUDGES: dict[str, Judge] = {
    envelopes.F1_CII: judge_f1,
    envelopes.F6_INVOICE: judge_f6,
    envelopes.F10: judge_f10,
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
    return [ppf_envelope(conn, application_code, code, files) for code, files in outgoing]


def ppf_envelope(conn: Connection, application_code: str, interface: str, files: Files) -> tuple[str, bytes]:
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
