"""CII `ram:ApplicableHeaderTradeDelivery`: delivery information (BG-13, BG-15), BT-15 and BT-16."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import REPEATED_VALUE, XmlBuilder, XmlReader, present
from coursier.model import Delivery, Invoice

from .parties import read_address, read_identifier, write_address, write_party_identifier
from .syntax import read_date, write_date


def read_delivery(reader: XmlReader, delivery: etree._Element | None) -> dict[str, object]:
    """The invoice fields held in the header delivery element."""
    ship_to = reader.find(delivery, "ram:ShipToTradeParty", "BG-13")
    location_ids = reader.findall(ship_to, "ram:ID") + reader.findall(ship_to, "ram:GlobalID")
    for extra in location_ids[1:]:
        reader.warn(REPEATED_VALUE, "BT-71", extra, "BT-71 holds one location identifier; the others were left out")
    return {
        "delivery": present(
            Delivery(
                party_name=reader.text(ship_to, "ram:Name", "BT-70"),
                location_identifier=read_identifier(reader, location_ids[0]) if location_ids else None,
                actual_delivery_date=read_date(
                    reader, delivery, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime", "BT-72"
                ),
                address=read_address(reader, ship_to, "delivery.address"),
            )
        ),
        "despatch_advice_reference": reader.text(
            delivery, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID", "BT-16"
        ),
        "receiving_advice_reference": reader.text(
            delivery, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID", "BT-15"
        ),
    }


def write_delivery(builder: XmlBuilder, transaction: etree._Element, invoice: Invoice) -> None:
    element = builder.child(transaction, "ram:ApplicableHeaderTradeDelivery")
    delivery = present(invoice.delivery)
    if delivery is not None:
        if delivery.party_name or delivery.location_identifier or present(delivery.address):
            ship_to = builder.child(element, "ram:ShipToTradeParty", "delivery")
            write_party_identifier(builder, ship_to, delivery.location_identifier, "delivery.location_identifier")
            builder.leaf(ship_to, "ram:Name", delivery.party_name, "delivery.party_name")
            write_address(builder, ship_to, delivery.address, "delivery.address")
        if delivery.actual_delivery_date is not None:
            event = builder.child(element, "ram:ActualDeliverySupplyChainEvent", "delivery.actual_delivery_date")
            write_date(
                builder, event, "ram:OccurrenceDateTime", delivery.actual_delivery_date, "delivery.actual_delivery_date"
            )
    builder.leaf(
        element,
        "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID",
        invoice.despatch_advice_reference,
        "despatch_advice_reference",
    )
    builder.leaf(
        element,
        "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID",
        invoice.receiving_advice_reference,
        "receiving_advice_reference",
    )
