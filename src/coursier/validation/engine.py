"""validate(): every stage on one invoice, XML or Factur-X/ZUGFeRD PDF, into one report.

Stages: the hardened parser, then the XSD of the detected syntax and profile, then the
schematron artefacts the plan selects. Once the document parses, the XSD and the schematron
stages both run and both report: a schema error must not hide the business-rule errors.

Two engines give the schematron findings. `Engine.NATIVE` (the default) runs the native
restatement of an artefact (`validation.native`) where the differential harness proved it gives
the official findings, and Saxon for the others; `Engine.OFFICIAL` runs every artefact with Saxon.
Each artefact run of the report says which engine gave it.

`validate` takes the input as it comes (bytes, a path, a stream). A caller that needs the parsed
document for more than validation reads it once with `read_document` and hands it to
`validate_document`: the PDF is opened once, the XML parsed once.
"""

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from coursier.formats.detect import (
    CBC_NAMESPACE,
    CII_NAMESPACE,
    RAM_NAMESPACE,
    Container,
    Detection,
    Syntax,
    detect,
)
from coursier.formats.facturx import Extracted, FacturXError, FacturXErrorCode, extract
from coursier.kit.xml import (
    MAX_DOCUMENT_BYTES,
    InputError,
    Source,
    XMLRejected,
    parse_xml,
    read_bounded,
    vet_tree,
)
from coursier.validation import native
from coursier.validation.artefacts import ALL_ARTEFACTS, AppliedArtefact, Artefact, RuleSet, Stage, plan
from coursier.validation.native.xpath import Document
from coursier.validation.report import ArtefactRun, Issue, Severity, ValidationReport
from coursier.validation.rules import ACTIVE_CONTENT
from coursier.validation.schematron import apply, load_document
from coursier.validation.xsd import load_schemas, validate_xsd

PARSER_ARTEFACT = "xml-parser"
CONTENT_ARTEFACT = "pdf-content"
NOT_AN_INVOICE = "XML-NOT-INVOICE"

_SELLER_COUNTRY = {
    Syntax.CII: "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    "/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID",
    Syntax.UBL_INVOICE: "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country/cbc:IdentificationCode",
}
_SELLER_COUNTRY[Syntax.UBL_CREDIT_NOTE] = _SELLER_COUNTRY[Syntax.UBL_INVOICE]
_XPATH_NAMESPACES = {
    "rsm": CII_NAMESPACE,
    "ram": RAM_NAMESPACE,
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": CBC_NAMESPACE,
}


class Engine(StrEnum):
    """Who runs the schematron artefacts (the XSD stage is lxml's either way)."""

    NATIVE = "native"  # the native restatement where it is proven identical, Saxon elsewhere
    OFFICIAL = "official"  # the official XSLT with Saxon, for every artefact


@dataclass(frozen=True)
class ParsedDocument:
    """An invoice read once: its container, what its XML header declares (for a PDF, the embedded
    XML's), and its tree, or, when the XML could not be read, the parser's finding instead."""

    container: Container
    detection: Detection
    tree: etree._ElementTree | None
    rejection: Issue | None = None
    # What in a PDF would run or launch (formats.facturx.active), found while its XML was taken out.
    active_content: tuple[str, ...] = ()


def validate(
    source: Source,
    *,
    rules: Iterable[RuleSet | str] | None = None,
    file: str | None = None,
    limit: int = MAX_DOCUMENT_BYTES,
    engine: Engine | str = Engine.NATIVE,
) -> ValidationReport:
    """Validate one invoice: bytes, a path or a binary stream, XML or hybrid PDF.

    `rules` selects the schematron artefacts (see `RuleSet`); None is the default selection.
    `engine` chooses who runs them (see `Engine`).
    Raises `InputError` when there is no document to validate: unreadable or oversized input,
    a PDF that is broken or carries no invoice XML.
    """
    document = read_document(source, limit=limit)
    if file is None and isinstance(source, str | os.PathLike):
        file = os.fspath(source)
    return validate_document(document, rules=rules, file=file, engine=engine)


def read_document(source: Source, *, limit: int = MAX_DOCUMENT_BYTES) -> ParsedDocument:
    """The invoice of `source`, its XML taken out of a PDF, parsed by the hardened parser.

    Raises `InputError` as `validate` does; XML that is not well-formed, or declares a document
    type, is a document whose `rejection` says so.
    """
    data = read_bounded(source, limit)
    detection = detect(data)
    container = detection.container
    active: tuple[str, ...] = ()
    try:
        if container is Container.PDF:
            extracted = _extract(data, limit)
            detection, active = detect(extracted.xml), extracted.active_content
            tree = vet_tree(extracted.tree)
        else:
            tree = parse_xml(data, limit=limit)
    except XMLRejected as exc:
        rejection = parser_issue(exc.code, exc.message, exc.location)
        return ParsedDocument(container, detection, None, rejection, active_content=active)
    return ParsedDocument(container, detection, tree, active_content=active)


