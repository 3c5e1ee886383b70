"""The French rules in UBL, natively: a few invoices broken on purpose, each decided as the official
artefact decides it (the differential harness runs thousands more)."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.validation.native.br_fr_ubl import BR_FR_UBL_BOOK
from coursier.validation.native.differential import Case, compare

PROJECT_ROOT = Path(__file__).resolve().parents[3]
INVOICE = (PROJECT_ROOT / "tests/formats/golden/fr-b2b-invoice.ubl.xml").read_text(encoding="utf-8")
MULTI_VENDOR = (PROJECT_ROOT / "tests/validation/fixtures/fr-ubl-multi-vendor.ubl.xml").read_text(encoding="utf-8")


def _changed(xml: str, *replacements: tuple[str, str]) -> bytes:
    for old, new in replacements:
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    return xml.encode()


def _native_rules(xml: bytes) -> set[str]:
    return {issue.rule for issue in BR_FR_UBL_BOOK.run(etree.fromstring(xml))}


def _agrees_with_the_official_artefact(name: str, xml: bytes) -> bool:
    tally = compare([Case(name, xml)])
    return tally.comparisons == tally.agreements == 2  # CEN UBL and BR-FR UBL


def test_a_french_ubl_invoice_passes_the_french_rules():
    assert _native_rules(INVOICE.encode()) == set()
    assert _native_rules(MULTI_VENDOR.encode()) == set()


_NOTES = "<cbc:DocumentCurrencyCode>"
_DETAIL_LINE_TAX = """<cbc:Name>Prestation 2</cbc:Name>
      <cac:ClassifiedTaxCategory>
        <cbc:ID>S</cbc:ID>
        <cbc:Percent>20</cbc:Percent>
        <cbc:TaxExemptionReason>"""
_CASES = {
    # BR-FR-09: the supplier's SIRET does not start with its SIREN.
    "siret": (INVOICE, [("73282932000074", "99982932000074")], "BR-FR-09_BT-29"),
    # BR-FR-21: a B2B invoice addressed to an endpoint that is not the buyer's SIREN (scheme 0225).
    "b2b address": (
        INVOICE,
        [
            (_NOTES, f"<cbc:Note>#BAR#B2B</cbc:Note>\n  {_NOTES}"),
            ('schemeID="0225">552100554', 'schemeID="0088">552100554'),
        ],
        "BR-FR-21_BT-49",
    ),
    # BR-FR-20: a BAR treatment outside the list.
    "bar treatment": (INVOICE, [(_NOTES, f"<cbc:Note>#BAR#B2G</cbc:Note>\n  {_NOTES}")], "BR-FR-20_BT-21"),
    # BR-FR-05, 06: the #PMD# note missing, the #PMT# note twice.
    "note missing": (INVOICE, [("#PMD#", "#XXX#")], "BR-FR-05_BT-22-2"),
    "note twice": (INVOICE, [(_NOTES, f"<cbc:Note>#PMT#Encore</cbc:Note>\n  {_NOTES}")], "BR-FR-06_BT-21-1"),
    # BR-FR-04: a document type outside the French list.
    "type code": (INVOICE, [("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>393X")], "BR-FR-04_BT-3"),
    # BR-FR-03: a day that does not exist, a date in the CII form.
    "no such day": (INVOICE, [("2025-03-14", "2025-02-29")], "BR-FR-03_BT-2"),
    "cii date": (INVOICE, [("2025-04-13", "20250413")], "BR-FR-03_BT-9"),
    # BR-FR-08: no billing framework.
    "framework": (INVOICE, [("<cbc:ProfileID>B1</cbc:ProfileID>", "")], "BR-FR-08_BT-23"),
    # BR-FR-MV-08: a DETAIL line of a multi-vendor invoice without its sub-invoice's exemption reason.
    "multi-vendor detail": (
        MULTI_VENDOR,
        [(f"{_DETAIL_LINE_TAX}#F2025-0100#", f"{_DETAIL_LINE_TAX}#X#")],
        "BR-FR-MV-08_BT-128",
    ),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_a_broken_invoice_fails_the_french_rule_as_the_official_artefact_says(name):
    xml, replacements, rule = _CASES[name]
    broken = _changed(xml, *replacements)
    assert rule in _native_rules(broken)
    assert _agrees_with_the_official_artefact(name, broken)
