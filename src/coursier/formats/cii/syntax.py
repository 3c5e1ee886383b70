"""CII (UN/CEFACT Cross Industry Invoice D16B; D22B uses the same namespaces) names and dates."""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from coursier.formats.base import INVALID_VALUE, XmlBuilder, XmlReader

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NAMESPACES = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

DATE_FORMAT = "102"  # UNTDID 2379: CCYYMMDD, the only date format EN 16931 allows in CII


def parse_date102(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def read_date(reader: XmlReader, parent: etree._Element | None, path: str, term: str) -> date | None:
    """A date held as `<path><udt:DateTimeString format="102">` (or qdt:/DateString variants)."""
    holder = reader.find(parent, path, term)
    if holder is None:
        return None
    inner = reader.find(holder, "*")
    if inner is None:
        return None
    if inner.get("format", DATE_FORMAT) != DATE_FORMAT:
        reader.warn(INVALID_VALUE, term, inner, f"date format {inner.get('format')!r} is not 102 (CCYYMMDD); left out")
        return None
    return reader.value(inner, None, term, parse_date102)


def write_date(
    builder: XmlBuilder,
    parent: etree._Element,
    name: str,
    value: date | None,
    origin: str,
    inner: str = "udt:DateTimeString",
) -> None:
    if value is None:
        return
    holder = builder.child(parent, name, origin)
    builder.leaf(holder, inner, value.strftime("%Y%m%d"), origin, format=DATE_FORMAT)


def read_indicator(reader: XmlReader, parent: etree._Element | None, path: str) -> bool | None:
    text = reader.text(parent, f"{path}/udt:Indicator")
    return None if text is None else text.lower() == "true"


def write_indicator(builder: XmlBuilder, parent: etree._Element, name: str, value: bool) -> None:
    builder.leaf(builder.child(parent, name), "udt:Indicator", "true" if value else "false")