def _extract(pdf: bytes, limit: int) -> Extracted:
    """The invoice XML of a PDF; embedded XML that is not well-formed is rejected as XML is."""
    try:
        return extract(pdf, max_pdf_bytes=limit, max_xml_bytes=limit)
    except FacturXError as exc:
        if exc.code is FacturXErrorCode.XML_MALFORMED:
            raise XMLRejected(XMLRejected.MALFORMED, exc.message) from exc
        raise InputError(exc.message) from exc


def validate_document(
    document: ParsedDocument,
    *,
    rules: Iterable[RuleSet | str] | None = None,
    file: str | None = None,
    engine: Engine | str = Engine.NATIVE,
) -> ValidationReport:
    """Validate an invoice `read_document` read; see `validate`."""
    report = identify(document, file=file)
    report.add([content_issue(found) for found in document.active_content])
    if document.tree is None:
        report.add([document.rejection])
        return report
    if document.detection.syntax is None:
        root = etree.QName(document.tree.getroot())
        message = f"the root element {{{root.namespace}}}{root.localname} is not a CII or UBL invoice"
        report.add([parser_issue(NOT_AN_INVOICE, message)])
        return report
    _check(report, document.tree, document.detection.syntax, _rule_sets(rules), Engine(engine))
    return report


def identify(document: ParsedDocument, *, file: str | None = None) -> ValidationReport:
    """A report that says what the document is (container, syntax, profile) and runs no artefact:
    for a document refused on what it is, before any validation."""
    detection = document.detection
    return ValidationReport(
        file=file,
        container=document.container,
        syntax=detection.syntax,
        guideline_id=detection.guideline_id,
        profile=detection.profile,
    )


def _check(
    report: ValidationReport,
    tree: etree._ElementTree,
    syntax: Syntax,
    rules: frozenset[RuleSet] | None,
    engine: Engine,
) -> None:
    applicable = plan(
        syntax,
        report.profile,
        report.container,
        rules=rules,
        french=seller_country(tree, syntax) == "FR",
    )
    report.rules = applicable.rules
    run_artefacts(report, tree, applicable.xsd, applicable.schematrons, engine)


def run_artefacts(
    report: ValidationReport,
    tree: etree._ElementTree,
    xsd: Artefact,
    schematrons: Sequence[AppliedArtefact],
    engine: Engine = Engine.NATIVE,
) -> None:
    """The XSD, then each schematron, on a parsed document: each artefact's run and findings go to `report`."""
    xsd_issues = validate_xsd(tree, xsd)
    report.artefacts.append(ArtefactRun(xsd, True, len(xsd_issues), 0))
    report.add(xsd_issues)
    saxon_document = None  # Saxon's copy of the tree, made once if an artefact runs officially
    native_document = None  # the values the native books share, made once if one runs
    for applied in schematrons:
        book = native.proven(applied.artefact) if engine is Engine.NATIVE else None
        if book is not None:
            if native_document is None:
                native_document = Document(tree.getroot())
            issues = book.run(tree, native_document)
        else:
            if saxon_document is None:
                saxon_document = load_document(etree.tostring(tree, encoding="unicode"))
            issues = apply(saxon_document, applied.artefact)
        fatal = sum(issue.severity is Severity.FATAL for issue in issues)
        by = Engine.NATIVE if book is not None else Engine.OFFICIAL
        report.artefacts.append(ArtefactRun(applied.artefact, applied.binding, fatal, len(issues) - fatal, str(by)))
        report.add(issues, binding=applied.binding)


def preload() -> None:
    """Load now what validation loads on first use, a second or more of a worker's first upload:
    every XSD schema (for this thread) and the native books of the Factur-X profiles."""
    load_schemas(artefact for artefact in ALL_ARTEFACTS if artefact.stage is Stage.XSD)
    for artefact in native.FACTURX_PROFILES:
        native.proven(artefact)


def seller_country(tree: etree._ElementTree, syntax: Syntax) -> str | None:
    """Seller country code (BT-40), which decides whether the French rules apply by default."""
    found = tree.getroot().xpath(_SELLER_COUNTRY[syntax], namespaces=_XPATH_NAMESPACES)
    return found[0].text.strip().upper() if found and found[0].text else None


def _rule_sets(rules: Iterable[RuleSet | str] | None) -> frozenset[RuleSet] | None:
    return None if rules is None else frozenset(RuleSet(rule) for rule in rules)


def content_issue(found: str) -> Issue:
    return Issue(
        stage=Stage.CONTENT,
        artefact=CONTENT_ARTEFACT,
        rule=ACTIVE_CONTENT.id,
        severity=Severity.FATAL,
        message=f"The PDF carries active content, which no invoice may: {found}",
        location=None,
    )


def parser_issue(code: str, message: str, location: str | None = None) -> Issue:
    return Issue(
        stage=Stage.XML,
        artefact=PARSER_ARTEFACT,
        rule=code,
        severity=Severity.FATAL,
        message=message,
        location=location,
    )
