"""The business rules of flow 1, one small function each, with the id the DGFiP gives it.

Annex 7 of the DGFiP "spécifications externes" ("Règles de gestion", v1.8) states the rules in
prose and flags those that apply to flow 1; no executable form ships offline. They are written
here from the AIFE's own schematron of flow 1 for CII (`PPF_Flux1_CII_1_8_DEMARRAGE`, v1.1,
which quotes annex 7 v1.8 in every message; read in its copy in phax/phive-rules), and from the
digest of annexes 1 and 7 in `shared/spec/french-einvoicing.md`. Nothing is copied: each rule
restates the condition. Where this module differs from that schematron it says so.

Every rule runs on any F1 document; a few apply to one profile only (the Base profile wants both
parties identified by a SIREN, G1.63; the Full profile carries lines). Rules read the tree
defensively: a missing element is the business of G6.08 (mandatory data), not of every rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from coursier.formats.cii.syntax import NAMESPACES
from coursier.formats.ppf.f1.layout import GUIDELINE
from coursier.formats.ppf.f1.profiles import BASE, FULL, PROFILES
from coursier.model.identifiers import SCHEME_FR_SINGLE_VAT_GROUP, SCHEME_SIREN, valid_siren

CONTEXT = "rsm:ExchangedDocumentContext"
BUSINESS_PROCESS = f"{CONTEXT}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"
DOCUMENT = "rsm:ExchangedDocument"
NUMBER = f"{DOCUMENT}/ram:ID"
TYPE_CODE = f"{DOCUMENT}/ram:TypeCode"
ISSUE_DATE = f"{DOCUMENT}/ram:IssueDateTime/udt:DateTimeString"
TRANSACTION = "rsm:SupplyChainTradeTransaction"
AGREEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeAgreement"
SELLER = f"{AGREEMENT}/ram:SellerTradeParty"
BUYER = f"{AGREEMENT}/ram:BuyerTradeParty"
TAX_REPRESENTATIVE = f"{AGREEMENT}/ram:SellerTaxRepresentativeTradeParty"
SETTLEMENT = f"{TRANSACTION}/ram:ApplicableHeaderTradeSettlement"
CURRENCY = f"{SETTLEMENT}/ram:InvoiceCurrencyCode"
BREAKDOWN = f"{SETTLEMENT}/ram:ApplicableTradeTax"
SUMMATION = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
TAX_TOTAL = f"{SUMMATION}/ram:TaxTotalAmount"
PRECEDING_NUMBER = f"{SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID"
LINE = f"{TRANSACTION}/ram:IncludedSupplyChainTradeLineItem"
LEGAL_ID = "ram:SpecifiedLegalOrganization/ram:ID"
COUNTRY = "ram:PostalTradeAddress/ram:CountryID"

# UNTDID 1001 codes of flow 1 (A7 G1.01); 262 is accepted by the BR-FR-CDV list only, not here.
INVOICE_TYPE_CODES = frozenset("261 380 381 384 386 389 393 396 471 472 473 500 501 502 503".split())
CORRECTIVE_INVOICE_TYPE_CODES = frozenset("384 471 472 473".split())  # G1.31: exactly one BT-25
CREDIT_NOTE_TYPE_CODES = frozenset("261 381 396 502 503".split())  # G1.31: at least one BT-25
ADVANCE_PAYMENT_TYPE_CODES = frozenset("386 500 503".split())  # G1.60
# BT-23, the billing frame (A7 G1.02): goods, services, mixed x plain, already paid, final after
# advances; sub-contracting (S5), co-contracting (S6), already e-reported (B7, S7).
BILLING_FRAMES = frozenset("B1 S1 M1 B2 S2 M2 B4 S4 M4 S5 S6 B7 S7".split())
FINAL_AFTER_ADVANCE_FRAMES = frozenset("B4 S4 M4".split())
# BT-8 (P1.11): UNTDID 2475 as CII writes it (5 invoice date, 29 delivery, 72 payment), and the
# UNTDID 2005 codes of the EN 16931 list, which the AIFE schematron accepts as well.
VAT_DUE_DATE_CODES = frozenset("5 29 72 3 35 432".split())
VAT_CATEGORIES = frozenset("S E AE K G O Z".split())  # G2.31
VAT_RATES = frozenset(Decimal(rate) for rate in "0 0.9 1.05 1.75 2.1 5.5 7 8.5 9.2 9.6 10 13 19.6 20 20.6".split())
LEGAL_ID_SCHEMES = frozenset("0002 0223 0227 0228 0229".split())  # G2.19: SIREN, EU VAT and foreign ids
VAT_SCHEME = "VA"  # S1.17: the qualifier of BT-31, BT-48 and BT-63 in CII
CREDIT_NOTE_WITHOUT_VAT = "VATEX-FR-CNWVAT"  # G6.21
# G2.32: exemption codes of art. 261 CGI; an invoice whose only VAT is exempt under them is out of F1.
CGI_261_EXEMPTIONS = frozenset(
    "VATEX-FR-CGI261-1 VATEX-FR-CGI261-2 VATEX-FR-CGI261-3 VATEX-FR-CGI261-4 VATEX-FR-CGI261-5 "
    "VATEX-FR-CGI261-7 VATEX-FR-CGI261-8 VATEX-FR-CGI261A VATEX-FR-CGI261B VATEX-FR-CGI261C-1 "
    "VATEX-FR-CGI261C-2 VATEX-FR-CGI261C-3 VATEX-FR-CGI261D-1 VATEX-FR-CGI261D-1BIS VATEX-FR-CGI261D-2 "
    "VATEX-FR-CGI261D-3 VATEX-FR-CGI261D-4 VATEX-FR-CGI261E-1 VATEX-FR-CGI261E-2".split()
)
# Amount elements bound by G1.14 (two decimals); prices follow G1.16 instead.
AMOUNT_ELEMENTS = frozenset(
    "ActualAmount BasisAmount CalculatedAmount TaxBasisTotalAmount TaxTotalAmount LineTotalAmount "
    "GrandTotalAmount AllowanceTotalAmount ChargeTotalAmount TotalPrepaidAmount DuePayableAmount".split()
)
PRICE_ELEMENTS = frozenset({"GrossPriceProductTradePrice", "NetPriceProductTradePrice"})
MAX_DIGITS = 19  # G1.14, G1.16: digits of an amount or a price, sign and separator aside

_DOCUMENT_REFERENCE = re.compile(r"^[A-Za-z0-9 +_/-]+$")  # G1.05
_AMOUNT = re.compile(r"^-?\d+(\.\d{1,2})?$")
_PRICE = re.compile(r"^\d+(\.\d{1,6})?$")
_QUANTITY = re.compile(r"^-?\d+(\.\d{1,4})?$")
_DATE = re.compile(r"^\d{8}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TOLERANCE = Decimal("0.01")  # G1.53, G1.55


@dataclass(frozen=True)
class F1Finding:
    rule: str
    severity: str  # "fatal" (the PPF refuses the file) or "warning"
    message: str
    location: str | None = None


class F1Tree:
    """An F1 document as the rules read it: prefixed XPaths from the root, texts stripped."""

    def __init__(self, tree: etree._ElementTree, profile: str | None) -> None:
        self.tree = tree
        self.root = tree.getroot()
        self.profile = profile  # None when the file name declares none (S1.06 reports it)

    def all(self, path: str, context: etree._Element | None = None) -> list:
        return (self.root if context is None else context).xpath(path, namespaces=NAMESPACES)

    def first(self, path: str, context: etree._Element | None = None) -> etree._Element | None:
        found = self.all(path, context)
        return found[0] if found else None

    def text(self, path: str, context: etree._Element | None = None) -> str | None:
        """The stripped text of the first match (an element or an attribute); None when absent or blank."""
        found = self.first(path, context)
        value = found if isinstance(found, str) else (found.text if found is not None else None)
        return (value or "").strip() or None

    def where(self, element: etree._Element | None) -> str:
        return self.tree.getpath(self.root if element is None else element)


@dataclass(frozen=True)
class Violation:
    message: str
    element: etree._Element | None = None  # where it was found; None: the document as a whole


Check = Callable[[F1Tree], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    profiles: tuple[str, ...]
    check: Check


RULES: list[Rule] = []


def rule(rule_id: str, *, profiles: tuple[str, ...] = PROFILES) -> Callable[[Check], Check]:
    """Register a check under its annex 7 id; `profiles` limits it to Base or Full files."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, profiles, check))
        return check

    return register


