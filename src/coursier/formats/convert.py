"""Any EN 16931 syntax to any other, through the semantic model.

The input's syntax is told by its root element (`formats.detect`); everything the reader could
not map and everything the target cannot carry comes back as warnings.
"""

from __future__ import annotations

from typing import Literal

from lxml import etree

from coursier.kit.xml import parse_xml

from . import cii, ubl
from .base import FormatError, FormatWarning, ParseResult
from .cii import document as cii_document
from .detect import Container, Syntax, detect
from .ubl import document as ubl_document

Target = Literal["cii", "ubl"]


def parse(xml: bytes) -> ParseResult:
    """The model of a CII or UBL invoice, whichever `xml` is."""
    detection = detect(xml)
    if detection.container is Container.PDF:
        raise FormatError("a PDF: extract its embedded XML first (coursier.formats.facturx)")
    if detection.syntax is None:
        raise FormatError("neither a CII nor a UBL invoice (unknown root element)")
    return parse_element(parse_xml(xml).getroot(), detection.syntax)


def parse_element(root: etree._Element, syntax: Syntax) -> ParseResult:
    """The model of an invoice already parsed, whose root `detect` found to be of `syntax`."""
    document = cii_document if syntax.family == "cii" else ubl_document
    return document.parse_element(root)


def convert(xml: bytes, to: Target, profile: str | None = None) -> tuple[bytes, list[FormatWarning]]:
    """`xml` (CII or UBL) rewritten in the `to` syntax; `profile` picks a CII profile (see `cii.PROFILES`).

    The warnings are the reader's (unmapped input) followed by the writer's (what `to` dropped).
    """
    if to not in ("cii", "ubl"):
        raise ValueError(f"unknown target syntax {to!r}; choose 'cii' or 'ubl'")
    if to == "ubl" and profile not in (None, "en16931"):
        raise ValueError("UBL has one profile here, EN 16931; profiles apply to CII")
    parsed = parse(xml)
    written = cii.write(parsed.invoice, profile) if to == "cii" else ubl.write(parsed.invoice)
    return written.xml, parsed.warnings + written.warnings
