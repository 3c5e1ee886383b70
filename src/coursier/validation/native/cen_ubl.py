"""EN 16931 in UBL, natively: the CEN/TC 434 UBL artefact (release 1.3.16) restated.

Three patterns, as in the artefact: the business rules, the UBL syntax binding (`ubl_syntax`)
and the code lists. The UBL artefact words many rules differently from the CII one (exact sums
for the VAT categories but E/G/K/O/Z, strict bounds in BR-CO-17, xs:date comparisons...): each
is restated from its own test, not from its CII sibling.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from coursier.validation.artefacts import CEN_UBL
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
from coursier.validation.native.ubl_syntax import SYNTAX_RULES, charge_indicator_is
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    absolute,
    add,
    all_of,
    any_of,
    any_text,
    compares,
    decimal,
    decimals_after_point,
    double,
    equal,
    find,
    less,
    mul,
    normalize,
    one,
    round_half_up,
    sub,
    tag,
    text,
    to_decimal,
)

ROOTS = "/ubl:Invoice | /cn:CreditNote"
LINES = "cac:InvoiceLine | cac:CreditNoteLine"
_HUNDRED = Decimal(100)
_ROOT_NAMES = frozenset({tag("ubl:Invoice"), tag("cn:CreditNote")})
_XSD_DATE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?")


# ---- XPath idioms of the artefact -----------------------------------------------------------------


def vat_scheme(holder: Element, document: Document) -> bool:
    """[cac:TaxScheme/normalize-space(upper-case(cbc:ID)) = 'VAT'], asked once per holder."""
    return document.of(_vat_scheme, holder)


def _vat_scheme(holder: Element, document: Document) -> bool:
    return any_of(
        *(
            lambda scheme=scheme: normalize(text(one(find(scheme, document, "cbc:ID"))).upper()) == "VAT"
            for scheme in find(holder, document, "cac:TaxScheme")
        )
    )


def category_is(category: str, *, normalized: bool = True):
    """[normalize-space(cbc:ID) = category] (or, as a few rules write it, [cbc:ID = category])."""
    if normalized:
        return lambda holder, document: category_of(holder, document) == category
    return lambda holder, document: any_text(find(holder, document, "cbc:ID"), category)


def category_of(holder: Element, document: Document) -> str:
    """normalize-space(cbc:ID) of a tax category, read once per holder (an error for two ids)."""
    return document.of(_category_of, holder)


def _category_of(holder: Element, document: Document) -> str:
    return normalize(text(one(find(holder, document, "cbc:ID"))))


# The category a context's predicate [normalize-space(cbc:ID) = category] compares.
CATEGORY = Key(lambda holder, document: (category_of(holder, document),))


def one_decimal(element: Element, document: Document, path: str) -> Decimal | None:
    """xs:decimal(path): None for nothing, an error for two."""
    return decimal(one(find(element, document, path)))


def two_decimals(path: str) -> Test:
    """string-length(substring-after(path, '.')) <= 2."""
    return lambda element, document: decimals_after_point(one(find(element, document, path))) <= 2


def hundredths(value: Decimal | None) -> Decimal | None:
    """round(value * 10 * 10) div 100."""
    return None if value is None else round_half_up(value * 10 * 10) / _HUNDRED


def xs_date(node: Element | None) -> datetime | None:
    """xs:date(node) as the instant it starts (UTC when it has no time zone); an error if no date."""
    if node is None:
        return None
    lexical = text(node).strip(" \t\r\n")
    found = _XSD_DATE.fullmatch(lexical)
    if not found:
        raise XPathError(f'cannot convert "{lexical}" to xs:date')
    year, month, day, zone = found.groups()
    try:
        start = datetime(int(year), int(month), int(day), tzinfo=UTC)
    except ValueError as exc:
        raise XPathError(f'"{lexical}" is no date') from exc
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        start = start.replace(tzinfo=timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))))
    return start


def period_order(period: Element, document: Document) -> bool:
    """BR-29/30: the end date is not before the start date, when both are there."""
    ends, starts = find(period, document, "cbc:EndDate"), find(period, document, "cbc:StartDate")
    return any_of(
        lambda: all_of(
            lambda: bool(ends),
            lambda: bool(starts),
            lambda: xs_date(one(ends)) >= xs_date(one(starts)),
        ),
        lambda: not starts,
        lambda: not ends,
    )


def _ids(holders: list, document: Document, category: str) -> list:
    """holders/cbc:ID[normalize-space(.) = category]"""
    return [
        node for holder in holders for node in find(holder, document, "cbc:ID") if normalize(text(node)) == category
    ]


# ---- the VAT categories ---------------------------------------------------------------------------


def categories(
    document: Document,
    path: str,
    category: str,
    *,
    vat: bool = True,
    normalized: bool = True,
    indicator: bool | None = None,
) -> list:
    """The tax categories at `path` (anywhere with //, or from the root) of a category, [VAT],
    below an allowance (indicator False) or charge (True) when `indicator` is given. Once per
    document and arguments: a dozen rules ask."""
    return document.memo(
        (categories, path, category, vat, normalized, indicator),
        lambda: _categories(document, path, category, vat, normalized, indicator),
    )


def _categories(
    document: Document, path: str, category: str, vat: bool, normalized: bool, indicator: bool | None
) -> list:
    of_category = category_is(category, normalized=normalized)
    found = []
    for holder in find(document.root, document, path):
        if not all_of(
            lambda holder=holder: of_category(holder, document),
            lambda holder=holder: not vat or vat_scheme(holder, document),
            lambda holder=holder: indicator is None or charge_indicator_is(indicator)(holder.getparent(), document),
        ):
            continue
        found.append(holder)
    return found


BREAKDOWNS = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"
LINE_CATEGORIES = "//cac:ClassifiedTaxCategory"
CHARGE_CATEGORIES = "//cac:AllowanceCharge/cac:TaxCategory"
ALL_CATEGORIES = "//cac:TaxCategory"


def _vat_holders(document: Document, path: str) -> list:
    return [holder for holder in find(document.root, document, path) if vat_scheme(holder, document)]


def exactly_one_breakdown(category: str) -> Test:
    """BR-AE/E/G/IC/O/Z-01: the category used anywhere, one breakdown of it, or not used at all."""

    def holds(root: Element, document: Document) -> bool:
        anywhere = _ids(_vat_holders(document, ALL_CATEGORIES), document, category)
        on_lines = _ids(_vat_holders(document, LINE_CATEGORIES), document, category)
        breakdowns = _ids(_vat_holders(document, BREAKDOWNS), document, category)
        return ((bool(anywhere) or bool(on_lines)) and len(breakdowns) == 1) or (not anywhere and not on_lines)

    return holds


def some_breakdown(category: str, *, vat: bool, used_with: dict) -> Test:
    """BR-S/AF/AG-01: lines, allowances or charges of the category and a breakdown of it, or neither.
    `used_with` says how the breakdown is looked for when the category is used (the artefact writes
    [cbc:ID = 'L'] without the VAT scheme in BR-AF-01, [cbc:ID = 'M'][VAT] in BR-AG-01)."""

    def holds(root: Element, document: Document) -> bool:
        used = len(categories(document, CHARGE_CATEGORIES, category, vat=vat)) + len(
            categories(document, LINE_CATEGORIES, category, vat=vat)
        )
        return (used > 0 and len(categories(document, BREAKDOWNS, category, **used_with)) > 0) or (
            used == 0 and not categories(document, BREAKDOWNS, category, vat=vat)
        )

    return holds


SUPPLIER_TAX_SCHEMES = "//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
REPRESENTATIVE_TAX_SCHEMES = "//cac:TaxRepresentativeParty/cac:PartyTaxScheme"
CUSTOMER_TAX_SCHEMES = "//cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme"


def _vat_company_ids(document: Document, path: str) -> bool:
    """exists(path[VAT]/cbc:CompanyID)"""
    return any(find(holder, document, "cbc:CompanyID") for holder in _vat_holders(document, path))


def supplier_any_id(document: Document) -> bool:
    """exists(//cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)"""
    return bool(find(document.root, document, f"{SUPPLIER_TAX_SCHEMES}/cbc:CompanyID"))


def seller_vat_or_id(document: Document) -> bool:
    """The seller's company id in any tax scheme, or the tax representative's VAT id."""
    return supplier_any_id(document) or _vat_company_ids(document, REPRESENTATIVE_TAX_SCHEMES)


def seller_vat(document: Document) -> bool:
    """The seller's VAT id, or the tax representative's."""
    return _vat_company_ids(document, SUPPLIER_TAX_SCHEMES) or _vat_company_ids(document, REPRESENTATIVE_TAX_SCHEMES)


def buyer_vat_or_legal(document: Document) -> bool:
    return _vat_company_ids(document, CUSTOMER_TAX_SCHEMES) or bool(
        find(document.root, document, "//cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    )


def no_vat_ids(document: Document) -> bool:
    return not (
        _vat_company_ids(document, SUPPLIER_TAX_SCHEMES)
        or _vat_company_ids(document, REPRESENTATIVE_TAX_SCHEMES)
        or _vat_company_ids(document, CUSTOMER_TAX_SCHEMES)
    )


def when_used(used: Callable[[Document], list], parties: Callable[[Document], bool], unused=None) -> Test:
    """BR-X-02..04: (exists(used) and parties) or not(exists(unused, usually the same))."""
    unused = unused or used
    return lambda root, document: any_of(
        lambda: all_of(lambda: bool(used(document)), lambda: parties(document)),
        lambda: not unused(document),
    )


def on_lines(category: str, *, vat: bool = True):
    return lambda document: categories(document, LINE_CATEGORIES, category, vat=vat)


def on_charges(category: str, charge: bool, *, vat: bool = True, normalized: bool = True, document_level=False):
    """//cac:AllowanceCharge[indicator]/cac:TaxCategory[category][VAT], or only the document's own
    allowances and charges ((/ubl:Invoice|/cn:CreditNote)/cac:AllowanceCharge/...)."""
    path = "cac:AllowanceCharge/cac:TaxCategory" if document_level else "//cac:AllowanceCharge/cac:TaxCategory"
    return lambda document: categories(document, path, category, vat=vat, normalized=normalized, indicator=charge)


# ---- the VAT category breakdowns (BR-X-08) ---------------------------------------------------------


def _line_amounts(document: Document, line_name: str, category: str, rate: Decimal | None) -> list[Decimal]:
    """/*/line[cac:Item/cac:ClassifiedTaxCategory/normalize-space(cbc:ID) = category]
    ([cac:Item/cac:ClassifiedTaxCategory/xs:decimal(cbc:Percent) = rate])/xs:decimal(cbc:LineExtensionAmount)"""
    amounts = []
    for line in find(document.root, document, line_name):
        line_categories = find(line, document, "cac:Item/cac:ClassifiedTaxCategory")
        if not all_of(
            lambda line_categories=line_categories: any_of(
                *(lambda node=node: category_of(node, document) == category for node in line_categories)
            ),
            lambda line_categories=line_categories: (
                rate is None
                or any_of(
                    *(lambda node=node: one_decimal(node, document, "cbc:Percent") == rate for node in line_categories)
                )
            ),
        ):
            continue
        amount = one_decimal(line, document, "cbc:LineExtensionAmount")
        if amount is not None:
            amounts.append(amount)
    return amounts


def _charge_amounts(document: Document, charge: bool, category: str, rate: Decimal | None) -> list[Decimal]:
    """/*/cac:AllowanceCharge[cbc:ChargeIndicator = charge][cac:TaxCategory/normalize-space(cbc:ID) = category]
    ([cac:TaxCategory/xs:decimal(cbc:Percent) = rate])/xs:decimal(cbc:Amount)"""
    amounts = []
    for allowance_charge in find(document.root, document, "cac:AllowanceCharge"):
        taxes = find(allowance_charge, document, "cac:TaxCategory")
        if not all_of(
            lambda node=allowance_charge: charge_indicator_is(charge)(node, document),
            lambda taxes=taxes: any_of(*(lambda tax=tax: category_of(tax, document) == category for tax in taxes)),
            lambda taxes=taxes: (
                rate is None
                or any_of(*(lambda tax=tax: one_decimal(tax, document, "cbc:Percent") == rate for tax in taxes))
            ),
        ):
            continue
        amount = one_decimal(allowance_charge, document, "cbc:Amount")
        if amount is not None:
            amounts.append(amount)
    return amounts


def category_sum(document: Document, line_name: str, category: str, rate: Decimal | None = None) -> Decimal:
    """Σ line net amounts + Σ document charges - Σ document allowances of a category (and rate)."""
    return (
        sum(_line_amounts(document, line_name, category, rate), Decimal(0))
        + sum(_charge_amounts(document, True, category, rate), Decimal(0))
        - sum(_charge_amounts(document, False, category, rate), Decimal(0))
    )


def exact_base(category: str) -> Test:
    """BR-AE/E/G/IC/O/Z-08: the taxable amount equals the sum, for invoices or for credit notes."""

    def holds(tax_category: Element, document: Document) -> bool:
        def matches(line_name: str) -> bool:
            return equal(
                one_decimal(tax_category, document, "../cbc:TaxableAmount"),
                category_sum(document, line_name, category),
            )

        return any_of(
            lambda: all_of(lambda: bool(document.named(tag("cac:InvoiceLine"))), lambda: matches("cac:InvoiceLine")),
            lambda: all_of(
                lambda: bool(document.named(tag("cac:CreditNoteLine"))), lambda: matches("cac:CreditNoteLine")
            ),
        )

    return holds


def _taxable_shifted(tax_category: Element, document: Document, shift: int) -> Decimal | None:
    """../xs:decimal(cbc:TaxableAmount ± 1): the untyped amount as a double, shifted, made a decimal."""
    subtotal = tax_category.getparent()
    return to_decimal(add(double(one(find(subtotal, document, "cbc:TaxableAmount"))), shift))


def _within_one(tax_category: Element, document: Document, line_name: str, category: str, rate: Decimal) -> bool:
    expected = category_sum(document, line_name, category, rate)
    return all_of(
        lambda: less(_taxable_shifted(tax_category, document, -1), expected),
        lambda: less(expected, _taxable_shifted(tax_category, document, 1)),
    )


def base_per_rate(category: str, *, requires_use: bool) -> Test:
    """BR-S/AF/AG-08: for the rate of the breakdown, the taxable amount within 1 of the sum at that
    rate (BR-S-08 also asks for a line or an allowance/charge of that category and rate)."""

    def holds(tax_category: Element, document: Document) -> bool:
        rate = one_decimal(tax_category, document, "cbc:Percent")
        if rate is None:
            return True

        def used(line_name: str) -> bool:
            lines = _line_amounts_exist(document, line_name, category, rate)
            return lines or _charges_exist(document, category, rate)

        def side(line_name: str) -> bool:
            if requires_use:
                return all_of(
                    lambda: used(line_name), lambda: _within_one(tax_category, document, line_name, category, rate)
                )
            return all_of(
                lambda: bool(document.named(tag(line_name))),
                lambda: _within_one(tax_category, document, line_name, category, rate),
            )

        return any_of(lambda: side("cac:InvoiceLine"), lambda: side("cac:CreditNoteLine"))

    return holds


def _line_amounts_exist(document: Document, line_name: str, category: str, rate: Decimal) -> bool:
    """exists(//line[category][rate])"""
    for line in document.named(tag(line_name)):
        line_categories = find(line, document, "cac:Item/cac:ClassifiedTaxCategory")
        if all_of(
            lambda line_categories=line_categories: any_of(
                *(lambda node=node: category_of(node, document) == category for node in line_categories)
            ),
            lambda line_categories=line_categories: any_of(
                *(lambda node=node: one_decimal(node, document, "cbc:Percent") == rate for node in line_categories)
            ),
        ):
            return True
    return False


def _charges_exist(document: Document, category: str, rate: Decimal) -> bool:
    """exists(//cac:AllowanceCharge[cac:TaxCategory/normalize-space(cbc:ID) = category][... = rate])"""
    for allowance_charge in document.named(tag("cac:AllowanceCharge")):
        taxes = find(allowance_charge, document, "cac:TaxCategory")
        if all_of(
            lambda taxes=taxes: any_of(*(lambda tax=tax: category_of(tax, document) == category for tax in taxes)),
            lambda taxes=taxes: any_of(
                *(lambda tax=tax: one_decimal(tax, document, "cbc:Percent") == rate for tax in taxes)
            ),
        ):
            return True
    return False


def tax_amount(tax_category: Element, document: Document) -> bool:
    """BR-S/AF/AG-09: |BT-117| within 1 of round(|BT-116| x BT-119 / 100, 2)."""

    def expected() -> Decimal | None:
        taxable = absolute(one_decimal(tax_category, document, "../cbc:TaxableAmount"))
        rate = one_decimal(tax_category, document, "cbc:Percent")
        return hundredths(mul(taxable, None if rate is None else rate / _HUNDRED))

    def stated() -> Decimal | None:
        return absolute(one_decimal(tax_category, document, "../cbc:TaxAmount"))

    return all_of(lambda: less(sub(stated(), 1), expected()), lambda: less(expected(), add(stated(), 1)))


def percent_is_zero(tax_category: Element, document: Document) -> bool:
    """(xs:decimal(cbc:Percent) = 0)"""
    return equal(one_decimal(tax_category, document, "cbc:Percent"), 0)


def percent(operator: str) -> Test:
    """(cbc:Percent) op 0, a general comparison (untyped as double)."""
    return lambda tax_category, document: compares(find(tax_category, document, "cbc:Percent"), operator, 0)


def no_exemption(tax_category: Element, document: Document) -> bool:
    return not find(tax_category, document, "cbc:TaxExemptionReason") and not find(
        tax_category, document, "cbc:TaxExemptionReasonCode"
    )


def exemption(tax_category: Element, document: Document) -> bool:
    return bool(find(tax_category, document, "cbc:TaxExemptionReason")) or bool(
        find(tax_category, document, "cbc:TaxExemptionReasonCode")
    )


def zero_tax(tax_category: Element, document: Document) -> bool:
    """xs:decimal(../cbc:TaxAmount) = 0"""
    return equal(one_decimal(tax_category, document, "../cbc:TaxAmount"), 0)


def _breakdown(category: str):
    """/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory[normalize-space(cbc:ID) = category][VAT]"""

    return CATEGORY.is_(category, _document_vat_breakdown)


def _document_vat_breakdown(tax_category: Element, document: Document) -> bool:
    total = tax_category.getparent().getparent()
    return total.getparent() is document.root and vat_scheme(tax_category, document)


def _charge_category(category: str, charge: bool):
    """cac:AllowanceCharge[cbc:ChargeIndicator = charge]/cac:TaxCategory[category][VAT]"""
    indicated = charge_indicator_is(charge)
    return CATEGORY.is_(
        category,
        lambda tax_category, document: (
            indicated(tax_category.getparent(), document) and vat_scheme(tax_category, document)
        ),
    )


def _line_category(category: str):
    return CATEGORY.is_(category, vat_scheme)


BREAKDOWN_CONTEXT = "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"
CHARGE_CONTEXT = "cac:AllowanceCharge/cac:TaxCategory"
LINE_CONTEXT = (
    "cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory"
)


def _rate_rules(category: str, prefix: str, rate_test: Test):
    """BR-X-05..07: the rate on lines, allowances and charges of a category (allowance, charge, line)."""
    return (
        rule(CHARGE_CONTEXT, Assert(f"{prefix}-06", rate_test), where=_charge_category(category, False)),
        rule(CHARGE_CONTEXT, Assert(f"{prefix}-07", rate_test), where=_charge_category(category, True)),
        rule(LINE_CONTEXT, Assert(f"{prefix}-05", rate_test), where=_line_category(category)),
    )


def _exempt_category(category: str, prefix: str, exemption_test: Test):
    """A category with an exact base, no tax and an exemption rule (AE, E, G, K, O, Z)."""
    return (
        rule(
            BREAKDOWN_CONTEXT,
            Assert(f"{prefix}-08", exact_base(category)),
            Assert(f"{prefix}-09", zero_tax),
            Assert(f"{prefix}-10", exemption_test),
            where=_breakdown(category),
        ),
    )


# ---- the totals (BR-CO-*) ----------------------------------------------------------------------------


def lines_sum(totals: Element, document: Document) -> bool:
    """BR-CO-10: BT-106 = Σ line net amounts (decimals), rounded to two decimals."""
    lines = [node for name in ("cac:InvoiceLine", "cac:CreditNoteLine") for node in document.named(tag(name))]
    amounts = [one_decimal(line, document, "cbc:LineExtensionAmount") for line in lines]
    total = sum((amount for amount in amounts if amount is not None), Decimal(0))
    return equal(one_decimal(totals, document, "cbc:LineExtensionAmount"), hundredths(total))


def document_total(charge: bool, name: str) -> Test:
    """BR-CO-11/12: the total = round(Σ document allowance (charge) amounts, 2), or neither."""

    def holds(totals: Element, document: Document) -> bool:
        selected = [
            node
            for node in find(totals, document, "../cac:AllowanceCharge")
            if charge_indicator_is(charge)(node, document)
        ]

        def expected() -> Decimal:
            amounts = [one_decimal(node, document, "cbc:Amount") for node in selected]
            return hundredths(sum((amount for amount in amounts if amount is not None), Decimal(0)))

        return any_of(
            lambda: equal(one_decimal(totals, document, name), expected()),
            lambda: not find(totals, document, name) and not selected,
        )

    return holds


def net_total(totals: Element, document: Document) -> bool:
    """BR-CO-13: BT-109 = BT-106 + BT-108 - BT-107, rounded, by which of BT-107 and BT-108 are there."""

    def value(name: str) -> Callable[[], Decimal | None]:
        return lambda: one_decimal(totals, document, name)

    net, lines = value("cbc:TaxExclusiveAmount"), value("cbc:LineExtensionAmount")
    charges, allowances = value("cbc:ChargeTotalAmount"), value("cbc:AllowanceTotalAmount")
    has_charges = bool(find(totals, document, "cbc:ChargeTotalAmount"))
    has_allowances = bool(find(totals, document, "cbc:AllowanceTotalAmount"))
    return any_of(
        lambda: has_charges and has_allowances and equal(net(), hundredths(sub(add(lines(), charges()), allowances()))),
        lambda: not has_charges and has_allowances and equal(net(), hundredths(sub(lines(), allowances()))),
        lambda: has_charges and not has_allowances and equal(net(), hundredths(add(lines(), charges()))),
        lambda: not has_charges and not has_allowances and equal(net(), lines()),
    )


def amount_due(totals: Element, document: Document) -> bool:
    """BR-CO-16: BT-115 = BT-112 - BT-113 + BT-114, rounded, by which of BT-113 and BT-114 are there."""

    def value(name: str) -> Callable[[], Decimal | None]:
        return lambda: one_decimal(totals, document, name)

    payable, gross, paid, rounding = (
        value("cbc:PayableAmount"),
        value("cbc:TaxInclusiveAmount"),
        value("cbc:PrepaidAmount"),
        value("cbc:PayableRoundingAmount"),
    )
    has_paid = bool(find(totals, document, "cbc:PrepaidAmount"))
    has_rounding = bool(find(totals, document, "cbc:PayableRoundingAmount"))
    return any_of(
        lambda: has_paid and not has_rounding and equal(payable(), hundredths(sub(gross(), paid()))),
        lambda: not has_paid and not has_rounding and equal(payable(), gross()),
        lambda: (
            has_paid
            and has_rounding
            and equal(hundredths(sub(payable(), rounding())), hundredths(sub(gross(), paid())))
        ),
        lambda: not has_paid and has_rounding and equal(hundredths(sub(payable(), rounding())), gross()),
    )


def accounting_vat_total(root: Element, document: Document) -> bool:
    """BR-53: for the VAT accounting currency, a VAT total in it."""
    amounts = find(root, document, "//cac:TaxTotal/cbc:TaxAmount")
    return all(
        any(amount.get("currencyID") == text(currency) for amount in amounts)
        for currency in find(root, document, "cbc:TaxCurrencyCode")
    )


def grand_total(root: Element, document: Document) -> bool:
    """BR-CO-15: for the invoice currency, one VAT total in it, and BT-112 = round(BT-109 + BT-110, 2)."""

    def holds_in(code: str) -> bool:
        def vat_totals() -> list:
            return [
                decimal(
                    one([node for node in find(total, document, "cbc:TaxAmount") if node.get("currencyID") == code])
                )
                for total in find(root, document, "cac:TaxTotal")
                if any(node.get("currencyID") == code for node in find(total, document, "cbc:TaxAmount"))
            ]

        def one_item(values: list):
            if len(values) > 1:
                raise XPathError("arithmetic on more than one item")
            return values[0] if values else None

        def totals(name: str) -> Decimal | None:
            # A path step: a monetary total without this amount adds nothing to the sequence.
            amounts = (one_decimal(node, document, name) for node in find(root, document, "cac:LegalMonetaryTotal"))
            return one_item([amount for amount in amounts if amount is not None])

        return all_of(
            lambda: len(vat_totals()) == 1,
            lambda: equal(
                totals("cbc:TaxInclusiveAmount"),
                hundredths(add(totals("cbc:TaxExclusiveAmount"), one_item(vat_totals()))),
            ),
        )

    return all_of(
        *(
            lambda currency=currency: holds_in(text(currency))
            for currency in find(root, document, "cbc:DocumentCurrencyCode")
        )
    )


def vat_total_decimals(currency_name: str) -> Test:
    """BR-DEC-13/15 as written: the VAT amounts whose currencyID equals a child of their own (there is
    none), so the rule always holds; restated all the same, to decide as the artefact does."""

    def holds(root: Element, document: Document) -> bool:
        amounts = [
            amount
            for amount in find(root, document, "//cac:TaxTotal/cbc:TaxAmount")
            if amount.get("currencyID") in {text(node) for node in find(amount, document, currency_name)}
        ]
        return any_of(
            lambda: bool(amounts) and decimals_after_point(one(amounts)) <= 2,
            lambda: not amounts,
        )

    return holds


def breakdown_tax(subtotal: Element, document: Document) -> bool:
    """BR-CO-17: BT-117 = BT-116 x BT-119 / 100 (strictly within 1), or 0 when the rate rounds to 0 or is absent."""

    def rates() -> list:
        return [
            one_decimal(category, document, "cbc:Percent")
            for category in find(subtotal, document, "cac:TaxCategory")
            if vat_scheme(category, document)
        ]

    def rate() -> Decimal | None:
        values = [value for value in rates() if value is not None]
        if len(values) > 1:
            raise XPathError("round() of more than one item")
        return values[0] if values else None

    def amount() -> Decimal | None:
        return one_decimal(subtotal, document, "cbc:TaxAmount")

    def expected() -> Decimal | None:
        current = rate()
        return hundredths(
            mul(
                absolute(one_decimal(subtotal, document, "cbc:TaxableAmount")),
                None if current is None else current / _HUNDRED,
            )
        )

    def rounded_rate_not_zero() -> bool:
        rounded = round_half_up(rate())
        return rounded is not None and rounded != 0

    return any_of(
        lambda: all_of(lambda: equal(round_half_up(rate()), 0), lambda: equal(round_half_up(amount()), 0)),
        lambda: all_of(
            rounded_rate_not_zero,
            lambda: less(sub(absolute(amount()), 1), expected()),
            lambda: less(expected(), add(absolute(amount()), 1)),
        ),
        lambda: all_of(
            lambda: not [value for value in rates() if value is not None], lambda: equal(round_half_up(amount()), 0)
        ),
    )


def vat_total_is_breakdown_sum(total: Element, document: Document) -> bool:
    """BR-CO-14: BT-110 = round(Σ BT-117, 2), or no breakdown."""

    def holds() -> bool:
        amounts = [
            one_decimal(subtotal, document, "cbc:TaxAmount") for subtotal in find(total, document, "cac:TaxSubtotal")
        ]
        expected = hundredths(sum((amount for amount in amounts if amount is not None), Decimal(0)))
        return equal(one_decimal(total, document, "cbc:TaxAmount"), expected)

    return any_of(holds, lambda: not find(total, document, "cac:TaxSubtotal"))


def vat_prefix(scheme: Element, document: Document) -> bool:
    """BR-CO-09: the first two characters of the VAT id are in the list of prefixes (as a substring)."""
    return text(one(find(scheme, document, "cbc:CompanyID")))[:2] in codes.VAT_PREFIX_UBL.text


def note_subject(note: Element, document: Document) -> bool:
    """BR-CL-08: a #XXX# subject at the start of a note, three characters found in the list."""
    value = text(note)
    if "#" not in value:
        return True
    after = value.partition("#")[2]
    subject = after.partition("#")[0] if "#" in after else ""  # substring-before: "" without a second #
    if len(subject) != 3:
        return True
    return subject in codes.NOTE_SUBJECT_UBL.text


def payee_differs(payee: Element, document: Document) -> bool:
    """BR-17: a payee name, and no name or id equal to the seller's."""
    if not find(payee, document, "cac:PartyName/cbc:Name"):
        return False
    for own, sellers in (
        ("cac:PartyName/cbc:Name", "../cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name"),
        ("cac:PartyIdentification/cbc:ID", "../cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID"),
    ):
        seller_values = {text(node) for node in find(payee, document, sellers)}
        if any(text(node) in seller_values for node in find(payee, document, own)):
            return False
    return True


def transfer_account(means: Element, document: Document) -> bool:
    """BR-61: a credit transfer (30, 58) has the payee's account id."""

    def code() -> str:
        return normalize(text(one(find(means, document, "cbc:PaymentMeansCode"))))

    return any_of(
        lambda: all_of(
            lambda: bool(find(means, document, "cac:PayeeFinancialAccount/cbc:ID")), lambda: code() in ("30", "58")
        ),
        lambda: code() not in ("30", "58"),
    )


def seller_identified(supplier: Element, document: Document) -> bool:
    """BR-CO-26: the seller's VAT id, an identifier (not SEPA) or a legal registration id."""
    return (
        any(
            find(holder, document, "cbc:CompanyID")
            for holder in find(supplier, document, "cac:Party/cac:PartyTaxScheme")
            if vat_scheme(holder, document)
        )
        or any(
            node.get("schemeID") != "SEPA"
            for node in find(supplier, document, "cac:Party/cac:PartyIdentification/cbc:ID")
        )
        or bool(find(supplier, document, "cac:Party/cac:PartyLegalEntity/cbc:CompanyID"))
    )


def _with_vat(path: str) -> Test:
    """exists(path[VAT]/cbc:CompanyID) relative to the context."""
    return lambda element, document: any(
        find(holder, document, "cbc:CompanyID")
        for holder in find(element, document, path)
        if vat_scheme(holder, document)
    )


def split_payment_domestic(root: Element, document: Document) -> bool:
    """BR-B-01: with category B, only Italian country codes."""
    split = any_text(find(root, document, "//cac:TaxCategory/cbc:ID"), "B") or any_text(
        find(root, document, "//cac:ClassifiedTaxCategory/cbc:ID"), "B"
    )
    italian = not any(text(node) != "IT" for node in document.named(tag("cbc:IdentificationCode")))
    return (italian and split) or not split


def split_payment_alone(root: Element, document: Document) -> bool:
    """BR-B-02: category B never with category S."""

    def used(code: str) -> bool:
        return (
            any_text(find(root, document, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID"), code)
            or any_text(find(root, document, "cac:AllowanceCharge/cac:TaxCategory/cbc:ID"), code)
            or any_text(find(root, document, "//cac:ClassifiedTaxCategory/cbc:ID"), code)
        )

    return (used("B") and not used("S")) or not used("B")


def not_subject_only(path: str, *, from_root: bool = True, indicator: bool | None = None) -> Test:
    """BR-O-11..14: with an O breakdown, no other category in the breakdowns, lines or charges."""

    def others(document: Document) -> list:
        found = []
        for holder in find(document.root, document, path):
            if indicator is not None and not charge_indicator_is(indicator)(holder.getparent(), document):
                continue
            if normalize(text(one(find(holder, document, "cbc:ID")))) != "O" and vat_scheme(holder, document):
                found.append(holder)
        return found

    def holds(root: Element, document: Document) -> bool:
        has_o = bool(_ids(_vat_holders(document, BREAKDOWNS), document, "O"))
        return any_of(lambda: has_o and not others(document), lambda: not has_o)

    return holds


def intra_community_delivery(root: Element, document: Document) -> bool:
    """BR-IC-11: an intra-community breakdown needs the delivery date or the invoicing period."""
    has_k = bool(_ids(_vat_holders(document, BREAKDOWNS), document, "K"))
    return any_of(
        lambda: (
            has_k
            and (
                len(text(one(find(root, document, "cac:Delivery/cbc:ActualDeliveryDate")))) > 1
                or any(
                    isinstance(child.tag, str)
                    for period in find(root, document, "cac:InvoicePeriod")
                    for child in period
                )
            )
        ),
        lambda: not has_k,
    )


def intra_community_country(root: Element, document: Document) -> bool:
    """BR-IC-12: an intra-community breakdown needs the deliver-to country."""
    has_k = bool(_ids(_vat_holders(document, BREAKDOWNS), document, "K"))
    path = "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode"
    return any_of(lambda: has_k and len(text(one(find(root, document, path)))) > 1, lambda: not has_k)


def _category_rules_at_root():
    """The BR-X-01..04 of every category, in the artefact's order."""

    def standard_used(document: Document) -> list:
        return categories(document, LINE_CATEGORIES, "S", vat=False)

    return [
        Assert("BR-AE-01", exactly_one_breakdown("AE")),
        Assert("BR-AE-02", when_used(on_lines("AE"), lambda d: seller_vat_or_id(d) and buyer_vat_or_legal(d))),
        Assert("BR-AE-03", when_used(on_charges("AE", False), lambda d: seller_vat_or_id(d) and buyer_vat_or_legal(d))),
        Assert("BR-AE-04", when_used(on_charges("AE", True), lambda d: seller_vat_or_id(d) and buyer_vat_or_legal(d))),
    ], [
        Assert("BR-E-01", exactly_one_breakdown("E")),
        Assert("BR-E-02", when_used(on_lines("E"), seller_vat_or_id)),
        Assert("BR-E-03", when_used(on_charges("E", False), seller_vat_or_id)),
        Assert("BR-E-04", when_used(on_charges("E", True), seller_vat_or_id)),
        Assert("BR-G-01", exactly_one_breakdown("G")),
        Assert("BR-G-02", when_used(on_lines("G"), seller_vat)),
        Assert("BR-G-03", when_used(on_charges("G", False, vat=False), seller_vat, on_charges("G", False))),
        Assert("BR-G-04", when_used(on_charges("G", True, vat=False), seller_vat, on_charges("G", True))),
        Assert("BR-IC-01", exactly_one_breakdown("K")),
        Assert(
            "BR-IC-02", when_used(on_lines("K"), lambda d: seller_vat(d) and _vat_company_ids(d, CUSTOMER_TAX_SCHEMES))
        ),
        Assert(
            "BR-IC-03",
            when_used(on_charges("K", False), lambda d: seller_vat(d) and _vat_company_ids(d, CUSTOMER_TAX_SCHEMES)),
        ),
        Assert(
            "BR-IC-04",
            when_used(on_charges("K", True), lambda d: seller_vat(d) and _vat_company_ids(d, CUSTOMER_TAX_SCHEMES)),
        ),
        Assert("BR-IC-11", intra_community_delivery),
        Assert("BR-IC-12", intra_community_country),
        Assert("BR-AF-01", some_breakdown("L", vat=True, used_with={"normalized": False, "vat": False})),
        Assert("BR-AF-02", when_used(on_lines("L"), seller_vat_or_id)),
        Assert("BR-AF-03", when_used(on_charges("L", False), seller_vat_or_id)),
        Assert(
            "BR-AF-04",
            when_used(on_charges("L", True), seller_vat_or_id, on_charges("L", True, normalized=False)),
        ),
        Assert("BR-AG-01", some_breakdown("M", vat=True, used_with={"normalized": False, "vat": True})),
        Assert("BR-AG-02", when_used(on_lines("M"), seller_vat_or_id)),
        Assert("BR-AG-03", when_used(on_charges("M", False), seller_vat_or_id)),
        Assert("BR-AG-04", when_used(on_charges("M", True), seller_vat_or_id)),
        Assert("BR-O-01", exactly_one_breakdown("O")),
        Assert("BR-O-02", when_used(on_lines("O"), no_vat_ids)),
        Assert("BR-O-03", when_used(on_charges("O", False, document_level=True), no_vat_ids)),
        Assert("BR-O-04", when_used(on_charges("O", True, document_level=True), no_vat_ids)),
        Assert("BR-O-11", not_subject_only(BREAKDOWNS)),
        Assert("BR-O-12", not_subject_only(LINE_CATEGORIES)),
        Assert("BR-O-13", not_subject_only(CHARGE_CATEGORIES, indicator=False)),
        Assert("BR-O-14", not_subject_only(CHARGE_CATEGORIES, indicator=True)),
        Assert("BR-S-01", some_breakdown("S", vat=False, used_with={"vat": False})),
        Assert("BR-S-02", when_used(on_lines("S"), seller_vat_or_id, standard_used)),
        Assert("BR-S-03", when_used(on_charges("S", False), seller_vat_or_id)),
        Assert("BR-S-04", when_used(on_charges("S", True), seller_vat_or_id)),
        Assert("BR-Z-01", exactly_one_breakdown("Z")),
        Assert("BR-Z-02", when_used(on_lines("Z"), seller_vat_or_id)),
        Assert("BR-Z-03", when_used(on_charges("Z", False), seller_vat_or_id)),
        Assert("BR-Z-04", when_used(on_charges("Z", True), seller_vat_or_id)),
    ]


_REVERSE_CHARGE, _OTHER_CATEGORIES = _category_rules_at_root()


def _charge_rule(charge: bool, prefix: dict[str, str]):
    """Document level allowances (charges): BR-31..33 (36..38), BR-CO-05/21 (06/22), BR-DEC-01/02 (05/06)."""
    return rule(
        "/ubl:Invoice/cac:AllowanceCharge | /cn:CreditNote/cac:AllowanceCharge",
        Assert(prefix["amount"], present("cbc:Amount")),
        Assert(
            prefix["category"],
            lambda e, d: any(find(tax, d, "cbc:ID") for tax in find(e, d, "cac:TaxCategory") if vat_scheme(tax, d)),
        ),
        Assert(
            prefix["reason"], either(present("cbc:AllowanceChargeReason"), present("cbc:AllowanceChargeReasonCode"))
        ),
        Assert(prefix["same"], lambda e, d: True),
        Assert(
            prefix["either"], either(present("cbc:AllowanceChargeReason"), present("cbc:AllowanceChargeReasonCode"))
        ),
        Assert(prefix["decimals"], two_decimals("cbc:Amount")),
        Assert(prefix["base decimals"], two_decimals("cbc:BaseAmount")),
        where=charge_indicator_is(charge),
    )


def _line_charge_rule(charge: bool, ids: tuple[str, ...]):
    amount, reason, same, either_reason, decimals, base_decimals = ids
    return rule(
        "//cac:InvoiceLine/cac:AllowanceCharge | //cac:CreditNoteLine/cac:AllowanceCharge",
        Assert(amount, present("cbc:Amount")),
        Assert(reason, either(present("cbc:AllowanceChargeReason"), present("cbc:AllowanceChargeReasonCode"))),
        Assert(same, lambda e, d: True),
        Assert(either_reason, either(present("cbc:AllowanceChargeReason"), present("cbc:AllowanceChargeReasonCode"))),
        Assert(decimals, two_decimals("cbc:Amount")),
        Assert(base_decimals, two_decimals("cbc:BaseAmount")),
        where=charge_indicator_is(charge),
    )


BUSINESS_RULES = Pattern(
    (
        rule("cac:AdditionalDocumentReference", Assert("BR-52", filled("cbc:ID"))),
        rule(
            "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
            Assert("BR-63", lambda e, d: e.get("schemeID") is not None),
        ),
        rule(
            "cac:AccountingCustomerParty/cac:Party/cac:PostalAddress",
            Assert("BR-11", filled("cac:Country/cbc:IdentificationCode")),
        ),
        rule(
            "cac:PaymentMeans/cac:CardAccount/cbc:PrimaryAccountNumberID",
            Assert("BR-51", lambda e, d: len(normalize(text(e))) <= 10),
        ),
        rule(
            "cac:Delivery/cac:DeliveryLocation/cac:Address",
            Assert("BR-57", present("cac:Country/cbc:IdentificationCode")),
        ),
        _charge_rule(
            False,
            {
                "amount": "BR-31",
                "category": "BR-32",
                "reason": "BR-33",
                "same": "BR-CO-05",
                "either": "BR-CO-21",
                "decimals": "BR-DEC-01",
                "base decimals": "BR-DEC-02",
            },
        ),
        _charge_rule(
            True,
            {
                "amount": "BR-36",
                "category": "BR-37",
                "reason": "BR-38",
                "same": "BR-CO-06",
                "either": "BR-CO-22",
                "decimals": "BR-DEC-05",
                "base decimals": "BR-DEC-06",
            },
        ),
        rule(
            "cac:LegalMonetaryTotal",
            Assert("BR-12", present("cbc:LineExtensionAmount")),
            Assert("BR-13", present("cbc:TaxExclusiveAmount")),
            Assert("BR-14", present("cbc:TaxInclusiveAmount")),
            Assert("BR-15", present("cbc:PayableAmount")),
            Assert("BR-CO-10", lines_sum),
            Assert("BR-CO-11", document_total(False, "cbc:AllowanceTotalAmount")),
            Assert("BR-CO-12", document_total(True, "cbc:ChargeTotalAmount")),
            Assert("BR-CO-13", net_total),
            Assert("BR-CO-16", amount_due),
            Assert("BR-DEC-09", two_decimals("cbc:LineExtensionAmount")),
            Assert("BR-DEC-10", two_decimals("cbc:AllowanceTotalAmount")),
            Assert("BR-DEC-11", two_decimals("cbc:ChargeTotalAmount")),
            Assert("BR-DEC-12", two_decimals("cbc:TaxExclusiveAmount")),
            Assert("BR-DEC-14", two_decimals("cbc:TaxInclusiveAmount")),
            Assert("BR-DEC-16", two_decimals("cbc:PrepaidAmount")),
            Assert("BR-DEC-17", two_decimals("cbc:PayableRoundingAmount")),
            Assert("BR-DEC-18", two_decimals("cbc:PayableAmount")),
        ),
        rule(
            ROOTS,
            Assert("BR-01", filled("cbc:CustomizationID")),
            Assert("BR-02", filled("cbc:ID")),
            Assert("BR-03", filled("cbc:IssueDate")),
            Assert("BR-04", either(filled("cbc:InvoiceTypeCode"), filled("cbc:CreditNoteTypeCode"))),
            Assert("BR-05", filled("cbc:DocumentCurrencyCode")),
            Assert("BR-06", filled("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName")),
            Assert("BR-07", filled("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName")),
            Assert("BR-08", present("cac:AccountingSupplierParty/cac:Party/cac:PostalAddress")),
            Assert("BR-10", present("cac:AccountingCustomerParty/cac:Party/cac:PostalAddress")),
            Assert("BR-16", either(present("cac:InvoiceLine"), present("cac:CreditNoteLine"))),
            Assert("BR-53", accounting_vat_total),
            *_REVERSE_CHARGE,
            Assert(
                "BR-CO-03",
                lambda e, d: (
                    not (find(e, d, "cbc:TaxPointDate") and find(e, d, "cac:InvoicePeriod/cbc:DescriptionCode"))
                ),
            ),
            Assert("BR-CO-15", grand_total),
            Assert("BR-CO-18", present("cac:TaxTotal/cac:TaxSubtotal")),
            Assert("BR-DEC-13", vat_total_decimals("cbc:DocumentCurrencyCode")),
            Assert("BR-DEC-15", vat_total_decimals("cbc:TaxCurrencyCode")),
            *_OTHER_CATEGORIES,
            Assert("BR-B-01", split_payment_domestic),
            Assert("BR-B-02", split_payment_alone),
        ),
        rule(
            LINES,
            Assert("BR-21", filled("cbc:ID")),
            Assert("BR-22", either(present("cbc:InvoicedQuantity"), present("cbc:CreditedQuantity"))),
            Assert(
                "BR-23", either(present("cbc:InvoicedQuantity/@unitCode"), present("cbc:CreditedQuantity/@unitCode"))
            ),
            Assert("BR-24", present("cbc:LineExtensionAmount")),
            Assert("BR-25", filled("cac:Item/cbc:Name")),
            Assert("BR-26", present("cac:Price/cbc:PriceAmount")),
            Assert("BR-27", lambda e, d: compares(find(e, d, "cac:Price/cbc:PriceAmount"), ">=", 0)),
            Assert(
                "BR-28",
                either(
                    lambda e, d: compares(find(e, d, "cac:Price/cac:AllowanceCharge/cbc:BaseAmount"), ">=", 0),
                    lacking("cac:Price/cac:AllowanceCharge/cbc:BaseAmount"),
                ),
            ),
            Assert(
                "BR-CO-04",
                lambda e, d: any(
                    find(tax, d, "cbc:ID")
                    for tax in find(e, d, "cac:Item/cac:ClassifiedTaxCategory")
                    if vat_scheme(tax, d)
                ),
            ),
            Assert("BR-DEC-23", two_decimals("cbc:LineExtensionAmount")),
        ),
        _line_charge_rule(False, ("BR-41", "BR-42", "BR-CO-07", "BR-CO-23", "BR-DEC-24", "BR-DEC-25")),
        _line_charge_rule(True, ("BR-43", "BR-44", "BR-CO-08", "BR-CO-24", "BR-DEC-27", "BR-DEC-28")),
        rule(
            "cac:InvoiceLine/cac:InvoicePeriod | cac:CreditNoteLine/cac:InvoicePeriod",
            Assert("BR-30", period_order),
            Assert("BR-CO-20", either(present("cbc:StartDate"), present("cbc:EndDate"))),
        ),
        rule(
            "cac:InvoicePeriod",
            Assert("BR-29", period_order),
            Assert(
                "BR-CO-19",
                either(
                    present("cbc:StartDate"),
                    present("cbc:EndDate"),
                    both(present("cbc:DescriptionCode"), lacking("cbc:StartDate"), lacking("cbc:EndDate")),
                ),
            ),
        ),
        rule("cac:AdditionalItemProperty", Assert("BR-54", both(present("cbc:Name"), present("cbc:Value")))),
        rule(
            "cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"
            " | cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode",
            Assert("BR-65", lambda e, d: e.get("listID") is not None),
        ),
        rule(
            "cac:InvoiceLine/cac:Item/cac:StandardItemIdentification/cbc:ID"
            " | cac:CreditNoteLine/cac:Item/cac:StandardItemIdentification/cbc:ID",
            Assert("BR-64", lambda e, d: e.get("schemeID") is not None),
        ),
        rule("/ubl:Invoice/cbc:Note | /cn:CreditNote/cbc:Note", Assert("BR-CL-08", note_subject)),
        rule("cac:PayeeParty", Assert("BR-17", payee_differs)),
        rule(
            "cac:PaymentMeans/cac:PayeeFinancialAccount",
            Assert("BR-50", filled("cbc:ID")),
            where=lambda e, d: any_text(find(e, d, "../cbc:PaymentMeansCode"), "30", "58"),
        ),
        rule(
            "cac:PaymentMeans",
            Assert("BR-49", present("cbc:PaymentMeansCode")),
            Assert("BR-61", transfer_account),
        ),
        rule("cac:BillingReference", Assert("BR-55", present("cac:InvoiceDocumentReference/cbc:ID"))),
        rule("cac:AccountingSupplierParty", Assert("BR-CO-26", seller_identified)),
        rule(
            "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID",
            Assert("BR-62", lambda e, d: e.get("schemeID") is not None),
        ),
        rule(
            "cac:AccountingSupplierParty/cac:Party/cac:PostalAddress",
            Assert("BR-09", filled("cac:Country/cbc:IdentificationCode")),
        ),
        rule(
            "cac:TaxRepresentativeParty",
            Assert("BR-18", filled("cac:PartyName/cbc:Name")),
            Assert("BR-19", present("cac:PostalAddress")),
            Assert("BR-56", _with_vat("cac:PartyTaxScheme")),
        ),
        rule(
            "cac:TaxRepresentativeParty/cac:PostalAddress",
            Assert("BR-20", filled("cac:Country/cbc:IdentificationCode")),
        ),
        rule("/ubl:Invoice/cac:TaxTotal | /cn:CreditNote/cac:TaxTotal", Assert("BR-CO-14", vat_total_is_breakdown_sum)),
        rule(
            "cac:TaxTotal/cac:TaxSubtotal",
            Assert("BR-45", present("cbc:TaxableAmount")),
            Assert("BR-46", present("cbc:TaxAmount")),
            Assert(
                "BR-47",
                lambda e, d: any(find(tax, d, "cbc:ID") for tax in find(e, d, "cac:TaxCategory") if vat_scheme(tax, d)),
            ),
            Assert(
                "BR-48",
                lambda e, d: any_of(
                    lambda: any(
                        find(tax, d, "cbc:Percent") for tax in find(e, d, "cac:TaxCategory") if vat_scheme(tax, d)
                    ),
                    lambda: any(
                        normalize(text(one(find(tax, d, "cbc:ID")))) == "O"
                        for tax in find(e, d, "cac:TaxCategory")
                        if vat_scheme(tax, d)
                    ),
                ),
            ),
            Assert("BR-CO-17", breakdown_tax),
            Assert("BR-DEC-19", two_decimals("cbc:TaxableAmount")),
            Assert("BR-DEC-20", two_decimals("cbc:TaxAmount")),
        ),
        rule("cac:PartyTaxScheme", Assert("BR-CO-09", vat_prefix), where=vat_scheme),
        *_exempt_category("AE", "BR-AE", exemption),
        *_rate_rules("AE", "BR-AE", percent_is_zero),
        *_exempt_category("E", "BR-E", exemption),
        *_rate_rules("E", "BR-E", percent_is_zero),
        *_exempt_category("G", "BR-G", exemption),
        *_rate_rules("G", "BR-G", percent_is_zero),
        *_exempt_category("K", "BR-IC", exemption),
        *_rate_rules("K", "BR-IC", percent_is_zero),
        rule(
            BREAKDOWN_CONTEXT,
            Assert("BR-AF-08", base_per_rate("L", requires_use=False)),
            Assert("BR-AF-09", tax_amount),
            Assert("BR-AF-10", no_exemption),
            where=_breakdown("L"),
        ),
        *_rate_rules("L", "BR-AF", percent(">=")),
        rule(
            BREAKDOWN_CONTEXT,
            Assert("BR-AG-08", base_per_rate("M", requires_use=False)),
            Assert("BR-AG-09", tax_amount),
            Assert("BR-AG-10", no_exemption),
            where=_breakdown("M"),
        ),
        *_rate_rules("M", "BR-AG", percent(">=")),
        *_exempt_category("O", "BR-O", exemption),
        *_rate_rules("O", "BR-O", lacking("cbc:Percent")),
        rule(
            BREAKDOWN_CONTEXT,
            Assert("BR-S-08", base_per_rate("S", requires_use=True)),
            Assert("BR-S-09", tax_amount),
            Assert("BR-S-10", no_exemption),
            where=_breakdown("S"),
        ),
        *_rate_rules("S", "BR-S", percent(">")),
        *_exempt_category("Z", "BR-Z", lambda e, d: not exemption(e, d)),
        *_rate_rules("Z", "BR-Z", percent_is_zero),
    )
)


def _listed(value_of, allowed) -> Test:
    """The code-list test: the normalised value, without inner space, is in the list."""

    def holds(element: Element, document: Document) -> bool:
        value = normalize(value_of(element))
        return " " not in value and value in allowed

    return holds


def _own_text(element: Element) -> str:
    return text(element)


def _attribute(name: str):
    return lambda element: element.get(name) or ""


def _has(name: str) -> Test:
    return lambda element, document: element.get(name) is not None


_SEPA_PARTIES = frozenset({tag("cac:AccountingSupplierParty"), tag("cac:PayeeParty")})


def party_scheme_in(schemes: frozenset[str]) -> Test:
    """BR-CL-10: a scheme of the list (ICD for CEN), or SEPA (a creditor id) for the seller or the payee."""
    listed = _listed(_attribute("schemeID"), schemes)

    def holds(identifier: Element, document: Document) -> bool:
        if listed(identifier, document):
            return True
        return normalize(identifier.get("schemeID") or "") == "SEPA" and any(
            ancestor.tag in _SEPA_PARTIES for ancestor in identifier.iterancestors()
        )

    return holds


party_scheme = party_scheme_in(codes.ICD)


def _document_type(element: Element, document: Document) -> bool:
    """BR-CL-01: an invoice type code from the invoice list, a credit note type code from the credit note list."""
    if element.tag == tag("cbc:InvoiceTypeCode"):
        return _listed(_own_text, codes.INVOICE_TYPE_UBL)(element, document)
    return _listed(_own_text, codes.CREDIT_NOTE_TYPE_UBL)(element, document)


CODE_LISTS = Pattern(
    (
        rule("cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode", Assert("BR-CL-01", _document_type)),
        rule(
            " | ".join(
                f"cbc:{name}"
                for name in (
                    "Amount BaseAmount PriceAmount TaxAmount TaxableAmount LineExtensionAmount TaxExclusiveAmount "
                    "TaxInclusiveAmount AllowanceTotalAmount ChargeTotalAmount PrepaidAmount PayableRoundingAmount "
                    "PayableAmount"
                ).split()
            ),
            Assert("BR-CL-03", _listed(_attribute("currencyID"), codes.CURRENCY)),
        ),
        rule("cbc:DocumentCurrencyCode", Assert("BR-CL-04", _listed(_own_text, codes.CURRENCY))),
        rule("cbc:TaxCurrencyCode", Assert("BR-CL-05", _listed(_own_text, codes.CURRENCY))),
        rule("cac:InvoicePeriod/cbc:DescriptionCode", Assert("BR-CL-06", _listed(_own_text, codes.VAT_DATE_UBL))),
        rule(
            "cac:AdditionalDocumentReference/cbc:ID | cac:DocumentReference/cbc:ID",
            Assert("BR-CL-07", _listed(_attribute("schemeID"), codes.REFERENCE_TYPE)),
            where=lambda e, d: e.get("schemeID") is not None and any_text(find(e, d, "../cbc:DocumentTypeCode"), "130"),
        ),
        rule(
            "cac:PartyIdentification/cbc:ID",
            Assert("BR-CL-10", party_scheme),
            where=_has("schemeID"),
        ),
        rule(
            "cac:PartyLegalEntity/cbc:CompanyID",
            Assert("BR-CL-11", _listed(_attribute("schemeID"), codes.ICD)),
            where=_has("schemeID"),
        ),
        rule(
            "cac:CommodityClassification/cbc:ItemClassificationCode",
            Assert("BR-CL-13", _listed(_attribute("listID"), codes.ITEM_CLASSIFICATION)),
            where=_has("listID"),
        ),
        rule("cac:Country/cbc:IdentificationCode", Assert("BR-CL-14", _listed(_own_text, codes.COUNTRY_UBL))),
        rule("cac:OriginCountry/cbc:IdentificationCode", Assert("BR-CL-15", _listed(_own_text, codes.COUNTRY_UBL))),
        rule("cac:PaymentMeans/cbc:PaymentMeansCode", Assert("BR-CL-16", _listed(_own_text, codes.PAYMENT_MEANS))),
        rule("cac:TaxCategory/cbc:ID", Assert("BR-CL-17", _listed(_own_text, codes.VAT_CATEGORY))),
        rule("cac:ClassifiedTaxCategory/cbc:ID", Assert("BR-CL-18", _listed(_own_text, codes.VAT_CATEGORY))),
        rule(
            "cac:AllowanceCharge/cbc:AllowanceChargeReasonCode",
            Assert("BR-CL-19", _listed(_own_text, codes.ALLOWANCE_REASON)),
            where=lambda e, d: charge_indicator_is(False)(e.getparent(), d),
        ),
        rule(
            "cac:AllowanceCharge/cbc:AllowanceChargeReasonCode",
            Assert("BR-CL-20", _listed(_own_text, codes.CHARGE_REASON)),
            where=lambda e, d: charge_indicator_is(True)(e.getparent(), d),
        ),
        rule(
            "cac:StandardItemIdentification/cbc:ID",
            Assert("BR-CL-21", _listed(_attribute("schemeID"), codes.ICD)),
            where=_has("schemeID"),
        ),
        rule(
            "cbc:TaxExemptionReasonCode",
            Assert("BR-CL-22", _listed(lambda e: text(e).upper(), codes.VAT_EXEMPTION_REASON)),
        ),
        rule(
            "cbc:InvoicedQuantity | cbc:BaseQuantity | cbc:CreditedQuantity",
            Assert("BR-CL-23", _listed(_attribute("unitCode"), codes.UNIT)),
            where=_has("unitCode"),
        ),
        rule(
            "cbc:EmbeddedDocumentBinaryObject",
            Assert("BR-CL-24", lambda e, d: e.get("mimeCode") in codes.MIME),
            where=_has("mimeCode"),
        ),
        rule("cbc:EndpointID", Assert("BR-CL-25", _listed(_attribute("schemeID"), codes.EAS)), where=_has("schemeID")),
        rule(
            "cac:DeliveryLocation/cbc:ID",
            Assert("BR-CL-26", _listed(_attribute("schemeID"), codes.ICD)),
            where=_has("schemeID"),
        ),
    )
)

CEN_UBL_BOOK = RuleBook(CEN_UBL, (BUSINESS_RULES, SYNTAX_RULES, CODE_LISTS))
