"""EN 16931 in CII, natively: the CEN/TC 434 CII artefact (release 1.3.16) restated.

Three patterns, as in the artefact: the business rules (BR-*, BR-CO-*, BR-DEC-*, BR-<category>-*),
the CII syntax binding (CII-SR-*, CII-DT-*) and the code lists (BR-CL-*). Each assertion keeps the
artefact's id and context, and decides as its XPath does (see `xpath`: untyped values compared
as doubles, xs:decimal arithmetic, rounding to two decimals with `round(x * 10 * 10) div 100`).
"""

from decimal import Decimal

from coursier.validation.artefacts import CEN_CII
from coursier.validation.native import codes
from coursier.validation.native.book import (
    Assert,
    Key,
    Pattern,
    RuleBook,
    Test,
    both,
    either,
    filled,
    lacking,
    present,
    rule,
)
from coursier.validation.native.cii_syntax import SYNTAX_RULES
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    absolute,
    add,
    all_of,
    any_of,
    any_text,
    blank,
    boolean,
    compares,
    decimal,
    decimals_after_point,
    div,
    double,
    equal,
    find,
    less,
    less_or_equal,
    memoised,
    mul,
    normalize,
    one,
    per_document,
    round_half_up,
    sub,
    sum_doubles,
    tag,
    text,
    to_decimal,
)

ROOT = "/rsm:CrossIndustryInvoice"
TRANSACTION = f"{ROOT}/rsm:SupplyChainTradeTransaction"
AGREEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
TOTALS = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
INVOICE_CURRENCY = f"{SETTLEMENT}/ram:InvoiceCurrencyCode"
TAX_CURRENCY = f"{SETTLEMENT}/ram:TaxCurrencyCode"
LINE_SETTLEMENTS = f"{TRANSACTION}/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement"
HEADER_ALLOWANCES_CHARGES = f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge"
SELLER_TAX_IDS = f"{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID"
NET_PRICE = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"
GROSS_PRICE = "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount"
REPRESENTATIVE_TAX_IDS = f"{AGREEMENT}/ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID"

_HUNDRED = Decimal(100)


# ---- XPath idioms of the artefact -----------------------------------------------------------------


def indicator_is(charge: Element, document: Document, wanted: bool) -> bool:
    """ram:ChargeIndicator/udt:Indicator = true() (or false()): one indicator says so."""
    return any(boolean(node) == wanted for node in find(charge, document, "ram:ChargeIndicator/udt:Indicator"))


def indicator_cast_is(charge: Element, document: Document, wanted: bool) -> bool:
    """(ram:ChargeIndicator/udt:Indicator cast as xs:boolean) = true(): exactly one indicator."""
    indicators = find(charge, document, "ram:ChargeIndicator/udt:Indicator")
    if len(indicators) != 1:
        raise XPathError("cast as xs:boolean of a sequence that is not one item")
    return boolean(indicators[0]) == wanted


def upper_type_is_vat(tax: Element, document: Document) -> bool:
    """upper-case(ram:TypeCode) = 'VAT'."""
    return text(one(find(tax, document, "ram:TypeCode"))).upper() == "VAT"


def rounded_sum(values: list[Decimal]) -> Decimal:
    """round(sum(values) * 10 * 10) div 100, on decimals."""
    return round_half_up(sum(values, Decimal(0)) * 10 * 10) / _HUNDRED


def rounded_double_sum(nodes: list) -> float | int:
    """round(sum(nodes) * 10 * 10) div 100 on untyped nodes: double arithmetic."""
    return div(round_half_up(mul(mul(sum_doubles(nodes), 10), 10)), 100)


def two_decimals(path: str) -> Test:
    """string-length(substring-after(path, '.')) <= 2."""
    return lambda element, document: decimals_after_point(one(find(element, document, path))) <= 2


@per_document
def seller_vat_or_tax_registration(element: Element, document: Document) -> bool:
    """Seller VAT identifier or tax registration (BT-31/BT-32), or the representative's VAT id (BT-63)."""
    return any(node.get("schemeID") in ("VA", "FC") for node in find(element, document, SELLER_TAX_IDS)) or any(
        node.get("schemeID") == "VA" for node in find(element, document, REPRESENTATIVE_TAX_IDS)
    )


def _vat_id(path: str):
    return per_document(
        lambda element, document: any(node.get("schemeID") == "VA" for node in find(element, document, path))
    )


seller_vat_anywhere = per_document(
    either(
        _vat_id("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID"),
        _vat_id("//ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID"),
    )
)
buyer_vat_anywhere = _vat_id("//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID")


def compared(path: str, operator: str, number: int) -> Test:
    """path operator number: a general comparison of untyped nodes with a number."""
    return lambda element, document: compares(find(element, document, path), operator, number)


# ---- VAT category sums (BR-<category>-08) ---------------------------------------------------------


def _at_rate(holder: Element, document: Document, taxes: str, rate: Decimal) -> bool:
    """holder/taxes/xs:decimal(ram:RateApplicablePercent) = rate: one of its taxes is at that rate."""
    return any_of(
        *(
            lambda tax=tax: decimal(one(find(tax, document, "ram:RateApplicablePercent"))) == rate
            for tax in find(holder, document, taxes)
        )
    )


def _line_amounts(document: Document, category: str, rate: Decimal | None) -> list[Decimal]:
    """/…/ram:SpecifiedLineTradeSettlement[ram:ApplicableTradeTax/ram:CategoryCode = category
    (and ram:ApplicableTradeTax/xs:decimal(ram:RateApplicablePercent) = rate)]
    /ram:SpecifiedTradeSettlementLineMonetarySummation/xs:decimal(ram:LineTotalAmount)"""
    amounts = []
    for settlement in find(document.root, document, LINE_SETTLEMENTS):
        if not all_of(
            lambda settlement=settlement: any_text(
                find(settlement, document, "ram:ApplicableTradeTax/ram:CategoryCode"), category
            ),
            lambda settlement=settlement: (
                rate is None or _at_rate(settlement, document, "ram:ApplicableTradeTax", rate)
            ),
        ):
            continue
        for summation in find(settlement, document, "ram:SpecifiedTradeSettlementLineMonetarySummation"):
            amount = decimal(one(find(summation, document, "ram:LineTotalAmount")))
            if amount is not None:
                amounts.append(amount)
    return amounts


