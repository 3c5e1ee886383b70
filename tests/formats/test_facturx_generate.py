"""Factur-X generation: the embedded CII, its relationship, the XMP and PDF/A-3 declarations."""

import re
from io import BytesIO
from pathlib import Path

import facturx
import pypdf
import pytest

from coursier.formats import cii
from coursier.formats.base import NOT_IN_PROFILE
from coursier.formats.facturx import (
    PDF_PROFILES,
    FacturXDocument,
    FacturXError,
    FacturXErrorCode,
    Flavor,
    build,
    extract,
    to_pdf,
)
from coursier.model.invoice import Invoice
from coursier.validation import validate

FIXTURES = Path(__file__).parent / "facturx_fixtures"

# The level each profile declares in the Factur-X XMP extension schema (fx:ConformanceLevel).
XMP_LEVELS = {
    "minimum": "MINIMUM",
    "basicwl": "BASIC WL",
    "basic": "BASIC",
    "en16931": "EN 16931",
    "extended": "EXTENDED",
}


@pytest.fixture(scope="module")
def invoice() -> Invoice:
    return Invoice.model_validate_json((FIXTURES / "invoice_fr.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document(invoice: Invoice) -> FacturXDocument:
    return build(invoice)


def xmp_of(pdf: pypdf.PdfReader) -> str:
    return pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def xmp_value(xmp: str, name: str) -> str | None:
    """A property of the XMP packet, written as an element or as an attribute."""
    found = re.search(rf"<{name}>([^<]*)</{name}>|{name}=\"([^\"]*)\"", xmp)
    return next(group for group in found.groups() if group is not None) if found else None


def test_embedded_xml_is_the_cii_and_the_factur_x_library_reads_it(document: FacturXDocument) -> None:
    extracted = extract(document.pdf)
    assert (extracted.filename, extracted.flavor, extracted.level) == ("factur-x.xml", Flavor.CII, "en16931")
    assert extracted.xml == document.xml
    # The library's own reader, which skips an XML its XSD rejects.
    filename, xml = facturx.get_xml_from_pdf(document.pdf, check_xsd=True)
    assert (filename, xml) == ("factur-x.xml", document.xml)
    assert document.warnings == []  # EN 16931 carries every term of this invoice


def test_xml_is_declared_as_the_data_behind_the_page(document: FacturXDocument) -> None:
    catalog = pypdf.PdfReader(BytesIO(document.pdf)).trailer["/Root"]
    filespec = catalog["/AF"][0].get_object()
    assert filespec["/F"] == filespec["/UF"] == "factur-x.xml"
    assert filespec["/AFRelationship"] == "/Data"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/text/xml"
    assert catalog["/Names"]["/EmbeddedFiles"]["/Names"][0] == "factur-x.xml"


def test_pdf_declares_pdf_a_3b_and_factur_x(document: FacturXDocument) -> None:
    pdf = pypdf.PdfReader(BytesIO(document.pdf))
    catalog, xmp = pdf.trailer["/Root"], xmp_of(pdf)
    assert xmp_value(xmp, "pdfaid:part") == "3"
    assert xmp_value(xmp, "pdfaid:conformance") == "B"
    assert xmp_value(xmp, "fx:DocumentFileName") == "factur-x.xml"
    assert xmp_value(xmp, "fx:DocumentType") == "INVOICE"
    assert xmp_value(xmp, "fx:ConformanceLevel") == "EN 16931"
    intent = catalog["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent  # the sRGB ICC profile WeasyPrint embeds
    assert catalog["/Lang"] == "fr-FR"
    assert pdf.metadata.title == "Atelier Lumière SAS: Facture FA-2025-0042"
    assert "FA-2025-0042" in pdf.pages[0].extract_text()


@pytest.mark.parametrize("profile", ["basic", "en16931", "extended"])
def test_generated_pdf_passes_every_validation_stage(invoice: Invoice, profile: str) -> None:
    """XSD, EN 16931, the Factur-X profile's schematron and the French BR-FR rules."""
    report = validate(to_pdf(invoice, profile=profile), rules=["all"])
    assert report.profile == profile
    assert report.valid, [(issue.rule, issue.message) for issue in report.errors]


@pytest.mark.parametrize("profile", PDF_PROFILES)
def test_each_profile_embeds_xsd_valid_cii_and_declares_its_level(invoice: Invoice, profile: str) -> None:
    document = build(invoice, profile=profile)  # refused with XML_SCHEMA_INVALID if the XSD says no
    assert facturx.xml_check_xsd(document.xml, flavor="factur-x", level=profile)
    assert xmp_value(xmp_of(pypdf.PdfReader(BytesIO(document.pdf))), "fx:ConformanceLevel") == XMP_LEVELS[profile]
    # Lesser profiles cannot carry every term: the writer says which ones it left out.
    left_out = [warning for warning in document.warnings if warning.code == NOT_IN_PROFILE]
    assert bool(left_out) == (profile in ("minimum", "basicwl", "basic"))


def test_profile_defaults_to_the_one_the_invoice_names() -> None:
    minimum = cii.parse((FIXTURES / "minimum.cii.xml").read_bytes()).invoice
    assert extract(to_pdf(minimum)).level == "minimum"


def test_english_page(invoice: Invoice) -> None:
    pdf = pypdf.PdfReader(BytesIO(to_pdf(invoice, language="en")))
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"
    assert "INVOICE" in pdf.pages[0].extract_text()


def test_profile_without_a_factur_x_level_is_refused(invoice: Invoice) -> None:
    with pytest.raises(FacturXError) as caught:
        to_pdf(invoice, profile="extended-ctc-fr")
    assert caught.value.code is FacturXErrorCode.UNSUPPORTED_PROFILE


def test_invoice_too_incomplete_for_the_xsd_is_refused_with_the_reason() -> None:
    with pytest.raises(FacturXError) as caught:
        to_pdf(Invoice())
    assert caught.value.code is FacturXErrorCode.XML_SCHEMA_INVALID
    assert "ExchangedDocument" in caught.value.message
