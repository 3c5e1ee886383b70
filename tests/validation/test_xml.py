"""The hardened reader and parser: size limits, DTD and entity attacks, malformed input."""

import io
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from coursier.kit.xml import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_ELEMENTS,
    InputError,
    InputTooLarge,
    XMLRejected,
    parse_xml,
    read_bounded,
)
from coursier.validation import validate

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10))
    + b"]>\n<lolz>&lol9;</lolz>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
EXTERNAL_DTD = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/r.dtd"><r/>'
TWO_HUNDRED_MB = 200 * 1024 * 1024


class ZeroStream(io.RawIOBase):
    """A stream of `size` zero bytes that never holds more than one read's worth."""

    def __init__(self, size: int) -> None:
        self.remaining = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        count = min(len(buffer), self.remaining)
        buffer[:count] = bytes(count)
        self.remaining -= count
        return count


@contextmanager
def peak_memory() -> Iterator[dict[str, int]]:
    """Measures the peak of Python allocations in the block, as {"peak": bytes} once it ends."""
    measured: dict[str, int] = {}
    tracemalloc.start()
    try:
        yield measured
    finally:
        measured["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_read_bounded_accepts_bytes_paths_and_streams(tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(b"<a/>")
    assert read_bounded(b"<a/>") == read_bounded(path) == read_bounded(str(path)) == b"<a/>"
    assert read_bounded(io.BytesIO(b"<a/>")) == b"<a/>"


def test_read_bounded_refuses_more_than_the_limit():
    with pytest.raises(InputTooLarge):
        read_bounded(b"x" * 11, limit=10)
    with pytest.raises(InputTooLarge):
        read_bounded(io.BytesIO(b"x" * 11), limit=10)
    assert read_bounded(io.BytesIO(b"x" * 10), limit=10) == b"x" * 10


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_bounded(tmp_path / "missing.xml")


def test_a_200_mb_file_is_refused_on_its_size_without_being_read(tmp_path):
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as sparse:
        sparse.truncate(TWO_HUNDRED_MB)
    with peak_memory() as measured, pytest.raises(InputTooLarge):
        validate(huge)
    assert measured["peak"] < 1024 * 1024


def test_a_200_mb_upload_stream_is_cut_at_the_limit_with_bounded_memory():
    with peak_memory() as measured, pytest.raises(InputTooLarge):
        validate(io.BufferedReader(ZeroStream(TWO_HUNDRED_MB)))
    # The limit's worth of bytes is read, never the 200 MB.
    assert measured["peak"] < 2 * MAX_DOCUMENT_BYTES


def test_parse_xml_returns_the_tree():
    tree = parse_xml(b'<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>')
    assert tree.getroot().text == "é"


def test_malformed_xml_is_rejected_with_its_position():
    with pytest.raises(XMLRejected) as caught:
        parse_xml(b"<a>\n  <b></a>")
    assert caught.value.code == XMLRejected.MALFORMED
    assert caught.value.location == "line 2, column 10"


@pytest.mark.parametrize("document", [XXE, EXTERNAL_DTD], ids=["xxe", "external-dtd"])
def test_any_doctype_is_rejected(document):
    with pytest.raises(XMLRejected) as caught:
        parse_xml(document)
    assert caught.value.code == XMLRejected.DOCTYPE


def test_a_document_with_too_many_elements_is_rejected():
    # How long the refusal takes is measured by bench/hostile_xml.py, not here.
    with pytest.raises(XMLRejected) as caught:
        parse_xml(b"<a>" + b"<b/>" * (MAX_ELEMENTS * 2) + b"</a>")
    assert caught.value.code == XMLRejected.TOO_MANY_ELEMENTS


def test_nesting_beyond_the_depth_limit_is_rejected_and_up_to_it_accepted():
    parse_xml(b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH)
    with pytest.raises(XMLRejected) as caught:
        parse_xml(b"<a>" * (MAX_DEPTH + 1) + b"</a>" * (MAX_DEPTH + 1))
    assert caught.value.code == XMLRejected.TOO_DEEP


def test_validate_reports_a_deeply_nested_invoice_at_the_xml_stage_not_a_crash(shared_dir):
    nested = b"<ram:X>" * 120 + b"</ram:X>" * 120
    invoice = (
        (shared_dir / "samples" / "cii" / "CII_example1.xml")
        .read_bytes()
        .replace(b"</rsm:CrossIndustryInvoice>", nested + b"</rsm:CrossIndustryInvoice>")
    )
    [issue] = validate(invoice).errors
    assert (issue.stage, issue.rule) == ("xml", XMLRejected.TOO_DEEP)


def test_billion_laughs_is_rejected_small():
    with peak_memory() as measured, pytest.raises(XMLRejected):
        parse_xml(BILLION_LAUGHS)
    assert measured["peak"] < 1024 * 1024  # no entity was expanded


@pytest.mark.parametrize("document", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_validate_reports_entity_attacks_at_the_xml_stage(document):
    report = validate(document)
    assert not report.valid
    [issue] = report.errors
    assert (issue.stage, issue.severity) == ("xml", "fatal")
    assert "passwd" not in issue.message