def _document_amounts(
    document: Document, category: str, charge: bool, rate: Decimal | None, *, cast: bool = False
) -> list[Decimal]:
    """/…/ram:SpecifiedTradeAllowanceCharge[indicator and ram:CategoryTradeTax/ram:CategoryCode =
    category (and the rate)]/xs:decimal(ram:ActualAmount[1])"""
    indicated = indicator_cast_is if cast else indicator_is
    amounts = []
    for allowance_charge in find(document.root, document, HEADER_ALLOWANCES_CHARGES):
        if not all_of(
            lambda node=allowance_charge: indicated(node, document, charge),
            lambda node=allowance_charge: any_text(
                find(node, document, "ram:CategoryTradeTax/ram:CategoryCode"), category
            ),
            lambda node=allowance_charge: rate is None or _at_rate(node, document, "ram:CategoryTradeTax", rate),
        ):
            continue
        actual = find(allowance_charge, document, "ram:ActualAmount")
        if actual:
            amounts.append(decimal(actual[0]))
    return amounts


def category_base(document: Document, category: str, rate: Decimal | None = None, *, cast: bool = False) -> Decimal:
    """Σ line net amounts + Σ charges - Σ allowances of a VAT category, each sum rounded."""
    return _category_base(document, category, rate, cast)


@memoised
def _category_base(document: Document, category: str, rate: Decimal | None, cast: bool) -> Decimal:
    return (
        rounded_sum(_line_amounts(document, category, rate))
        + rounded_sum(_document_amounts(document, category, True, rate, cast=cast))
        - rounded_sum(_document_amounts(document, category, False, rate, cast=cast))
    )


def base_within_one(category: str, *, cast: bool = False):
    """BR-E/G/IC/AE/Z-08 (context: the breakdown's CategoryCode): ../ram:BasisAmount within 1 of the sum."""

    def holds(code: Element, document: Document) -> bool:
        basis = double(one(find(code, document, "../ram:BasisAmount")))
        expected = category_base(document, category, cast=cast)
        return less(sub(basis, 1), expected) and less(expected, add(basis, 1))

    return holds


def base_per_rate(category: str, basis_path: str, rates_path: str):
    """BR-S/AF/AG-08: for each rate of the breakdown, its BasisAmount equals the sum at that rate."""

    def holds(element: Element, document: Document) -> bool:
        rates = [decimal(node) for node in find(element, document, rates_path)]
        return all(
            compares(find(element, document, basis_path), "=", category_base(document, category, rate))
            for rate in rates
        )

    return holds


def base_not_subject(tax: Element, document: Document) -> bool:
    """BR-O-08: ram:BasisAmount = the sum (indicators cast as xs:boolean)."""
    expected = category_base(document, "O", cast=True)
    return compares(find(tax, document, "ram:BasisAmount"), "=", expected)


def standard_tax_amount(code: Element, document: Document) -> bool:
    """BR-S-09: |BT-117| within 1 of round(|BT-116| x BT-119) div 100 (the rate as a double)."""
    calculated = absolute(decimal(one(find(code, document, "../ram:CalculatedAmount"))))
    basis = absolute(decimal(one(find(code, document, "../ram:BasisAmount"))))
    rate = double(one(find(code, document, "../ram:RateApplicablePercent")))
    expected = div(round_half_up(mul(basis, rate)), 100)
    return less(sub(calculated, 1), expected) and less(expected, add(calculated, 1))


def zero_amount(path: str):
    return compared(path, "=", 0)


# What the category rules' contexts compare: a tax's ram:CategoryCode texts, a code's own text.
CATEGORY_CODES = Key(lambda tax, document: [text(node) for node in find(tax, document, "ram:CategoryCode")])
OWN_TEXT = Key(lambda element, document: (text(element),))


def _category_tax(category: str):
    """[ram:CategoryCode = category][upper-case(ram:TypeCode) = 'VAT']"""
    return CATEGORY_CODES.is_(category, upper_type_is_vat)


def _charge_category_tax(category: str, charge: bool):
    """ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = charge]/ram:CategoryTradeTax
    [ram:CategoryCode = category][upper-case(ram:TypeCode) = 'VAT']"""
    return CATEGORY_CODES.is_(
        category,
        lambda tax, document: indicator_is(tax.getparent(), document, charge) and upper_type_is_vat(tax, document),
    )


def _breakdown_code(category: str):
    """ram:ApplicableTradeTax/ram:CategoryCode[. = category][upper-case(../ram:TypeCode) = 'VAT']"""
    return OWN_TEXT.is_(
        category, lambda code, document: text(one(find(code, document, "../ram:TypeCode"))).upper() == "VAT"
    )


HEADER_TAX = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
HEADER_TAX_CODE = f"{HEADER_TAX}/ram:CategoryCode"
LINE_TAX = (
    "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement"
    "/ram:ApplicableTradeTax"
)
CHARGE_TAX = "ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax"


def _category_rules(category: str, first: str, seller_test, rate_test, *, allowance_first: bool):
    """BR-X-02..07 of a VAT category: line, document allowance and document charge."""
    prefix = f"BR-{first}"
    line = rule(
        LINE_TAX, Assert(f"{prefix}-02", seller_test), Assert(f"{prefix}-05", rate_test), where=_category_tax(category)
    )
    allowance = rule(
        CHARGE_TAX,
        Assert(f"{prefix}-03", seller_test),
        Assert(f"{prefix}-06", rate_test),
        where=_charge_category_tax(category, False),
    )
    charge = rule(
        CHARGE_TAX,
        Assert(f"{prefix}-04", seller_test),
        Assert(f"{prefix}-07", rate_test),
        where=_charge_category_tax(category, True),
    )
    return (allowance, charge, line) if allowance_first else (line, allowance, charge)


# ---- BR-CO-* on the totals ------------------------------------------------------------------------


def _first_decimal(element: Element, document: Document, path: str) -> Decimal | None:
    """xs:decimal(path[1])."""
    nodes = find(element, document, path)
    return decimal(nodes[0]) if nodes else None


