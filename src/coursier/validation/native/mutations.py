"""Seeded, reproducible mutations of invoices, to compare the native rules with the official artefacts
where the corpora say nothing: dropped, duplicated and altered elements, amounts, codes, dates,
identifiers and attributes.

`mutants(name, xml, count, seed)` gives `count` variants of one invoice; the same arguments give
the same variants on any machine (each variant draws from its own `random.Random`, seeded from the
seed, the name and its number), so a disagreement found in a long run can be replayed alone.
"""

import random
import re
from collections.abc import Callable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass
from functools import partial

from lxml import etree

_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{8}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # UBL dates
_DIGITS = re.compile(r"\d{9,14}")

# Values the rules are picky about: VAT categories, currencies, countries, document types, schemes,
# units, payment means, exemption reasons, indicators.
_CODES = (
    "S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "s", "X",
    "EUR", "USD", "GBP", "XXX", "eur",
    "FR", "DE", "IT", "BE", "EL", "GR", "XI", "XX", "fr",
    "380", "381", "384", "386", "389", "393", "501", "751", "999",
    "0002", "0009", "0088", "0225", "9957", "EM", "VA", "FC", "VAT", "9999",
    "C62", "H87", "XPP", "ZZZ", "XYZ",
    "30", "58", "49", "57", "97", "1", "ZZZ",
    "VATEX-EU-G", "VATEX-EU-IC", "VATEX-EU-AE", "VATEX-EU-O", "VATEX-FR-FRANCHISE", "vatex-eu-g",
    "true", "false", "1", "0", "TRUE",
    "B1", "S1", "M1", "B2", "S8", "B9", "A1",
    "AAB", "AAI", "PMT", "REG", "ZZZ", "ABL",
    "50", "130", "916", "AFL", "AVV",
    "5", "29", "72", "3", "35", "432",
    "B2B", "B2C", "OUTOFSCOPE",
)  # fmt: skip


