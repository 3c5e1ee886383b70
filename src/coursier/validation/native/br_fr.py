"""The value tests of the French rules (BR-FR, Flux 2), shared by the CII and UBL restatements.

The official artefacts declare them as XSLT functions (`custom:is-valid-...`): their parameters
are `xs:string?`, so a node passed in counts by its text, and two nodes are an error. The tests
both artefacts state alike over their own paths (SIRET/SIREN coherence, the special billing
frameworks, "not(framework) or test") are here too, as functions of the nodes each syntax selects.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from coursier.validation.native.book import Test
from coursier.validation.native.xpath import (
    Document,
    Element,
    XPathError,
    all_of,
    any_of,
    blank,
    decimal,
    find,
    normalize,
    one,
    text,
)

_ID_FORMAT = re.compile(r"[A-Za-z0-9+\-_/]+")
_DATE_FORMAT = re.compile(r"20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_ISO_DATE_FORMAT = re.compile(r"20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_SIREN = re.compile(r"\d{9}")
_SIRET = re.compile(r"\d{14}")
_SCHEME_ID_FORMAT = re.compile(r"[A-Za-z0-9+\-_.]+")
_DECIMAL_19_2 = re.compile(r"[-]?\d{1,19}(\.\d{1,2})?")
_DECIMAL_19_4 = re.compile(r"[-]?\d{1,19}(\.\d{1,4})?")
_DECIMAL_19_6 = re.compile(r"[-]?\d{1,19}(\.\d{1,6})?")
_POSITIVE_DECIMAL_19_6 = re.compile(r"\d{1,19}(\.\d{1,6})?")
_POSITIVE_PERCENT_4_2 = re.compile(r"\d{1,4}(\.\d{1,2})?")

DOCUMENT_TYPES = frozenset("380 389 393 501 386 500 384 471 472 473 261 262 381 396 502 503".split())
BILLING_MODES = frozenset("B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 S9 M9".split())
BAR_TREATMENTS = frozenset({"B2B", "B2BINT", "B2C", "B2CINT", "OUTOFSCOPE", "ARCHIVEONLY"})
EAS_CODES = frozenset(
    (
        "AN AQ AS AU EM 0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 "
        "0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 "
        "0209 0210 0211 0212 0213 0215 0216 0217 0218 0221 0225 0230 0235 0240 9910 9913 9914 9915 9918 9919 "
        "9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 "
        "9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959"
    ).split()
)
VAT_CATEGORIES = frozenset({"S", "E", "AE", "K", "G", "O", "Z"})
VAT_RATES = frozenset(
    (
        "0 0.0 0.00 10 10.0 10.00 13 13.0 13.00 20 20.0 20.00 8.5 8.50 19.6 19.60 2.1 2.10 5.5 5.50 7 7.0 7.00 "
        "20.6 20.60 1.05 0.9 0.90 1.75 9.2 9.20 9.6 9.60"
    ).split()
)
ATTACHMENT_CODES = frozenset(
    {
        "RIB",
        "LISIBLE",
        "FEUILLE_DE_STYLE",
        "PJA",
        "BORDEREAU_SUIVI",
        "DOCUMENT_ANNEXE",
        "BON_LIVRAISON",
        "BON_COMMANDE",
        "BORDEREAU_SUIVI_VALIDATION",
        "ETAT_ACOMPTE",
        "FACTURE_PAIEMENT_DIRECT",
        "RECAPITULATIF_COTRAITANCE",
    }
)
# BT-23 billing frameworks of the multi-vendor (S8, B8, M8) and the "balance" invoices (S9, B9, M9).
MULTI_VENDOR = frozenset({"S8", "B8", "M8"})
BALANCE = frozenset({"S9", "B9", "M9"})


def value(nodes: list | Element | str | None) -> str | None:
    """An `xs:string?` argument: the text of the one node, None for no node, an error for two."""
    if isinstance(nodes, list):
        nodes = one(nodes)
    return None if nodes is None else text(nodes)


def valid_id(nodes) -> bool:
    """custom:is-valid-id-format: letters, digits and + - _ / only, no space anywhere."""
    identifier = value(nodes)
    if identifier is None:
        identifier = ""
    return _ID_FORMAT.fullmatch(normalize(identifier)) is not None and " " not in identifier


def _day_exists(year: str, month: str, day: str) -> bool:
    """$day le $maxDay: the day exists in that month of that year (xs:decimal of each part)."""
    year_, month_, day_ = decimal(year), decimal(month), decimal(day)
    leap = (year_ % 4 == 0 and year_ % 100 != 0) or year_ % 400 == 0
    if month_ in (1, 3, 5, 7, 8, 10, 12):
        last = 31
    elif month_ in (4, 6, 9, 11):
        last = 30
    elif month_ == 2:
        last = 29 if leap else 28
    else:
        last = 0
    return day_ <= last


def valid_date(nodes) -> bool:
    """custom:is-valid-date-format of CII: the first 8 characters are a real date CCYYMMDD of 2000-2099."""
    date = (value(nodes) or "")[:8]
    return all_of(lambda: _DATE_FORMAT.fullmatch(date) is not None, lambda: _day_exists(date[:4], date[4:6], date[6:8]))


def valid_iso_date(nodes) -> bool:
    """custom:is-valid-date-format of UBL: the whole text is a real date CCYY-MM-DD of 2000-2099."""
    date = value(nodes) or ""
    return all_of(
        lambda: _ISO_DATE_FORMAT.fullmatch(date) is not None, lambda: _day_exists(date[:4], date[5:7], date[8:10])
    )


def in_list(allowed: frozenset[str]):
    """custom:is-valid-...(code): the text is one of the codes, exactly."""
    return lambda nodes: value(nodes) in allowed


def siret_matches_siren(siret, siren) -> bool:
    """custom:check-siret-siren-coherence: 14 digits, starting with the SIREN."""
    siret_text = value(siret)
    if siret_text is None or _SIRET.fullmatch(siret_text) is None:
        return False
    siren_text = value(siren)
    return siren_text is not None and siret_text[:9] == siren_text


def siren_format(text_: str) -> bool:
    """matches(x, '^\\d{9}$')."""
    return _SIREN.fullmatch(text_) is not None


def valid_scheme_id(nodes) -> bool:
    """custom:is-valid-schemeid-format: letters, digits and + - _ . only."""
    return _SCHEME_ID_FORMAT.fullmatch(value(nodes) or "") is not None


def _digits_at_most(pattern: re.Pattern, digits: int):
    def valid(nodes) -> bool:
        amount = value(nodes) or ""
        return pattern.fullmatch(amount) is not None and len(amount.replace(".", "")) <= digits

    return valid


valid_decimal_19_2 = _digits_at_most(_DECIMAL_19_2, 19)
valid_decimal_19_4 = _digits_at_most(_DECIMAL_19_4, 19)
valid_decimal_19_6 = _digits_at_most(_DECIMAL_19_6, 19)
valid_positive_decimal_19_6 = _digits_at_most(_POSITIVE_DECIMAL_19_6, 19)
valid_positive_percent_4_2 = _digits_at_most(_POSITIVE_PERCENT_4_2, 4)


def framework_in(frameworks: frozenset[str], identifiers: list) -> bool:
    """custom:isSpecialContract...: the billing framework (BT-23) is one of `frameworks`."""
    if not identifiers:
        return False
    return normalize(text(one(identifiers))) in frameworks


def joined(nodes) -> str:
    """What xsl:value-of writes for a sequence: the texts, separated by spaces."""
    if isinstance(nodes, list | tuple):
        return " ".join(text(node) for node in nodes)
    return "" if nodes is None else str(nodes)


def to_decimal_or_error(nodes) -> Decimal | None:
    """xs:decimal(nodes): None for no node, an error for two."""
    if isinstance(nodes, list) and len(nodes) > 1:
        raise XPathError("xs:decimal of more than one item")
    return decimal(value(nodes)) if nodes else None


def siret_coherent(sirets: list, siren) -> bool:
    """not($siret) or custom:check-siret-siren-coherence($siret[1], $siren)."""
    return any_of(lambda: not sirets, lambda: siret_matches_siren(sirets[:1], siren))


def siren_or_siret_start(legal: list, siret: list):
    """if (string($legal)) then $legal else substring($siret, 1, 9): the SIREN a party states, else
    the one its SIRET starts with (CII passes every SIRET, UBL the first)."""
    if text(one(legal)):
        return legal
    return (value(siret) or "")[:9]


def valid_siren(sirens: list) -> bool:
    """$siren and matches(normalize-space($siren), '^\\d{9}$')."""
    return all_of(lambda: bool(sirens), lambda: siren_format(normalize(value(sirens) or "")))


def this(element: Element, document: Document) -> list[str]:
    """The message shows the context's own value."""
    return [text(element)]