def lines_sum(totals: Element, document: Document) -> bool:
    """BR-CO-10: xs:decimal(ram:LineTotalAmount) = round(xs:decimal(sum(line amounts)) * 100) div 100."""
    stated = decimal(one(find(totals, document, "ram:LineTotalAmount")))
    line_amounts = find(
        totals,
        document,
        "../../ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement"
        "/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
    )
    expected = round_half_up(to_decimal(sum_doubles(line_amounts)) * _HUNDRED) / _HUNDRED
    return equal(stated, expected)


def _document_total(charge: bool, total: str):
    """BR-CO-11/12: no allowance (charge) and no total, or the total = the rounded sum of their amounts."""

    def holds(totals: Element, document: Document) -> bool:
        selected = [
            allowance_charge
            for allowance_charge in find(totals, document, HEADER_ALLOWANCES_CHARGES)
            if indicator_is(allowance_charge, document, charge)
        ]
        stated = find(totals, document, total)
        if not selected and not stated:
            return True
        amounts = [found[0] for node in selected if (found := find(node, document, "ram:ActualAmount"))]
        expected = rounded_double_sum(amounts)
        return compares(stated, "=", expected)

    return holds


def _hundredths(value: Decimal | None) -> Decimal | None:
    """round(value * 10 * 10) div 100."""
    return None if value is None else round_half_up(value * 10 * 10) / _HUNDRED


def net_total(totals: Element, document: Document) -> bool:
    """BR-CO-13: BT-109 = round(BT-106 - BT-107 + BT-108) to two decimals, the absent terms left out."""

    def value(path: str):
        return lambda: _first_decimal(totals, document, path)

    basis, lines = value("ram:TaxBasisTotalAmount"), value("ram:LineTotalAmount")
    allowances, charges = value("ram:AllowanceTotalAmount"), value("ram:ChargeTotalAmount")

    def no(path: str):
        return lambda: not find(totals, document, path)

    return any_of(
        lambda: equal(basis(), _hundredths(add(sub(lines(), allowances()), charges()))),
        lambda: all_of(lambda: equal(basis(), _hundredths(sub(lines(), allowances()))), no("ram:ChargeTotalAmount")),
        lambda: all_of(lambda: equal(basis(), _hundredths(add(lines(), charges()))), no("ram:AllowanceTotalAmount")),
        lambda: all_of(
            lambda: equal(basis(), _hundredths(lines())), no("ram:ChargeTotalAmount"), no("ram:AllowanceTotalAmount")
        ),
    )


def amount_due(totals: Element, document: Document) -> bool:
    """BR-CO-16: BT-115 = BT-112 - BT-113 + BT-114, the absent terms left out."""

    def value(path: str):
        return lambda: _first_decimal(totals, document, path)

    due, grand = value("ram:DuePayableAmount"), value("ram:GrandTotalAmount")
    paid, rounding = value("ram:TotalPrepaidAmount"), value("ram:RoundingAmount")

    def no(path: str):
        return lambda: not find(totals, document, path)

    return any_of(
        lambda: equal(due(), add(sub(grand(), paid()), rounding())),
        lambda: all_of(lambda: equal(due(), add(grand(), rounding())), no("ram:TotalPrepaidAmount")),
        lambda: all_of(lambda: equal(due(), sub(grand(), paid())), no("ram:RoundingAmount")),
        lambda: all_of(lambda: equal(due(), grand()), no("ram:TotalPrepaidAmount"), no("ram:RoundingAmount")),
    )


def vat_total_decimals(currency_path: str, *, when_absent_currency: bool):
    """BR-DEC-13/15: not(ram:TaxTotalAmount) or a VAT total in the currency with at most two decimals
    (. = round(. * 100) div 100), or (BR-DEC-13) one in another currency, or (BR-DEC-15) no such currency."""

    def holds(totals: Element, document: Document) -> bool:
        amounts = find(totals, document, "ram:TaxTotalAmount")
        if not amounts:
            return True
        currencies = [text(node) for node in find(totals, document, currency_path)]

        def two_decimals_in_currency(amount: Element) -> bool:
            if amount.get("currencyID") not in currencies:
                return False
            value = double(amount)
            return value == div(round_half_up(value * 100), 100)

        def otherwise(amount: Element) -> bool:
            if when_absent_currency:
                return not currencies
            return amount.get("currencyID") not in currencies

        return any_of(
            *(
                lambda amount=amount: any_of(lambda: two_decimals_in_currency(amount), lambda: otherwise(amount))
                for amount in amounts
            )
        )

    return holds


def accounting_vat_total(totals: Element, document: Document) -> bool:
    """BR-53: with a VAT accounting currency (BT-6), a VAT total in it (BT-111), BT-6 differing from BT-5."""
    tax_currencies = [text(node) for node in find(totals, document, TAX_CURRENCY)]
    if not tax_currencies:
        return True
    invoice_currencies = {text(node) for node in find(totals, document, INVOICE_CURRENCY)}
    currencies = [amount.get("currencyID") for amount in find(totals, document, "ram:TaxTotalAmount")]
    return any(currency in tax_currencies for currency in currencies if currency is not None) and not any(
        code in invoice_currencies for code in tax_currencies
    )


