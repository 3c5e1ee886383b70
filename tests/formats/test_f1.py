"""Flow 1: built from the model fixtures and the official samples, judged by `check_f1`, one
failing case per rule, and the Base/Full output pinned by golden files.

Regenerate the golden files after an intended change with
`COURSIER_UPDATE_GOLDEN=1 pytest tests/formats/test_f1.py` and review the diff.
"""

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from coursier.formats import cii
from coursier.formats.base import NOT_IN_PROFILE, REPLACED_VALUE
from coursier.formats.cii.syntax import NAMESPACES
from coursier.formats.ppf.f1 import build_f1
from coursier.model import Identifier, Invoice, VatBreakdown
from coursier.validation.f1.check import check_f1
from coursier.validation.f1.rules import RULES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invoices"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))
GOLDEN = Path(__file__).resolve().parent / "f1_fixtures"
UPDATE_GOLDEN = os.environ.get("COURSIER_UPDATE_GOLDEN") == "1"
SAMPLE_NAMES = sorted(path.name for path in (Path(__file__).resolve().parents[3] / "shared/samples/cii").glob("*.xml"))
CREATED_AT = datetime(2025, 3, 14, 10, 15, 0, 123456, tzinfo=UTC)
SCHEMA_RULES = {"F1-STRUCTURE", "XML-MALFORMED", "XML-DOCTYPE"}


def fixture_invoice(name: str) -> Invoice:
    return Invoice.model_validate_json((FIXTURES / f"{name}.json").read_text())


def rules_of(findings) -> set[str]:
    return {finding.rule for finding in findings}


@pytest.mark.parametrize("profile", ["base", "full"])
@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture_gives_an_f1_the_checks_accept(name, profile):
    document = build_f1(fixture_invoice(name), profile=profile, issuer_platform_id="0042", created_at=CREATED_AT)
    assert document.profile == profile
    assert check_f1(document.xml, document.filename) == []
    # Nothing is cut by the structure alone: every loss is a term the model-level subset named.
    assert [warning for warning in document.warnings if warning.term is None] == []
    golden = GOLDEN / f"{name}.{profile}.xml"
    if UPDATE_GOLDEN:
        golden.write_bytes(document.xml)
    assert document.xml.decode() == golden.read_text()


def test_file_name_declares_the_profile_and_traces_the_invoice():
    invoice = fixture_invoice("fr-b2b-invoice").model_copy(update={"number": "F2025/0042 bis"})
    base = build_f1(invoice, issuer_platform_id="0042", created_at=CREATED_AT)
    full = build_f1(invoice, profile="full", issuer_platform_id="0042", created_at=CREATED_AT)
    assert base.filename == "Base_0042_732829320_F2025-0042-bis_20250314101500123456.xml"
    assert full.filename == "Full_0042_732829320_F2025-0042-bis_20250314101500123456.xml"
    later = build_f1(invoice, issuer_platform_id="0042")
    assert later.filename != base.filename


def test_build_refuses_an_unknown_profile_or_platform():
    invoice = fixture_invoice("fr-b2b-invoice")
    with pytest.raises(ValueError, match="profile"):
        build_f1(invoice, profile="cible", issuer_platform_id="0042")
    with pytest.raises(ValueError, match="matricule"):
        build_f1(invoice, issuer_platform_id="42")


def test_base_leaves_the_lines_out_and_says_so_full_keeps_them():
    invoice = fixture_invoice("fr-b2b-invoice")
    base = build_f1(invoice, issuer_platform_id="0042")
    full = build_f1(invoice, profile="full", issuer_platform_id="0042")
    base_lost = {warning.term for warning in base.warnings if warning.code == NOT_IN_PROFILE}
    full_lost = {warning.term for warning in full.warnings if warning.code == NOT_IN_PROFILE}
    assert {"BG-25", "BG-16", "BT-10", "BT-112", "BT-115"} <= base_lost
    assert "BG-25" not in full_lost and {"BG-30", "BT-131"} <= full_lost  # no line VAT or net amount in F1
    assert b"IncludedSupplyChainTradeLineItem" not in base.xml
    assert full.xml.count(b"<ram:IncludedSupplyChainTradeLineItem>") == len(invoice.lines)