def run_rules(document: F1Tree) -> list[F1Finding]:
    """The findings of every rule that applies to the document's profile (without one: the rules
    common to both), in rule order."""
    applicable = PROFILES if document.profile is None else (document.profile,)
    return [
        F1Finding(entry.id, "fatal", violation.message, document.where(violation.element))
        for entry in RULES
        if set(applicable) <= set(entry.profiles)
        for violation in entry.check(document)
    ]


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None  # a malformed number is the XSD's to report


def _digits(text: str) -> int:
    return sum(character.isdigit() for character in text)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


# ---- G6.08: the data flow 1 must carry -------------------------------------------------------

# (term, path from the root); attributes are paths ending in /@name.
_MANDATORY = (
    ("BT-1 invoice number", NUMBER),
    ("BT-2 issue date", ISSUE_DATE),
    ("BT-3 invoice type code", TYPE_CODE),
    ("BT-5 invoice currency", CURRENCY),
    ("BT-23 business process (billing frame)", BUSINESS_PROCESS),
    ("BT-24 specification identifier", GUIDELINE),
    ("BT-30 seller legal registration identifier", f"{SELLER}/{LEGAL_ID}"),
    ("BT-30-1 its scheme", f"{SELLER}/{LEGAL_ID}/@schemeID"),
    ("BT-40 seller country", f"{SELLER}/{COUNTRY}"),
    ("BT-47 buyer legal registration identifier", f"{BUYER}/{LEGAL_ID}"),
    ("BT-47-1 its scheme", f"{BUYER}/{LEGAL_ID}/@schemeID"),
    ("BT-55 buyer country", f"{BUYER}/{COUNTRY}"),
    ("BG-22 document totals", SUMMATION),
    ("BT-109 total without VAT", f"{SUMMATION}/ram:TaxBasisTotalAmount"),
    ("BT-110 total VAT", TAX_TOTAL),
    ("BG-23 VAT breakdown", BREAKDOWN),
)
_MANDATORY_PER_BREAKDOWN = (
    ("BT-116 taxable amount", "ram:BasisAmount"),
    ("BT-117 tax amount", "ram:CalculatedAmount"),
    ("BT-118 VAT category", "ram:CategoryCode"),
    ("BT-119 VAT rate", "ram:RateApplicablePercent"),
)
# The Full schema makes these 1..1 in every line (F1_FULL_CII_D22B, annex 1 "cible").
_MANDATORY_PER_LINE = (
    ("BT-153 item name", "ram:SpecifiedTradeProduct/ram:Name"),
    ("BT-148 gross price", "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:ChargeAmount"),
    ("BT-146 net price", "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"),
    ("BT-129 invoiced quantity", "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
)


def _missing(document: F1Tree, required: Iterable[tuple[str, str]], context: etree._Element | None = None):
    """A violation per required path that leads nowhere, or to a blank value."""
    for term, path in required:
        found = document.first(path, context)
        holds_data = found is not None and (
            (isinstance(found, etree._Element) and len(found)) or document.text(path, context) is not None
        )
        if not holds_data:
            yield Violation(f"{term} is mandatory in flow 1", context)


@rule("G6.08")
def mandatory_data(document: F1Tree) -> Iterator[Violation]:
    yield from _missing(document, _MANDATORY)
    for breakdown in document.all(BREAKDOWN):
        yield from _missing(document, _MANDATORY_PER_BREAKDOWN, breakdown)


@rule("G6.08", profiles=(FULL,))
def mandatory_line_data(document: F1Tree) -> Iterator[Violation]:
    lines = document.all(LINE)
    if not lines:
        yield Violation("BG-25: a Full flow 1 carries the invoice lines, at least one")
    for line in lines:
        yield from _missing(document, _MANDATORY_PER_LINE, line)


# ---- header -----------------------------------------------------------------------------------


def _reference_faults(value: str) -> list[str]:
    """What G1.05 finds wrong with an invoice number (BT-1) or a preceding one (BT-25)."""
    faults = []
    if len(value) > 35:
        faults.append("is longer than 35 characters")
    if value != value.strip(" "):
        faults.append("starts or ends with a space")
    if "  " in value:
        faults.append("holds two spaces in a row")
    if not _DOCUMENT_REFERENCE.match(value):
        faults.append("holds characters other than letters, digits, space and + - _ /")
    return faults


@rule("G1.05")
def invoice_number_format(document: F1Tree) -> Iterator[Violation]:
    for term, path in (("BT-1", NUMBER), ("BT-25", PRECEDING_NUMBER)):
        for element in document.all(path):
            for fault in _reference_faults(element.text or ""):
                yield Violation(f"{term} {element.text!r} {fault}", element)


@rule("G1.01")
def invoice_type_code(document: F1Tree) -> Iterator[Violation]:
    for element in document.all(TYPE_CODE):
        if (element.text or "").strip() not in INVOICE_TYPE_CODES:
            yield Violation(
                f"invoice type code {element.text!r} is not one flow 1 accepts "
                f"({' '.join(sorted(INVOICE_TYPE_CODES))})",
                element,
            )


@rule("G1.09")
def date_format(document: F1Tree) -> Iterator[Violation]:
    for element in document.all("//udt:DateTimeString | //qdt:DateTimeString"):
        if not _DATE.match((element.text or "").strip()):
            yield Violation(f"date {element.text!r} is not written YYYYMMDD", element)


@rule("G1.36")
def date_year(document: F1Tree) -> Iterator[Violation]:
    for element in document.all("//udt:DateTimeString | //qdt:DateTimeString"):
        text = (element.text or "").strip()
        if _DATE.match(text) and not 2000 <= int(text[:4]) <= 2099:
            yield Violation(f"the year of {text} is not between 2000 and 2099", element)


@rule("G1.02")
def billing_frame(document: F1Tree) -> Iterator[Violation]:
    frame = document.text(BUSINESS_PROCESS)
    if frame is not None and frame not in BILLING_FRAMES:
        yield Violation(
            f"BT-23 {frame!r} is not a billing frame ({' '.join(sorted(BILLING_FRAMES))})",
            document.first(BUSINESS_PROCESS),
        )


@rule("G1.60")
def final_invoice_after_advances(document: F1Tree) -> Iterator[Violation]:
    frame, type_code = document.text(BUSINESS_PROCESS), document.text(TYPE_CODE)
    if frame in FINAL_AFTER_ADVANCE_FRAMES and type_code in ADVANCE_PAYMENT_TYPE_CODES:
        yield Violation(
            f"billing frame {frame} (final invoice after advances) cannot go with the advance payment type {type_code}",
            document.first(TYPE_CODE),
        )


@rule("G1.10")
def currency_code(document: F1Tree) -> Iterator[Violation]:
    currency = document.text(CURRENCY)
    if currency is not None and not _CURRENCY.match(currency):
        yield Violation(f"BT-5 {currency!r} is not an ISO 4217 code", document.first(CURRENCY))


@rule("G1.12")
def vat_total_in_euros(document: F1Tree) -> Iterator[Violation]:
    currency = document.text(CURRENCY)
    currencies = sorted(element.get("currencyID", "") for element in document.all(TAX_TOTAL))
    expected = ["EUR"] if currency == "EUR" else sorted([currency or "", "EUR"])
    if currencies != expected:
        yield Violation(
            f"the total VAT (BT-110/BT-111) must be given in {' and '.join(expected)}, once each; "
            f"found {currencies or 'none'}",
            document.first(SUMMATION),
        )


@rule("G1.31")
def preceding_invoice(document: F1Tree) -> Iterator[Violation]:
    type_code, references = document.text(TYPE_CODE), len(document.all(PRECEDING_NUMBER))
    if type_code in CORRECTIVE_INVOICE_TYPE_CODES and references != 1:
        yield Violation(
            f"a corrective invoice ({type_code}) refers to exactly one preceding invoice (BT-25); found {references}",
            document.first(TYPE_CODE),
        )
    if type_code in CREDIT_NOTE_TYPE_CODES and references == 0:
        yield Violation(
            f"a credit note ({type_code}) refers to at least one preceding invoice (BT-25)", document.first(TYPE_CODE)
        )


@rule("G6.25")
def period_order(document: F1Tree) -> Iterator[Violation]:
    for period in document.all("//ram:BillingSpecifiedPeriod"):
        start = document.text("ram:StartDateTime/udt:DateTimeString", period)
        end = document.text("ram:EndDateTime/udt:DateTimeString", period)
        # As in the AIFE schematron: a period ends strictly after it starts.
        if start and end and end <= start:
            yield Violation(f"the period ending {end} does not end after it starts ({start})", period)


# ---- parties ----------------------------------------------------------------------------------


@rule("G2.19")
def legal_identifier_scheme(document: F1Tree) -> Iterator[Violation]:
    for role, party in (("seller", SELLER), ("buyer", BUYER)):
        for element in document.all(f"{party}/{LEGAL_ID}"):
            scheme, value = element.get("schemeID", ""), (element.text or "").strip()
            if scheme not in LEGAL_ID_SCHEMES:
                yield Violation(
                    f"the {role}'s identifier scheme {scheme!r} is not one of {' '.join(sorted(LEGAL_ID_SCHEMES))}",
                    element,
                )
            elif scheme == SCHEME_SIREN and not re.fullmatch(r"\d{9}", value):
                yield Violation(f"the {role}'s SIREN {value!r} is not 9 digits", element)
            elif scheme == "0223" and len(value) > 18:
                yield Violation(
                    f"the {role}'s identifier {value!r} (scheme 0223) is longer than 18 characters", element
                )


@rule("G1.63", profiles=(BASE,))
def parties_identified_by_siren(document: F1Tree) -> Iterator[Violation]:
    """The Base profile knows French companies only. The AIFE schematron checks 9 digits; the
    Luhn key, which defines a SIREN (INSEE), is checked as well."""
    for role, party in (("seller", SELLER), ("buyer", BUYER)):
        for element in document.all(f"{party}/{LEGAL_ID}"):
            value = (element.text or "").strip()
            if element.get("schemeID") != SCHEME_SIREN:
                yield Violation(f"the {role} is identified by a SIREN (scheme 0002) in a Base flow 1", element)
            elif valid_siren(value) != value:
                yield Violation(f"the {role}'s SIREN {value!r} is not valid (9 digits, Luhn key)", element)


@rule("G2.01")
def country_codes(document: F1Tree) -> Iterator[Violation]:
    for role, party in (("seller", SELLER), ("buyer", BUYER)):
        for element in document.all(f"{party}/{COUNTRY}"):
            country = (element.text or "").strip()
            if not _COUNTRY.match(country):
                yield Violation(f"the {role}'s country {country!r} is not an ISO 3166-1 alpha-2 code", element)
            elif role == "buyer" and country == "EL":
                # EL is Greece's VAT prefix, not its country code (GR).
                yield Violation("the buyer's country is GR for Greece, not EL", element)


@rule("S1.14")
def single_vat_group(document: F1Tree) -> Iterator[Violation]:
    for element in document.all(f"{SELLER}/ram:GlobalID"):
        if element.get("schemeID") != SCHEME_FR_SINGLE_VAT_GROUP:
            yield Violation(
                f"the seller's global identifier is the SIREN of its single VAT group (scheme 0231), "
                f"not scheme {element.get('schemeID')!r}",
                element,
            )


@rule("G1.101")
def single_vat_group_siren(document: F1Tree) -> Iterator[Violation]:
    for element in document.all(f"{SELLER}/ram:GlobalID[@schemeID='{SCHEME_FR_SINGLE_VAT_GROUP}']"):
        if not re.fullmatch(r"\d{9}", (element.text or "").strip()):
            yield Violation(f"the single VAT group's SIREN {element.text!r} is not 9 digits", element)


@rule("S1.17")
def vat_qualifiers(document: F1Tree) -> Iterator[Violation]:
    for breakdown in document.all(BREAKDOWN):
        if document.text("ram:TypeCode", breakdown) is None:
            yield Violation("BT-118-0: every VAT breakdown says its tax type (VAT)", breakdown)
    for element in document.all("//ram:SpecifiedTaxRegistration/ram:ID"):
        if element.get("schemeID") != VAT_SCHEME:
            yield Violation(
                f"a VAT identifier (BT-31, BT-48, BT-63) is qualified VA, not {element.get('schemeID')!r}", element
            )


# ---- VAT --------------------------------------------------------------------------------------


@rule("G1.103")
def vat_only(document: F1Tree) -> Iterator[Violation]:
    for element in document.all("//ram:ApplicableTradeTax/ram:TypeCode | //ram:CategoryTradeTax/ram:TypeCode"):
        if (element.text or "").strip() != "VAT":
            yield Violation(f"the tax type is VAT in an invoice, not {element.text!r}", element)


@rule("P1.11")
def vat_due_date_code(document: F1Tree) -> Iterator[Violation]:
    for element in document.all(f"{BREAKDOWN}/ram:DueDateTypeCode"):
        if (element.text or "").strip() not in VAT_DUE_DATE_CODES:
            yield Violation(
                f"BT-8 {element.text!r} is not a VAT due date code ({' '.join(sorted(VAT_DUE_DATE_CODES, key=int))})",
                element,
            )


@rule("S1.13")
def one_vat_due_date_code(document: F1Tree) -> Iterator[Violation]:
    codes = {(element.text or "").strip() for element in document.all(f"{BREAKDOWN}/ram:DueDateTypeCode")}
    if len(codes) > 1:
        yield Violation(
            f"BT-8 differs between VAT breakdowns ({', '.join(sorted(codes))}); CII repeats one value",
            document.first(SETTLEMENT),
        )


@rule("G2.31")
def vat_category(document: F1Tree) -> Iterator[Violation]:
    for element in document.all("//ram:ApplicableTradeTax/ram:CategoryCode | //ram:CategoryTradeTax/ram:CategoryCode"):
        if (element.text or "").strip() not in VAT_CATEGORIES:
            yield Violation(f"VAT category {element.text!r} is not one of {' '.join(sorted(VAT_CATEGORIES))}", element)


@rule("G1.24")
def vat_rate(document: F1Tree) -> Iterator[Violation]:
    for element in document.all("//ram:RateApplicablePercent"):
        rate = _decimal((element.text or "").strip())
        if rate is not None and rate not in VAT_RATES:
            yield Violation(
                f"VAT rate {element.text}% is not a French rate ({', '.join(str(rate) for rate in sorted(VAT_RATES))})",
                element,
            )


@rule("G1.41")
def exemption_reason(document: F1Tree) -> Iterator[Violation]:
    for breakdown in document.all(f"{BREAKDOWN}[ram:CategoryCode='E']"):
        if (
            document.text("ram:ExemptionReasonCode", breakdown) is None
            or document.text("ram:ExemptionReason", breakdown) is None
        ):
            yield Violation(
                "an exempt VAT breakdown (E) gives both the exemption reason code (BT-121) and text (BT-120)", breakdown
            )


@rule("G1.47")
def exempt_seller_vat_identifier(document: F1Tree) -> Iterator[Violation]:
    exempt = document.all(f"{BREAKDOWN}[ram:CategoryCode='E']")
    registered = document.all(
        f"{SELLER}/ram:SpecifiedTaxRegistration/ram:ID | {TAX_REPRESENTATIVE}/ram:SpecifiedTaxRegistration/ram:ID"
    )
    if exempt and not registered:
        yield Violation(
            "with an exempt VAT breakdown (E), the seller's VAT identifier (BT-31) or its tax "
            "representative's (BT-63) is mandatory",
            exempt[0],
        )


@rule("G6.21")
def credit_note_without_vat(document: F1Tree) -> Iterator[Violation]:
    type_code = document.text(TYPE_CODE)
    for element in document.all(f"{BREAKDOWN}/ram:ExemptionReasonCode[normalize-space()='{CREDIT_NOTE_WITHOUT_VAT}']"):
        if type_code not in {"261", "381", "396"}:
            yield Violation(
                f"{CREDIT_NOTE_WITHOUT_VAT} is for credit notes (261, 381, 396), not type {type_code}", element
            )


@rule("G2.32")
def outside_flow_one(document: F1Tree) -> Iterator[Violation]:
    """An invoice with no VAT at all in France (only O, only E under art. 261 CGI, or O and E
    together) is not e-invoicing data: it is refused in flow 1."""
    categories = {(element.text or "").strip() for element in document.all(f"{BREAKDOWN}/ram:CategoryCode")}
    exemptions = {(element.text or "").strip() for element in document.all(f"{BREAKDOWN}/ram:ExemptionReasonCode")}
    if categories == {"O"} or categories == {"O", "E"} or (categories == {"E"} and exemptions & CGI_261_EXEMPTIONS):
        yield Violation(
            f"an invoice whose VAT breakdowns are only {' and '.join(sorted(categories))} "
            "(not subject, or exempt under art. 261 CGI) is not sent in flow 1",
            document.first(SETTLEMENT),
        )


# ---- amounts, prices, quantities ----------------------------------------------------------


def _in_price(element: etree._Element) -> bool:
    return any(_local(ancestor) in PRICE_ELEMENTS for ancestor in element.iterancestors())


def _number_faults(elements: Iterable[etree._Element], pattern: re.Pattern, what: str) -> Iterator[Violation]:
    """G1.14 / G1.16: a number written as `pattern` wants, with at most MAX_DIGITS digits."""
    for element in elements:
        text = (element.text or "").strip()
        if not pattern.match(text):
            yield Violation(f"{what} {text!r}", element)
        elif _digits(text) > MAX_DIGITS:
            yield Violation(f"{text!r} has more than {MAX_DIGITS} digits", element)


@rule("G1.14")
def amount_format(document: F1Tree) -> Iterator[Violation]:
    amounts = [
        element
        for element in document.root.iter()
        if isinstance(element.tag, str) and _local(element) in AMOUNT_ELEMENTS and not _in_price(element)
    ]
    yield from _number_faults(amounts, _AMOUNT, "an amount has 2 decimals at most:")


@rule("G1.16")
def price_format(document: F1Tree) -> Iterator[Violation]:
    prices = document.all(f"{LINE}/ram:SpecifiedLineTradeAgreement//*[contains(local-name(), 'Amount')]")
    yield from _number_faults(prices, _PRICE, "a price is not negative and has 6 decimals at most:")


@rule("G1.15")
def quantity_format(document: F1Tree) -> Iterator[Violation]:
    for element in document.all(f"{LINE}/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"):
        if not _QUANTITY.match((element.text or "").strip()):
            yield Violation(f"quantity {element.text!r} has more than 4 decimals", element)


@rule("G1.55")
def net_price(document: F1Tree) -> Iterator[Violation]:
    for agreement in document.all(f"{LINE}/ram:SpecifiedLineTradeAgreement"):
        net = _decimal(document.text("ram:NetPriceProductTradePrice/ram:ChargeAmount", agreement))
        gross = _decimal(document.text("ram:GrossPriceProductTradePrice/ram:ChargeAmount", agreement))
        discount = _decimal(
            document.text("ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualAmount", agreement)
        )
        if net is not None and gross is not None and abs(net - (gross - (discount or 0))) > _TOLERANCE:
            yield Violation(
                f"the net price {net} is not the gross price {gross} less the discount {discount or 0}", agreement
            )


def _sum(document: F1Tree, path: str) -> Decimal | None:
    values = [_decimal(document.text(".", element)) for element in document.all(path)]
    return sum(values, Decimal(0)) if values and None not in values else None


@rule("G1.53")
def totals_match_breakdown(document: F1Tree) -> Iterator[Violation]:
    """BT-109 = sum of BT-116 and BT-110 = sum of BT-117, within a cent. Unlike the AIFE
    schematron, BT-110 is taken in the invoice currency, the one the breakdown is in."""
    summation = document.first(SUMMATION)
    without_vat = _decimal(document.text(f"{SUMMATION}/ram:TaxBasisTotalAmount"))
    bases = _sum(document, f"{BREAKDOWN}/ram:BasisAmount")
    if without_vat is not None and bases is not None and abs(without_vat - bases) > _TOLERANCE:
        yield Violation(f"the total without VAT {without_vat} is not the sum of the taxable amounts {bases}", summation)
    currency = document.text(CURRENCY)
    total_vat = _decimal(document.text(f"{TAX_TOTAL}[@currencyID='{currency}']"))
    taxes = _sum(document, f"{BREAKDOWN}/ram:CalculatedAmount")
    if total_vat is not None and taxes is not None and abs(total_vat - taxes) > _TOLERANCE:
        yield Violation(f"the total VAT {total_vat} is not the sum of the VAT amounts {taxes}", summation)