def unless(condition: Callable[[Document], bool], test: Test) -> Test:
    """not(condition) or test."""
    return lambda element, document: any_of(lambda: not condition(document), lambda: test(element, document))


@dataclass(frozen=True)
class Frameworks:
    """custom:isSpecialContract (S8, B8, M8, S9, B9, M9), ...MV (multi-vendor: S8, B8, M8) and ...BD
    (balance: S9, B9, M9): the billing framework (BT-23) the invoice's root states at `path`, for
    roots of the syntax only (the functions take `/rsm:CrossIndustryInvoice`, `/ubl:Invoice|/cn:CreditNote`)."""

    roots: frozenset[str]
    path: str

    def _is(self, document: Document, frameworks: frozenset[str]) -> bool:
        root = document.root
        return framework_in(frameworks, find(root, document, self.path)) if root.tag in self.roots else False

    def special(self, document: Document) -> bool:
        return document.memo((self, "special"), lambda: self._is(document, MULTI_VENDOR | BALANCE))

    def multi_vendor(self, document: Document) -> bool:
        return document.memo((self, "multi-vendor"), lambda: self._is(document, MULTI_VENDOR))

    def balance(self, document: Document) -> bool:
        return document.memo((self, "balance"), lambda: self._is(document, BALANCE))


def scheme_is(*schemes: str) -> Test:
    """The context element's [@schemeID = ...]."""
    return lambda element, document: element.get("schemeID") in schemes


