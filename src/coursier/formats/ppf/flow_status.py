"""A flow's lifecycle (DG §3.4.4): the CDAR the PPF answers every flow it receives with, 500 or 501.

It travels in its own envelope, interface code `C…` (the flow's own code with C for F, DG §3.4.5
note 75), and names the flow it answers by its flow id. The guideline is the "flux" lifecycle
(`urn.cpro.gouv.fr:1p0:CDV:flux`, A7 G7.14); a 501 carries its reasons (DG §3.4.4 table 3) as
status details, each with a comment saying which file or check failed (note 70).

The same message, with the guideline `urn.cpro.gouv.fr:1p0:CDV:ereportingF10` (A7 G7.14), is the
lifecycle of an e-reporting transmission (interface FFE0624A): 300 Déposée or 301 Rejetée with its
reasons REJ_SEMAN, REJ_UNI, REJ_COH, REJ_PER (DG §3.7.9 table 5, §3.7.10 table 6); it names the
transmission (TT-1) where a flow's names the flow.
"""

from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

# The CDAR writer's element helpers: one way to write CDAR elements and dates.
from coursier.formats.cdar.document import NAMESPACES, ROOT
from coursier.formats.cdar.document import _sub as _sub
from coursier.formats.cdar.document import _write_date_time as _date_time
from coursier.formats.cdar.message import DGFIP_PPF_MATRICULE, MATRICULE_SCHEME, PartyRole
from coursier.kit.clock import PARIS
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.model.lifecycle import Phase

from .envelope import RECEIVABLE, UNACCEPTABLE

FLOW_GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:flux"
EREPORTING_GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:ereportingF10"
DEPOSITED, REJECTED = 300, 301  # an e-reporting transmission's statuses (DG §3.7.9 table 5)
_CODES = {FLOW_GUIDELINE: (RECEIVABLE, UNACCEPTABLE), EREPORTING_GUIDELINE: (DEPOSITED, REJECTED)}


class FlowStatusError(ValueError):
    """Not a flow lifecycle message."""


@dataclass(frozen=True)
class FlowStatusMessage:
    message_id: str
    flow_id: str  # the flow this status is about (for e-reporting, the transmission, TT-1)
    code: int  # 500 or 501 (300 or 301)
    received_at: datetime  # when the PPF received the flow
    recipient_matricule: str  # the platform the flow came from
    reasons: tuple[tuple[str, str], ...] = field(default=())  # (reason code, what failed)
    guideline: str = FLOW_GUIDELINE


def write(message: FlowStatusMessage) -> bytes:
    if message.code not in _CODES.get(message.guideline, ()):
        raise ValueError(
            f"a status of {message.guideline} is one of {_CODES.get(message.guideline)}, not {message.code}"
        )
    root = etree.Element(ROOT, nsmap=NAMESPACES)
    _sub(root, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", message.guideline)
    exchanged = _sub(root, "rsm:ExchangedDocument")
    _sub(exchanged, "ram:ID", message.message_id)
    _date_time(_sub(exchanged, "ram:IssueDateTime"), message.received_at)
    _party(_sub(exchanged, "ram:SenderTradeParty"), DGFIP_PPF_MATRICULE, PartyRole.PPF)
    _party(_sub(exchanged, "ram:IssuerTradeParty"), DGFIP_PPF_MATRICULE, PartyRole.PPF)
    _party(_sub(exchanged, "ram:RecipientTradeParty"), message.recipient_matricule, PartyRole.PLATFORM)
    acknowledgement = _sub(root, "rsm:AcknowledgementDocument")
    _sub(acknowledgement, "ram:MultipleReferencesIndicator/udt:Indicator", "false")
    _sub(acknowledgement, "ram:TypeCode", str(Phase.TRANSMISSION.value))
    _date_time(_sub(acknowledgement, "ram:IssueDateTime"), message.received_at)
    referenced = _sub(acknowledgement, "ram:ReferenceReferencedDocument")
    _sub(referenced, "ram:IssuerAssignedID", message.flow_id)
    _sub(referenced, "ram:ProcessConditionCode", str(message.code))
    for sequence, (reason, comment) in enumerate(message.reasons, start=1):
        detail = _sub(referenced, "ram:SpecifiedDocumentStatus")
        _sub(detail, "ram:ReasonCode", reason)
        _sub(detail, "ram:SequenceNumeric", str(sequence))
        _sub(detail, "ram:IncludedNote/ram:Content", comment)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def parse(content: bytes, *, guideline: str = FLOW_GUIDELINE) -> FlowStatusMessage:
    try:
        root = parse_xml(content).getroot()
    except XMLRejected as exc:
        raise FlowStatusError(f"not well-formed XML: {exc.message}") from exc
    if root.tag != ROOT or _text(root, _GUIDELINE) != guideline:
        raise FlowStatusError(f"not a lifecycle message of guideline {guideline} (CDAR)")
    referenced = root.find("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument", NAMESPACES)
    if referenced is None:
        raise FlowStatusError("the message names no flow")
    try:
        code = int(_text(referenced, "ram:ProcessConditionCode"))
        received_at = datetime.strptime(
            _text(root, "rsm:AcknowledgementDocument/ram:IssueDateTime/udt:DateTimeString"), "%Y%m%d%H%M%S"
        ).replace(tzinfo=PARIS)
    except (TypeError, ValueError) as exc:
        raise FlowStatusError(f"unreadable status or date: {exc}") from exc
    reasons = tuple(
        (_text(detail, "ram:ReasonCode") or "", _text(detail, "ram:IncludedNote/ram:Content") or "")
        for detail in referenced.findall("ram:SpecifiedDocumentStatus", NAMESPACES)
    )
    return FlowStatusMessage(
        message_id=_text(root, "rsm:ExchangedDocument/ram:ID") or "",
        flow_id=_text(referenced, "ram:IssuerAssignedID") or "",
        code=code,
        received_at=received_at,
        recipient_matricule=_text(root, "rsm:ExchangedDocument/ram:RecipientTradeParty/ram:GlobalID") or "",
        reasons=reasons,
        guideline=guideline,
    )


_GUIDELINE = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"


def _text(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NAMESPACES)
    return None if found is None or found.text is None else found.text.strip()


def _party(element: etree._Element, matricule: str, role: PartyRole) -> None:
    _sub(element, "ram:GlobalID", matricule).set("schemeID", MATRICULE_SCHEME)
    _sub(element, "ram:RoleCode", role)
