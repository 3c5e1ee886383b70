"""EXTENDED-CTC-FR natively: the rules of the profile that the corpora and the random mutations
seldom reach, each broken on purpose in the base invoice, decide as the official artefact does."""

import re
from pathlib import Path

import pytest
from lxml import etree

from coursier.validation import Engine, validate
from coursier.validation.native import BOOKS, PROVEN, extended_ctc_fr_cii
from coursier.validation.native.catalogue import RESTATED, read_artefact
from coursier.validation.native.differential import Case, compare
from coursier.validation.native.xpath import PREFIXES

BASES = Path(__file__).resolve().parent / "bases"
BASE = BASES / "sublines-logistics.cii-extended-ctc-fr.xml"
UBL_BASE = BASES / "sublines.ubl-extended-ctc-fr.xml"
CII_KEY = "extended-ctc-fr-cii"
UBL_KEY = "extended-ctc-fr-ubl"


def _edited(edit, base: Path = BASE) -> bytes:
    root = etree.fromstring(base.read_bytes())
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _one(root, path: str):
    return root.xpath(path, namespaces=PREFIXES)[0]


def _add(parent, name: str, value: str | None = None, index: int | None = None):
    prefix, _, local = name.partition(":")
    element = etree.Element(f"{{{PREFIXES[prefix]}}}{local}")
    element.text = value
    if index is None:
        parent.append(element)
    else:
        parent.insert(index, element)
    return element


def _characteristic(root):
    return _one(root, "//ram:ApplicableProductCharacteristic[1]")


def _no_description(root):
    characteristic = _characteristic(root)
    characteristic.remove(_one(characteristic, "ram:Description"))


def _value_and_measure(root):
    _add(_characteristic(root), "ram:ValueMeasure", "3").set("unitCode", "KGM")


def _two_descriptions(root):
    _add(_characteristic(root), "ram:Description", "Teinte", index=0)


def _line_terms_with_an_event(root):
    terms = _one(root, "//ram:SpecifiedLineTradeAgreement/ram:ApplicableTradeDeliveryTerms")
    _add(terms, "ram:FunctionCode", "1")


def _header_location_id(root):
    terms = _one(root, "//ram:ApplicableHeaderTradeAgreement/ram:ApplicableTradeDeliveryTerms")
    _add(_add(terms, "ram:RelevantTradeLocation"), "ram:ID", "FRLYS")


def _unknown_incoterm(root):
    _one(
        root, "//ram:ApplicableHeaderTradeAgreement/ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode"
    ).text = "XYZ"


def _unknown_tax_reason(root):
    _one(root, "//ram:ReasonCode[@listID='5153']").text = "ZZZ"


def _group_child_without_amount(root):
    child = _one(root, "//ram:IncludedSupplyChainTradeLineItem[2]")
    _one(child, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode").text = "GROUP"
    summation = _one(child, ".//ram:SpecifiedTradeSettlementLineMonetarySummation")
    summation.remove(_one(summation, "ram:LineTotalAmount"))


def _dated_additional_document(root):
    document = _one(root, "//ram:AdditionalReferencedDocument[1]")
    date = _add(_add(document, "ram:FormattedIssueDateTime"), "qdt:DateTimeString", "20250301")
    date.set("format", "102")


def _two_net_prices(root):
    price = _one(root, "//ram:NetPriceProductTradePrice[1]")
    _add(price, "ram:ChargeAmount", "300.00")


def _charge_without_reason(root):
    charge = _one(root, "//ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge[2]")
    for name in ("ram:Reason", "ram:ReasonCode"):
        charge.remove(_one(charge, name))


def _zero_rated_as_export(root):
    for code in root.xpath("//ram:CategoryCode[. = 'Z']", namespaces=PREFIXES):
        code.text = "G"
    _one(
        root, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax[ram:CategoryCode = 'G']/ram:BasisAmount"
    ).text = "49.00"


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (_no_description, "BR-54-1"),
        (_value_and_measure, "BR-54-2"),
        (_two_descriptions, "CII-SR-069"),
        (_line_terms_with_an_event, "CII-SR-106"),
        (_header_location_id, "CII-SR-293"),
        (_unknown_incoterm, "BR-FREXT-CL-27"),
        (_unknown_tax_reason, "BR-FREXT-CL-20-TAX"),
        (_group_child_without_amount, "BR-FREXT-12"),
        (_dated_additional_document, "CII-FREXT-DT-027"),
        (_two_net_prices, "CII-SR-439"),
        (_charge_without_reason, "BR-FREXT-BR-38"),
        (_zero_rated_as_export, "BR-FXEXT-G-08"),
    ],
)
def test_a_rule_of_the_profile_fires_as_the_official_artefact_says(edit, rule):
    """`rule` is the id the finding is reported under: the one its message cites (BR-FREXT-54-1 cites BR-54-1)."""
    xml = _edited(edit)
    findings = [issue.rule for issue in BOOKS[CII_KEY].run(etree.fromstring(xml))]
    assert rule in findings
    tally = compare([Case(rule, xml)])
    assert [difference.describe() for difference in tally.differences] == []
    assert tally.official_failures == []


def _ubl_property(root):
    return _one(root, "//cac:AdditionalItemProperty[2]")


def _ubl_no_name(root):
    item_property = _ubl_property(root)
    for name in ("cbc:Name", "cbc:NameCode"):
        item_property.remove(_one(item_property, name))


def _ubl_value_and_quantity(root):
    _add(_ubl_property(root), "cbc:Value", "12,5 kg", index=2)


def _ubl_unknown_attribute_code(root):
    _one(_ubl_property(root), "cbc:NameCode").text = "XXX"


