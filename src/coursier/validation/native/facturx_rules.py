"""The tests of the Factur-X profile schematrons that no shape of `profiles` decides, restated.

Mostly the EN 16931 business rules as the FeRD artefacts carry them, an older wording than the
CEN artefact's (`BasisAmount - 1 <=` where CEN has `<`, `xs:decimal(ram:ActualAmount)` where CEN
takes `ram:ActualAmount[1]`, indicators compared as text where CEN casts them): each restates its
own text, reusing the CEN restatement's parts (`cen_cii`) where they are the same.

`RESTATED` maps the fingerprint of a test's (or a match predicate's) white-space-normalised text to
its function: a new release that changes the text no longer finds it, and the artefact stops
being complete (`profiles.ProfileBook.complete`) until the new text is restated.
"""

import hashlib
import re
from decimal import Decimal

from lxml import etree

from coursier.validation.native.book import Test
from coursier.validation.native.cen_cii import (
    HEADER_ALLOWANCES_CHARGES,
    _at_rate,
    base_per_rate,
    category_base,
    indicator_is,
    rounded_double_sum,
    upper_type_is_vat,
)
from coursier.validation.native.facturx_breakdowns import (
    breakdown_counts,
    category_basis_within_tolerance,
    is_detail,
    rounded_sum,
)
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    add,
    all_of,
    any_of,
    any_text,
    blank_text,
    compares,
    decimal,
    div,
    double,
    equal,
    find,
    less,
    less_or_equal,
    mul,
    normalize,
    number,
    one,
    round_half_up,
    sub,
    text,
    to_decimal,
)

_CENT = Decimal("0.01")

_LINE_ITEMS = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"


def fingerprint(expression: str) -> str:
    """A short, stable digest of a white-space-normalised XPath expression."""
    return hashlib.sha1(" ".join(expression.split()).encode("utf-8")).hexdigest()[:16]


def _base_within_one(category: str, *, cast: bool = False) -> Test:
    """BR-AE/E/G/IC/Z-08 of the FeRD artefacts: ../ram:BasisAmount - 1 <= the category's base
    (CEN: <) and ../ram:BasisAmount + 1 > it."""

    def holds(code: Element, document: Document) -> bool:
        basis = double(one(find(code, document, "../ram:BasisAmount")))
        expected = category_base(document, category, cast=cast)
        return less_or_equal(sub(basis, 1), expected) and less(expected, add(basis, 1))

    return holds


def _base_per_rate_one_amount(category: str) -> Test:
    """BR-S/AF/AG-08 of the FeRD artefacts: CEN's test, but `xs:decimal(ram:ActualAmount)` of an
    allowance or charge at one of the breakdown's rates stops on two amounts (CEN takes the first)."""
    cen = base_per_rate(category, "../ram:BasisAmount", "../ram:RateApplicablePercent")

    def holds(element: Element, document: Document) -> bool:
        rates = [decimal(node) for node in find(element, document, "../ram:RateApplicablePercent")]
        for rate in rates:
            for allowance_charge in find(document.root, document, HEADER_ALLOWANCES_CHARGES):
                if (
                    len(find(allowance_charge, document, "ram:ActualAmount")) > 1
                    and any_text(find(allowance_charge, document, "ram:CategoryTradeTax/ram:CategoryCode"), category)
                    and _at_rate(allowance_charge, document, "ram:CategoryTradeTax", rate)
                    and (
                        indicator_is(allowance_charge, document, True)
                        or indicator_is(allowance_charge, document, False)
                    )
                ):
                    raise XPathError("xs:decimal() of two amounts")
        return cen(element, document)

    return holds


def _indicated(totals: Element, document: Document, indicator: str) -> list[Element]:
    """/…/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = 'false' (or 'true')]:
    compared as text, not cast."""
    return [
        allowance_charge
        for allowance_charge in find(totals, document, HEADER_ALLOWANCES_CHARGES)
        if any_text(find(allowance_charge, document, "ram:ChargeIndicator/udt:Indicator"), indicator)
    ]


