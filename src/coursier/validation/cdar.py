"""`check_cdar(xml)`: a lifecycle message (CDAR, flow 6) judged by its official artefacts.

Stages, as for invoices: the hardened XML reader, the UN/CEFACT CDAR D22B XSD, then the FNFE-MPE
BR-FR-CDV schematron (both shipped by pyfrctc); a schema error does not hide a rule's finding.

The PPF's matricule: DGFiP gives it as 9998 (A7 G1.112 and the XP Z12-012 examples), while
BR-FR-CDV-02 still recognises a message to the PPF only by the recipient 0238:0000, and
BR-FR-CDV-CL-01 then judges its MDT-2 as if it went to a peer. When the message names the PPF
otherwise than 0000, the schematron runs a second time on a copy naming it 0000; each finding that
disappears there is one about the matricule alone, and the report marks it (`matricule_findings`)
with the matricule the message gives and the one the artefact expects.
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from coursier.formats.cdar.document import NAMESPACES, ROOT
from coursier.formats.cdar.message import MATRICULE_SCHEME, PartyRole
from coursier.formats.detect import Container
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.validation.artefacts import CDAR_XSD, CDV_SCHEMATRON, AppliedArtefact
from coursier.validation.engine import parser_issue, run_artefacts
from coursier.validation.report import Issue, ValidationReport
from coursier.validation.schematron import apply, load_document

NOT_CDAR = "XML-NOT-CDAR"

# The PPF's matricule as BR-FR-CDV-02 expects it.
ARTEFACT_PPF_MATRICULE = "0000"

_GUIDELINE = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
_PPF_IDS = (
    f"rsm:ExchangedDocument/ram:RecipientTradeParty[ram:RoleCode='{PartyRole.PPF.value}']"
    f"/ram:GlobalID[@schemeID='{MATRICULE_SCHEME}']"
)


@dataclass(frozen=True)
class MatriculeFinding:
    """A BR-FR-CDV finding that only says the message names the PPF otherwise than the artefact."""

    issue: Issue  # as it stands in the report's errors or warnings
    matricule: str  # the PPF matricule the message gives
    artefact_matricule: str  # the one the artefact expects

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.issue.rule,
            "location": self.issue.location,
            "matricule": self.matricule,
            "artefact_matricule": self.artefact_matricule,
        }


@dataclass
class CdarReport(ValidationReport):
    ppf_matricule: str | None = None  # the matricule of the PPF among the recipients, if it is one
    matricule_findings: list[MatriculeFinding] = field(default_factory=list)

    @property
    def valid_apart_from_matricule(self) -> bool:
        """Valid but for the findings that only concern the PPF's matricule."""
        marked = {finding.issue for finding in self.matricule_findings}
        return all(issue in marked for issue in self.errors)

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {
            "ppf_matricule": self.ppf_matricule,
            "matricule_findings": [finding.to_dict() for finding in self.matricule_findings],
        }


def check_cdar(xml: bytes, *, file: str | None = None) -> CdarReport:
    """Every finding of the CDAR XSD and the BR-FR-CDV schematron on `xml`.

    Raises `InputTooLarge` for input beyond the reader's limit, like `validate`.
    """
    report = CdarReport(file=file, container=Container.XML)
    try:
        tree = parse_xml(xml)
    except XMLRejected as exc:
        report.add([parser_issue(exc.code, exc.message, exc.location)])
        return report
    root = tree.getroot()
    if root.tag != ROOT:
        report.add([parser_issue(NOT_CDAR, f"the root element {root.tag} is not {ROOT}")])
        return report
    report.guideline_id = _first_text(root, _GUIDELINE)
    run_artefacts(report, tree, CDAR_XSD, (AppliedArtefact(CDV_SCHEMATRON),))
    _mark_matricule_findings(report, tree)
    return report


def _mark_matricule_findings(report: CdarReport, tree: etree._ElementTree) -> None:
    report.ppf_matricule = _first_text(tree.getroot(), _PPF_IDS)
    if report.ppf_matricule in (None, ARTEFACT_PPF_MATRICULE):
        return
    as_artefact_expects = copy.deepcopy(tree)
    for ppf_id in as_artefact_expects.getroot().xpath(_PPF_IDS, namespaces=NAMESPACES):
        ppf_id.text = ARTEFACT_PPF_MATRICULE
    remaining = {
        (issue.rule, issue.location)
        for issue in apply(load_document(etree.tostring(as_artefact_expects, encoding="unicode")), CDV_SCHEMATRON)
    }
    report.matricule_findings = [
        MatriculeFinding(issue, report.ppf_matricule, ARTEFACT_PPF_MATRICULE)
        for issue in report.errors + report.warnings
        if issue.artefact == CDV_SCHEMATRON.key and (issue.rule, issue.location) not in remaining
    ]


def _first_text(root: etree._Element, path: str) -> str | None:
    found = root.xpath(path, namespaces=NAMESPACES)
    return found[0].text.strip() if found and found[0].text else None
