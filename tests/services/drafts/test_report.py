"""The draft report on its own: issues placed in the draft by path and term, computed amounts."""

import pytest

from coursier.services.drafts.report import assess, draft_path
from coursier.validation.rules import LINE_NET_AMOUNT, NUMBER_ASSIGNED, VAT_IDENTIFIER_KEY

PATTERN = "F{YYYY}-{SEQ:6}"


def _issues(report, rule):
    return [issue for issue in report.errors + report.warnings if issue.rule == rule]


def test_a_complete_draft_is_valid_and_shows_its_computed_amounts(invoice_data):
    assessment = assess(invoice_data, number_pattern=PATTERN)
    report = assessment.report
    assert report.valid, report.errors
    assert report.model_dump(mode="json")["computed"]["line_net_amounts"] == ["450.00", "210.00"]
    totals = report.computed.totals
    assert (str(totals.total_without_vat), str(totals.total_vat), str(totals.amount_due)) == (
        "660.00",
        "132.00",
        "792.00",
    )
    [vat] = report.computed.vat_breakdown
    assert (vat.category_code, str(vat.taxable_amount), str(vat.tax_amount)) == ("S", "660.00", "132.00")
    # The invoice the draft makes carries the amounts it left out and a number of the pattern.
    assert assessment.invoice.totals == totals and assessment.invoice.number == "F2025-000001"


def test_line_amounts_left_out_are_computed(invoice_data):
    for line in invoice_data["lines"]:
        del line["net_amount"]
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert report.valid, report.errors
    assert [str(amount) for amount in report.computed.line_net_amounts] == ["450.00", "210.00"]


def test_a_missing_seller_is_reported_at_its_terms(invoice_data):
    del invoice_data["seller"]
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert not report.valid
    [name] = _issues(report, "BR-06")
    assert (name.layer, name.severity, name.bt, name.path) == ("rules", "error", ["BT-27"], "seller.name")
    assert name.explanation.fr and name.explanation.en
    [address] = _issues(report, "BR-08")
    assert address.bt == ["BG-5"] and address.path == "seller.postal_address"
    assert _issues(report, "BR-FR-10_BT-30")[0].path == "seller.legal_registration_identifier"


def test_a_wrong_vat_total_is_reported_beside_the_computed_one(invoice_data):
    invoice_data["totals"] = {"total_vat": "130.00"}
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert not report.valid
    paths = {issue.rule: issue.path for issue in report.errors}
    assert paths["BR-CO-14"] == "totals.total_vat"
    assert paths["BR-CO-15"] == "totals.total_with_vat"
    assert str(report.computed.totals.total_vat) == "132.00"


def test_a_wrong_vat_breakdown_is_reported_at_its_entry(invoice_data):
    invoice_data["vat_breakdown"] = [
        {"category_code": "S", "rate": "20", "taxable_amount": "600.00", "tax_amount": "120.00"}
    ]
    report = assess(invoice_data, number_pattern=PATTERN).report
    [entry] = _issues(report, "BR-S-08")
    assert entry.path.startswith("vat_breakdown[0].") and "BT-116" in entry.bt
    assert [str(v.taxable_amount) for v in report.computed.vat_breakdown] == ["660.00"]


def test_line_arithmetic_is_checked(invoice_data):
    invoice_data["lines"][1]["net_amount"] = "200.00"
    report = assess(invoice_data, number_pattern=PATTERN).report
    [issue] = _issues(report, LINE_NET_AMOUNT.id)
    assert (issue.severity, issue.path, issue.bt[0]) == ("error", "lines[1].net_amount", "BT-131")
    assert "210.00 expected, 200.00 stated" in issue.message
    assert "210.00" in issue.explanation.fr


def test_a_partial_draft_lists_what_is_missing_line_by_line(invoice_data):
    del invoice_data["lines"][1]["price_details"]
    del invoice_data["lines"][1]["net_amount"]
    del invoice_data["buyer"]["name"]
    report = assess(invoice_data, number_pattern=PATTERN).report
    paths = {(issue.rule, issue.path) for issue in report.errors}
    assert ("BR-26", "lines[1].price_details.net_price") in paths
    assert ("BR-24", "lines[1].net_amount") in paths
    assert ("BR-07", "buyer.name") in paths
    # A schema finding names no term: it keeps its XPath and points at its line.
    schema = [issue for issue in report.errors if issue.rule.startswith("SCHEMAV")]
    assert schema and all(issue.path == "lines[1]" and issue.bt == [] and issue.location for issue in schema)


def test_an_empty_draft_is_a_list_of_what_is_missing():
    report = assess({}, number_pattern=PATTERN).report
    rules = {issue.rule for issue in report.errors}
    assert {"BR-03", "BR-04", "BR-05", "BR-06", "BR-07", "BR-16"} <= rules
    assert "BR-02" not in rules  # the number comes at finalization
    assert str(report.computed.totals.total_with_vat) == "0.00"


