"""UBL cac:Delivery: delivery information (BG-13) and deliver-to address (BG-15)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import XmlBuilder, XmlReader, present
from coursier.model import Delivery, Invoice

from .parties import read_address, read_identifier, write_address, write_identifier
from .syntax import read_date


def read_delivery(reader: XmlReader, root: etree._Element) -> Delivery | None:
    delivery = reader.find(root, "cac:Delivery", "BG-13")
    if delivery is None:
        return None
    location = reader.find(delivery, "cac:DeliveryLocation")
    return present(
        Delivery(
            party_name=reader.text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name", "BT-70"),
            location_identifier=read_identifier(reader, reader.find(location, "cbc:ID", "BT-71")),
            actual_delivery_date=read_date(reader, delivery, "cbc:ActualDeliveryDate", "BT-72"),
            address=read_address(reader, reader.find(location, "cac:Address"), "delivery.address"),
        )
    )


def write_delivery(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    delivery = present(invoice.delivery)
    if delivery is None:
        return
    element = builder.child(root, "cac:Delivery", "delivery")
    builder.leaf(element, "cbc:ActualDeliveryDate", delivery.actual_delivery_date, "delivery.actual_delivery_date")
    if delivery.location_identifier is not None or present(delivery.address):
        location = builder.child(element, "cac:DeliveryLocation", "delivery")
        write_identifier(builder, location, "cbc:ID", delivery.location_identifier, "delivery.location_identifier")
        write_address(builder, location, "cac:Address", delivery.address, "delivery.address")
    builder.leaf(element, "cac:DeliveryParty/cac:PartyName/cbc:Name", delivery.party_name, "delivery.party_name")
