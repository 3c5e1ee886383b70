"""CII VAT breakdown (BG-23, with BT-7 and BT-8) and document totals (BG-22)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import (
    AMOUNT,
    INVALID_VALUE,
    NOT_IN_SYNTAX,
    NUMBER,
    REPEATED_VALUE,
    Leaf,
    XmlBuilder,
    XmlReader,
    present,
)
from coursier.formats.mapping import split_tax_totals
from coursier.model import DocumentTotals, Invoice, VatBreakdown

from .syntax import read_date, write_date

BREAKDOWN = (
    Leaf("ram:CalculatedAmount", "tax_amount", kind=AMOUNT),
    Leaf("ram:ExemptionReason", "exemption_reason"),
    Leaf("ram:BasisAmount", "taxable_amount", kind=AMOUNT),
    Leaf("ram:CategoryCode", "category_code"),
    Leaf("ram:ExemptionReasonCode", "exemption_reason_code"),
    Leaf("ram:RateApplicablePercent", "rate", kind=NUMBER),
)
TOTALS = (
    Leaf("ram:LineTotalAmount", "sum_of_line_net_amounts", kind=AMOUNT),
    Leaf("ram:ChargeTotalAmount", "sum_of_charges", kind=AMOUNT),
    Leaf("ram:AllowanceTotalAmount", "sum_of_allowances", kind=AMOUNT),
    Leaf("ram:TaxBasisTotalAmount", "total_without_vat", kind=AMOUNT),
    Leaf("ram:RoundingAmount", "rounding_amount", kind=AMOUNT),
    Leaf("ram:GrandTotalAmount", "total_with_vat", kind=AMOUNT),
    Leaf("ram:TotalPrepaidAmount", "paid_amount", kind=AMOUNT),
    Leaf("ram:DuePayableAmount", "amount_due", kind=AMOUNT),
)

# BT-8 is a UNTDID 2005 code in the model (as in UBL); CII writes it as a UNTDID 2475 code.
VAT_POINT_CODE_TO_CII = {"3": "5", "35": "29", "432": "72"}
VAT_POINT_CODE_FROM_CII = {cii: model for model, cii in VAT_POINT_CODE_TO_CII.items()}


def read_vat_breakdown(reader: XmlReader, settlement: etree._Element | None) -> dict[str, object]:
    """BG-23 entries, and BT-7/BT-8, which CII holds in them (once, though older files repeat them)."""
    breakdown = []
    tax_point_dates = set()
    due_date_codes = set()
    for element in reader.findall(settlement, "ram:ApplicableTradeTax"):
        reader.text(element, "ram:TypeCode")  # always VAT in EN 16931
        entry = reader.group(element, VatBreakdown, BREAKDOWN, "vat_breakdown[]")
        if entry is not None:
            breakdown.append(entry)
        tax_point = read_date(reader, element, "ram:TaxPointDate", "BT-7")
        if tax_point is not None:
            tax_point_dates.add(tax_point)
        code = reader.text(element, "ram:DueDateTypeCode", "BT-8")
        if code is not None:
            due_date_codes.add(code)
    fields: dict[str, object] = {"vat_breakdown": breakdown}
    if tax_point_dates:
        fields["tax_point_date"] = min(tax_point_dates)
        if len(tax_point_dates) > 1:
            reader.warn(REPEATED_VALUE, "BT-7", settlement, "different VAT point dates; the earliest was kept")
    if due_date_codes:
        code = sorted(due_date_codes)[0]
        if len(due_date_codes) > 1:
            reader.warn(REPEATED_VALUE, "BT-8", settlement, f"different VAT point date codes; {code!r} was kept")
        if code in VAT_POINT_CODE_FROM_CII:
            fields["value_added_tax_point_date"] = VAT_POINT_CODE_FROM_CII[code]
        else:
            reader.warn(
                INVALID_VALUE, "BT-8", settlement, f"{code!r} is not a UNTDID 2475 code EN 16931 allows; left out"
            )
    return fields


def write_vat_breakdown(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    vat_point_code = invoice.value_added_tax_point_date
    if vat_point_code is not None and vat_point_code not in VAT_POINT_CODE_TO_CII:
        builder.warn(NOT_IN_SYNTAX, "value_added_tax_point_date", f"{vat_point_code!r} has no CII equivalent; left out")
    if not invoice.vat_breakdown:
        for field in ("tax_point_date", "value_added_tax_point_date"):
            if getattr(invoice, field) is not None:
                builder.warn(NOT_IN_SYNTAX, field, "CII holds it in the VAT breakdown, and there is none; left out")
    for index, entry in enumerate(invoice.vat_breakdown):
        origin = f"vat_breakdown[{index}]"
        element = builder.child(settlement, "ram:ApplicableTradeTax", origin)
        builder.leaf(element, "ram:TypeCode", "VAT", origin)
        builder.leaves(element, entry, BREAKDOWN, origin)
        if index == 0:  # once per invoice (CII-SR-461, CII-SR-462)
            write_date(builder, element, "ram:TaxPointDate", invoice.tax_point_date, "tax_point_date", "udt:DateString")
            builder.leaf(
                element,
                "ram:DueDateTypeCode",
                VAT_POINT_CODE_TO_CII.get(vat_point_code or ""),
                "value_added_tax_point_date",
            )


def read_totals(
    reader: XmlReader, settlement: etree._Element | None, currency: str | None, tax_currency: str | None
) -> DocumentTotals | None:
    summation = reader.find(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation", "BG-22")
    if summation is None:
        return None
    totals = reader.group(summation, DocumentTotals, TOTALS, "totals") or DocumentTotals()
    # Two ram:TaxTotalAmount may appear: BT-110 in the invoice currency, BT-111 in the VAT currency.
    amounts = [
        (element, reader.decimal(element, None, "BT-110"))
        for element in reader.findall(summation, "ram:TaxTotalAmount")
    ]
    values = split_tax_totals(reader, amounts, currency, tax_currency)
    return present(totals.model_copy(update=values))


def write_totals(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    summation = builder.child(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation", "totals")
    totals = invoice.totals
    if totals is None:
        return
    builder.leaves(summation, totals, TOTALS, "totals")
    builder.leaf(
        summation, "ram:TaxTotalAmount", totals.total_vat, "totals.total_vat", currencyID=invoice.currency_code
    )
    builder.leaf(
        summation,
        "ram:TaxTotalAmount",
        totals.total_vat_accounting_currency,
        "totals.total_vat_accounting_currency",
        currencyID=invoice.tax_currency_code,
    )
