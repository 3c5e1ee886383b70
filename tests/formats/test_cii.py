"""CII binding: official samples round-trip, every profile's output is XSD-valid, losses are reported."""

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import cii
from coursier.formats._schema import xml_schema
from coursier.formats.base import NOT_IN_PROFILE, REPLACED_VALUE, UNMAPPED_ELEMENT, FormatError
from coursier.formats.cii import PROFILES
from coursier.kit.xml import XMLRejected
from coursier.model import Invoice
from coursier.model.calc import document_totals, vat_breakdown

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
SAMPLE_NAMES = sorted(path.name for path in (Path(__file__).resolve().parents[3] / "shared/samples/cii").glob("*.xml"))


def fixture_invoice(path: Path) -> Invoice:
    return Invoice.model_validate_json(path.read_text())


def assert_valid(xml: bytes, profile: str) -> None:
    schema = xml_schema(PROFILES[profile].xsd_path)
    assert schema.validate(etree.fromstring(xml)), [error.message for error in schema.error_log][:5]


@pytest.fixture(scope="module")
def samples(shared_dir):
    return {path.name: path.read_bytes() for path in sorted((shared_dir / "samples" / "cii").glob("*.xml"))}


@pytest.mark.corpus
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_round_trips_to_an_equal_model(samples, name):
    first = cii.parse(samples[name])
    written = cii.write(first.invoice)
    assert written.warnings == []
    assert cii.parse(written.xml).invoice == first.invoice
    assert_valid(written.xml, "en16931")


@pytest.mark.corpus
@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_profile_output_is_schema_valid(samples, profile):
    for name, xml in samples.items():
        written = cii.write(cii.parse(xml).invoice, profile=profile)
        schema = xml_schema(PROFILES[profile].xsd_path)
        assert schema.validate(etree.fromstring(written.xml)), (name, [e.message for e in schema.error_log][:3])


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
@pytest.mark.parametrize("profile", list(PROFILES))
def test_fixture_output_is_schema_valid_in_every_profile(path, profile):
    invoice = fixture_invoice(path)
    written = cii.write(invoice, profile=profile)
    assert_valid(written.xml, profile)
    if profile in ("en16931", "extended", "extended-ctc-fr"):
        # These carry the whole EN 16931 model: only BT-24 changes.
        assert [warning.code for warning in written.warnings] in ([], [REPLACED_VALUE])
        reread = cii.parse(written.xml).invoice
        assert reread.model_copy(update={"specification_identifier": invoice.specification_identifier}) == invoice


def test_minimum_profile_reports_what_it_drops():
    written = cii.write(fixture_invoice(FIXTURES / "fr-b2b-invoice.json"), profile="minimum")
    dropped = {warning.term for warning in written.warnings if warning.code == NOT_IN_PROFILE}
    assert {"BG-25", "BG-1", "BG-23", "BT-9"} <= dropped
    replaced = [warning for warning in written.warnings if warning.code == REPLACED_VALUE]
    assert replaced and replaced[0].term == "BT-24"
    reread = cii.parse(written.xml).invoice
    assert reread.lines == [] and reread.totals.amount_due == Decimal("792.00")
    assert reread.specification_identifier == "urn:factur-x.eu:1p0:minimum"


def test_profile_is_taken_from_bt24_when_not_given():
    invoice = fixture_invoice(FIXTURES / "fr-credit-note.json").model_copy(
        update={"specification_identifier": PROFILES["basicwl"].guideline}
    )
    written = cii.write(invoice)
    assert_valid(written.xml, "basicwl")
    assert any(warning.term == "BG-25" for warning in written.warnings)


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="unknown CII profile"):
        cii.write(Invoice(), profile="comfort")


def test_french_terms_survive(tmp_path):
    invoice = fixture_invoice(FIXTURES / "fr-b2b-invoice.json")
    xml = cii.write(invoice, profile="en16931").xml
    text = xml.decode()
    assert '<ram:GlobalID schemeID="0009">73282932000074</ram:GlobalID>' in text
    assert '<ram:URIID schemeID="0225">552100554_ACHATS</ram:URIID>' in text
    assert "<ram:DueDateTypeCode>5</ram:DueDateTypeCode>" in text  # BT-8 "3" is CII "5"
    assert "<ram:SubjectCode>PMT</ram:SubjectCode>" in text
    reread = cii.parse(xml).invoice
    assert reread.value_added_tax_point_date == "3"
    assert reread.delivery == invoice.delivery


