"""Validation of invoices: hardened parsing, XSD, official schematron, reports.

`validate(source, rules=..., engine=...)` runs every stage on an XML invoice (CII, UBL) or a
Factur-X / ZUGFeRD PDF and returns a `ValidationReport`; see `engine` for the stages and the
engines (the official artefacts with Saxon, or their native restatement in `native`), and
`artefacts` for which official artefact applies when. `f1` judges flow 1 files as the PPF would; `rules` lists the
rules no official artefact carries (the platform's deposit checks, Coursier's own), each with a
stable id.
"""

from coursier.kit.xml import InputError, InputTooLarge, XMLRejected, parse_xml, read_bounded
from coursier.validation.artefacts import Artefact, RuleSet, Stage
from coursier.validation.engine import Engine, validate
from coursier.validation.report import ArtefactRun, Explanation, Issue, Severity, ValidationReport
from coursier.validation.schematron import precompile

__all__ = [
    "Artefact",
    "ArtefactRun",
    "Engine",
    "Explanation",
    "InputError",
    "InputTooLarge",
    "Issue",
    "RuleSet",
    "Severity",
    "Stage",
    "ValidationReport",
    "XMLRejected",
    "parse_xml",
    "precompile",
    "read_bounded",
    "validate",
]