def _ubl_line_terms_with_an_id(root):
    location = _one(root, "//cac:InvoiceLine/cac:DeliveryTerms/cac:DeliveryLocation")
    _add(location, "cbc:ID", "FRLYS", index=0)


def _ubl_unknown_incoterm(root):
    _one(root, "/ubl:Invoice/cac:DeliveryTerms/cbc:ID").text = "XYZ"


def _ubl_unknown_tax_reason(root):
    _one(root, "//cbc:AllowanceChargeReasonCode[@listID='5153']").text = "ZZZ"


def _ubl_unknown_attachment_type(root):
    _one(root, "//cbc:EmbeddedDocumentBinaryObject").set("mimeCode", "image/gif")


def _ubl_group_child_without_amount(root):
    child = _one(root, "//cac:InvoiceLine[2]")
    _one(child, ".//cbc:DocumentStatusCode").text = "GROUP"
    child.remove(_one(child, "cbc:LineExtensionAmount"))


def _ubl_child_without_subtype(root):
    reference = _one(root, "//cac:InvoiceLine[3]/cac:BillingReference/cac:InvoiceDocumentReference")
    reference.remove(_one(reference, "cbc:DocumentStatusCode"))


def _ubl_zero_rated_as_export(root):
    for code in root.xpath("//cbc:ID[. = 'Z']", namespaces=PREFIXES):
        code.text = "G"
    _one(root, "//cac:TaxSubtotal[cac:TaxCategory/cbc:ID = 'G']/cbc:TaxableAmount").text = "49.00"


def _ubl_no_payment_terms(root):
    for path in ("/ubl:Invoice/cbc:DueDate", "/ubl:Invoice/cac:PaymentTerms"):
        node = _one(root, path)
        node.getparent().remove(node)


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (_ubl_no_name, "BR-54-1"),
        (_ubl_value_and_quantity, "BR-54-2"),
        (_ubl_unknown_attribute_code, "BR-FREXT-04"),
        (_ubl_line_terms_with_an_id, "UBL-FREXT-CR-410"),  # UBL-FREXT-CR-645, whose message cites 410
        (_ubl_unknown_incoterm, "BR-FREXT-CL-27"),
        (_ubl_unknown_tax_reason, "BR-FREXT-CL-20-TAX"),
        (_ubl_unknown_attachment_type, "BR-FREXT-CL-24"),
        (_ubl_group_child_without_amount, "BR-FREXT-12"),
        (_ubl_child_without_subtype, "BR-FREXT-06"),
        (_ubl_zero_rated_as_export, "BR-FREXT-G-08"),
        (_ubl_no_payment_terms, "BR-CO-25"),
    ],
)
def test_a_rule_of_the_profile_in_ubl_fires_as_the_official_artefact_says(edit, rule):
    xml = _edited(edit, UBL_BASE)
    findings = [issue.rule for issue in BOOKS[UBL_KEY].run(etree.fromstring(xml))]
    assert rule in findings
    tally = compare([Case(rule, xml)])
    assert [difference.describe() for difference in tally.differences] == []
    assert tally.official_failures == []


def test_the_ubl_base_invoice_passes_the_profile():
    assert BOOKS[UBL_KEY].run(etree.fromstring(UBL_BASE.read_bytes())) == []


def test_the_base_invoice_passes_the_profile_but_for_a_warning():
    findings = BOOKS[CII_KEY].run(etree.fromstring(BASE.read_bytes()))
    assert [(issue.rule, str(issue.severity)) for issue in findings] == [("CII-SR-396", "warning")]


def test_extended_ctc_fr_replaces_the_official_run():
    assert {CII_KEY, UBL_KEY} <= PROVEN


def test_the_attachment_types_are_the_artefacts():
    test = read_artefact(RESTATED[CII_KEY].path)["BR-FREXT-CL-24"].test
    assert set(re.findall(r"@mimeCode = '([^']*)'", test)) == extended_ctc_fr_cii.ATTACHMENT_MIME


def _ubl_empty_incoterm(root):
    _one(root, "/ubl:Invoice/cac:DeliveryTerms/cbc:ID").text = ""


def _empty_incoterm(root):
    _one(root, "//ram:ApplicableHeaderTradeAgreement/ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode").text = ""


@pytest.mark.parametrize(
    ("edit", "base", "key"), [(_empty_incoterm, BASE, CII_KEY), (_ubl_empty_incoterm, UBL_BASE, UBL_KEY)]
)
def test_an_empty_incoterm_passes_as_the_artefact_runs_it(edit, base, key):
    """The list the artefact tests starts with two spaces (the text its report shows, one)."""
    xml = _edited(edit, base)
    assert "BR-FREXT-CL-27" not in [issue.rule for issue in BOOKS[key].run(etree.fromstring(xml))]
    assert compare([Case("empty incoterm", xml)]).differences == []


@pytest.mark.parametrize(
    ("base", "artefact"),
    [(BASE, CII_KEY), (UBL_BASE, UBL_KEY), (BASES / "sublines.ubl-creditnote-extended-ctc-fr.xml", UBL_KEY)],
)
def test_an_extended_ctc_fr_document_is_judged_natively_with_the_official_report(base, artefact):
    broken = base.read_bytes().replace(b">430.00<", b">430.50<")  # the sum of the lines (BT-106)
    native = validate(broken).to_dict()
    official = validate(broken, engine=Engine.OFFICIAL).to_dict()
    assert "BR-FREXT-CO-10" in {issue["rule"] for issue in native["errors"]}
    engines = {run["artefact"]: run.pop("engine") for run in native["artefacts"]}
    assert engines[artefact] == "native"
    for run in official["artefacts"]:
        run.pop("engine")
    assert native == official