def vat_total_is_breakdown_sum(amount: Element, document: Document) -> bool:
    """BR-CO-14: . = round(sum(the breakdowns' CalculatedAmount) * 10 * 10) div 100."""
    expected = rounded_double_sum(find(amount, document, f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount"))
    return compares([amount], "=", expected)


def grand_total(root: Element, document: Document) -> bool:
    """BR-CO-15: for every invoice currency, one VAT total in it and BT-112 = round(BT-109 + BT-110, 2),
    or BT-112 = BT-109."""

    def first(path: str):
        return lambda: _first_decimal(root, document, f"{TOTALS}/{path}")

    grand, basis = first("ram:GrandTotalAmount"), first("ram:TaxBasisTotalAmount")

    def holds_in(code: str) -> bool:
        in_currency = [
            node for node in find(root, document, f"{TOTALS}/ram:TaxTotalAmount") if node.get("currencyID") == code
        ]

        def with_vat() -> bool:
            total = add(basis(), decimal(in_currency[0]) if in_currency else None)
            expected = None if total is None else round_half_up(total * 100) / _HUNDRED
            return equal(grand(), expected)

        return any_of(
            lambda: all_of(lambda: len(in_currency) == 1, with_vat),
            lambda: equal(grand(), basis()),
        )

    currencies = find(root, document, INVOICE_CURRENCY)
    return all_of(*(lambda currency=currency: holds_in(text(currency)) for currency in currencies))


def breakdown_tax(tax: Element, document: Document) -> bool:
    """BR-CO-17: BT-117 = BT-116 x BT-119 / 100 within 1, or 0 when the rate rounds to 0 or is absent."""

    def rate() -> Decimal | None:
        if normalize(text(one(find(tax, document, "ram:TypeCode"))).upper()) != "VAT":
            return None
        return decimal(one(find(tax, document, "ram:RateApplicablePercent")))

    def calculated() -> Decimal | None:
        return decimal(one(find(tax, document, "ram:CalculatedAmount")))

    def expected() -> Decimal | None:
        basis = absolute(decimal(one(find(tax, document, "ram:BasisAmount"))))
        current = rate()
        product = mul(mul(mul(basis, None if current is None else current / _HUNDRED), 10), 10)
        return None if product is None else round_half_up(product) / _HUNDRED

    def rounded_rate_is_not_zero() -> bool:
        rounded = round_half_up(rate())
        return rounded is not None and rounded != 0

    return any_of(
        lambda: all_of(lambda: equal(round_half_up(rate()), 0), lambda: equal(round_half_up(calculated()), 0)),
        lambda: all_of(
            rounded_rate_is_not_zero,
            lambda: less_or_equal(sub(absolute(calculated()), 1), expected()),
            lambda: less_or_equal(expected(), add(absolute(calculated()), 1)),
        ),
        lambda: all_of(lambda: rate() is None, lambda: equal(round_half_up(calculated()), 0)),
    )


@per_document
def tax_point_exclusive(tax: Element, document: Document) -> bool:
    """BR-CO-03: not both a VAT point date (BT-7) and its code (BT-8), anywhere."""
    return not (document.named(tag("ram:TaxPointDate")) and document.named(tag("ram:DueDateTypeCode")))


def _period_order(period: Element, document: Document) -> bool:
    """BR-29/30: end date >= start date (compared as strings), unless one is missing."""
    ends = [
        text(node)
        for node in find(period, document, "ram:EndDateTime/udt:DateTimeString")
        if node.get("format") == "102"
    ]
    starts = [
        text(node)
        for node in find(period, document, "ram:StartDateTime/udt:DateTimeString")
        if node.get("format") == "102"
    ]
    if any(end >= start for end in ends for start in starts):
        return True
    return not find(period, document, "ram:EndDateTime") or not find(period, document, "ram:StartDateTime")


def payee_differs(payee: Element, document: Document) -> bool:
    """BR-17: a Payee with a name, and no name, id or legal id equal to the Seller's."""
    if not find(payee, document, "ram:Name"):
        return False
    seller = "../../ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
    for own, sellers in (
        ("ram:Name", f"{seller}/ram:Name"),
        ("ram:ID", f"{seller}/ram:ID"),
        ("ram:SpecifiedLegalOrganization/ram:ID", f"{seller}/ram:SpecifiedLegalOrganization/ram:ID"),
    ):
        seller_values = {text(node) for node in find(payee, document, sellers)}
        if any(text(node) in seller_values for node in find(payee, document, own)):
            return False
    return True


def vat_prefix(identifier: Element, document: Document) -> bool:
    """BR-CO-09: the first two characters are an ISO 3166-1 code (or EL)."""
    return text(identifier)[:2] in codes.VAT_PREFIX_CII


@memoised
def categories_count(document: Document, path: str, category: str) -> int:
    """count(//path[ram:CategoryCode = category])."""
    return sum(
        1 for tax in find(document.root, document, path) if any_text(find(tax, document, "ram:CategoryCode"), category)
    )


LINE_TAXES = "//ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
BREAKDOWNS = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
CHARGE_TAXES = "//ram:CategoryTradeTax"


def at_least_one_breakdown(category: str):
    """BR-S/AF/AG-01: lines, allowances or charges of the category imply a breakdown of it."""

    def holds(root: Element, document: Document) -> bool:
        breakdowns = categories_count(document, BREAKDOWNS, category)
        lines = categories_count(document, LINE_TAXES, category)
        charges = categories_count(document, CHARGE_TAXES, category)
        return (lines + breakdowns >= 2 or not lines) and (charges + breakdowns >= 2 or not charges)

    return holds


def exactly_one_breakdown(category: str):
    """BR-Z/E/AE/IC/G-01: none of the category anywhere, or one breakdown and a line or allowance/charge."""

    def holds(root: Element, document: Document) -> bool:
        breakdowns = categories_count(document, BREAKDOWNS, category)
        lines = categories_count(document, LINE_TAXES, category)
        charges = categories_count(document, CHARGE_TAXES, category)
        return (breakdowns == 0 and lines == 0 and charges == 0) or (breakdowns == 1 and (lines > 0 or charges > 0))

    return holds


def not_subject_breakdown(root: Element, document: Document) -> bool:
    """BR-O-01: no "O" breakdown, or exactly one with a line or allowance/charge "O"."""
    breakdowns = categories_count(document, BREAKDOWNS, "O")
    if not breakdowns:
        return True
    return breakdowns == 1 and (
        categories_count(document, LINE_TAXES, "O") > 0 or categories_count(document, CHARGE_TAXES, "O") > 0
    )


def split_payment_domestic(root: Element, document: Document) -> bool:
    """BR-B-01: with category "B" anywhere, every country code is IT."""
    split = any_text(document.named(tag("ram:CategoryCode")), "B")
    all_italian = not any(text(node) != "IT" for node in document.named(tag("ram:CountryID")))
    return (all_italian and split) or not split


def split_payment_alone(root: Element, document: Document) -> bool:
    """BR-B-02: category "B" and "S" never together."""
    category_codes = document.named(tag("ram:CategoryCode"))
    split = any_text(category_codes, "B")
    return (split and not any_text(category_codes, "S")) or not split


def only_not_subject(path: str):
    """BR-O-11..14: not(//path[ram:CategoryCode != 'O'])."""
    return lambda element, document: (
        not any(
            any(text(code) != "O" for code in find(tax, document, "ram:CategoryCode"))
            for tax in find(element, document, path)
        )
    )


@per_document
def no_vat_ids(element: Element, document: Document) -> bool:
    """BR-O-02..04: no Seller, representative or Buyer VAT identifier."""
    return not (
        any(node.get("schemeID") == "VA" for node in find(element, document, SELLER_TAX_IDS))
        or any(node.get("schemeID") == "VA" for node in find(element, document, REPRESENTATIVE_TAX_IDS))
        or buyer_vat_anywhere(element, document)
    )


@per_document
def reverse_charge_parties(element: Element, document: Document) -> bool:
    """BR-AE-02..04: the Seller's (or representative's) VAT or tax id, and the Buyer's VAT or legal id."""
    seller = any(
        node.get("schemeID") in ("VA", "FC")
        for node in find(element, document, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID")
    ) or any(
        node.get("schemeID") == "VA"
        for node in find(
            element, document, "//ram:SellerTaxRepresentativeTradeParty/ram:SpecifiedTaxRegistration/ram:ID"
        )
    )
    buyer = buyer_vat_anywhere(element, document) or bool(
        find(element, document, "//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
    )
    return seller and buyer


@per_document
def intra_community_parties(element: Element, document: Document) -> bool:
    """BR-IC-02..04: the Seller's (or representative's) VAT id and the Buyer's VAT id."""
    return seller_vat_anywhere(element, document) and buyer_vat_anywhere(element, document)


# ---- the patterns ----------------------------------------------------------------------------------


def _rate_is(operator: str) -> Test:
    return compared("ram:RateApplicablePercent", operator, 0)


BUSINESS_RULES = Pattern(
    (
        rule(
            "ram:DesignatedProductClassification",
            Assert(
                "BR-65", lambda e, d: not blank(find(e, d, "ram:ClassCode/@listID")) or not find(e, d, "ram:ClassCode")
            ),
        ),
        rule("ram:AdditionalReferencedDocument", Assert("BR-52", filled("ram:IssuerAssignedID"))),
        rule(
            "ram:ApplicableTradeSettlementFinancialCard",
            Assert("BR-51", lambda e, d: len(normalize(text(one(find(e, d, "ram:ID"))))) <= 10),
        ),
        rule(
            "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount",
            Assert("BR-50", either(filled("ram:IBANID"), filled("ram:ProprietaryID"))),
            Assert("BR-61", either(present("ram:IBANID"), present("ram:ProprietaryID"))),
            where=lambda e, d: any_text(find(e, d, "../ram:TypeCode"), "30", "58"),
        ),
        rule(
            f"{TRANSACTION}/ram:ApplicableHeaderTradeDelivery",
            Assert(
                "BR-57",
                lambda e, d: (
                    (
                        bool(find(e, d, "ram:ShipToTradeParty/ram:PostalTradeAddress"))
                        and not blank(find(e, d, "ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID"))
                    )
                    or not find(e, d, "ram:ShipToTradeParty/ram:PostalTradeAddress")
                ),
            ),
        ),
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator",
            Assert("BR-31", present("../ram:ActualAmount")),
            Assert(
                "BR-32",
                lambda e, d: any(
                    upper_type_is_vat(tax, d) and find(tax, d, "ram:CategoryCode")
                    for tax in find(e, d, "../ram:CategoryTradeTax")
                ),
            ),
            Assert("BR-33", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert("BR-CO-05", lambda e, d: True),
            Assert("BR-CO-21", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert(
                "BR-DEC-01", lambda e, d: decimals_after_point(next(iter(find(e, d, "../ram:ActualAmount")), None)) <= 2
            ),
            Assert("BR-DEC-02", two_decimals("../ram:BasisAmount")),
            where=lambda e, d: any_text(find(e, d, "udt:Indicator"), "false"),
        ),
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator",
            Assert("BR-36", present("../ram:ActualAmount")),
            Assert(
                "BR-37",
                lambda e, d: any(
                    upper_type_is_vat(tax, d) and find(tax, d, "ram:CategoryCode")
                    for tax in find(e, d, "../ram:CategoryTradeTax")
                ),
            ),
            Assert("BR-38", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert("BR-CO-06", lambda e, d: True),
            Assert("BR-CO-22", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert(
                "BR-DEC-05", lambda e, d: decimals_after_point(next(iter(find(e, d, "../ram:ActualAmount")), None)) <= 2
            ),
            Assert("BR-DEC-06", two_decimals("../ram:BasisAmount")),
            where=lambda e, d: any_text(find(e, d, "udt:Indicator"), "true"),
        ),
        rule(
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
            Assert("BR-12", present("ram:LineTotalAmount")),
            Assert("BR-13", present("ram:TaxBasisTotalAmount")),
            Assert("BR-14", present("ram:GrandTotalAmount")),
            Assert("BR-15", present("ram:DuePayableAmount")),
            Assert("BR-53", accounting_vat_total),
            Assert("BR-CO-10", lines_sum),
            Assert("BR-CO-11", _document_total(False, "ram:AllowanceTotalAmount")),
            Assert("BR-CO-12", _document_total(True, "ram:ChargeTotalAmount")),
            Assert("BR-CO-13", net_total),
            Assert("BR-CO-16", amount_due),
            Assert("BR-DEC-09", two_decimals("ram:LineTotalAmount")),
            Assert("BR-DEC-10", two_decimals("ram:AllowanceTotalAmount")),
            Assert("BR-DEC-11", two_decimals("ram:ChargeTotalAmount")),
            Assert("BR-DEC-12", two_decimals("ram:TaxBasisTotalAmount")),
            Assert("BR-DEC-14", two_decimals("ram:GrandTotalAmount")),
            Assert("BR-DEC-13", vat_total_decimals(INVOICE_CURRENCY, when_absent_currency=False)),
            Assert("BR-DEC-15", vat_total_decimals(TAX_CURRENCY, when_absent_currency=True)),
            Assert("BR-DEC-16", two_decimals("ram:TotalPrepaidAmount")),
            Assert("BR-DEC-17", two_decimals("ram:RoundingAmount")),
            Assert("BR-DEC-18", two_decimals("ram:DuePayableAmount")),
        ),
        rule(
            ROOT,
            Assert(
                "BR-01", filled("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
            ),
            Assert("BR-02", filled("rsm:ExchangedDocument/ram:ID")),
            Assert(
                "BR-03",
                lambda e, d: (
                    not blank(
                        [
                            node
                            for node in find(e, d, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")
                            if node.get("format") == "102"
                        ]
                    )
                ),
            ),
            Assert("BR-04", filled("rsm:ExchangedDocument/ram:TypeCode")),
            Assert(
                "BR-05",
                filled("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode"),
            ),
            Assert(
                "BR-06",
                filled(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:Name"
                ),
            ),
            Assert(
                "BR-07",
                filled(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:Name"
                ),
            ),
            Assert(
                "BR-08",
                present(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty/ram:PostalTradeAddress"
                ),
            ),
            Assert(
                "BR-09",
                filled(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
                    "/ram:PostalTradeAddress/ram:CountryID"
                ),
            ),
            Assert(
                "BR-10",
                present(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:PostalTradeAddress"
                ),
            ),
            Assert(
                "BR-11",
                filled(
                    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty"
                    "/ram:PostalTradeAddress/ram:CountryID"
                ),
            ),
            Assert("BR-16", lambda e, d: bool(d.named(tag("ram:IncludedSupplyChainTradeLineItem")))),
            Assert("BR-62", lambda e, d: _electronic_address_scheme(e, d, "ram:SellerTradeParty")),
            Assert("BR-63", lambda e, d: _electronic_address_scheme(e, d, "ram:BuyerTradeParty")),
            Assert("BR-CO-15", grand_total),
            Assert("BR-S-01", at_least_one_breakdown("S")),
            Assert("BR-Z-01", exactly_one_breakdown("Z")),
            Assert("BR-E-01", exactly_one_breakdown("E")),
            Assert("BR-AE-01", exactly_one_breakdown("AE")),
            Assert("BR-IC-01", exactly_one_breakdown("K")),
            Assert("BR-G-01", exactly_one_breakdown("G")),
            Assert("BR-O-01", not_subject_breakdown),
            Assert("BR-AF-01", at_least_one_breakdown("L")),
            Assert("BR-AG-01", at_least_one_breakdown("M")),
            Assert("BR-B-01", split_payment_domestic),
            Assert("BR-B-02", split_payment_alone),
        ),
        rule(
            "ram:IncludedSupplyChainTradeLineItem",
            Assert("BR-21", filled("ram:AssociatedDocumentLineDocument/ram:LineID")),
            Assert("BR-22", present("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")),
            Assert("BR-23", present("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode")),
            Assert(
                "BR-24",
                present(
                    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
                ),
            ),
            Assert("BR-25", filled("ram:SpecifiedTradeProduct/ram:Name")),
            Assert("BR-26", present(NET_PRICE)),
            Assert(
                "BR-27",
                compared(NET_PRICE, ">=", 0),
            ),
            Assert(
                "BR-28",
                either(
                    compared(GROSS_PRICE, ">=", 0),
                    lacking(GROSS_PRICE),
                ),
            ),
            Assert(
                "BR-64",
                lambda e, d: (
                    not blank(find(e, d, "ram:SpecifiedTradeProduct/ram:GlobalID/@schemeID"))
                    or not find(e, d, "ram:SpecifiedTradeProduct/ram:GlobalID")
                ),
            ),
            Assert(
                "BR-CO-04",
                lambda e, d: any(
                    upper_type_is_vat(tax, d) and find(tax, d, "ram:CategoryCode")
                    for tax in find(e, d, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")
                ),
            ),
            Assert(
                "BR-CO-18",
                lambda e, d: bool(
                    find(
                        e,
                        d,
                        "//rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
                    )
                ),
            ),
            Assert(
                "BR-DEC-23",
                two_decimals(
                    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
                ),
            ),
        ),
        rule(
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator",
            Assert("BR-41", present("../ram:ActualAmount")),
            Assert("BR-42", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert("BR-CO-07", lambda e, d: True),
            Assert("BR-CO-23", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert(
                "BR-DEC-24", lambda e, d: decimals_after_point(next(iter(find(e, d, "../ram:ActualAmount")), None)) <= 2
            ),
            Assert("BR-DEC-25", two_decimals("../ram:BasisAmount")),
            where=lambda e, d: any_text(find(e, d, "udt:Indicator"), "false"),
        ),
        rule(
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator",
            Assert("BR-43", present("../ram:ActualAmount")),
            Assert("BR-44", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert("BR-CO-08", lambda e, d: True),
            Assert("BR-CO-24", either(present("../ram:Reason"), present("../ram:ReasonCode"))),
            Assert(
                "BR-DEC-27", lambda e, d: decimals_after_point(next(iter(find(e, d, "../ram:ActualAmount")), None)) <= 2
            ),
            Assert("BR-DEC-28", two_decimals("../ram:BasisAmount")),
            where=lambda e, d: any_text(find(e, d, "udt:Indicator"), "true"),
        ),
        rule(
            "ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod",
            Assert("BR-30", _period_order),
            Assert("BR-CO-20", either(present("ram:StartDateTime"), present("ram:EndDateTime"))),
        ),
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod",
            Assert("BR-29", _period_order),
            Assert("BR-CO-19", either(present("ram:StartDateTime"), present("ram:EndDateTime"))),
        ),
        rule(
            "ram:ApplicableProductCharacteristic",
            Assert("BR-54", both(present("ram:Description"), present("ram:Value"))),
        ),
        rule("ram:PayeeTradeParty", Assert("BR-17", payee_differs)),
        rule("ram:SpecifiedTradeSettlementPaymentMeans", Assert("BR-49", present("ram:TypeCode"))),
        rule(f"{SETTLEMENT}/ram:InvoiceReferencedDocument", Assert("BR-55", filled("ram:IssuerAssignedID"))),
        rule(
            "ram:SellerTradeParty",
            Assert(
                "BR-CO-26",
                lambda e, d: (
                    bool(find(e, d, "ram:ID"))
                    or bool(find(e, d, "ram:GlobalID"))
                    or bool(find(e, d, "ram:SpecifiedLegalOrganization/ram:ID"))
                    or any(node.get("schemeID") == "VA" for node in find(e, d, "ram:SpecifiedTaxRegistration/ram:ID"))
                ),
            ),
        ),
        rule(
            "ram:SellerTaxRepresentativeTradeParty",
            Assert("BR-18", filled("ram:Name")),
            Assert("BR-19", present("ram:PostalTradeAddress")),
            Assert("BR-20", filled("ram:PostalTradeAddress/ram:CountryID")),
            Assert(
                "BR-56",
                lambda e, d: (
                    not blank(
                        [
                            node
                            for node in find(e, d, "ram:SpecifiedTaxRegistration/ram:ID")
                            if node.get("schemeID") == "VA"
                        ]
                    )
                ),
            ),
        ),
        rule(
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount",
            Assert("BR-CO-14", vat_total_is_breakdown_sum),
            where=lambda e, d: e.get("currencyID") in {text(node) for node in find(e, d, INVOICE_CURRENCY)},
        ),
        rule(
            "ram:SpecifiedTaxRegistration/ram:ID",
            Assert("BR-CO-09", vat_prefix),
            where=lambda e, d: e.get("schemeID") == "VA",
        ),
        # Reverse charge (AE)
        rule(
            HEADER_TAX_CODE,
            Assert("BR-AE-08", base_within_one("AE")),
            Assert("BR-AE-09", zero_amount("../ram:CalculatedAmount")),
            Assert("BR-AE-10", either(present("../ram:ExemptionReason"), present("../ram:ExemptionReasonCode"))),
            where=_breakdown_code("AE"),
        ),
        *_category_rules("AE", "AE", reverse_charge_parties, _rate_is("="), allowance_first=True),
        # IGIC (L)
        rule(
            HEADER_TAX,
            Assert("BR-AF-08", base_per_rate("L", "../ram:BasisAmount", "../ram:RateApplicablePercent")),
            Assert("BR-AF-09", lambda e, d: True),
            Assert("BR-AF-10", both(lacking("ram:ExemptionReason"), lacking("ram:ExemptionReasonCode"))),
            where=_category_tax("L"),
        ),
        *_category_rules("L", "AF", seller_vat_or_tax_registration, _rate_is(">"), allowance_first=False),
        # IPSI (M)
        rule(
            HEADER_TAX,
            Assert("BR-AG-08", base_per_rate("M", "../ram:BasisAmount", "../ram:RateApplicablePercent")),
            Assert("BR-AG-09", lambda e, d: True),
            Assert("BR-AG-10", both(lacking("ram:ExemptionReason"), lacking("ram:ExemptionReasonCode"))),
            where=_category_tax("M"),
        ),
        *_category_rules("M", "AG", seller_vat_or_tax_registration, _rate_is(">="), allowance_first=False),
        # Exempt (E)
        rule(
            HEADER_TAX_CODE,
            Assert("BR-E-08", base_within_one("E")),
            Assert("BR-E-09", zero_amount("../ram:CalculatedAmount")),
            Assert("BR-E-10", either(present("../ram:ExemptionReason"), present("../ram:ExemptionReasonCode"))),
            where=_breakdown_code("E"),
        ),
        *_category_rules("E", "E", seller_vat_or_tax_registration, _rate_is("="), allowance_first=True),
        # Export (G)
        rule(
            HEADER_TAX_CODE,
            Assert("BR-G-08", base_within_one("G")),
            Assert("BR-G-09", zero_amount("../ram:CalculatedAmount")),
            Assert("BR-G-10", either(present("../ram:ExemptionReason"), present("../ram:ExemptionReasonCode"))),
            where=_breakdown_code("G"),
        ),
        *_category_rules("G", "G", seller_vat_anywhere, _rate_is("="), allowance_first=True),
        # Intra-community (K)
        rule(
            HEADER_TAX_CODE,
            Assert("BR-IC-08", base_within_one("K")),
            Assert("BR-IC-09", zero_amount("../ram:CalculatedAmount")),
            Assert("BR-IC-10", either(present("../ram:ExemptionReason"), present("../ram:ExemptionReasonCode"))),
            Assert(
                "BR-IC-11",
                either(
                    present(
                        f"{TRANSACTION}/ram:ApplicableHeaderTradeDelivery/ram:ActualDeliverySupplyChainEvent"
                        "/ram:OccurrenceDateTime/udt:DateTimeString"
                    ),
                    present("../../ram:BillingSpecifiedPeriod/ram:StartDateTime"),
                    present("../../ram:BillingSpecifiedPeriod/ram:EndDateTime"),
                ),
            ),
            Assert(
                "BR-IC-12",
                present(
                    f"{TRANSACTION}/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:PostalTradeAddress/ram:CountryID"
                ),
            ),
            where=_breakdown_code("K"),
        ),
        *_category_rules("K", "IC", intra_community_parties, _rate_is("="), allowance_first=True),
        # Not subject to VAT (O)
        rule(
            HEADER_TAX,
            Assert("BR-O-08", base_not_subject),
            Assert("BR-O-09", zero_amount("ram:CalculatedAmount")),
            Assert("BR-O-10", either(present("ram:ExemptionReason"), present("ram:ExemptionReasonCode"))),
            Assert("BR-O-11", only_not_subject("//ram:ApplicableTradeTax")),
            Assert("BR-O-12", only_not_subject("//ram:ApplicableTradeTax")),
            Assert("BR-O-13", only_not_subject("//ram:CategoryTradeTax")),
            Assert("BR-O-14", only_not_subject("//ram:CategoryTradeTax")),
            where=_category_tax("O"),
        ),
        *_category_rules("O", "O", no_vat_ids, lacking("ram:RateApplicablePercent"), allowance_first=True),
        # Standard rated (S)
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
            Assert("BR-S-08", base_per_rate("S", "../ram:BasisAmount", "../ram:RateApplicablePercent")),
            Assert("BR-S-09", standard_tax_amount),
            Assert("BR-S-10", both(lacking("../ram:ExemptionReason"), lacking("../ram:ExemptionReasonCode"))),
            where=OWN_TEXT.is_("S"),
        ),
        *_category_rules("S", "S", seller_vat_or_tax_registration, _rate_is(">"), allowance_first=False),
        # Zero rated (Z)
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode",
            Assert("BR-Z-08", base_within_one("Z", cast=True)),
            Assert("BR-Z-09", zero_amount("../ram:CalculatedAmount")),
            Assert("BR-Z-10", both(lacking("../ram:ExemptionReason"), lacking("../ram:ExemptionReasonCode"))),
            where=OWN_TEXT.is_("Z"),
        ),
        *_category_rules("Z", "Z", seller_vat_or_tax_registration, _rate_is("="), allowance_first=True),
        rule(
            "ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
            Assert("BR-45", present("ram:BasisAmount")),
            Assert("BR-46", present("ram:CalculatedAmount")),
            Assert("BR-47", lambda e, d: upper_type_is_vat(e, d) and bool(find(e, d, "ram:CategoryCode"))),
            Assert(
                "BR-48",
                lambda e, d: (
                    upper_type_is_vat(e, d)
                    and (bool(find(e, d, "ram:RateApplicablePercent")) or any_text(find(e, d, "ram:CategoryCode"), "O"))
                ),
            ),
            Assert("BR-CO-03", tax_point_exclusive),
            Assert("BR-CO-17", breakdown_tax),
            Assert("BR-DEC-19", two_decimals("ram:BasisAmount")),
            Assert("BR-DEC-20", two_decimals("ram:CalculatedAmount")),
        ),
    )
)


def _electronic_address_scheme(root: Element, document: Document, party: str) -> bool:
    """BR-62/63: the party's first electronic address has a scheme, or there is none."""
    base = f"rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/{party}/ram:URIUniversalCommunication"
    addresses = find(root, document, base)
    if not addresses:
        return True
    return not blank(find(addresses[0], document, "ram:URIID/@schemeID"))


def _listed(value_of, allowed: frozenset[str]):
    """The code-list test: the normalised value, without inner space, is in the list."""

    def holds(element: Element, document: Document) -> bool:
        value = normalize(value_of(element))
        return " " not in value and value in allowed

    return holds


def _own_text(element: Element) -> str:
    return text(element)


def _attribute(name: str):
    return lambda element: element.get(name) or ""


def _has_attribute(name: str):
    return lambda element, document: element.get(name) is not None


def _no_ancestor(*names: str):
    wanted = frozenset(tag(name) for name in names)
    return lambda element: not any(ancestor.tag in wanted for ancestor in element.iterancestors())


CODE_LISTS = Pattern(
    (
        rule("rsm:ExchangedDocument/ram:TypeCode", Assert("BR-CL-01", _listed(_own_text, codes.INVOICE_TYPE_CII))),
        rule(
            "ram:TaxTotalAmount",
            Assert("BR-CL-03", _listed(_attribute("currencyID"), codes.CURRENCY)),
            where=_has_attribute("currencyID"),
        ),
        rule("ram:InvoiceCurrencyCode", Assert("BR-CL-04", _listed(_own_text, codes.CURRENCY))),
        rule("ram:TaxCurrencyCode", Assert("BR-CL-05", _listed(_own_text, codes.CURRENCY))),
        rule("ram:DueDateTypeCode", Assert("BR-CL-06", _listed(_own_text, codes.VAT_DATE_CII))),
        rule("ram:ReferenceTypeCode", Assert("BR-CL-07", _listed(_own_text, codes.REFERENCE_TYPE))),
        rule("ram:SubjectCode", Assert("BR-CL-08", _listed(_own_text, codes.NOTE_SUBJECT_CII))),
        rule(
            "ram:GlobalID",
            Assert("BR-CL-10", _listed(_attribute("schemeID"), codes.ICD)),
            where=lambda e, d: (
                e.get("schemeID") is not None and _no_ancestor("ram:SpecifiedTradeProduct", "ram:ShipToTradeParty")(e)
            ),
        ),
        rule(
            "ram:ID",
            Assert("BR-CL-11", _listed(_attribute("schemeID"), codes.ICD)),
            where=lambda e, d: e.get("schemeID") is not None and _no_ancestor("ram:SpecifiedTaxRegistration")(e),
        ),
        rule(
            "ram:ClassCode",
            Assert("BR-CL-13", _listed(_attribute("listID"), codes.ITEM_CLASSIFICATION)),
            where=_has_attribute("listID"),
        ),
        rule("ram:CountryID", Assert("BR-CL-14", _listed(_own_text, codes.COUNTRY_CII))),
        rule("ram:OriginTradeCountry/ram:ID", Assert("BR-CL-15", _listed(_own_text, codes.COUNTRY_CII))),
        rule(
            "ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode",
            Assert("BR-CL-16", _listed(_own_text, codes.PAYMENT_MEANS)),
        ),
        rule("ram:CategoryTradeTax/ram:CategoryCode", Assert("BR-CL-17", _listed(_own_text, codes.VAT_CATEGORY))),
        rule("ram:ApplicableTradeTax/ram:CategoryCode", Assert("BR-CL-18", _listed(_own_text, codes.VAT_CATEGORY))),
        rule(
            "ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode",
            Assert("BR-CL-19", _listed(_own_text, codes.ALLOWANCE_REASON)),
            where=lambda e, d: indicator_is(e.getparent(), d, False),
        ),
        rule(
            "ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode",
            Assert("BR-CL-20", _listed(_own_text, codes.CHARGE_REASON)),
            where=lambda e, d: indicator_is(e.getparent(), d, True),
        ),
        rule(
            "ram:SpecifiedTradeProduct/ram:GlobalID",
            Assert("BR-CL-21", _listed(_attribute("schemeID"), codes.ICD)),
            where=_has_attribute("schemeID"),
        ),
        rule(
            "ram:ExemptionReasonCode",
            Assert("BR-CL-22", _listed(lambda e: text(e).upper(), codes.VAT_EXEMPTION_REASON)),
        ),
        rule(
            "ram:BasisQuantity",
            Assert("BR-CL-23", _listed(_attribute("unitCode"), codes.UNIT)),
            where=_has_attribute("unitCode"),
        ),
        rule(
            "ram:BilledQuantity",
            Assert("BR-CL-23", _listed(_attribute("unitCode"), codes.UNIT)),
            where=_has_attribute("unitCode"),
        ),
        rule(
            "ram:AttachmentBinaryObject",
            Assert("BR-CL-24", lambda e, d: e.get("mimeCode") in codes.MIME),
            where=_has_attribute("mimeCode"),
        ),
        rule(
            "ram:URIUniversalCommunication/ram:URIID",
            Assert("BR-CL-25", _listed(_attribute("schemeID"), codes.EAS)),
            where=_has_attribute("schemeID"),
        ),
        rule(
            "ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:GlobalID",
            Assert("BR-CL-26", _listed(_attribute("schemeID"), codes.ICD)),
            where=_has_attribute("schemeID"),
        ),
    )
)

CEN_CII_BOOK = RuleBook(CEN_CII, (BUSINESS_RULES, SYNTAX_RULES, CODE_LISTS))
