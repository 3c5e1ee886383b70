"""The official id, flag and message of every assertion the native rules restate.

The catalogue (`catalogue.json`) is read from the official artefacts, never written by hand:
`python -m coursier.validation.native.catalogue` rewrites it from the installed artefacts, and
`tests/validation/native/test_catalogue.py` fails when they no longer agree (a new release of an
artefact must be restated before it is trusted). A message part the official artefact computes
from the document (an `xsl:value-of`) is kept as `{}`; the native rule gives its value.
"""

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

from coursier.validation.artefacts import (
    BR_FR_CII,
    BR_FR_UBL,
    CEN_CII,
    CEN_UBL,
    EXTENDED_CTC_FR_CII,
    EXTENDED_CTC_FR_UBL,
    PROFILE_SCHEMATRONS,
    Artefact,
)
from coursier.validation.report import Severity, reported_rule

CATALOGUE_FILE = Path(__file__).parent / "catalogue.json"
# The keys of the FeRD Factur-X profile artefacts (the EXTENDED-CTC-FR ones aside).
PROFILE_PREFIX = "facturx-"
# The artefacts restated natively, by key.
RESTATED: dict[str, Artefact] = {
    artefact.key: artefact
    for artefact in (CEN_CII, CEN_UBL, BR_FR_CII, BR_FR_UBL, EXTENDED_CTC_FR_CII, EXTENDED_CTC_FR_UBL)
} | {artefact.key: artefact for artefact in PROFILE_SCHEMATRONS.values() if artefact.key.startswith(PROFILE_PREFIX)}
# An assertion without an id reports under the id its message cites, if any (one of
# EXTENDED-CTC-FR CII); the Factur-X profile schematrons report without one ("Attribute
# @schemeID' marked as not used..."): such a finding is catalogued under "#" and its rank among
# the artefact's findings without an id.
UNNAMED = "#"

_XSL = "http://www.w3.org/1999/XSL/Transform"
_SVRL = "http://purl.oclc.org/dsdl/svrl"
_WARNING_FLAGS = frozenset({"warning", "warn", "information", "info"})


@dataclass(frozen=True)
class Entry:
    rule: str
    severity: Severity
    message: str  # white space normalised; "{}" where the official text shows a value of the document
    test: str = ""  # the official XPath test (read from the artefact, not kept in the catalogue)


def read_artefact(path: Path) -> dict[str, Entry]:
    """Every assertion of a compiled schematron artefact, by its id, in the artefact's order."""
    entries: dict[str, Entry] = {}
    for finding, rule, attributes in keyed_findings(etree.parse(str(path))):
        flag = attributes.get("flag", attributes.get("role", "")).lower()
        severity = Severity.WARNING if flag in _WARNING_FLAGS else Severity.FATAL
        entries[rule] = Entry(rule, severity, _message(finding), finding.get("test") or "")
    return entries


def keyed_findings(artefact: etree._ElementTree) -> Iterator[tuple[etree._Element, str, dict[str, str]]]:
    """Every svrl:failed-assert and svrl:successful-report of an artefact, with its catalogue key and
    the attributes it writes (id, flag...)."""
    unnamed = 0
    for finding in artefact.iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
        attributes = {
            attribute.get("name"): "".join(attribute.itertext()).strip()
            for attribute in finding.iterchildren(f"{{{_XSL}}}attribute")
        }
        if "id" in attributes:
            yield finding, attributes["id"], attributes
        else:
            unnamed += 1
            cited = reported_rule(_message(finding), None)
            yield finding, cited or f"{UNNAMED}{unnamed}", attributes


def official_id(key: str) -> str | None:
    """The id the official report gives an assertion catalogued under `key` (None for an unnamed one)."""
    return None if key.startswith(UNNAMED) else key


def _message(finding: etree._Element) -> str:
    text = finding.find(f"{{{_SVRL}}}text")
    return " ".join(_text_with_placeholders(text).split()) if text is not None else ""


def _text_with_placeholders(element: etree._Element) -> str:
    """The text of an svrl:text as XSLT writes it: white-space-only text nodes of the stylesheet are
    dropped (those around `<xsl:text/>` separators), xsl:text kept as is, xsl:value-of as "{}"."""

    def kept(chunk: str | None) -> str:
        return chunk if chunk and chunk.strip() else ""

    parts = [kept(element.text)]
    for child in element:
        if child.tag == f"{{{_XSL}}}value-of":
            parts.append("\x00")
        elif child.tag == f"{{{_XSL}}}text":
            parts.append(child.text or "")
        else:
            parts.append(_text_with_placeholders(child))
        parts.append(kept(child.tail))
    return "".join(parts).replace("{", "{{").replace("}", "}}").replace("\x00", "{}")


def build() -> dict[str, dict[str, list[str]]]:
    return {
        key: {rule: [str(entry.severity), entry.message] for rule, entry in read_artefact(artefact.path).items()}
        for key, artefact in RESTATED.items()
    }


@cache
def entries(artefact_key: str) -> dict[str, Entry]:
    """The catalogue of one restated artefact."""
    raw = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))[artefact_key]
    return {rule: Entry(rule, Severity(severity), message) for rule, (severity, message) in raw.items()}


def main() -> None:
    CATALOGUE_FILE.write_text(json.dumps(build(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {CATALOGUE_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
