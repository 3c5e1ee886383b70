"""UBL binding: official samples round-trip to an equal model, output is valid UBL 2.1."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import ubl
from coursier.formats._schema import xml_schema
from coursier.formats.base import NOT_IN_SYNTAX, REPLACED_VALUE, FormatError
from coursier.formats.ubl.syntax import CREDIT_NOTE, INVOICE, xsd_path
from coursier.model import DirectDebit, Invoice, PaymentInstructions, PriceDetails

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_FILES = sorted(FIXTURES.glob("*.json"))
SAMPLE_NAMES = sorted(path.name for path in (Path(__file__).resolve().parents[3] / "shared/samples/ubl").glob("*.xml"))


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / name).read_text())


def assert_valid(xml: bytes, credit_note: bool) -> None:
    schema = xml_schema(xsd_path(credit_note))
    assert schema.validate(etree.fromstring(xml)), [error.message for error in schema.error_log][:5]


@pytest.mark.corpus
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_round_trips_to_an_equal_model(shared_dir, name):
    first = ubl.parse((shared_dir / "samples" / "ubl" / name).read_bytes())
    assert first.warnings == []
    written = ubl.write(first.invoice)
    assert written.warnings == []
    assert_valid(written.xml, first.invoice.is_credit_note)
    assert ubl.parse(written.xml).invoice == first.invoice


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda path: path.stem)
def test_fixtures_round_trip(path):
    invoice = Invoice.model_validate_json(path.read_text())
    written = ubl.write(invoice)
    assert written.warnings == []
    assert_valid(written.xml, invoice.is_credit_note)
    assert ubl.parse(written.xml).invoice == invoice


def test_credit_note_is_a_creditnote_document_with_its_preceding_invoice():
    invoice = fixture_invoice("fr-credit-note.json")
    root = etree.fromstring(ubl.write(invoice).xml)
    assert root.tag == f"{{{CREDIT_NOTE}}}CreditNote"
    namespaces = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
    assert len(root.findall("cac:CreditNoteLine", namespaces)) == 1
    assert ubl.parse(etree.tostring(root)).invoice.preceding_invoices[0].number == "F2025-0042"


def test_credit_note_due_date_needs_a_payment_means():
    invoice = fixture_invoice("fr-credit-note.json").model_copy(update={"due_date": date(2025, 4, 30)})
    written = ubl.write(invoice)
    assert [(warning.code, warning.term) for warning in written.warnings] == [(NOT_IN_SYNTAX, "BT-9")]
    paid = invoice.model_copy(update={"payment_instructions": PaymentInstructions(type_code="58")})
    assert ubl.parse(ubl.write(paid).xml).invoice.due_date == date(2025, 4, 30)


def test_note_subject_codes_use_the_hash_convention():
    xml = ubl.write(fixture_invoice("fr-b2b-invoice.json")).xml.decode()
    assert "<cbc:Note>#PMT#Indemnité forfaitaire" in xml


def test_sepa_creditor_identifier_is_a_seller_identification():
    invoice = fixture_invoice("fr-b2b-invoice.json")
    debit = DirectDebit(
        creditor_identifier="FR12ZZZ123456",
        mandate_reference="MANDAT-1",
        debited_account_identifier="FR7630006000011234567890189",
    )
    invoice = invoice.model_copy(
        update={"payment_instructions": invoice.payment_instructions.model_copy(update={"direct_debit": debit})}
    )
    xml = ubl.write(invoice).xml
    assert b'<cbc:ID schemeID="SEPA">FR12ZZZ123456</cbc:ID>' in xml
    reread = ubl.parse(xml).invoice
    assert reread.payment_instructions.direct_debit == debit
    assert reread.seller.identifiers == invoice.seller.identifiers


def test_gross_price_without_discount_gets_the_implied_discount():
    invoice = fixture_invoice("fr-credit-note.json")
    price = PriceDetails(net_price="45.00", gross_price="50.00")
    line = invoice.lines[0].model_copy(update={"price_details": price})
    written = ubl.write(invoice.model_copy(update={"lines": [line]}))
    assert [(warning.code, warning.term) for warning in written.warnings] == [(REPLACED_VALUE, "BT-147")]
    assert ubl.parse(written.xml).invoice.lines[0].price_details.discount == Decimal("5.00")


def test_foreign_root_is_refused():
    with pytest.raises(FormatError):
        ubl.parse(f"<Invoice xmlns='{INVOICE}x'/>".encode())