def equal_decimals(a: Decimal | None, b: Decimal | None) -> bool:
    """xs:decimal(a) = xs:decimal(b): false when either is absent (the empty sequence)."""
    return a is not None and b is not None and a == b


def identified_by_scheme(ids: list) -> bool:
    """empty(ids[not(@schemeID)])."""
    return all(node.get("schemeID") is not None for node in ids)


def distinct_schemes(ids: list) -> bool:
    """count(distinct-values(ids/@schemeID)) = count(ids/@schemeID)."""
    schemes = [scheme for node in ids if (scheme := node.get("schemeID")) is not None]
    return len(set(schemes)) == len(schemes)


def valid_price(amount: str, on_balance: Callable[[], bool]) -> bool:
    """A price of 19 digits and 6 decimals, negative only on balance invoices (S9, B9, M9)."""
    return any_of(
        lambda: all_of(on_balance, lambda: valid_decimal_19_6(amount)),
        lambda: all_of(lambda: not on_balance(), lambda: valid_positive_decimal_19_6(amount)),
    )


def filled(path: str) -> Test:
    """normalize-space(path) != '' (an error when `path` selects two nodes)."""
    return lambda element, document: not blank(find(element, document, path))


def number_text(value) -> str:
    """A number as xsl:value-of writes it: an xs:double in the XPath 2.0 way ("12", "0.5", "1.0E20",
    "INF"), other numbers as they are."""
    if not isinstance(value, float):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    shortest = Decimal(repr(value))  # the fewest digits that give the double back, as Saxon writes
    if 1e-6 <= abs(value) < 1e6:
        plain = f"{shortest:f}"
        return plain.rstrip("0").rstrip(".") if "." in plain else plain
    sign, digits, exponent = shortest.as_tuple()
    digits_ = "".join(map(str, digits)).rstrip("0") or "0"
    mantissa = f"{digits_[0]}.{digits_[1:] or '0'}"
    return f"{'-' if sign else ''}{mantissa}E{len(digits) - 1 + exponent}"
