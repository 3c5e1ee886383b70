"""The VAT breakdown sums of the Factur-X profile schematrons (BR-FXEXT-xx-08b/ini/rev in EXTENDED,
their FX-SCH-A-000388... twins in BASIC and MINIMUM), recognised from their text.

The FeRD artefacts state, for each VAT category, that a breakdown's taxable amount (BT-116) is,
within 0.01 per item summed, the lines' net amounts (BT-131) minus the document allowances (BT-92)
plus the charges (BT-99) and logistics charges of that category, at the breakdown's rate, and
("rev") with the same exemption reason and code, or ("ini") without, or ("b") either:

    (for $rate in xs:decimal(ram:RateApplicablePercent), $exempReasonText in ..., $basisAmount in
     xs:decimal(ram:BasisAmount), $calculatedAmountBT131 in xs:decimal(round(sum(/…/ram:
     SpecifiedLineTradeSettlement[ram:ApplicableTradeTax/ram:CategoryCode = 'AE' and ...]/…/
     xs:decimal(ram:LineTotalAmount)) * 100) div 100), ... return abs($basisAmount -
     $calculatedAmountBT131 + ...) le 0.01 * ($nbLineItems + ...))

Forty such texts, in a dozen variants (with or without the rate, the exemption, the DETAIL lines
filter). `breakdown_test(text)` reads one: each binding must be, character for character (white
space aside), one this module can write back from its parameters, and the return clause one of
the three forms; the test is then evaluated natively, in exact decimals as XPath 2.0 does.
Anything else is not recognised.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from coursier.validation.native.book import Test
from coursier.validation.native.cen_cii import indicator_is
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    all_of,
    any_of,
    any_text,
    decimal,
    div,
    find,
    mul,
    normalize,
    one,
    round_half_up,
    text,
)

_ROOT = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
_DETAIL = (
    "not(ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode)or"
    "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode='DETAIL'"
)
_CENT = Decimal("0.01")


def _squeezed(expression: str) -> str:
    return re.sub(r"\s+", "", expression)


@dataclass(frozen=True)
class _Filter:
    """[H/ram:CategoryCode = 'C' (and H/xs:decimal(ram:RateApplicablePercent) = $rate) (and
    normalize-space(H/ram:ExemptionReasonCode) = $exempReasonCode and normalize-space(H/
    ram:ExemptionReason) = $exempReasonText)] on the taxes H of an element."""

    taxes: str
    category: str
    by_rate: bool
    by_exemption: bool

    def written(self) -> str:
        parts = [f"{self.taxes}/ram:CategoryCode='{self.category}'"]
        if self.by_rate:
            parts.append(f"{self.taxes}/xs:decimal(ram:RateApplicablePercent)=$rate")
        if self.by_exemption:
            parts.append(f"normalize-space({self.taxes}/ram:ExemptionReasonCode)=$exempReasonCode")
            parts.append(f"normalize-space({self.taxes}/ram:ExemptionReason)=$exempReasonText")
        return "and".join(parts)

    def conditions(self, element: Element, document: Document, bound: dict) -> list[Callable[[], bool]]:
        conditions = [lambda: any_text(find(element, document, f"{self.taxes}/ram:CategoryCode"), self.category)]
        if self.by_rate:
            conditions.append(lambda: _at_rate(element, document, self.taxes, bound["rate"]))
        if self.by_exemption:
            conditions.append(
                lambda: _normalised(element, document, f"{self.taxes}/ram:ExemptionReasonCode") == bound["code"]
            )
            conditions.append(
                lambda: _normalised(element, document, f"{self.taxes}/ram:ExemptionReason") == bound["text"]
            )
        return conditions


def _at_rate(element: Element, document: Document, taxes: str, rate: Decimal) -> bool:
    """taxes/xs:decimal(ram:RateApplicablePercent) = $rate: one of the taxes at that rate."""
    return any_of(
        *(
            lambda tax=tax: decimal(one(find(tax, document, "ram:RateApplicablePercent"))) == rate
            for tax in find(element, document, taxes)
        )
    )


def _normalised(element: Element, document: Document, path: str) -> str:
    return normalize(text(one(find(element, document, path))))


def rounded_sum(amounts: list[Decimal]) -> Decimal:
    """xs:decimal(round(sum(amounts) * 100) div 100)."""
    total = sum(amounts) if amounts else 0
    return Decimal(div(round_half_up(mul(total, 100)), 100))


# A binding's value from the context tax and the bindings already known.
Binding = Callable[[Element, Document, dict], object]


def _line_items(document: Document) -> list[Element]:
    return find(document.root, document, f"{_ROOT}/ram:IncludedSupplyChainTradeLineItem")


def is_detail(item: Element, document: Document) -> bool:
    reasons = find(item, document, "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode")
    return not reasons or any_text(reasons, "DETAIL")


def _lines_sum(taxes_filter: _Filter, detail: bool) -> Binding:
    def value(tax: Element, document: Document, bound: dict) -> Decimal:
        amounts = []
        for item in _line_items(document):
            if detail and not is_detail(item, document):
                continue
            for settlement in find(item, document, "ram:SpecifiedLineTradeSettlement"):
                if not all_of(*taxes_filter.conditions(settlement, document, bound)):
                    continue
                for summation in find(settlement, document, "ram:SpecifiedTradeSettlementLineMonetarySummation"):
                    amount = decimal(one(find(summation, document, "ram:LineTotalAmount")))
                    if amount is not None:
                        amounts.append(amount)
        return rounded_sum(amounts)

    return value


def _lines_count(taxes_filter: _Filter, detail: bool) -> Binding:
    def value(tax: Element, document: Document, bound: dict) -> Decimal:
        counted = 0
        for item in _line_items(document):
            conditions = taxes_filter.conditions(item, document, bound)
            if detail:
                conditions.insert(0, lambda item=item: is_detail(item, document))
            if all_of(*conditions):
                counted += 1
        return Decimal(counted)

    return value


def _allowances(
    taxes_filter: _Filter,
    indicator: bool | None,
    amount: str | None,
    holders: str = "ram:SpecifiedTradeAllowanceCharge",
) -> Binding:
    """The sum of `amount` (or, None, the count) of the header allowances/charges (or logistics
    charges) passing the filter, and the indicator when given."""

    def value(tax: Element, document: Document, bound: dict) -> Decimal:
        selected = []
        for holder in find(document.root, document, f"{_ROOT}/ram:ApplicableHeaderTradeSettlement/{holders}"):
            conditions = taxes_filter.conditions(holder, document, bound)
            if indicator is not None:
                conditions.insert(0, lambda holder=holder: indicator_is(holder, document, indicator))
            if all_of(*conditions):
                selected.append(holder)
        if amount is None:
            return Decimal(len(selected))
        amounts = [value for holder in selected if (value := decimal(one(find(holder, document, amount)))) is not None]
        return rounded_sum(amounts)

    return value


def _written_bindings(category: str, by_rate: bool, by_exemption: bool, detail: bool) -> dict[str, Binding]:
    """Every binding expression of the family, as the artefacts write it (white space removed)."""

    def taxes(path: str) -> _Filter:
        return _Filter(path, category, by_rate, by_exemption)

    lines, items = taxes("ram:ApplicableTradeTax"), taxes("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")
    charges, logistics = taxes("ram:CategoryTradeTax"), taxes("ram:AppliedTradeTax")
    detail_step = f"[{_DETAIL}]" if detail else ""
    detail_condition = f"({_DETAIL})and" if detail else ""
    header = f"{_ROOT}/ram:ApplicableHeaderTradeSettlement"
    written = {
        f"xs:decimal(round(sum({_ROOT}/ram:IncludedSupplyChainTradeLineItem{detail_step}/ram:SpecifiedLineTradeSettlement"
        f"[{lines.written()}]/ram:SpecifiedTradeSettlementLineMonetarySummation/xs:decimal(ram:LineTotalAmount))*100)"
        f"div100)": _lines_sum(lines, detail),
        f"xs:decimal(count({_ROOT}/ram:IncludedSupplyChainTradeLineItem[{detail_condition}{items.written()}]))": (
            _lines_count(items, detail)
        ),
        f"xs:decimal(count({header}/ram:SpecifiedTradeAllowanceCharge[{charges.written()}]))": _allowances(
            charges, None, None
        ),
        f"xs:decimal(round(sum({header}/ram:SpecifiedLogisticsServiceCharge[{logistics.written()}]"
        f"/xs:decimal(ram:AppliedAmount))*100)div100)": _allowances(
            logistics, None, "ram:AppliedAmount", "ram:SpecifiedLogisticsServiceCharge"
        ),
        f"xs:decimal(count({header}/ram:SpecifiedLogisticsServiceCharge[{logistics.written()}]))": _allowances(
            logistics, None, None, "ram:SpecifiedLogisticsServiceCharge"
        ),
    }
    for indicator in (True, False):
        written[
            f"xs:decimal(round(sum({header}/ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator="
            f"{str(indicator).lower()}()and{charges.written()}]/xs:decimal(ram:ActualAmount))*100)div100)"
        ] = _allowances(charges, indicator, "ram:ActualAmount")
    return written


def breakdown_counts(category: str, *, by_exemption: bool) -> tuple[Binding, Binding, Binding]:
    """The DETAIL lines, allowances/charges and logistics charges of a category at the bound rate
    (and exemption): what the tolerance of a breakdown counts."""
    items = _Filter("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", category, True, by_exemption)
    charges = _Filter("ram:CategoryTradeTax", category, True, by_exemption)
    logistics = _Filter("ram:AppliedTradeTax", category, True, by_exemption)
    return (
        _lines_count(items, detail=True),
        _allowances(charges, None, None),
        _allowances(logistics, None, None, "ram:SpecifiedLogisticsServiceCharge"),
    )


def category_basis_within_tolerance(category: str) -> Test:
    """FX-SCH-A-000310 (MINIMUM; context: the breakdown's CategoryCode): |BT-116 - (Σ DETAIL lines +
    charges + logistics charges - allowances of the category)| <= 0.01 per item counted."""
    lines = _Filter("ram:ApplicableTradeTax", category, False, False)
    items = _Filter("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", category, False, False)
    charges = _Filter("ram:CategoryTradeTax", category, False, False)
    logistics = _Filter("ram:AppliedTradeTax", category, False, False)
    logistics_charges = "ram:SpecifiedLogisticsServiceCharge"

    def holds(code: Element, document: Document) -> bool:
        bases = [decimal(node) for node in find(code, document, "../ram:BasisAmount")]
        if len(bases) > 1:
            raise XPathError("xs:decimal() of two values")
        if not bases:
            return False
        calculated = (
            _lines_sum(lines, detail=True)(code, document, {})
            + _allowances(charges, True, "ram:ActualAmount")(code, document, {})
            + _allowances(logistics, None, "ram:AppliedAmount", logistics_charges)(code, document, {})
            - _allowances(charges, False, "ram:ActualAmount")(code, document, {})
        )
        counted = (
            _lines_count(items, detail=True)(code, document, {})
            + _allowances(charges, None, None)(code, document, {})
            + _allowances(logistics, None, None, logistics_charges)(code, document, {})
        )
        return abs(bases[0] - calculated) <= _CENT * counted

    return holds


def _own(name: str) -> Binding:
    """The bindings on the breakdown itself: its rate, basis, exemption text and code."""
    path = {"rate": "ram:RateApplicablePercent", "basis": "ram:BasisAmount"}.get(name)
    if path is not None:
        return lambda tax, document, bound: [decimal(node) for node in find(tax, document, path)]
    path = {"text": "ram:ExemptionReason", "code": "ram:ExemptionReasonCode"}[name]
    return lambda tax, document, bound: _normalised(tax, document, path)


_OWN = {
    "$rate": ("rate", "xs:decimal(ram:RateApplicablePercent)"),
    "$basisAmount": ("basis", "xs:decimal(ram:BasisAmount)"),
    "$exempReasonText": ("text", "normalize-space(ram:ExemptionReason)"),
    "$exempReasonCode": ("code", "normalize-space(ram:ExemptionReasonCode)"),
}
_BINDING = re.compile(r"(\w+)in(.*)", re.DOTALL)
_TOLERANCE = re.compile(r"abs\(\$basisAmount-\$(\w+)\+\$(\w+)-\$(\w+)-\$(\w+)\)le0\.01\*\(\$(\w+)\+\$(\w+)\+\$(\w+)\)")
_CATEGORY = re.compile(r"CategoryCode='([A-Z]{1,2})'")


def _split_top_level(expression: str, separator: str) -> list[str]:
    """`expression` split on `separator` outside parentheses and brackets."""
    parts, depth, start, position = [], 0, 0, 0
    while position < len(expression):
        character = expression[position]
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        elif depth == 0 and expression.startswith(separator, position):
            parts.append(expression[start:position])
            position += len(separator)
            start = position
            continue
        position += 1
    parts.append(expression[start:])
    return parts


def breakdown_test(test: str) -> Test | None:
    """The native test of one breakdown sum text, or None when it is not one of the family."""
    squeezed = _squeezed(test)
    if not (squeezed.startswith("(for$") and squeezed.endswith(")")):
        return None
    body, _, returned = squeezed[len("(for") : -1].partition("return")
    if not returned:
        return None
    bindings: dict[str, Binding] = {}
    for clause in _split_top_level(body, ",$"):
        found = _BINDING.fullmatch(clause.lstrip("$"))
        if found is None:
            return None
        name, expression = found.groups()
        binding = _recognised(name, expression)
        if binding is None:
            return None
        bindings[name] = binding
    checks = [_TOLERANCE.fullmatch(part) for part in _returned_parts(returned)]
    if not checks or None in checks:
        return None
    if any(name not in bindings for check in checks for name in check.groups()) or "basisAmount" not in bindings:
        return None
    return _evaluated(bindings, [check.groups() for check in checks])


def _returned_parts(returned: str) -> list[str]:
    """`(a) or (b)` -> [a, b]; a single clause -> [it]."""
    parts = _split_top_level(returned, "or")
    if len(parts) == 1:
        return parts
    return [part[1:-1] if part.startswith("(") and part.endswith(")") else "" for part in parts]


def _recognised(name: str, expression: str) -> Binding | None:
    own = _OWN.get(f"${name}")
    if own is not None:
        return _own(own[0]) if expression == own[1] else None
    categories = set(_CATEGORY.findall(expression))
    if len(categories) != 1:
        return None
    (category,) = categories
    for by_rate, by_exemption, detail in product((True, False), repeat=3):
        binding = _written_bindings(category, by_rate, by_exemption, detail).get(expression)
        if binding is not None:
            return binding
    return None


def _evaluated(bindings: dict[str, Binding], checks: list[tuple[str, ...]]) -> Test:
    """The for expression: no value when the breakdown has no rate (if bound) or no basis; else
    each clause of the return, the first true one deciding."""

    def holds(tax: Element, document: Document) -> bool:
        bound: dict[str, object] = {}
        for own, key in (("rate", "rate"), ("basisAmount", "basis")):
            if own in bindings:
                values = bindings[own](tax, document, bound)
                if len(values) > 1:
                    raise XPathError("xs:decimal() of two values")
                if not values:
                    return False
                bound[key] = values[0]
        for own, key in (("exempReasonText", "text"), ("exempReasonCode", "code")):
            if own in bindings:
                bound[key] = bindings[own](tax, document, bound)
        values: dict[str, Decimal] = {}

        def value(name: str) -> Decimal:
            if name not in values:
                values[name] = bindings[name](tax, document, bound)
            return values[name]

        def within(names: tuple[str, ...]) -> bool:
            lines, allowances, charges, logistics, *counts = names
            gap = bound["basis"] - value(lines) + value(allowances) - value(charges) - value(logistics)
            return abs(gap) <= _CENT * sum(value(count) for count in counts)

        return any_of(*(lambda names=names: within(names) for names in checks))

    return holds
