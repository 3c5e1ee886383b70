"""The writers write no empty element (PEPPOL-EN16931-R008 of the Factur-X schematrons), but the
one the schema requires and the invoice has nothing to put in: CII's header delivery."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import cii, ubl
from coursier.formats.base import BLANK_VALUE, NOT_IN_SYNTAX
from coursier.formats.cii import PROFILES
from coursier.model import Invoice
from coursier.validation import RuleSet, validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
# The rule's own test, as the Factur-X BASIC, EN 16931 and EXTENDED schematrons write it.
EMPTY = "//*[not(*) and not(normalize-space())]"
HEADER_DELIVERY = "ApplicableHeaderTradeDelivery"


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / f"{name}.json").read_text())


def empty_elements(xml: bytes) -> list[str]:
    return [etree.QName(element).localname for element in etree.fromstring(xml).xpath(EMPTY)]


def written(invoice: Invoice, target: str):
    return ubl.write(invoice) if target == "ubl" else cii.write(invoice, profile=target)


def has_delivery_data(invoice: Invoice) -> bool:
    return any((invoice.delivery, invoice.despatch_advice_reference, invoice.receiving_advice_reference))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize("target", [*PROFILES, "ubl"])
def test_only_an_empty_header_delivery_is_ever_written(name, target):
    invoice = fixture_invoice(name)
    # MINIMUM has no delivery terms: its schema wants the element empty.
    empty_delivery = target == "minimum" or (target != "ubl" and not has_delivery_data(invoice))
    assert empty_elements(written(invoice, target).xml) == ([HEADER_DELIVERY] if empty_delivery else [])


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_factur_x_schematron_finds_no_empty_element_but_the_header_delivery(name):
    invoice = fixture_invoice(name)
    report = validate(cii.write(invoice, profile="en16931").xml, rules=[RuleSet.FACTURX])
    flagged = [issue.location.rsplit("/", 1)[1] for issue in report.warnings if issue.rule == "PEPPOL-EN16931-R008"]
    assert flagged == ([] if has_delivery_data(invoice) else [f"ram:{HEADER_DELIVERY}[1]"])


def test_any_delivery_term_fills_the_header_delivery():
    invoice = fixture_invoice("fr-credit-note").model_copy(update={"receiving_advice_reference": "REC-7"})
    assert empty_elements(cii.write(invoice).xml) == []


@pytest.mark.parametrize("target", ["en16931", "extended", "ubl"])
def test_blank_values_are_reported_and_not_written(target):
    invoice = fixture_invoice("fr-credit-note")
    invoice.buyer_reference = "  "
    invoice.seller.trading_name = ""
    invoice.lines[0].item.description = "\n"
    result = written(invoice, target)
    assert [element for element in empty_elements(result.xml) if element != HEADER_DELIVERY] == []
    blank = {(warning.term, warning.path) for warning in result.warnings if warning.code == BLANK_VALUE}
    assert blank == {
        ("BT-10", "buyer_reference"),
        ("BT-28", "seller.trading_name"),
        ("BT-154", "lines[0].item.description"),
    }


def test_a_container_emptied_by_the_profile_is_not_written():
    # Factur-X BASIC has no buyer trading name (BT-45): its legal organisation goes too.
    invoice = fixture_invoice("fr-credit-note")
    invoice.buyer.legal_registration_identifier = None
    invoice.buyer.trading_name = "Dupont Négoce"
    result = cii.write(invoice, profile="basic")
    assert "SpecifiedLegalOrganization" not in empty_elements(result.xml)
    assert "BT-45" in {warning.term for warning in result.warnings}


@pytest.mark.parametrize("target", ["en16931", "ubl"])
def test_a_unit_code_without_its_quantity_is_reported(target):
    invoice = fixture_invoice("fr-credit-note")
    invoice.lines[0].quantity = None
    result = written(invoice, target)
    assert (NOT_IN_SYNTAX, "BT-130") in {(warning.code, warning.term) for warning in result.warnings}
