"""UBL tax totals (BT-110, BT-111, BG-23) and legal monetary total (BG-22)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import AMOUNT, NUMBER, REPLACED_VALUE, Leaf, XmlBuilder, XmlReader, present
from coursier.formats.mapping import split_tax_totals
from coursier.model import DocumentTotals, Invoice, VatBreakdown
from coursier.model.calc import vat_total

BREAKDOWN = (
    Leaf("cbc:TaxableAmount", "taxable_amount", kind=AMOUNT),
    Leaf("cbc:TaxAmount", "tax_amount", kind=AMOUNT),
    Leaf("cac:TaxCategory/cbc:ID", "category_code"),
    Leaf("cac:TaxCategory/cbc:Percent", "rate", kind=NUMBER),
    Leaf("cac:TaxCategory/cbc:TaxExemptionReasonCode", "exemption_reason_code"),
    Leaf("cac:TaxCategory/cbc:TaxExemptionReason", "exemption_reason"),
)
TOTALS = (
    Leaf("cbc:LineExtensionAmount", "sum_of_line_net_amounts", kind=AMOUNT),
    Leaf("cbc:TaxExclusiveAmount", "total_without_vat", kind=AMOUNT),
    Leaf("cbc:TaxInclusiveAmount", "total_with_vat", kind=AMOUNT),
    Leaf("cbc:AllowanceTotalAmount", "sum_of_allowances", kind=AMOUNT),
    Leaf("cbc:ChargeTotalAmount", "sum_of_charges", kind=AMOUNT),
    Leaf("cbc:PrepaidAmount", "paid_amount", kind=AMOUNT),
    Leaf("cbc:PayableRoundingAmount", "rounding_amount", kind=AMOUNT),
    Leaf("cbc:PayableAmount", "amount_due", kind=AMOUNT),
)


def read_totals(reader: XmlReader, root: etree._Element, currency: str | None, tax_currency: str | None) -> dict:
    breakdown = []
    amounts = []
    for tax_total in reader.findall(root, "cac:TaxTotal"):
        amount = reader.find(tax_total, "cbc:TaxAmount")
        if amount is not None:
            amounts.append((amount, reader.decimal(amount, None, "BT-110")))
        for subtotal in reader.findall(tax_total, "cac:TaxSubtotal"):
            reader.text(subtotal, "cac:TaxCategory/cac:TaxScheme/cbc:ID")  # always VAT in EN 16931
            entry = reader.group(subtotal, VatBreakdown, BREAKDOWN, "vat_breakdown[]")
            if entry is not None:
                breakdown.append(entry)
    monetary = reader.find(root, "cac:LegalMonetaryTotal", "BG-22")
    totals = reader.group(monetary, DocumentTotals, TOTALS, "totals") or DocumentTotals()
    totals = totals.model_copy(update=split_tax_totals(reader, amounts, currency, tax_currency))
    return {"vat_breakdown": breakdown, "totals": present(totals)}


def write_totals(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    totals = invoice.totals or DocumentTotals()
    if totals.total_vat is not None or invoice.vat_breakdown:
        total_vat = totals.total_vat
        if total_vat is None:
            # UBL needs the tax amount beside the breakdown: write the sum it implies (BR-CO-14).
            total_vat = vat_total(invoice.vat_breakdown)
            builder.warn(REPLACED_VALUE, "totals.total_vat", f"UBL needs BT-110 beside BG-23: {total_vat} written")
        tax_total = builder.child(root, "cac:TaxTotal", "totals.total_vat")
        builder.leaf(tax_total, "cbc:TaxAmount", total_vat, "totals.total_vat", **builder.amount_attributes)
        for index, entry in enumerate(invoice.vat_breakdown):
            origin = f"vat_breakdown[{index}]"
            subtotal = builder.child(tax_total, "cac:TaxSubtotal", origin)
            builder.leaves(subtotal, entry, BREAKDOWN, origin)
            builder.leaf(subtotal, "cac:TaxCategory/cac:TaxScheme/cbc:ID", "VAT", origin)
    if totals.total_vat_accounting_currency is not None:
        origin = "totals.total_vat_accounting_currency"
        tax_total = builder.child(root, "cac:TaxTotal", origin)
        builder.leaf(
            tax_total,
            "cbc:TaxAmount",
            totals.total_vat_accounting_currency,
            origin,
            currencyID=invoice.tax_currency_code,
        )
    builder.leaves(builder.child(root, "cac:LegalMonetaryTotal", "totals"), totals, TOTALS, "totals")
