"""EN 16931 calculation rules, in one place: line net amounts, VAT breakdown and document totals.

The drafts API fills in what a client left out with these functions and the validators explain
a mismatch (BR-CO-10..BR-CO-17, BR-S-08...) by showing what they compute. All arithmetic is
Decimal; results are rounded half-up to two decimals, as EN 16931 expects amounts.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from coursier.model.invoice import (
    AllowanceCharge,
    DocumentAllowanceCharge,
    DocumentTotals,
    Invoice,
    InvoiceLine,
    PriceDetails,
    VatBreakdown,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def round_amount(value: Decimal) -> Decimal:
    """Half-up to two decimals (0.125 -> 0.13, -0.125 -> -0.13)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((value for value in values if value is not None), ZERO)


def allowance_charge_amount(entry: AllowanceCharge) -> Decimal | None:
    """The stated amount, or base amount x percentage / 100 when only those are given."""
    if entry.amount is not None:
        return entry.amount
    if entry.base_amount is not None and entry.percentage is not None:
        return round_amount(entry.base_amount * entry.percentage / HUNDRED)
    return None


def line_net_amount(line: InvoiceLine) -> Decimal | None:
    """BT-131 = BT-129 x (BT-146 / BT-149) + sum of line charges (BG-28) - sum of line allowances (BG-27).

    None when the quantity or the net price is missing.
    """
    price = line.price_details
    if line.quantity is None or price is None or price.net_price is None:
        return None
    base_quantity = price.base_quantity or Decimal(1)
    gross = line.quantity * price.net_price / base_quantity
    charges = _sum(allowance_charge_amount(charge) for charge in line.charges)
    allowances = _sum(allowance_charge_amount(allowance) for allowance in line.allowances)
    return round_amount(gross + charges - allowances)


def _stated_or_computed_line_amount(line: InvoiceLine) -> Decimal | None:
    return line.net_amount if line.net_amount is not None else line_net_amount(line)


def implied_price_discount(price: PriceDetails) -> Decimal | None:
    """BT-147 as the prices imply it: gross price (BT-148) - net price (BT-146)."""
    if price.gross_price is None or price.net_price is None:
        return None
    return price.gross_price - price.net_price


def implied_gross_price(price: PriceDetails) -> Decimal | None:
    """BT-148 as the prices imply it: net price (BT-146) + price discount (BT-147)."""
    if price.net_price is None or price.discount is None:
        return None
    return price.net_price + price.discount


def vat_total(breakdown: list[VatBreakdown]) -> Decimal:
    """BT-110 = sum of the VAT category tax amounts BT-117 (BR-CO-14)."""
    return round_amount(_sum(entry.tax_amount for entry in breakdown))


def vat_breakdown(invoice: Invoice) -> list[VatBreakdown]:
    """BG-23 computed from lines and document allowances/charges, one entry per (category, rate).

    BT-116 = sum of line net amounts - document allowances + document charges of that category and
    rate (BR-S-08 and siblings); BT-117 = BT-116 x BT-119 / 100, rounded (BR-CO-17). Categories
    without a rate (O, E...) get a zero tax amount. Entries come in first-seen order.
    """
    # Keyed by (category, rate): Decimal("20") == Decimal("20.00") and both hash alike.
    taxable: dict[tuple[str | None, Decimal | None], Decimal] = {}
    for line in invoice.lines:
        vat = line.vat
        key = (vat.category_code, vat.rate) if vat else (None, None)
        taxable[key] = taxable.get(key, ZERO) + (_stated_or_computed_line_amount(line) or ZERO)
    for sign, entries in ((-1, invoice.allowances), (1, invoice.charges)):
        for entry in entries:
            key = (entry.vat_category_code, entry.vat_rate)
            taxable[key] = taxable.get(key, ZERO) + sign * (allowance_charge_amount(entry) or ZERO)
    return [
        VatBreakdown(
            category_code=category,
            rate=rate,
            taxable_amount=round_amount(base),
            tax_amount=round_amount(base * rate / HUNDRED) if rate is not None else ZERO,
        )
        for (category, rate), base in taxable.items()
    ]


def _document_sum(entries: list[DocumentAllowanceCharge]) -> Decimal | None:
    return round_amount(_sum(allowance_charge_amount(entry) for entry in entries)) if entries else None


def document_totals(invoice: Invoice, breakdown: list[VatBreakdown] | None = None) -> DocumentTotals:
    """BG-22 from the lines, document allowances/charges and the VAT breakdown.

    BT-106 = sum of BT-131 (BR-CO-10); BT-109 = BT-106 - BT-107 + BT-108 (BR-CO-13);
    BT-110 = sum of BT-117 (BR-CO-14); BT-112 = BT-109 + BT-110 (BR-CO-15);
    BT-115 = BT-112 - BT-113 + BT-114 (BR-CO-16). The breakdown defaults to the one stated on the
    invoice, or the computed one when none is stated. Paid and rounding amounts are taken as stated.
    """
    stated = invoice.totals or DocumentTotals()
    if breakdown is None:
        breakdown = invoice.vat_breakdown or vat_breakdown(invoice)
    line_total = round_amount(_sum(_stated_or_computed_line_amount(line) for line in invoice.lines))
    allowance_total = _document_sum(invoice.allowances)
    charge_total = _document_sum(invoice.charges)
    without_vat = line_total - (allowance_total or ZERO) + (charge_total or ZERO)
    total_vat = vat_total(breakdown)
    with_vat = without_vat + total_vat
    return DocumentTotals(
        sum_of_line_net_amounts=line_total,
        sum_of_allowances=allowance_total,
        sum_of_charges=charge_total,
        total_without_vat=without_vat,
        total_vat=total_vat,
        total_vat_accounting_currency=stated.total_vat_accounting_currency,
        total_with_vat=with_vat,
        paid_amount=stated.paid_amount,
        rounding_amount=stated.rounding_amount,
        amount_due=with_vat - (stated.paid_amount or ZERO) + (stated.rounding_amount or ZERO),
    )


def complete(invoice: Invoice) -> Invoice:
    """A copy with missing line net amounts, the VAT breakdown and the totals computed.

    Stated line amounts are kept; exemption reasons of a stated breakdown entry carry over to the
    computed entry of the same category and rate.
    """
    lines = [
        line if line.net_amount is not None else line.model_copy(update={"net_amount": line_net_amount(line)})
        for line in invoice.lines
    ]
    draft = invoice.model_copy(update={"lines": lines})
    reasons = {(entry.category_code, entry.rate): entry for entry in invoice.vat_breakdown}
    breakdown = []
    for entry in vat_breakdown(draft):
        stated = reasons.get((entry.category_code, entry.rate))
        if stated is not None:
            entry = entry.model_copy(
                update={
                    "exemption_reason": stated.exemption_reason,
                    "exemption_reason_code": stated.exemption_reason_code,
                }
            )
        breakdown.append(entry)
    return draft.model_copy(update={"vat_breakdown": breakdown, "totals": document_totals(draft, breakdown)})
