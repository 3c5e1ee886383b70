"""`check_f10(xml)`: an e-reporting file (flow 10) judged by its official artefacts.

Stages, as for invoices and CDAR: the hardened XML reader, the DGFiP e-reporting XSD v3.2, then
the Flux10 schematron (annex 7 rules; both shipped by pyfrctc); a schema error does not hide a
rule's finding. What needs the PPF's memory (uniqueness, periods already sent) is not here: the
sandbox adds it (`coursier.sandbox.ereporting`).
"""

from lxml import etree

from coursier.formats.detect import Container
from coursier.kit.xml import XMLRejected, parse_xml
from coursier.validation.artefacts import EREPORTING_XSD, FLUX10_SCHEMATRON, AppliedArtefact
from coursier.validation.engine import parser_issue, run_artefacts
from coursier.validation.report import ValidationReport

ROOT = "Report"
NOT_F10 = "XML-NOT-F10"


def check_f10(xml: bytes, *, file: str | None = None) -> ValidationReport:
    """Every finding of the e-reporting XSD and the Flux10 schematron on `xml`.

    Raises `InputTooLarge` for input beyond the reader's limit, like `validate`.
    """
    return read_f10(xml, file=file)[0]


def read_f10(xml: bytes, *, file: str | None = None) -> tuple[ValidationReport, etree._ElementTree | None]:
    """`check_f10`'s report, and the tree it read (None when the reader refused the file)."""
    report = ValidationReport(file=file, container=Container.XML)
    try:
        tree = parse_xml(xml)
    except XMLRejected as exc:
        report.add([parser_issue(exc.code, exc.message, exc.location)])
        return report, None
    if tree.getroot().tag != ROOT:
        report.add([parser_issue(NOT_F10, f"the root element {tree.getroot().tag} is not {ROOT}")])
        return report, tree
    run_artefacts(report, tree, EREPORTING_XSD, (AppliedArtefact(FLUX10_SCHEMATRON),))
    return report, tree