# Values by the element (or attribute) name that carries them: a mutation swaps a value for another
# of the same role, which is what exercises the rules on categories, rates, frameworks, schemes...
_CATEGORIES = ("S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "X")
_ROLE_VALUES: dict[str, tuple[str, ...]] = {
    "CategoryCode": _CATEGORIES,
    "RateApplicablePercent": ("0", "0.00", "5.5", "10", "20", "21", "19.6", "20.000", "-20", "100000", "abc"),
    "Percent": ("0", "5.5", "10", "20", "21", "-20"),
    "TypeCode": ("380", "381", "384", "386", "389", "261", "262", "471", "472", "473", "500", "501", "502", "503",
                 "VAT", "vat", "GST", "30", "58", "49", "916", "130", "50", "999"),
    "InvoiceTypeCode": ("380", "384", "386", "389", "393", "471", "500", "501", "751", "999"),
    "CreditNoteTypeCode": ("381", "261", "262", "396", "502", "503", "380", "999"),
    "PaymentMeansCode": ("30", "58", "49", "57", "31", "97", "ZZZ", "999"),
    "ID": ("S8", "B9", "M8", "B1", "S1", "B2", "B4", "A1", "VAT", "S", "AE", "K"),
    "InvoiceCurrencyCode": ("EUR", "USD", "XXX"),
    "TaxCurrencyCode": ("EUR", "USD", "XXX"),
    "DocumentCurrencyCode": ("EUR", "USD", "XXX"),
    "CountryID": ("FR", "DE", "IT", "EL", "XX", "fr"),
    "IdentificationCode": ("FR", "DE", "IT", "EL", "XX", "fr"),
    "Indicator": ("true", "false", "1", "0", "TRUE", "yes"),
    "ChargeIndicator": ("true", "false", "1", "0", "TRUE", "yes"),
    "SubjectCode": ("PMT", "PMD", "AAB", "TXD", "BAR", "REG", "AAI", "XXX"),
    "Content": ("B2B", "B2C", "B2BINT", "OUTOFSCOPE", "MEMBRE_ASSUJETTI_UNIQUE", "free text"),
    "Note": ("#PMT#x", "#PMD#x", "#AAB#x", "#BAR#B2B", "#BAR#B2C", "#BAR#B2BINT#BAR#B2B", "#BAR#XXX",
             "#TXD#MEMBRE_ASSUJETTI_UNIQUE", "#PMT#x#PMT#y", "free text"),
    "LineStatusReasonCode": ("GROUP", "DETAIL", "INFORMATION", "OTHER"),
    "ReasonCode": ("41", "95", "100", "AA", "ABL", "FC", "ZZZ", "999"),
    "AllowanceChargeReasonCode": ("41", "95", "100", "AA", "ABL", "FC", "ZZZ", "999"),
    "ExemptionReasonCode": ("VATEX-EU-G", "VATEX-EU-IC", "VATEX-EU-AE", "VATEX-EU-O", "vatex-eu-ic", "X"),
    "TaxExemptionReasonCode": ("VATEX-EU-G", "VATEX-EU-IC", "VATEX-EU-AE", "VATEX-EU-O", "vatex-eu-ic", "X"),
    "DueDateTypeCode": ("5", "29", "72", "3"),
    "DescriptionCode": ("3", "35", "432", "5"),
    "ReferenceTypeCode": ("AFL", "AVV", "AAB", "XXX"),
    "Name": ("LISIBLE", "RIB", "PJA", "XXX"),
    # UBL: the billing framework, the multi-vendor line statuses, attachment kinds, notes, addresses.
    "ProfileID": ("B1", "S1", "M1", "B2", "S2", "M2", "B4", "S4", "S8", "B8", "M8", "S9", "B9", "M9", "A1", ""),
    "DocumentStatusCode": ("GROUP", "DETAIL", "INFORMATION", "OTHER"),
    "DocumentDescription": ("LISIBLE", "RIB", "PJA", "BON_COMMANDE", "XXX", " RIB"),
    "EndpointID": ("732829320", "552100554_ACHATS", "552100554 ACHATS", "x@y.fr", "", "0225:552100554"),
    "CompanyID": ("732829320", "552100554", "55210055400013", "FR44732829320", "73282932", " 732829320 ", "ABC"),
}  # fmt: skip
_ATTRIBUTE_VALUES: dict[str, tuple[str, ...]] = {
    "schemeID": ("0002", "0009", "0088", "0225", "0224", "0231", "9957", "EM", "VA", "FC", "XX", ""),
    "currencyID": ("EUR", "USD", "XXX", ""),
    "unitCode": ("C62", "H87", "XPP", "XYZ", ""),
    "format": ("102", "203", ""),
    "mimeCode": ("application/pdf", "image/png", "text/plain"),
    "listID": ("STI", "XX", ""),
}
_FORBIDDEN_ATTRIBUTES = (
    "schemeName", "schemeAgencyName", "schemeDataURI", "schemeURI", "schemeAgencyID", "schemeVersionID", "listURI",
    "listAgencyID", "listVersionID", "languageID", "languageLocaleID", "currencyCodeListVersionID", "unitCodeListID",
    "unitCodeListAgencyID", "unitCodeListAgencyName", "name", "schemeID", "currencyID", "unitCode", "listID",
)  # fmt: skip
# A path the rules care about, to grow below an element: the names of the element's ancestors (and
# its own, last), and the names of the elements to add below it.
Graft = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Mutant:
    name: str
    xml: bytes


Mutation = Callable[[random.Random, etree._Element], str | None]


def mutants(name: str, xml: bytes, count: int, seed: int = 0, grafts: Sequence[Graft] = ()) -> Iterator[Mutant]:
    """`count` variants of the invoice `xml`, each with one to three mutations; `grafts` are paths
    the mutations may add (the elements the syntax rules forbid, typically)."""
    original = etree.fromstring(xml)
    operations = _MUTATIONS + ((partial(graft, grafts=grafts),) * 3 if grafts else ())
    for number in range(count):
        rng = random.Random(f"{seed}:{name}:{number}")
        root = deepcopy(original)
        done = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            mutation = rng.choice(operations)
            described = mutation(rng, root)
            if described:
                done.append(described)
        if done:
            yield Mutant(
                f"{name}#{number}: {'; '.join(done)}", etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            )


def _elements(root: etree._Element) -> list[etree._Element]:
    return [element for element in root.iter(etree.Element) if element is not root]


def _leaves(root: etree._Element) -> list[etree._Element]:
    return [element for element in _elements(root) if len(element) == 0]


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname


def drop(rng: random.Random, root: etree._Element) -> str | None:
    element = rng.choice(_elements(root))
    element.getparent().remove(element)
    return f"drop {_name(element)}"


def duplicate(rng: random.Random, root: etree._Element) -> str | None:
    element = rng.choice(_elements(root))
    copy = deepcopy(element)
    copy.tail = element.tail
    element.addnext(copy)
    return f"duplicate {_name(element)}"


def empty(rng: random.Random, root: etree._Element) -> str | None:
    element = rng.choice(_leaves(root))
    element.text = rng.choice(("", " ", "\n  "))
    return f"empty {_name(element)}"


def alter_amount(rng: random.Random, root: etree._Element) -> str | None:
    candidates = [leaf for leaf in _leaves(root) if leaf.text and _DECIMAL.fullmatch(leaf.text.strip())]
    if not candidates:
        return None
    element = rng.choice(candidates)
    value = element.text.strip()
    number = float(value)
    changed = rng.choice(
        (
            f"{number + 0.01:.2f}",
            f"{number - 0.01:.2f}",
            f"{number + 1:.2f}",
            f"{number * 10:.2f}",
            f"{-number:.2f}",
            f"{number:.3f}",
            f"{number:.4f}",
            f"{number + 0.005:.3f}",
            f"{number:.0f}",
            "0",
            "0.00",
            "-0.01",
            f" {value} ",
            f"+{value}",
            value.rstrip("0") if "." in value else value + ".",
            "1e2",
            "12,50",
            "abc",
            "INF",
            "NaN",
            "99999999999999999999.99",
        )
    )
    element.text = changed
    return f"amount {_name(element)} {value}->{changed}"


def alter_code(rng: random.Random, root: etree._Element) -> str | None:
    candidates = [leaf for leaf in _leaves(root) if leaf.text and len(leaf.text.strip()) <= 12]
    if not candidates:
        return None
    element = rng.choice(candidates)
    before = element.text
    element.text = rng.choice(_CODES + (before.lower(), before.strip() + " ", f"{before.strip()} X"))
    return f"code {_name(element)} {before.strip()}->{element.text}"


def alter_date(rng: random.Random, root: etree._Element) -> str | None:
    candidates = [
        leaf
        for leaf in _leaves(root)
        if leaf.text and (_DATE.fullmatch(leaf.text.strip()) or _ISO_DATE.fullmatch(leaf.text.strip()))
    ]
    if not candidates:
        return None
    element = rng.choice(candidates)
    value = element.text.strip()
    iso = "-" in value
    if iso:
        value = value.replace("-", "")
    other = rng.choice(candidates).text.strip()
    changed = rng.choice(
        (
            value[:4] + "1301",
            value[:4] + "0230",
            value[:4] + "0229",
            "20240229",
            "20250229",
            value[:6] + "00",
            value[:6] + "31",
            str(int(value[:4]) - 1) + value[4:],
            str(int(value[:4]) + 1) + value[4:],
            "19991231",
            other,
            value[:4] + "-" + value[4:6] + "-" + value[6:],
            value + "1",
            value[:7],
        )
    )
    if iso and len(changed) == 8 and changed.isdigit() and rng.random() < 0.8:
        changed = f"{changed[:4]}-{changed[4:6]}-{changed[6:]}"  # a UBL date keeps its form mostly
    element.text = changed
    if rng.random() < 0.2 and element.get("format") is not None:
        element.set("format", rng.choice(("203", "610", "")))
        changed += f" format={element.get('format')}"
    return f"date {_name(element)} {value}->{changed}"


def alter_identifier(rng: random.Random, root: etree._Element) -> str | None:
    candidates = [leaf for leaf in _leaves(root) if leaf.text and _DIGITS.search(leaf.text)]
    if not candidates:
        return None
    element = rng.choice(candidates)
    value = element.text
    match = _DIGITS.search(value)
    digits = match.group(0)
    position = rng.randrange(len(digits))
    changed_digits = rng.choice(
        (
            digits[:position] + str((int(digits[position]) + 1) % 10) + digits[position + 1 :],
            digits[:-1],
            digits + "0",
            digits[:9],
            digits[:9] + "00012",
            digits[:4] + " " + digits[4:],
            "FR" + digits,
            "000000000",
        )
    )
    element.text = value[: match.start()] + changed_digits + value[match.end() :]
    return f"identifier {_name(element)} {value.strip()}->{element.text.strip()}"


def alter_attribute(rng: random.Random, root: etree._Element) -> str | None:
    candidates = [element for element in _elements(root) if element.attrib]
    if not candidates:
        return None
    element = rng.choice(candidates)
    attribute = rng.choice(sorted(element.attrib))
    before = element.get(attribute)
    if rng.random() < 0.3:
        del element.attrib[attribute]
        return f"attribute {_name(element)}@{attribute} removed"
    element.set(attribute, rng.choice(_CODES + ("", " ", before.lower(), before + " ")))
    return f"attribute {_name(element)}@{attribute} {before}->{element.get(attribute)}"


def add_attribute(rng: random.Random, root: etree._Element) -> str | None:
    element = rng.choice(_elements(root))
    attribute = rng.choice(_FORBIDDEN_ATTRIBUTES)
    element.set(attribute, rng.choice(_ATTRIBUTE_VALUES.get(attribute, _CODES)))
    return f"attribute {_name(element)}@{attribute} added"


def alter_by_role(rng: random.Random, root: etree._Element) -> str | None:
    """A value replaced by another of its role: a VAT category by another, a rate, a framework..."""
    leaves = [leaf for leaf in _leaves(root) if _name(leaf) in _ROLE_VALUES]
    attributed = [element for element in _elements(root) if any(name in _ATTRIBUTE_VALUES for name in element.attrib)]
    if leaves and (not attributed or rng.random() < 0.7):
        element = rng.choice(leaves)
        before = element.text
        element.text = rng.choice(_ROLE_VALUES[_name(element)])
        return f"role {_name(element)} {before}->{element.text}"
    if not attributed:
        return None
    element = rng.choice(attributed)
    attribute = rng.choice(sorted(name for name in element.attrib if name in _ATTRIBUTE_VALUES))
    before = element.get(attribute)
    element.set(attribute, rng.choice(_ATTRIBUTE_VALUES[attribute]))
    return f"role {_name(element)}@{attribute} {before}->{element.get(attribute)}"


def graft(rng: random.Random, root: etree._Element, grafts: Sequence[Graft]) -> str | None:
    """A path the rules care about grown below an element it applies to."""
    (ancestry, below) = rng.choice(grafts)
    targets = [element for element in root.iter(ancestry[-1]) if _has_ancestry(element, ancestry)]
    if not targets:
        return None
    parent = rng.choice(targets)
    for name in below:
        existing = [child for child in parent.iterchildren(name)]
        parent = existing[0] if existing and rng.random() < 0.5 else etree.SubElement(parent, name)
    parent.text = rng.choice(("1", "X", "20260101", "S"))
    return (
        f"graft {'/'.join(etree.QName(name).localname for name in below)} below {etree.QName(ancestry[-1]).localname}"
    )


def _has_ancestry(element: etree._Element, ancestry: tuple[str, ...]) -> bool:
    current = element
    for name in reversed(ancestry[:-1]):
        current = current.getparent()
        if current is None or current.tag != name:
            return False
    return True


def swap(rng: random.Random, root: etree._Element) -> str | None:
    """Two leaves of the document exchange their values (a date for an amount, a code for a name...)."""
    leaves = [leaf for leaf in _leaves(root) if leaf.text and leaf.text.strip()]
    if len(leaves) < 2:
        return None
    first, second = rng.sample(leaves, 2)
    first.text, second.text = second.text, first.text
    return f"swap {_name(first)}<->{_name(second)}"


def move(rng: random.Random, root: etree._Element) -> str | None:
    """An element copied into another place with the same parent name (a line's tax to another line...)."""
    element = rng.choice(_elements(root))
    parent = element.getparent()
    targets = [other for other in root.iter(parent.tag) if other is not parent]
    if not targets:
        return None
    rng.choice(targets).append(deepcopy(element))
    return f"copy {_name(element)} to another {_name(parent)}"


_MUTATIONS: tuple[Mutation, ...] = (
    drop,
    drop,
    duplicate,
    empty,
    alter_amount,
    alter_amount,
    alter_amount,
    alter_code,
    alter_code,
    alter_code,
    alter_date,
    alter_identifier,
    alter_identifier,
    alter_attribute,
    add_attribute,
    alter_by_role,
    alter_by_role,
    alter_by_role,
    swap,
    move,
)
