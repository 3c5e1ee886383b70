"""Hardened XML reading: the one way Coursier turns untrusted bytes into an lxml tree.

Invoices come from outside, so the reader refuses what a hostile document could abuse: any
document type declaration (XXE, billion laughs), network access, oversized trees, and input
larger than a set limit, which is checked before anything is held in memory.
"""

import os
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

# Far above any real invoice (the largest official samples are a few hundred kilobytes), far below
# what would hurt a worker.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# The official samples and the project's fixtures hold at most about 430 elements, 8 deep. The depth
# limit stays well below the 100 nested elements the schematron engine gives up on.
MAX_ELEMENTS = 200_000
MAX_DEPTH = 48

_READ_CHUNK_BYTES = 1024 * 1024

Source = bytes | str | os.PathLike[str] | BinaryIO


class InputError(Exception):
    """The input cannot be turned into a document to validate (too large, unreadable...)."""


class InputTooLarge(InputError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the input is larger than the {limit} bytes accepted")
        self.limit = limit


class XMLRejected(ValueError):
    """The bytes are not a well-formed XML document that Coursier accepts."""

    MALFORMED = "XML-MALFORMED"
    DOCTYPE = "XML-DOCTYPE"
    TOO_MANY_ELEMENTS = "XML-TOO-MANY-ELEMENTS"
    TOO_DEEP = "XML-TOO-DEEP"

    def __init__(self, code: str, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.code = code  # one of the constants above
        self.message = message
        self.line = line
        self.column = column

    @property
    def location(self) -> str | None:
        return None if self.line is None else f"line {self.line}, column {self.column}"


def read_bounded(source: Source, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """All the bytes of `source` (bytes, a path or a binary stream), refusing more than `limit`.

    A path is refused on its size before it is opened, and a stream is read chunk by chunk, so an
    oversized input never sits in memory whole. OS errors (missing file...) become `InputError`.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) > limit:
            raise InputTooLarge(limit)
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        try:
            if os.stat(source).st_size > limit:
                raise InputTooLarge(limit)
            with open(source, "rb") as stream:
                return _read_stream(stream, limit)
        except OSError as exc:
            raise InputError(f"cannot read {os.fspath(source)}: {exc.strerror or exc}") from exc
    return _read_stream(source, limit)


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    buffer = bytearray()
    for chunk in _chunks(stream):
        buffer += chunk
        if len(buffer) > limit:
            raise InputTooLarge(limit)
    return bytes(buffer)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(_READ_CHUNK_BYTES):
        yield chunk


def hardened_parser(**options: object) -> etree.XMLParser:
    """A new lxml parser that never loads a DTD, expands an entity or touches the network.

    lxml parsers keep per-parse state, so each call makes a fresh one (it is cheap). `options`
    adds settings (e.g. `remove_blank_text=True`); the security settings cannot be overridden.
    """
    return etree.XMLParser(
        **options,  # type: ignore[arg-type]
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def parse_xml(data: bytes, *, limit: int = MAX_DOCUMENT_BYTES) -> etree._ElementTree:
    """The tree of `data`; raises `XMLRejected` if it is malformed or declares a document type.

    A document type declaration has no place in an invoice and is how entity attacks start, so
    any DOCTYPE is refused, even one whose entities are never used.
    """
    if len(data) > limit:
        raise InputTooLarge(limit)
    try:
        root = etree.fromstring(data, parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise XMLRejected(XMLRejected.MALFORMED, exc.msg, line, column) from exc
    return vet_tree(root.getroottree())


def vet_tree(tree: etree._ElementTree) -> etree._ElementTree:
    """`tree`, parsed by a `hardened_parser`, unless it declares a document type (see `parse_xml`)
    or exceeds `MAX_ELEMENTS` or `MAX_DEPTH`.

    Both budgets are evaluated by libxml2's XPath engine, in C: a walk in Python would cost more
    than the parse it guards.
    """
    if tree.docinfo.doctype:
        raise XMLRejected(
            XMLRejected.DOCTYPE,
            "a document type declaration (DOCTYPE) is not allowed in an invoice",
        )
    if tree.xpath(f"count(//*) > {MAX_ELEMENTS}"):
        raise XMLRejected(
            XMLRejected.TOO_MANY_ELEMENTS, f"the document holds more than the {MAX_ELEMENTS} elements accepted"
        )
    if tree.xpath(f"boolean({'/*' * (MAX_DEPTH + 1)})"):
        raise XMLRejected(XMLRejected.TOO_DEEP, f"elements are nested more than the {MAX_DEPTH} levels accepted")
    return tree
