"""EN 16931 arithmetic: line net amounts, VAT breakdown, document totals, half-up rounding."""

from decimal import Decimal as D

import pytest

from coursier.model import (
    AllowanceCharge,
    DocumentAllowanceCharge,
    DocumentTotals,
    Invoice,
    InvoiceLine,
    LineVat,
    PriceDetails,
    VatBreakdown,
)
from coursier.model.calc import complete, document_totals, line_net_amount, round_amount, vat_breakdown


def line(quantity, price, category="S", rate="20", **extra) -> InvoiceLine:
    return InvoiceLine(
        quantity=quantity,
        price_details=PriceDetails(net_price=price, base_quantity=extra.pop("base_quantity", None)),
        vat=LineVat(category_code=category, rate=rate),
        **extra,
    )


@pytest.mark.parametrize(
    ("value", "rounded"), [("0.125", "0.13"), ("-0.125", "-0.13"), ("2.675", "2.68"), ("1", "1.00")]
)
def test_rounding_is_half_up(value, rounded):
    assert round_amount(D(value)) == D(rounded)


def test_line_net_amount_uses_base_quantity_and_line_allowances_charges():
    priced = line(
        "3",
        "10.005",
        base_quantity="2",
        allowances=[AllowanceCharge(amount="1.50")],
        charges=[AllowanceCharge(base_amount="10", percentage="5")],
    )
    # 3 x 10.005 / 2 = 15.0075; + 0.50 charge - 1.50 allowance = 14.0075 -> 14.01
    assert line_net_amount(priced) == D("14.01")


def test_line_net_amount_needs_quantity_and_price():
    assert line_net_amount(InvoiceLine(quantity="1")) is None


def test_breakdown_and_totals_with_several_rates_and_document_allowances_charges():
    invoice = Invoice(
        lines=[line("2", "50"), line("1", "33.33", rate="5.5"), line("1", "20.00", rate="20.00")],
        allowances=[DocumentAllowanceCharge(amount="10", vat_category_code="S", vat_rate="20")],
        charges=[DocumentAllowanceCharge(base_amount="33.33", percentage="10", vat_category_code="S", vat_rate="5.5")],
        totals=DocumentTotals(paid_amount="100", rounding_amount="0.01"),
    )
    breakdown = vat_breakdown(invoice)
    assert [(entry.category_code, entry.rate, entry.taxable_amount, entry.tax_amount) for entry in breakdown] == [
        ("S", D("20"), D("110.00"), D("22.00")),
        ("S", D("5.5"), D("36.66"), D("2.02")),  # 33.33 + 3.33; 36.66 x 5.5% = 2.0163
    ]
    totals = document_totals(invoice)
    assert totals.sum_of_line_net_amounts == D("153.33")
    assert totals.sum_of_allowances == D("10.00") and totals.sum_of_charges == D("3.33")
    assert totals.total_without_vat == D("146.66")
    assert totals.total_vat == D("24.02")
    assert totals.total_with_vat == D("170.68")
    assert totals.amount_due == D("70.69")


def test_rounding_issue_sample_sums_to_exact_zero():
    """CII-BR-CO-10-RoundingIssue.xml: +720.81, +0.01, -720.81, -0.01 must give 0.00, not a float residue."""
    invoice = Invoice(
        lines=[
            line("1", "720.81", rate="19.00"),
            line("1", "0.01", category="Z", rate="0"),
            line("-1", "720.81", rate="19.00"),
            line("-1", "0.01", category="Z", rate="0"),
        ]
    )
    assert [line_net_amount(entry) for entry in invoice.lines] == [D("720.81"), D("0.01"), D("-720.81"), D("-0.01")]
    assert [(entry.category_code, entry.taxable_amount, entry.tax_amount) for entry in vat_breakdown(invoice)] == [
        ("S", D("0.00"), D("0.00")),
        ("Z", D("0.00"), D("0.00")),
    ]
    totals = document_totals(invoice)
    assert totals.sum_of_line_net_amounts == D("0.00") and totals.amount_due == D("0.00")


def test_complete_fills_missing_amounts_and_keeps_exemption_reasons():
    draft = Invoice(
        lines=[line("4", "2.50", category="E", rate="0")],
        vat_breakdown=[VatBreakdown(category_code="E", rate="0", exemption_reason="Article 261 CGI")],
    )
    done = complete(draft)
    assert done.lines[0].net_amount == D("10.00")
    assert done.vat_breakdown[0].exemption_reason == "Article 261 CGI"
    assert done.vat_breakdown[0].taxable_amount == D("10.00")
    assert done.totals.amount_due == D("10.00")
    assert draft.lines[0].net_amount is None  # the input is not modified
