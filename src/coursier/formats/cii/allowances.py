"""CII `ram:SpecifiedTradeAllowanceCharge`: document level (BG-20, BG-21) and line level (BG-27, BG-28)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import Leaf, XmlBuilder, XmlReader
from coursier.model import AllowanceCharge, DocumentAllowanceCharge

from .syntax import read_indicator, write_indicator

AMOUNTS = (
    Leaf("ram:CalculationPercent", "percentage", is_decimal=True),
    Leaf("ram:BasisAmount", "base_amount", is_decimal=True),
    Leaf("ram:ActualAmount", "amount", is_decimal=True),
    Leaf("ram:ReasonCode", "reason_code"),
    Leaf("ram:Reason", "reason"),
)
DOCUMENT_VAT = (
    Leaf("ram:CategoryTradeTax/ram:CategoryCode", "vat_category_code"),
    Leaf("ram:CategoryTradeTax/ram:RateApplicablePercent", "vat_rate", is_decimal=True),
)


def read_allowances_charges(
    reader: XmlReader, parent: etree._Element | None, origin: str, document_level: bool
) -> tuple[list, list]:
    """(allowances, charges) below `parent`; `origin` is the model path of their owner ("" or "lines[]")."""
    allowances: list = []
    charges: list = []
    model = DocumentAllowanceCharge if document_level else AllowanceCharge
    table = AMOUNTS + DOCUMENT_VAT if document_level else AMOUNTS
    for element in reader.findall(parent, "ram:SpecifiedTradeAllowanceCharge"):
        is_charge = bool(read_indicator(reader, element, "ram:ChargeIndicator"))
        if document_level:
            reader.text(element, "ram:CategoryTradeTax/ram:TypeCode")  # always VAT in EN 16931
        field = "charges" if is_charge else "allowances"
        entry = reader.group(element, model, table, f"{origin}{field}[]")
        if entry is not None:
            (charges if is_charge else allowances).append(entry)
    return allowances, charges


def write_allowances_charges(
    builder: XmlBuilder,
    parent: etree._Element,
    allowances: list[AllowanceCharge],
    charges: list[AllowanceCharge],
    origin: str,
) -> None:
    for is_charge, entries in ((False, allowances), (True, charges)):
        for index, entry in enumerate(entries):
            path = f"{origin}{'charges' if is_charge else 'allowances'}[{index}]"
            element = builder.child(parent, "ram:SpecifiedTradeAllowanceCharge", path)
            write_indicator(builder, element, "ram:ChargeIndicator", is_charge)
            builder.leaves(element, entry, AMOUNTS, path)
            if isinstance(entry, DocumentAllowanceCharge):
                builder.leaf(element, "ram:CategoryTradeTax/ram:TypeCode", "VAT", path)
                builder.leaves(element, entry, DOCUMENT_VAT, path)