def _allowance_total(totals: Element, document: Document) -> bool:
    """BR-CO-11 of the FeRD artefacts: no allowance and no total, or the total = round(sum of every
    ram:ActualAmount of the allowances * 100) div 100."""
    allowances = _indicated(totals, document, "false")
    stated = find(totals, document, "ram:AllowanceTotalAmount")
    return any_of(
        lambda: not allowances and not stated,
        lambda: compares(
            stated,
            "=",
            rounded_double_sum([amount for node in allowances for amount in find(node, document, "ram:ActualAmount")]),
        ),
    )


def _rounded(value):
    """round(value * 10 * 10) div 100."""
    return div(round_half_up(mul(mul(value, 10), 10)), 100)


def _charge_total(totals: Element, document: Document) -> bool:
    """BR-CO-12 of the FeRD artefacts: no charge and no total, or the rounded total = the rounded
    sum of the charges' amounts plus the rounded sum of the logistics service charges."""
    charges = _indicated(totals, document, "true")
    stated = find(totals, document, "ram:ChargeTotalAmount")

    def equal_sums() -> bool:
        total = find(
            document.root,
            document,
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
            "/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:ChargeTotalAmount",
        )
        logistics = find(
            document.root,
            document,
            "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
            "/ram:SpecifiedLogisticsServiceCharge/ram:AppliedAmount",
        )
        amounts = [amount for node in charges for amount in find(node, document, "ram:ActualAmount")]
        expected = _rounded(add(rounded_double_sum(amounts), rounded_double_sum(logistics)))
        return equal(_rounded(double(one(total))), expected)

    return any_of(lambda: not charges and not stated, equal_sums)


def _credit_transfer(means: Element, document: Document) -> bool:
    """CII-SR-470's context: some $code in tokenize('30 58', '\\s') satisfies normalize-space(ram:TypeCode) = $code."""
    return normalize(text(one(find(means, document, "ram:TypeCode")))) in ("30", "58")


def _empty_leaf(element: Element, document: Document) -> bool:
    """PEPPOL-EN16931-R008's context (every element: so worth a native test): not(*) and not(normalize-space())."""
    return not document.children(element) and blank_text(text(element))


