"""`check_f6(xml, sender_matricule)`: a status message to the PPF (flow 6) judged as the PPF would.

Two levels, as the PPF has them. A file that is not readable XML or breaks the CDAR D22B XSD
fails the flow's technical checks (DG §3.4.3: 501 IRR_SYNTAX for the whole flow). A readable one
is then checked as a business object (DG §3.6.7): the BR-FR-CDV schematron (findings that only
concern the PPF's matricule set apart, see `validation.cdar`) and the annex 7 rules the texts
give for a status sent to the PPF; each failing one is answered 601 with its reason (DG §3.6.10
table 12): REJ_RG a management rule, REJ_HAB a role or right, REJ_ENCAISSEMENT a 212 not split
per VAT rate.
"""

from dataclasses import dataclass

from lxml import etree

from coursier.formats.cdar.document import NAMESPACES
from coursier.formats.cdar.message import MATRICULE_SCHEME, SIREN_SCHEME, PartyRole
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.model.lifecycle import MANDATORY, AmountType, InvoiceStatus
from coursier.validation.artefacts import Stage
from coursier.validation.cdar import CdarReport, check_cdar

REJ_RG, REJ_HAB, REJ_ENCAISSEMENT = "REJ_RG", "REJ_HAB", "REJ_ENCAISSEMENT"
# BR-FR-CDV rules whose finding the PPF answers with a reason of its own: BR-FR-CDV-14 is the
# 212's amounts per VAT rate, G7.45's matter (REJ_ENCAISSEMENT); the others break a rule (REJ_RG).
_SCHEMATRON_REASONS = {"BR-FR-CDV-14": REJ_ENCAISSEMENT}
_REFERENCED = "rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument"
_SENDER = "rsm:ExchangedDocument/ram:SenderTradeParty"


@dataclass(frozen=True)
class F6Finding:
    rule: str  # G7.xx, or the BR-FR-CDV rule
    reason: str  # the 601's reason (DG §3.6.10 table 12)
    message: str


@dataclass(frozen=True)
class F6Verdict:
    syntax_errors: list[str]  # the flow's technical checks failed on this file (501 IRR_SYNTAX)
    findings: list[F6Finding]  # the business object's (601)
    report: CdarReport | None

    @property
    def accepted(self) -> bool:
        return not self.syntax_errors and not self.findings


def check_f6(xml: bytes, *, sender_matricule: str | None = None) -> F6Verdict:
    """Every finding on one status message to the PPF; `sender_matricule`: the platform that deposited it."""
    try:
        tree = parse_xml(xml)
    except XMLRejected as exc:
        return F6Verdict([exc.message], [], None)
    report = check_cdar(xml)
    syntax = [issue.message for issue in report.errors if issue.stage in (Stage.XML, Stage.XSD)]
    if syntax:
        return F6Verdict(syntax, [], report)
    matricule_only = {finding.issue for finding in report.matricule_findings}
    findings = [
        F6Finding(issue.rule or "BR-FR-CDV", _SCHEMATRON_REASONS.get(_base_rule(issue.rule), REJ_RG), issue.message)
        for issue in report.errors
        if issue not in matricule_only
    ]
    return F6Verdict([], findings + annex7_findings(tree, sender_matricule=sender_matricule), report)


def annex7_findings(tree: etree._ElementTree, *, sender_matricule: str | None = None) -> list[F6Finding]:
    """The annex 7 rules on a status sent to the PPF that the message itself shows."""
    root = tree.getroot()
    referenced = _first(root, _REFERENCED)
    findings: list[F6Finding] = []
    status = _text(referenced, "ram:ProcessConditionCode") if referenced is not None else None
    if status not in {str(int(code)) for code in MANDATORY}:
        mandatory = ", ".join(str(int(code)) for code in sorted(MANDATORY))
        findings.append(F6Finding("G7.44", REJ_RG, f"status {status} is not a mandatory one ({mandatory})"))
    reasons = root.xpath(f"{_REFERENCED}/ram:SpecifiedDocumentStatus/ram:ReasonCode", namespaces=NAMESPACES)
    if status in (str(int(InvoiceStatus.REFUSED)), str(int(InvoiceStatus.REJECTED))) and not reasons:
        findings.append(F6Finding("G7.08", REJ_RG, f"a {status} gives its reason (MDT-113)"))
    sirens = root.xpath(
        f"{_REFERENCED}/ram:IssuerTradeParty/ram:GlobalID[@schemeID='{SIREN_SCHEME}']", namespaces=NAMESPACES
    )
    if len(sirens) != 1:
        findings.append(
            F6Finding("G7.17", REJ_RG, f"the seller is named by exactly one SIREN (MDT-129), not {len(sirens)}")
        )
    if status == str(int(InvoiceStatus.COLLECTED)):
        findings += _collection_findings(root)
    findings += _sender_findings(root, sender_matricule)
    return findings


def _collection_findings(root: etree._Element) -> list[F6Finding]:
    """G7.45: the amount collected (MEN) is given per VAT rate, one block a rate, each with its rate."""
    blocks = root.xpath(
        f"{_REFERENCED}/ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic"
        f"[ram:TypeCode='{AmountType.COLLECTED.value}']",
        namespaces=NAMESPACES,
    )
    rates = [_text(block, "ram:ValuePercent") for block in blocks]
    if not blocks:
        return [F6Finding("G7.45", REJ_ENCAISSEMENT, "a 212 gives the amount collected (MEN, MDT-215)")]
    if None in rates:
        return [F6Finding("G7.45", REJ_ENCAISSEMENT, "every amount collected gives its VAT rate (MDT-224)")]
    if len(set(rates)) != len(rates):
        return [F6Finding("G7.45", REJ_ENCAISSEMENT, "one amount collected per VAT rate (MDT-224)")]
    return []


def _sender_findings(root: etree._Element, sender_matricule: str | None) -> list[F6Finding]:
    findings = []
    sender = _first(root, _SENDER)
    role = _text(sender, "ram:RoleCode") if sender is not None else None
    if role not in (PartyRole.PLATFORM.value, PartyRole.PPF.value):
        findings.append(F6Finding("G7.47", REJ_HAB, f"the sender's role (MDT-21) is WK or DFH, not {role}"))
    ids = sender.xpath("ram:GlobalID", namespaces=NAMESPACES) if sender is not None else []
    matricule = (ids[0].text or "").strip() if len(ids) == 1 else None
    scheme = ids[0].get("schemeID") if len(ids) == 1 else None
    if scheme != MATRICULE_SCHEME or matricule is None or not (len(matricule) == 4 and matricule.isdigit()):
        findings.append(
            F6Finding("G7.54", REJ_HAB, "the sender (MDT-19) is a matricule of four digits with scheme 0238 (MDT-18)")
        )
    elif sender_matricule is not None and matricule != sender_matricule:
        findings.append(
            F6Finding("G7.54", REJ_HAB, f"the sender {matricule} is not the platform that deposited the flow")
        )
    return findings


def _base_rule(rule: str | None) -> str:
    """BR-FR-CDV-14 of a finding named BR-FR-CDV-14_MDT-207."""
    return (rule or "").partition("_")[0]


def _first(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path, namespaces=NAMESPACES)
    return found[0] if found else None


def _text(element: etree._Element, path: str) -> str | None:
    found = element.xpath(path, namespaces=NAMESPACES)
    return (found[0].text or "").strip() or None if found else None
