"""Factur-X / ZUGFeRD hybrid PDFs: the embedded XML is validated; broken PDFs are input errors."""

import pytest

from coursier.validation import InputError, validate


@pytest.fixture(scope="module")
def minimum_xml(fixtures_dir) -> bytes:
    return (fixtures_dir / "facturx-minimum.xml").read_bytes()


def test_a_valid_facturx_minimum_pdf(hybrid_pdf, minimum_xml):
    report = validate(hybrid_pdf(minimum_xml))
    assert (report.container, report.syntax, report.profile) == ("pdf", "cii", "minimum")
    assert report.valid
    assert [(run.artefact.key, run.binding, run.valid) for run in report.artefacts] == [
        ("facturx-minimum-xsd", True, True),
        ("cen-en16931-cii", False, False),
        ("facturx-minimum", True, True),
    ]
    # The full EN 16931 verdict is reported, for information: a MINIMUM invoice has no lines.
    assert {"BR-16", "BR-CO-10"} <= {issue.rule for issue in report.advisories}
    assert report.errors == []


def test_a_report_of_the_profile_schematron_is_an_error(hybrid_pdf, minimum_xml):
    # Factur-X schematrons flag data their profile does not carry with a schematron report.
    with_currency = minimum_xml.replace(b"<ram:GrandTotalAmount>", b'<ram:GrandTotalAmount currencyID="EUR">')
    report = validate(hybrid_pdf(with_currency))
    [issue] = report.errors
    assert (issue.artefact, issue.rule, issue.severity) == ("facturx-minimum", None, "fatal")
    assert "currencyID" in issue.message
    assert issue.location.endswith("ram:GrandTotalAmount[1]")


def test_zugferd_attachment_name_and_rules_selection(hybrid_pdf, minimum_xml):
    report = validate(hybrid_pdf(minimum_xml, "zugferd-invoice.xml"), rules=["en16931"])
    assert [run.artefact.key for run in report.artefacts] == [
        "facturx-minimum-xsd",
        "cen-en16931-cii",
    ]
    assert not report.valid  # asked for exactly the EN 16931 verdict, which a MINIMUM fails


def test_malformed_embedded_xml_is_an_xml_stage_error(hybrid_pdf, minimum_xml):
    report = validate(hybrid_pdf(minimum_xml[:-40]))
    [issue] = report.errors
    assert (report.container, issue.stage, issue.rule) == ("pdf", "xml", "XML-MALFORMED")


def test_a_pdf_without_invoice_xml_is_an_input_error(hybrid_pdf):
    with pytest.raises(InputError, match="embeds no invoice XML"):
        validate(hybrid_pdf(b"<notes/>", "notes.xml"))


def test_a_truncated_pdf_is_an_input_error(hybrid_pdf, minimum_xml):
    pdf = hybrid_pdf(minimum_xml)
    with pytest.raises(InputError, match="PDF"):
        validate(pdf[: len(pdf) // 3])


def test_a_document_type_in_the_embedded_xml_is_an_xml_stage_error(hybrid_pdf, minimum_xml):
    declared = minimum_xml.replace(b"<rsm:CrossIndustryInvoice", b"<!DOCTYPE x>\n<rsm:CrossIndustryInvoice", 1)
    report = validate(hybrid_pdf(declared))
    [issue] = report.errors
    assert (report.container, report.syntax, issue.stage, issue.rule) == ("pdf", "cii", "xml", "XML-DOCTYPE")


def test_a_document_read_first_gives_the_report_of_validate(hybrid_pdf, minimum_xml):
    from coursier.validation.engine import read_document, validate_document

    pdf = hybrid_pdf(minimum_xml)
    assert validate_document(read_document(pdf)).to_dict() == validate(pdf).to_dict()