def test_unmapped_elements_are_reported_not_dropped_silently():
    xml = cii.write(fixture_invoice(FIXTURES / "fr-credit-note.json")).xml
    root = etree.fromstring(xml)
    document = root.find("{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocument")
    etree.SubElement(
        document, "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}Name"
    ).text = "x"
    result = cii.parse(etree.tostring(root))
    assert [(warning.code, warning.path) for warning in result.warnings] == [
        (UNMAPPED_ELEMENT, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:Name")
    ]


def test_many_unmapped_elements_are_reported_in_linear_time(monkeypatch):
    # libxml2's getpath() counts an element's siblings, so a path per unmapped element would cost
    # quadratic time (40,000 of them took 14 s); paths are built once per parent instead. Counted
    # here, timed by bench/hostile_xml.py.
    from coursier.formats.base import XmlReader

    path_of = XmlReader.path_of
    calls = []
    monkeypatch.setattr(XmlReader, "path_of", lambda reader, element: calls.append(element) or path_of(reader, element))

    def parse_with_extra_elements(count: int):
        root = etree.fromstring(cii.write(fixture_invoice(FIXTURES / "fr-credit-note.json")).xml)
        document = root.find("{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocument")
        for _ in range(count):
            etree.SubElement(
                document, "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}X"
            )
        calls.clear()
        return cii.parse(etree.tostring(root)), len(calls)

    result, many = parse_with_extra_elements(40_000)
    assert len(result.warnings) == 40_000
    assert "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:X[40000]" in {w.path for w in result.warnings}
    _, one = parse_with_extra_elements(1)
    assert many == one  # the same few paths computed, however many siblings


def test_invalid_values_become_warnings():
    xml = cii.write(fixture_invoice(FIXTURES / "fr-credit-note.json")).xml.replace(b">20250320<", b">2025-03-20<")
    result = cii.parse(xml)
    assert result.invoice.issue_date is None
    assert [(warning.code, warning.term) for warning in result.warnings] == [("invalid-value", "BT-2")]


def test_hostile_and_foreign_documents_are_refused():
    with pytest.raises(XMLRejected):
        cii.parse(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')
    with pytest.raises(FormatError):
        cii.parse(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")


@pytest.mark.corpus
def test_rounding_issue_sample_totals_recompute_exactly(samples):
    invoice = cii.parse(samples["CII-BR-CO-10-RoundingIssue.xml"]).invoice
    computed = document_totals(invoice)
    assert computed.sum_of_line_net_amounts == invoice.totals.sum_of_line_net_amounts == Decimal("0.00")
    assert computed.amount_due == invoice.totals.amount_due
    assert [(entry.category_code, entry.tax_amount) for entry in vat_breakdown(invoice)] == [
        ("S", Decimal("0.00")),
        ("Z", Decimal("0.00")),
    ]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_fixture_output_passes_every_official_check(path):
    """Beyond the XSD: CEN EN 16931, Factur-X profile and French CTC schematrons all pass, except
    French rules on terms the smaller profiles cannot carry (mentions, BT-23; e-addresses in MINIMUM)."""
    from coursier.validation import validate

    not_in_small_profiles = {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB", "BR-FR-08_BT-23"}
    not_in_minimum = {"BR-FR-12_BT-49", "BR-FR-13_BT-34"}
    invoice = fixture_invoice(path)
    for profile in PROFILES:
        report = validate(cii.write(invoice, profile=profile).xml)
        failed = {issue.rule or issue.message for issue in report.errors}
        if profile in ("minimum", "basicwl"):
            failed -= not_in_small_profiles | (not_in_minimum if profile == "minimum" else set())
        assert failed == set(), profile


def test_repeated_single_terms_keep_the_first_and_say_so():
    xml = cii.write(fixture_invoice(FIXTURES / "fr-b2b-invoice.json")).xml
    doubled = xml.replace(
        b"<ram:BuyerReference>SERVICE-ACHATS</ram:BuyerReference>",
        b"<ram:BuyerReference>SERVICE-ACHATS</ram:BuyerReference><ram:BuyerReference>AUTRE</ram:BuyerReference>",
    )
    result = cii.parse(doubled)
    assert result.invoice.buyer_reference == "SERVICE-ACHATS"
    assert [(warning.code, warning.term) for warning in result.warnings] == [("repeated-value", "BT-10")]


def test_dates_in_another_format_are_reported():
    xml = cii.write(fixture_invoice(FIXTURES / "fr-credit-note.json")).xml
    xml = xml.replace(b'<udt:DateTimeString format="102">20250320<', b'<udt:DateTimeString format="610">202503<')
    result = cii.parse(xml)
    assert result.invoice.issue_date is None
    assert [(warning.code, warning.term) for warning in result.warnings] == [("invalid-value", "BT-2")]