def test_data_that_does_not_fit_the_model_is_a_structure_report():
    data = {"issue_date": "2025-13-01", "colour": "blue", "lines": [{"quantity": "ten"}], "notes": [{}]}
    report = assess(data, number_pattern=PATTERN).report
    assert not report.valid and report.computed is None
    found = {issue.path: (issue.layer, issue.rule, issue.bt) for issue in report.errors}
    assert found == {
        "issue_date": ("structure", "date_from_datetime_parsing", ["BT-2"]),
        "colour": ("structure", "extra_forbidden", []),
        "lines[0].quantity": ("structure", "value_error", ["BT-129"]),
        "notes[0].content": ("structure", "missing", ["BT-22"]),
    }


def test_amounts_too_large_to_compute_are_a_structure_error(invoice_data):
    invoice_data["lines"][0]["quantity"] = "1e40"
    del invoice_data["lines"][0]["net_amount"]
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert [issue.rule for issue in report.errors] == ["amount_out_of_range"]


def test_a_stated_number_is_announced_as_replaced(invoice_data):
    invoice_data["number"] = "MINE-1"
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert report.valid
    [warning] = report.warnings
    assert (warning.rule, warning.path, warning.bt) == (NUMBER_ASSIGNED.id, "number", ["BT-1"])


def test_a_vat_identifier_with_a_wrong_key_is_a_warning_giving_the_right_one(invoice_data):
    # SIREN 100000173's key is 95: FR12100000173 passes every official rule (they check the prefix only).
    invoice_data["seller"]["vat_identifier"] = "FR12100000173"
    invoice_data["buyer"]["vat_identifier"] = "FR 12 100 000 173"
    invoice_data["tax_representative"] = {
        "name": "Représentant fiscal SARL",
        "vat_identifier": "FR12100000173",
        "postal_address": {"city_name": "Paris", "country_code": "FR"},
    }
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert report.valid, report.errors  # a warning: the key may be the buyer's own mistake to fix later
    found = _issues(report, VAT_IDENTIFIER_KEY.id)
    assert [(issue.bt, issue.path, issue.severity) for issue in found] == [
        (["BT-31"], "seller.vat_identifier", "warning"),
        (["BT-48"], "buyer.vat_identifier", "warning"),
        (["BT-63"], "tax_representative.vat_identifier", "warning"),
    ]
    assert all("FR95100000173" in issue.message for issue in found), found
    invoice_data["seller"]["vat_identifier"] = "FR95100000173"
    del invoice_data["tax_representative"], invoice_data["buyer"]["vat_identifier"]
    assert _issues(assess(invoice_data, number_pattern=PATTERN).report, VAT_IDENTIFIER_KEY.id) == []


@pytest.mark.parametrize(
    "terms,location,path",
    [
        (
            ("BG-25", "BT-146"),
            "/rsm:CrossIndustryInvoice[1]/rsm:SupplyChainTradeTransaction[1]/ram:IncludedSupplyChainTradeLineItem[3]",
            "lines[2].price_details.net_price",
        ),
        (
            ("BT-119",),
            "/rsm:CrossIndustryInvoice[1]/rsm:SupplyChainTradeTransaction[1]"
            "/ram:ApplicableHeaderTradeSettlement[1]/ram:ApplicableTradeTax[2]/ram:CategoryCode[1]",
            "vat_breakdown[1].rate",
        ),
        (("BT-22", "BG-1"), "/rsm:CrossIndustryInvoice[1]/rsm:ExchangedDocument[1]", "notes"),
        (("BG-8",), "/rsm:CrossIndustryInvoice[1]", "buyer.postal_address"),
        (("BT-X-1",), "/rsm:CrossIndustryInvoice[1]", None),
        (
            (),
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
            "/ram:SpecifiedLineTradeAgreement",
            "lines[0]",
        ),
    ],
)
def test_findings_are_placed_by_term_and_xpath(terms, location, path):
    assert draft_path(terms, location) == path


def test_stated_amounts_too_large_to_add_up_are_a_structure_error(invoice_data):
    invoice_data["vat_breakdown"] = [
        {"category_code": "S", "rate": "20", "taxable_amount": "1e40", "tax_amount": "2e39"}
    ]
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert [issue.rule for issue in report.errors] == ["amount_out_of_range"]


def test_a_draft_too_large_to_check_says_so(invoice_data):
    invoice_data["notes"].append({"content": "x" * (21 * 1024 * 1024)})
    report = assess(invoice_data, number_pattern=PATTERN).report
    assert [issue.rule for issue in report.errors] == ["invoice_too_large"] and report.computed is None