def _group_children_have_amounts(item: Element, document: Document) -> bool:
    """FX-SCH-A-000414 (BASIC): for the line's LineID, as many LineTotalAmount below its GROUP
    children as GROUP children (no value without a LineID; two LineIDs give two booleans, an error)."""
    line_ids = find(item, document, "ram:AssociatedDocumentLineDocument/ram:LineID")
    if len(line_ids) > 1:
        raise XPathError("effective boolean value of two booleans")
    if not line_ids:
        return False
    line_id = text(line_ids[0])
    children = [
        child
        for child in find(document.root, document, _LINE_ITEMS)
        if any_text(find(child, document, "ram:AssociatedDocumentLineDocument/ram:ParentLineID"), line_id)
        and any_text(find(child, document, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode"), "GROUP")
    ]
    amounts = [
        amount
        for child in children
        for amount in find(
            child,
            document,
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        )
    ]
    return len(children) == len(amounts)


def _in_germany(transaction: Element, document: Document, party: str) -> bool:
    """party/ram:PostalTradeAddress/ram:CountryID[upper-case(normalize-space(.))='DE']"""
    return any(
        normalize(text(country)).upper() == "DE"
        for country in find(transaction, document, f"{party}/ram:PostalTradeAddress/ram:CountryID")
    )


def _german_parties(transaction: Element, document: Document) -> bool:
    """FX-SCH-A-000354's context (BASIC): seller (or invoicer) and buyer (or invoicee) in Germany."""
    sellers = (
        "ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty",
        "ram:ApplicableHeaderTradeSettlement/ram:InvoicerTradeParty",
    )
    buyers = (
        "ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty",
        "ram:ApplicableHeaderTradeSettlement/ram:InvoiceeTradeParty",
    )
    return any(_in_germany(transaction, document, seller) for seller in sellers) and any(
        _in_germany(transaction, document, buyer) for buyer in buyers
    )


_TEXTS = etree.XPath(".//text()")


def _delivery_or_period(transaction: Element, document: Document) -> bool:
    """FX-SCH-A-000354 (BASIC): a delivery date, or a billing period on the invoice or on every line;
    and a delivery date, or some text in the delivery information."""
    delivered = bool(
        find(
            transaction,
            document,
            "ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime",
        )
    )
    period = bool(find(transaction, document, "ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod")) or all(
        find(line, document, "ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod")
        for line in find(transaction, document, "ram:IncludedSupplyChainTradeLineItem")
    )
    delivery_text = "".join(
        str(chunk)
        for delivery in find(transaction, document, "ram:ApplicableHeaderTradeDelivery")
        for chunk in _TEXTS(delivery)
    )
    return (delivered or period) and (delivered or normalize(delivery_text) != "")


# ---- EXTENDED: the totals with a tolerance per item, the line groups, the rest ------------------------


def _decimals_sum(element: Element, document: Document, path: str) -> Decimal:
    """xs:decimal(round(sum(path/xs:decimal(.)) * 100) div 100): exact decimals."""
    return rounded_sum([decimal(node) for node in find(element, document, path)])


def _detail_items(element: Element, document: Document, path: str) -> list[Element]:
    """path[not(.../ram:LineStatusReasonCode) or .../ram:LineStatusReasonCode = 'DETAIL']"""
    return [item for item in find(element, document, path) if is_detail(item, document)]


_ITEM_AMOUNT = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
_HEADER = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"


def _by_text_indicator(element: Element, document: Document, path: str, indicator: str) -> list[Element]:
    """path[ram:ChargeIndicator/udt:Indicator = 'false' (or 'true')]: compared as text."""
    return [
        node
        for node in find(element, document, path)
        if any_text(find(node, document, "ram:ChargeIndicator/udt:Indicator"), indicator)
    ]


def _only(element: Element, document: Document, path: str) -> Decimal | None:
    """xs:decimal(path): None for no node (a `for` over it has nothing to return), an error for two."""
    return decimal(one(find(element, document, path)))


def _lines_total(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-10: |BT-106 - round(Σ BT-131 of the DETAIL lines)| <= 0.01 per line."""
    lines = _detail_items(totals, document, "../../ram:IncludedSupplyChainTradeLineItem")
    calculated = rounded_sum([decimal(node) for line in lines for node in find(line, document, _ITEM_AMOUNT)])
    total = _only(totals, document, "ram:LineTotalAmount")
    if total is None:
        return False
    items = len(find(totals, document, "../../ram:IncludedSupplyChainTradeLineItem"))
    return abs(total - calculated) <= _CENT * items


def _allowances_total(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-11: no allowance and no BT-107, or |BT-107 - round(Σ BT-92 as doubles)| <= 0.01 per allowance."""
    allowances = _by_text_indicator(document.root, document, f"{_HEADER}/ram:SpecifiedTradeAllowanceCharge", "false")

    def within() -> bool:
        amounts = [amount for node in allowances for amount in find(node, document, "ram:ActualAmount")]
        calculated = to_decimal(rounded_double_sum(amounts))
        total = _only(totals, document, "ram:AllowanceTotalAmount")
        if total is None:
            return False
        items = len(_by_text_indicator(totals, document, "../ram:SpecifiedTradeAllowanceCharge", "false"))
        return abs(total - calculated) <= _CENT * items

    return any_of(lambda: not allowances and not find(totals, document, "ram:AllowanceTotalAmount"), within)


def _charges_sum(element: Element, document: Document, relative: bool) -> tuple[Decimal, int]:
    """BT-99 + logistics charges (each rounded, exact decimals) and how many there are."""
    base = "../" if relative else f"{_HEADER}/"
    charges = _by_text_indicator(element, document, f"{base}ram:SpecifiedTradeAllowanceCharge", "true")
    amounts = [decimal(node) for charge in charges for node in find(charge, document, "ram:ActualAmount")]
    logistics = f"{base}ram:SpecifiedLogisticsServiceCharge"
    calculated = rounded_sum(amounts) + _decimals_sum(element, document, f"{logistics}/ram:AppliedAmount")
    return calculated, len(charges) + len(find(element, document, logistics))


def _charges_total(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-12: no charge and no BT-108, or |BT-108 - (Σ BT-99 + Σ logistics)| <= 0.01 per charge."""
    charges = _by_text_indicator(document.root, document, f"{_HEADER}/ram:SpecifiedTradeAllowanceCharge", "true")

    def within() -> bool:
        calculated, _ = _charges_sum(document.root, document, relative=False)
        total = _only(totals, document, "ram:ChargeTotalAmount")
        if total is None:
            return False
        _, items = _charges_sum(totals, document, relative=True)
        return abs(total - calculated) <= _CENT * items

    return any_of(lambda: not charges and not find(totals, document, "ram:ChargeTotalAmount"), within)


def _item_counts(totals: Element, document: Document) -> int:
    """DETAIL lines + allowances + charges and logistics charges (the tolerance of CO-13 and CO-15)."""
    lines = _detail_items(totals, document, "../../ram:IncludedSupplyChainTradeLineItem")
    allowances = _by_text_indicator(totals, document, "../ram:SpecifiedTradeAllowanceCharge", "false")
    _, charges = _charges_sum(totals, document, relative=True)
    return len(lines) + len(allowances) + charges


def _tax_basis_total(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-13: |BT-109 - Σ BT-131 + Σ BT-92 - Σ BT-99| <= 0.01 per line, allowance and charge."""
    basis = _only(totals, document, "ram:TaxBasisTotalAmount")
    if basis is None:
        return False
    lines = _detail_items(totals, document, "../../ram:IncludedSupplyChainTradeLineItem")
    lines_sum = rounded_sum([decimal(node) for line in lines for node in find(line, document, _ITEM_AMOUNT)])
    allowances = _by_text_indicator(document.root, document, f"{_HEADER}/ram:SpecifiedTradeAllowanceCharge", "false")
    allowances_sum = rounded_sum(
        [decimal(node) for allowance in allowances for node in find(allowance, document, "ram:ActualAmount")]
    )
    charges_sum, _ = _charges_sum(document.root, document, relative=False)
    return abs(basis - lines_sum + allowances_sum - charges_sum) <= _CENT * _item_counts(totals, document)


def _grand_total(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-15, for each invoice currency: |BT-112 - BT-110 - BT-109| within the tolerance with
    one BT-110 in that currency, or BT-109 = BT-112 without."""
    results = []
    for currency in find(totals, document, "../ram:InvoiceCurrencyCode"):
        code = text(currency)
        basis = _only(totals, document, "ram:TaxBasisTotalAmount")
        if basis is None:
            continue
        in_currency = [node for node in find(totals, document, "ram:TaxTotalAmount") if node.get("currencyID") == code]
        tax = decimal(one(in_currency))
        if tax is None:
            continue
        grand = _only(totals, document, "ram:GrandTotalAmount")
        if grand is None:
            continue
        tolerance = _CENT * _item_counts(totals, document)
        results.append(
            (abs(grand - tax - basis) <= tolerance and len(in_currency) == 1)
            or (basis == grand and len(in_currency) != 1)
        )
    if len(results) > 1:
        raise XPathError("effective boolean value of two booleans")
    return bool(results) and results[0]


def _amount_due(totals: Element, document: Document) -> bool:
    """BR-FXEXT-CO-16: BT-115 = BT-112 - BT-113 + BT-114 + the financial adjustments, exact decimals."""
    due = _only(totals, document, "ram:DuePayableAmount")

    def total(path: str) -> Decimal:
        return sum((decimal(node) for node in find(totals, document, path)), Decimal(0))

    expected = (
        total("ram:GrandTotalAmount")
        - total("ram:TotalPrepaidAmount")
        + total("ram:RoundingAmount")
        + total("../ram:SpecifiedFinancialAdjustment/ram:ActualAmount")
    )
    return equal(due, expected)


def _group_amounts(item: Element, document: Document) -> bool:
    """BR-FXEXT-08: every GROUP line's amount = round(Σ its DETAIL and GROUP children's amounts, as doubles)."""
    items = find(document.root, document, "//ram:IncludedSupplyChainTradeLineItem")

    def amount(line: Element) -> float:
        return number(normalize(text(one(find(line, document, _ITEM_AMOUNT)))))

    def holds_for(group: Element) -> bool:
        line_id = normalize(text(one(find(group, document, "ram:AssociatedDocumentLineDocument/ram:LineID"))))
        children = [
            child
            for child in items
            if all_of(
                lambda child=child: (
                    normalize(text(one(find(child, document, "ram:AssociatedDocumentLineDocument/ram:ParentLineID"))))
                    == line_id
                ),
                lambda child=child: any_text(
                    find(child, document, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode"),
                    "DETAIL",
                    "GROUP",
                ),
            )
        ]
        total = sum_doubles_of([amount(child) for child in children])
        return equal(amount(group), div(round_half_up(mul(total, 100)), 100))

    groups = [
        line
        for line in items
        if all_of(
            lambda line=line: any_text(
                find(line, document, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode"), "GROUP"
            ),
            lambda line=line: normalize(text(one(find(line, document, _ITEM_AMOUNT)))) != "",
        )
    ]
    return all(holds_for(group) for group in groups)


def sum_doubles_of(values: list[float]) -> float | int:
    """sum() of doubles, in order; 0 (an integer) for none."""
    total: float | int = 0
    for value in values:
        total = total + value
    return total


def _parent_exists(item: Element, document: Document) -> bool:
    """BR-FXEXT-11: some line's LineID is this line's ParentLineID (both white-space normalised)."""
    parent = normalize(text(one(find(item, document, "ram:AssociatedDocumentLineDocument/ram:ParentLineID"))))
    return any(
        normalize(text(line_id)) == parent
        for line_id in find(
            document.root,
            document,
            "//ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument/ram:LineID",
        )
    )


def _line_vat_category(line_document: Element, document: Document) -> bool:
    """BR-FXEXT-CO-04: the line has a tax of type 'VAT', and a VAT tax (upper-cased) with a category."""
    taxes = find(line_document, document, "../ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")
    return all_of(
        lambda: any_text([code for tax in taxes for code in find(tax, document, "ram:TypeCode")], "VAT"),
        lambda: any(find(tax, document, "ram:CategoryCode") for tax in taxes if upper_type_is_vat(tax, document)),
    )


# XPath's \s is XML white space; its $ is the very end of the text.
_MINUTE_205 = re.compile(
    r"[ \t\n\r]*(\d{4})(1[0-2]|0[1-9])(3[01]|[12][0-9]|0[1-9])([01][0-9]|2[0-3])[0-5][0-9][ \t\n\r]*"
)


def _format_205(date_time: Element, document: Document) -> bool:
    """BR-FXEXT-CII-DT-097a: matches(., '^\\s*CCYYMMDDHHMM\\s*$')."""
    return _MINUTE_205.fullmatch(text(date_time)) is not None


def _standard_tax(tax: Element, document: Document) -> bool:
    """BR-FXEXT-S-09b: |BT-117 - round(BT-116 x BT-119 / 100)| within 0.01 per item of the rate,
    counted with the exemption (rev) or without (ini)."""
    rates = [decimal(node) for node in find(tax, document, "ram:RateApplicablePercent")]
    if len(rates) > 1:
        raise XPathError("xs:decimal() of two values")
    if not rates:
        return False
    bound = {
        "rate": rates[0],
        "text": normalize(text(one(find(tax, document, "ram:ExemptionReason")))),
        "code": normalize(text(one(find(tax, document, "ram:ExemptionReasonCode")))),
    }
    basis = _only(tax, document, "ram:BasisAmount")
    if basis is None:
        return False
    stated = _only(tax, document, "ram:CalculatedAmount")
    if stated is None:
        return False
    calculated = Decimal(div(round_half_up(mul(div(mul(basis, bound["rate"]), 100), 100)), 100))

    def tolerance(by_exemption: bool) -> Decimal:
        return _CENT * sum(count(tax, document, bound) for count in breakdown_counts("S", by_exemption=by_exemption))

    return any_of(
        lambda: abs(stated - calculated) <= tolerance(True), lambda: abs(stated - calculated) <= tolerance(False)
    )


# By the fingerprint of the official text (the rule id and where, in the comment).
RESTATED: dict[str, Test] = {
    "b62621ff85dc0efd": _base_within_one("Z", cast=True),  # BR-Z-08, EN 16931
    "872f7142b1feff39": _base_within_one("AE"),  # BR-AE-08, EN 16931
    "b9432271505869e6": _base_within_one("E"),  # BR-E-08, EN 16931
    "15670d2a1a1a34ab": _base_within_one("G"),  # BR-G-08, EN 16931
    "4e2eb37573f8097f": _base_within_one("K"),  # BR-IC-08, EN 16931
    "9846f847cb5e2365": _base_per_rate_one_amount("S"),  # BR-S-08, EN 16931
    "6612f350f18f2382": _base_per_rate_one_amount("L"),  # BR-AF-08, EN 16931
    "a6865421ab56dcd2": _base_per_rate_one_amount("M"),  # BR-AG-08, EN 16931
    "195a0207dec22517": _allowance_total,  # BR-CO-11, EN 16931
    "2777e8b9faa3bce7": _charge_total,  # BR-CO-12, EN 16931
    "bfc64992ed549b18": _credit_transfer,  # CII-SR-470's context, EN 16931
    "cf5424b6d5130073": _empty_leaf,  # PEPPOL-EN16931-R008's context, every profile
    "4afe6b7d8d284221": _group_children_have_amounts,  # FX-SCH-A-000414, BASIC
    "e29ef8c30b13eab7": _german_parties,  # FX-SCH-A-000354's context, BASIC
    "10092d4c06dc1474": _delivery_or_period,  # FX-SCH-A-000354, BASIC
    "793411cc09ddc63c": upper_type_is_vat,  # a VAT breakdown's context (BR-FXEXT-*-08...), EXTENDED
    "307b4b2d0e3c1f5a": _lines_total,  # BR-FXEXT-CO-10, EXTENDED
    "5112e1734a66c01f": _allowances_total,  # BR-FXEXT-CO-11, EXTENDED
    "0c0f9af06198c0a1": _charges_total,  # BR-FXEXT-CO-12, EXTENDED
    "66d4c3397d8d82b0": _tax_basis_total,  # BR-FXEXT-CO-13, EXTENDED
    "97e80382c5c0336a": _grand_total,  # BR-FXEXT-CO-15, EXTENDED
    "0478c2335508cfd0": _amount_due,  # BR-FXEXT-CO-16, EXTENDED
    "8e53b635d4712d10": _group_amounts,  # BR-FXEXT-08, EXTENDED
    "1f64eaac1e6d8cee": _parent_exists,  # BR-FXEXT-11, EXTENDED
    "e8bf947c5e5863c8": _line_vat_category,  # BR-FXEXT-CO-04, EXTENDED
    "c42141759fcea65f": _format_205,  # BR-FXEXT-CII-DT-097a, EXTENDED
    "5048a4868a9ad37e": _standard_tax,  # BR-FXEXT-S-09b, EXTENDED
    "88481bbb8fbdc742": category_basis_within_tolerance("G"),  # FX-SCH-A-000310, MINIMUM
}