def test_a_credit_note_refers_to_the_invoice_it_corrects():
    base = build_f1(fixture_invoice("fr-credit-note"), issuer_platform_id="0042")
    full = build_f1(fixture_invoice("fr-credit-note"), profile="full", issuer_platform_id="0042")
    assert b"<ram:IssuerAssignedID>F2025-0042</ram:IssuerAssignedID>" in base.xml
    assert b"FormattedIssueDateTime" not in base.xml and b"FormattedIssueDateTime" in full.xml  # BT-26: Full only
    assert "BT-26" in {warning.term for warning in base.warnings}


def test_a_siren_given_as_a_siret_is_written_as_a_siren():
    invoice = fixture_invoice("fr-b2b-invoice")
    buyer = invoice.buyer.model_copy(update={"legal_registration_identifier": None})
    seller = invoice.seller.model_copy(
        update={"legal_registration_identifier": Identifier(value="73282932000074", scheme_id="0009")}
    )
    document = build_f1(invoice.model_copy(update={"buyer": buyer, "seller": seller}), issuer_platform_id="0042")
    assert check_f1(document.xml, document.filename) == []
    assert b'<ram:ID schemeID="0002">552100554</ram:ID>' in document.xml
    replaced = {warning.path: warning.message for warning in document.warnings if warning.code == REPLACED_VALUE}
    assert replaced["buyer.legal_registration_identifier"] == "SIREN 552100554 given, read from '55210055400013'"
    assert replaced["seller.legal_registration_identifier"] == "SIREN 732829320 given, read from '73282932000074'"


def test_every_vat_breakdown_gets_a_rate():
    invoice = fixture_invoice("fr-b2b-invoice")
    not_subject = VatBreakdown(taxable_amount="0.00", tax_amount="0.00", category_code="O")
    document = build_f1(
        invoice.model_copy(update={"vat_breakdown": [*invoice.vat_breakdown, not_subject]}), issuer_platform_id="0042"
    )
    assert check_f1(document.xml, document.filename) == []
    assert [warning.term for warning in document.warnings if warning.code == REPLACED_VALUE] == ["BT-119"]


def test_an_invoice_in_another_currency_gives_its_vat_total_in_euros_too():
    invoice = fixture_invoice("fr-b2b-invoice")
    totals = invoice.totals.model_copy(update={"total_vat_accounting_currency": "120.00"})
    dollars = invoice.model_copy(update={"currency_code": "USD", "tax_currency_code": "EUR", "totals": totals})
    document = build_f1(dollars, issuer_platform_id="0042")
    assert check_f1(document.xml, document.filename) == []  # G1.12
    assert b'<ram:TaxTotalAmount currencyID="EUR">120.00</ram:TaxTotalAmount>' in document.xml
    assert b"TaxCurrencyCode" not in document.xml  # not an F1 element: the currencyID says it
    without_euros = build_f1(dollars.model_copy(update={"totals": invoice.totals}), issuer_platform_id="0042")
    assert rules_of(check_f1(without_euros.xml, without_euros.filename)) == {"G1.12"}


def test_full_prices_are_for_one_unit():
    document = build_f1(fixture_invoice("allowances-charges-multi-vat"), profile="full", issuer_platform_id="0042")
    tree = etree.fromstring(document.xml)
    jam_prices = "//ram:IncludedSupplyChainTradeLineItem[2]/ram:SpecifiedLineTradeAgreement//ram:ChargeAmount/text()"
    prices = tree.xpath(jam_prices, namespaces=NAMESPACES)
    assert prices == ["2.500000", "2.500000"]  # 15.00 for 6 jars; gross = net without a discount


@pytest.mark.corpus
@pytest.mark.parametrize("profile", ["base", "full"])
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_an_official_sample_gives_a_well_formed_f1(shared_dir, name, profile):
    """The samples are not French: their F1 breaks business rules (no SIREN, foreign rates), but
    never the schemas, and the builder cuts nothing the subset did not name."""
    invoice = cii.parse((shared_dir / "samples" / "cii" / name).read_bytes()).invoice
    document = build_f1(invoice, profile=profile, issuer_platform_id="0042")
    findings = check_f1(document.xml, document.filename)
    assert not [finding for finding in findings if finding.rule in SCHEMA_RULES or finding.rule.startswith("SCHEMA")]
    assert rules_of(findings) <= {rule.id for rule in RULES}
    assert [warning for warning in document.warnings if warning.term is None] == []


