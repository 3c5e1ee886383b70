"""validate(): every stage on one invoice, XML or Factur-X/ZUGFeRD PDF, into one report.

Stages: the hardened parser, then the XSD of the detected syntax and profile, then the
schematron artefacts the plan selects. Once the document parses, the XSD and the schematron
stages both run and both report: a schema error must not hide the business-rule errors.
"""

import os
from collections.abc import Iterable, Sequence

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
from coursier.formats.facturx import FacturXError, FacturXErrorCode, extract
from coursier.kit.xml import (
    MAX_DOCUMENT_BYTES,
    InputError,
    Source,
    XMLRejected,
    parse_xml,
    read_bounded,
)
from coursier.validation.artefacts import AppliedArtefact, Artefact, RuleSet, Stage, plan
from coursier.validation.report import ArtefactRun, Issue, Severity, ValidationReport
from coursier.validation.schematron import apply, load_document
from coursier.validation.xsd import validate_xsd

PARSER_ARTEFACT = "xml-parser"
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


def validate(
    source: Source,
    *,
    rules: Iterable[RuleSet | str] | None = None,
    file: str | None = None,
    limit: int = MAX_DOCUMENT_BYTES,
) -> ValidationReport:
    """Validate one invoice: bytes, a path or a binary stream, XML or hybrid PDF.

    `rules` selects the schematron artefacts (see `RuleSet`); None is the default selection.
    Raises `InputError` when there is no document to validate: unreadable or oversized input,
    a PDF that is broken or carries no invoice XML.
    """
    data = read_bounded(source, limit)
    if file is None and isinstance(source, str | os.PathLike):
        file = os.fspath(source)
    detection = detect(data)
    report = ValidationReport(file=file, container=detection.container)
    if detection.container is Container.PDF:
        try:
            data = extract(data, max_pdf_bytes=limit, max_xml_bytes=limit).xml
        except FacturXError as exc:
            if exc.code is not FacturXErrorCode.XML_MALFORMED:
                raise InputError(exc.message) from exc
            report.add([parser_issue(XMLRejected.MALFORMED, exc.message)])
            return report
        detection = detect(data)
    _describe(report, detection)
    try:
        tree = parse_xml(data, limit=limit)
    except XMLRejected as exc:
        report.add([parser_issue(exc.code, exc.message, exc.location)])
        return report
    if detection.syntax is None:
        root = etree.QName(tree.getroot())
        message = f"the root element {{{root.namespace}}}{root.localname} is not a CII or UBL invoice"
        report.add([parser_issue(NOT_AN_INVOICE, message)])
        return report
    _check(report, tree, detection.syntax, _rule_sets(rules))
    return report


def _describe(report: ValidationReport, detection: Detection) -> None:
    report.syntax = detection.syntax
    report.guideline_id = detection.guideline_id
    report.profile = detection.profile


def _check(
    report: ValidationReport,
    tree: etree._ElementTree,
    syntax: Syntax,
    rules: frozenset[RuleSet] | None,
) -> None:
    applicable = plan(
        syntax,
        report.profile,
        report.container,
        rules=rules,
        french=seller_country(tree, syntax) == "FR",
    )
    report.rules = applicable.rules
    run_artefacts(report, tree, applicable.xsd, applicable.schematrons)


def run_artefacts(
    report: ValidationReport,
    tree: etree._ElementTree,
    xsd: Artefact,
    schematrons: Sequence[AppliedArtefact],
) -> None:
    """The XSD, then each schematron, on a parsed document: each artefact's run and findings go to `report`."""
    xsd_issues = validate_xsd(tree, xsd)
    report.artefacts.append(ArtefactRun(xsd, True, len(xsd_issues), 0))
    report.add(xsd_issues)
    if not schematrons:
        return
    document = load_document(etree.tostring(tree, encoding="unicode"))
    for applied in schematrons:
        issues = apply(document, applied.artefact)
        fatal = sum(issue.severity is Severity.FATAL for issue in issues)
        report.artefacts.append(ArtefactRun(applied.artefact, applied.binding, fatal, len(issues) - fatal))
        report.add(issues, binding=applied.binding)


def seller_country(tree: etree._ElementTree, syntax: Syntax) -> str | None:
    """Seller country code (BT-40), which decides whether the French rules apply by default."""
    found = tree.getroot().xpath(_SELLER_COUNTRY[syntax], namespaces=_XPATH_NAMESPACES)
    return found[0].text.strip().upper() if found and found[0].text else None


def _rule_sets(rules: Iterable[RuleSet | str] | None) -> frozenset[RuleSet] | None:
    return None if rules is None else frozenset(RuleSet(rule) for rule in rules)


def parser_issue(code: str, message: str, location: str | None = None) -> Issue:
    return Issue(
        stage=Stage.XML,
        artefact=PARSER_ARTEFACT,
        rule=code,
        severity=Severity.FATAL,
        message=message,
        location=location,
    )
