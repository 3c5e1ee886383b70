"""Extraction of the invoice XML from hybrid PDFs, including hostile ones."""

import zlib
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from coursier.formats.facturx import FacturXError, FacturXErrorCode, Flavor, extract
from support.pdfs import pdf_with_attachments

FIXTURES = Path(__file__).parent / "facturx_fixtures"
MINIMUM_CII = (FIXTURES / "minimum.cii.xml").read_bytes()
ZUGFERD_1 = (FIXTURES / "zugferd1.xml").read_bytes()
XRECHNUNG_UBL = (FIXTURES / "xrechnung.ubl.xml").read_bytes()


def deflated_zeros(size: int) -> bytes:
    """`size` zero bytes deflated chunk by chunk, so the test itself never holds them."""
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


def assert_fails(pdf: bytes, code: FacturXErrorCode, **limits: int) -> FacturXError:
    with pytest.raises(FacturXError) as caught:
        extract(pdf, **limits)
    assert caught.value.code == code
    assert caught.value.message
    return caught.value


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("sample", "level"),
    [
        ("Facture_UE_MINIMUM.pdf", "minimum"),
        ("Facture_FR_BASICWL.pdf", "basicwl"),
        ("Avoir_FR_type381_BASIC.pdf", "basic"),
    ],
)
def test_extracts_the_official_french_samples(shared_dir: Path, sample: str, level: str) -> None:
    extracted = extract((shared_dir / "samples" / "facturx" / sample).read_bytes())
    assert extracted.filename == "factur-x.xml"
    assert extracted.flavor is Flavor.CII
    assert extracted.level == level
    assert b"CrossIndustryInvoice" in extracted.xml


@pytest.mark.parametrize(
    ("filename", "xml", "flavor", "level"),
    [
        ("factur-x.xml", MINIMUM_CII, Flavor.CII, "minimum"),
        ("zugferd-invoice.xml", MINIMUM_CII, Flavor.CII, "minimum"),
        ("ZUGFeRD-invoice.xml", ZUGFERD_1, Flavor.ZUGFERD_1, None),
        ("xrechnung.xml", XRECHNUNG_UBL, Flavor.UBL, None),
    ],
)
def test_extracts_each_hybrid_family(filename: str, xml: bytes, flavor: Flavor, level: str | None) -> None:
    extracted = extract(pdf_with_attachments({filename: xml}))
    assert (extracted.filename, extracted.xml, extracted.flavor, extracted.level) == (
        filename,
        xml,
        flavor,
        level,
    )


def test_prefers_factur_x_xml_over_other_attachments() -> None:
    pdf = pdf_with_attachments({"notes.txt": b"hello", "xrechnung.xml": XRECHNUNG_UBL, "factur-x.xml": MINIMUM_CII})
    assert extract(pdf).filename == "factur-x.xml"


def test_reads_a_deflated_attachment() -> None:
    pdf = pdf_with_attachments({"factur-x.xml": zlib.compress(MINIMUM_CII)}, flate_encoded=True)
    assert extract(pdf).xml == MINIMUM_CII


def test_pdf_without_xml() -> None:
    pdf = pdf_with_attachments({"readme.txt": b"no invoice"})
    error = assert_fails(pdf, FacturXErrorCode.PDF_NO_XML)
    assert "readme.txt" in error.message


def test_pdf_without_any_attachment() -> None:
    assert_fails(pdf_with_attachments({}), FacturXErrorCode.PDF_NO_XML)


def test_attachment_that_is_not_xml() -> None:
    pdf = pdf_with_attachments({"factur-x.xml": b"<unclosed"})
    assert_fails(pdf, FacturXErrorCode.XML_MALFORMED)


def test_attachment_that_is_xml_but_no_invoice() -> None:
    assert_fails(pdf_with_attachments({"factur-x.xml": b"<order/>"}), FacturXErrorCode.PDF_NO_XML)


def test_xml_entities_are_not_expanded() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<rsm:CrossIndustryInvoice"
        b" xmlns:rsm='urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100'>"
        b"&lol2;</rsm:CrossIndustryInvoice>"
    )
    extracted = extract(pdf_with_attachments({"factur-x.xml": laughs}))
    assert extracted.xml == laughs  # returned as sent; the parse did not blow up


def test_not_a_pdf() -> None:
    assert_fails(b"PK\x03\x04 this is a zip", FacturXErrorCode.NOT_PDF)


def test_empty_input() -> None:
    assert_fails(b"", FacturXErrorCode.NOT_PDF)


def test_truncated_pdf() -> None:
    pdf = pdf_with_attachments({"factur-x.xml": MINIMUM_CII})
    truncated = pdf[: len(pdf) // 3]
    error = assert_fails(truncated, FacturXErrorCode.PDF_UNREADABLE)
    assert "cannot be read" in error.message


def test_garbage_after_the_header() -> None:
    assert_fails(b"%PDF-1.7\n" + bytes(range(256)) * 40, FacturXErrorCode.PDF_UNREADABLE)


def test_pdf_over_the_size_limit() -> None:
    pdf = pdf_with_attachments({"factur-x.xml": MINIMUM_CII})
    error = assert_fails(pdf, FacturXErrorCode.TOO_LARGE, max_pdf_bytes=len(pdf) - 1)
    assert str(len(pdf)) in error.message


def test_xml_over_the_size_limit() -> None:
    pdf = pdf_with_attachments({"factur-x.xml": MINIMUM_CII})
    assert_fails(pdf, FacturXErrorCode.TOO_LARGE, max_xml_bytes=len(MINIMUM_CII) - 1)


def test_decompression_bomb_is_cut_at_the_xml_limit() -> None:
    bomb = deflated_zeros(64 * 1024 * 1024)  # 64 MiB of zeros deflate to about 64 KiB
    pdf = pdf_with_attachments({"factur-x.xml": bomb}, flate_encoded=True)
    assert len(pdf) < 200_000
    assert_fails(pdf, FacturXErrorCode.TOO_LARGE)


def test_encrypted_pdf() -> None:
    plain = pdf_with_attachments({"factur-x.xml": MINIMUM_CII})
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(BytesIO(plain)))
    writer.encrypt("secret", algorithm="RC4-128")
    encrypted = BytesIO()
    writer.write(encrypted)
    assert_fails(encrypted.getvalue(), FacturXErrorCode.PDF_ENCRYPTED)
