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
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    add,
    any_of,
    any_text,
    compares,
    div,
    double,
    equal,
    find,
    less,
    less_or_equal,
    mul,
    normalize,
    one,
    round_half_up,
    sub,
    text,
)

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
        rates = [Decimal(text(node).strip()) for node in find(element, document, "../ram:RateApplicablePercent")]
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
    return next(element.iterchildren(etree.Element), None) is None and normalize(text(element)) == ""


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
}