# ---- one failing case per rule ------------------------------------------------------------

Mutation = Callable[[etree._Element], None]


def _set(path: str, value: str) -> Mutation:
    """Set the text of the elements at `path`, or the attribute when it ends in /@name."""
    element_path, _, attribute = path.partition("/@")

    def mutate(root: etree._Element) -> None:
        for element in root.xpath(element_path, namespaces=NAMESPACES):
            if attribute:
                element.set(attribute, value)
            else:
                element.text = value

    return mutate


def _remove(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for element in root.xpath(path, namespaces=NAMESPACES):
            element.getparent().remove(element)

    return mutate


def _insert(parent: str, xml: str, before: str | None = None) -> Mutation:
    """Add `xml` (ram: prefixed) as the first child of `parent`, or before its child `before`."""

    def mutate(root: etree._Element) -> None:
        for holder in root.xpath(parent, namespaces=NAMESPACES):
            element = etree.fromstring(f'<wrap xmlns:ram="{NAMESPACES["ram"]}">{xml}</wrap>')[0]
            anchor = holder.xpath(before, namespaces=NAMESPACES)[0] if before else None
            (anchor.addprevious(element) if anchor is not None else holder.insert(0, element))

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for mutation in mutations:
            mutation(root)

    return mutate


SELLER = "//ram:SellerTradeParty"
BUYER = "//ram:BuyerTradeParty"
TAX = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
SUMMATION = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
LINE = "//ram:IncludedSupplyChainTradeLineItem"
B2B, CREDIT_NOTE, MULTI_VAT = "fr-b2b-invoice", "fr-credit-note", "allowances-charges-multi-vat"

# (rule, fixture, profile, mutation, every rule expected to fire)
FAILING_CASES = [
    (
        "F1-STRUCTURE",
        B2B,
        "base",
        _insert("//ram:ApplicableHeaderTradeAgreement", "<ram:BuyerReference>X</ram:BuyerReference>"),
        {"F1-STRUCTURE"},
    ),
    ("G6.08", B2B, "base", _remove(f"{BUYER}/ram:PostalTradeAddress/ram:CountryID"), {"G6.08"}),
    ("G6.08", B2B, "full", _remove(f"{LINE}[1]/ram:SpecifiedTradeProduct/ram:Name"), {"G6.08"}),
    ("G1.05", B2B, "base", _set("//rsm:ExchangedDocument/ram:ID", "F2025  0042"), {"G1.05"}),
    ("G1.01", B2B, "base", _set("//rsm:ExchangedDocument/ram:TypeCode", "325"), {"G1.01"}),
    ("G1.09", B2B, "base", _set("//rsm:ExchangedDocument//udt:DateTimeString", "2025-03-14"), {"G1.09"}),
    ("G1.36", B2B, "base", _set("//rsm:ExchangedDocument//udt:DateTimeString", "19990314"), {"G1.36"}),
    ("G1.02", B2B, "base", _set("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "B9"), {"G1.02"}),
    (
        "G1.60",
        B2B,
        "base",
        _all(
            _set("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "B4"),
            _set("//rsm:ExchangedDocument/ram:TypeCode", "386"),
        ),
        {"G1.60"},
    ),
    (
        "G1.10",
        B2B,
        "base",
        _all(_set("//ram:InvoiceCurrencyCode", "Eur"), _set(f"{SUMMATION}/*/@currencyID", "Eur")),
        {"G1.10", "G1.12"},
    ),
    (
        "G1.12",
        B2B,
        "base",
        _all(_set("//ram:InvoiceCurrencyCode", "USD"), _set(f"{SUMMATION}/*/@currencyID", "USD")),
        {"G1.12"},
    ),
    ("G1.31", CREDIT_NOTE, "base", _remove("//ram:InvoiceReferencedDocument"), {"G1.31"}),
    (
        "G6.25",
        MULTI_VAT,
        "base",
        _set("//ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", "20250401"),
        {"G6.25"},
    ),
    ("G2.19", B2B, "full", _set(f"{BUYER}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID", "0009"), {"G2.19"}),
    ("G1.63", B2B, "base", _set(f"{BUYER}/ram:SpecifiedLegalOrganization/ram:ID", "552100555"), {"G1.63"}),
    ("G2.01", B2B, "base", _set(f"{BUYER}/ram:PostalTradeAddress/ram:CountryID", "EL"), {"G2.01"}),
    ("S1.14", B2B, "base", _insert(SELLER, '<ram:GlobalID schemeID="0009">73282932000074</ram:GlobalID>'), {"S1.14"}),
    ("G1.101", B2B, "base", _insert(SELLER, '<ram:GlobalID schemeID="0231">12345</ram:GlobalID>'), {"G1.101"}),
    ("S1.17", B2B, "base", _set(f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID/@schemeID", "FC"), {"S1.17"}),
    ("G1.103", B2B, "base", _set(f"{TAX}/ram:TypeCode", "GST"), {"G1.103"}),
    ("P1.11", B2B, "base", _set(f"{TAX}/ram:DueDateTypeCode", "2"), {"P1.11"}),
    (
        "S1.13",
        MULTI_VAT,
        "base",
        _all(
            *(
                _insert(
                    f"{TAX}[{index}]", f"<ram:DueDateTypeCode>{code}</ram:DueDateTypeCode>", "ram:RateApplicablePercent"
                )
                for index, code in ((1, "5"), (2, "72"))
            )
        ),
        {"S1.13"},
    ),
    ("G2.31", B2B, "base", _set(f"{TAX}/ram:CategoryCode", "L"), {"G2.31"}),
    ("G1.24", B2B, "base", _set(f"{TAX}/ram:RateApplicablePercent", "19"), {"G1.24"}),
    ("G1.41", MULTI_VAT, "base", _remove(f"{TAX}/ram:ExemptionReason"), {"G1.41"}),
    ("G1.47", MULTI_VAT, "base", _remove(f"{SELLER}/ram:SpecifiedTaxRegistration"), {"G1.47"}),
    ("G6.21", MULTI_VAT, "base", _set(f"{TAX}/ram:ExemptionReasonCode", "VATEX-FR-CNWVAT"), {"G6.21"}),
    ("G2.32", B2B, "base", _set(f"{TAX}/ram:CategoryCode", "O"), {"G2.32"}),
    ("G1.14", B2B, "base", _set(f"{SUMMATION}/ram:TaxBasisTotalAmount", "660.001"), {"G1.14"}),
    ("G1.16", B2B, "full", _set(f"{LINE}[1]//ram:ChargeAmount", "45.1234567"), {"G1.16"}),
    ("G1.15", B2B, "full", _set(f"{LINE}[1]//ram:BilledQuantity", "10.12345"), {"G1.15"}),
    ("G1.55", B2B, "full", _set(f"{LINE}[1]//ram:NetPriceProductTradePrice/ram:ChargeAmount", "44.00"), {"G1.55"}),
    ("G1.53", B2B, "base", _set(f"{SUMMATION}/ram:TaxBasisTotalAmount", "600.00"), {"G1.53"}),
]


@pytest.mark.parametrize(
    ("rule", "name", "profile", "mutation", "expected"),
    FAILING_CASES,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(FAILING_CASES)],
)
def test_each_rule_catches_its_fault(rule, name, profile, mutation, expected):
    document = build_f1(fixture_invoice(name), profile=profile, issuer_platform_id="0042")
    root = etree.fromstring(document.xml)
    mutation(root)
    findings = check_f1(etree.tostring(root), document.filename)
    assert rules_of(findings) == expected, findings
    assert all(finding.severity == "fatal" and finding.location for finding in findings)


def test_every_rule_has_a_failing_case():
    assert {rule.id for rule in RULES} <= {case[0] for case in FAILING_CASES}


def test_the_file_name_and_the_cii_schema_are_checked_too():
    document = build_f1(fixture_invoice(B2B), issuer_platform_id="0042")
    [unnamed] = check_f1(document.xml, "F2025-0042.xml")
    assert (unnamed.rule, unnamed.location) == ("S1.06", "F2025-0042.xml")
    broken = document.xml.replace(b"<ram:TypeCode>380</ram:TypeCode>", b"<ram:Kind>380</ram:Kind>")
    assert rules_of(check_f1(broken, document.filename)) == {"SCHEMAV_ELEMENT_CONTENT", "F1-STRUCTURE", "G6.08"}
    [malformed] = check_f1(b"<rsm:CrossIndustryInvoice", document.filename)
    assert malformed.rule == "XML-MALFORMED"
