"""The French rules in UBL, natively: a few invoices broken on purpose, each decided as the official
artefact decides it (the differential harness runs thousands more)."""

from pathlib import Path

import pytest
from lxml import etree

from coursier.validation.native.br_fr_ubl import BR_FR_UBL_BOOK
from coursier.validation.native.differential import Case, compare

PROJECT_ROOT = Path(__file__).resolve().parents[3]
INVOICE = (PROJECT_ROOT / "tests/formats/golden/fr-b2b-invoice.ubl.xml").read_text(encoding="utf-8")
FIXTURES = PROJECT_ROOT / "tests/validation/fixtures"
PARTIES = (FIXTURES / "fr-ubl-parties.ubl.xml").read_text(encoding="utf-8")
SELF_BILLED = (FIXTURES / "fr-ubl-self-billed.ubl.xml").read_text(encoding="utf-8")
MULTI_VENDOR = (FIXTURES / "fr-ubl-multi-vendor.ubl.xml").read_text(encoding="utf-8")


def _changed(xml: str, *replacements: tuple[str, str]) -> bytes:
    for old, new in replacements:
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    return xml.encode()


def _native_rules(xml: bytes) -> set[str]:
    return {issue.rule for issue in BR_FR_UBL_BOOK.run(etree.fromstring(xml))}


def _agrees_with_the_official_artefact(name: str, xml: bytes) -> bool:
    """Both engines decide alike on the French rules (and on the CEN rules, where Saxon gives a verdict)."""
    tally = compare([Case(name, xml)])
    return not tally.differences and not any("br-fr-flux2-ubl" in failure for failure in tally.official_failures)


@pytest.mark.parametrize("xml", [INVOICE, PARTIES, SELF_BILLED, MULTI_VENDOR], ids=["b2b", "parties", "self", "mv"])
def test_the_french_ubl_base_invoices_pass_the_french_rules(xml):
    assert _native_rules(xml.encode()) == set()


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
    # BR-FR-01: a referenced invoice's number over 35 characters, in the header and on a line.
    "referenced id": (PARTIES, [("<cbc:ID>F2025-0001</cbc:ID>", f"<cbc:ID>F{'1' * 35}</cbc:ID>")], "BR-FR-01_BT-25-1"),
    "line referenced id": (
        PARTIES,
        [("\n        <cbc:ID>F2025-0001</cbc:ID>", f"\n        <cbc:ID>F{'1' * 35}</cbc:ID>")],
        "BR-FR-01_EXT-FR-FE-136-1",
    ),
    # BR-FR-15: category L on a document level allowance.
    "allowance category": (PARTIES, [("<cbc:ID>S</cbc:ID>", "<cbc:ID>L</cbc:ID>")], "BR-FR-15_BT-95_BT-102-2"),
    # BR-FR-25: the payee's electronic address over 125 characters.
    "payee address": (
        PARTIES,
        [(">800000007</cbc:EndpointID>", f">800000007{'X' * 120}</cbc:EndpointID>")],
        "BR-FR-25_EXT-FR-FE-29",
    ),
    # BR-FR-28 (BR-FR-28-Value in the artefact, reported by the id its message gives): an item attribute
    # without value.
    "item attribute": (PARTIES, [("<cbc:Value>Noir</cbc:Value>", "")], "BR-FR-28"),
    # BR-FR-29, 30: an empty AVV object identifier, two AFL ones on a line.
    "avv": (SELF_BILLED, [('<cbc:ID schemeID="AVV">B1</cbc:ID>', '<cbc:ID schemeID="AVV"> </cbc:ID>')], "BR-FR-29_AVV"),
    "line afl": (
        SELF_BILLED,
        [
            (
                '<cbc:ID schemeID="AFL">LOT-2025-7</cbc:ID>',
                '<cbc:ID schemeID="AFL">LOT-2025-7</cbc:ID><cbc:ID schemeID="AFL">B</cbc:ID>',
            )
        ],
        "BR-FR-30_BT-128",
    ),
    # BR-FR-CO-08: a final invoice after deposit (B4) cannot be a deposit invoice (386).
    "deposit": (SELF_BILLED, [("<cbc:InvoiceTypeCode>389", "<cbc:InvoiceTypeCode>386")], "BR-FR-CO-08_BT-23"),
    # BR-FR-22: a self-billed B2B invoice addressed to the seller elsewhere than its SIREN.
    "self-billed address": (
        SELF_BILLED,
        [('schemeID="0225">732829320_', 'schemeID="0088">732829320_')],
        "BR-FR-22_BT-34",
    ),
    # BR-FR-MV-12: two sub-invoices with the same number; MV-14: a corrective without the corrected invoice.
    "same sub-invoice": (MULTI_VENDOR, [('"AFL">SUB-0200<', '"AFL">F2025-0100<')], "BR-FR-MV-12_BT-128"),
    "corrected sub-invoice": (
        MULTI_VENDOR,
        [("<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>384")],
        "BR-FR-MV-14-EXT-FR-FE-136",
    ),
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
