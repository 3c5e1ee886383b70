"""The official id, flag and message of every assertion the native rules restate.

The catalogue (`catalogue.json`) is read from the official artefacts, never written by hand:
`python -m coursier.validation.native.catalogue` rewrites it from the installed artefacts, and
`tests/validation/native/test_catalogue.py` fails when they no longer agree (a new release of an
artefact must be restated before it is trusted). A message part the official artefact computes
from the document (an `xsl:value-of`) is kept as `{}`; the native rule gives its value.
"""

import json
import sys
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
    Artefact,
)
from coursier.validation.report import Severity, reported_rule

CATALOGUE_FILE = Path(__file__).parent / "catalogue.json"
# The artefacts restated natively, by key.
RESTATED: dict[str, Artefact] = {
    artefact.key: artefact
    for artefact in (CEN_CII, CEN_UBL, BR_FR_CII, BR_FR_UBL, EXTENDED_CTC_FR_CII, EXTENDED_CTC_FR_UBL)
}

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
    for finding in etree.parse(str(path)).iter(f"{{{_SVRL}}}failed-assert", f"{{{_SVRL}}}successful-report"):
        attributes = {
            attribute.get("name"): "".join(attribute.itertext()).strip()
            for attribute in finding.iterchildren(f"{{{_XSL}}}attribute")
        }
        text = finding.find(f"{{{_SVRL}}}text")
        message = " ".join(_text_with_placeholders(text).split()) if text is not None else ""
        flag = attributes.get("flag", attributes.get("role", "")).lower()
        # One assertion of EXTENDED-CTC-FR CII has no id: its finding goes by the id its message cites.
        rule = attributes.get("id") or reported_rule(message, None)
        severity = Severity.WARNING if flag in _WARNING_FLAGS else Severity.FATAL
        entries[rule] = Entry(rule, severity, message, finding.get("test") or "")
    return entries


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
