"""UBL invoice and credit note lines (BG-25..BG-32)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import INVALID_VALUE, REPLACED_VALUE, XmlBuilder, XmlReader, present
from coursier.formats.mapping import read_classifications, read_item_attributes
from coursier.model import InvoiceLine, Item, LineVat, PriceDetails
from coursier.model.calc import implied_price_discount

from .allowances import ALLOWANCES_CHARGES
from .header import INVOICED_OBJECT, read_period, write_period
from .parties import read_identifier, write_identifier


def _read_item(reader: XmlReader, item: etree._Element | None) -> Item | None:
    codes = reader.findall(item, "cac:CommodityClassification/cbc:ItemClassificationCode")
    properties = reader.findall(item, "cac:AdditionalItemProperty")
    return present(
        Item(
            name=reader.text(item, "cbc:Name", "BT-153"),
            description=reader.text(item, "cbc:Description", "BT-154"),
            sellers_identifier=reader.text(item, "cac:SellersItemIdentification/cbc:ID", "BT-155"),
            buyers_identifier=reader.text(item, "cac:BuyersItemIdentification/cbc:ID", "BT-156"),
            standard_identifier=read_identifier(
                reader, reader.find(item, "cac:StandardItemIdentification/cbc:ID", "BT-157")
            ),
            classifications=read_classifications(reader, codes),
            origin_country_code=reader.text(item, "cac:OriginCountry/cbc:IdentificationCode", "BT-159"),
            attributes=read_item_attributes(reader, properties, "cbc:Name", "cbc:Value"),
        )
    )


def _read_price(reader: XmlReader, price: etree._Element | None) -> PriceDetails | None:
    discount = reader.find(price, "cac:AllowanceCharge", "BT-147")
    if discount is not None and (reader.text(discount, "cbc:ChargeIndicator") or "").lower() == "true":
        reader.warn(
            INVALID_VALUE, "BT-147", discount, "a charge on the price is not an EN 16931 price discount; left out"
        )
        discount = None
    base_quantity = reader.find(price, "cbc:BaseQuantity", "BT-149")
    return present(
        PriceDetails(
            net_price=reader.decimal(price, "cbc:PriceAmount", "BT-146"),
            discount=reader.decimal(discount, "cbc:Amount", "BT-147"),
            gross_price=reader.decimal(discount, "cbc:BaseAmount", "BT-148"),
            base_quantity=reader.decimal(base_quantity, None, "BT-149"),
            base_quantity_unit_code=base_quantity.get("unitCode") if base_quantity is not None else None,
        )
    )


def _read_object_identifier(reader: XmlReader, line: etree._Element):
    for reference in reader.findall(line, "cac:DocumentReference"):
        # BT-128 is the only document a line refers to; older files leave out its type code.
        if reader.text(reference, "cbc:DocumentTypeCode") in (INVOICED_OBJECT, None):
            return read_identifier(reader, reader.find(reference, "cbc:ID", "BT-128"))
    return None


def read_line(reader: XmlReader, line: etree._Element) -> InvoiceLine:
    quantity = reader.find(line, "cbc:InvoicedQuantity")
    quantity = quantity if quantity is not None else reader.find(line, "cbc:CreditedQuantity")
    item = reader.find(line, "cac:Item")
    tax = reader.find(item, "cac:ClassifiedTaxCategory", "BG-30")
    reader.text(tax, "cac:TaxScheme/cbc:ID")  # always VAT in EN 16931
    allowances, charges = ALLOWANCES_CHARGES.read(reader, line, "lines[].", document_level=False)
    return InvoiceLine(
        identifier=reader.text(line, "cbc:ID", "BT-126"),
        note=reader.text(line, "cbc:Note", "BT-127"),
        object_identifier=_read_object_identifier(reader, line),
        quantity=reader.decimal(quantity, None, "BT-129"),
        unit_code=quantity.get("unitCode") if quantity is not None else None,
        net_amount=reader.decimal(line, "cbc:LineExtensionAmount", "BT-131"),
        order_line_reference=reader.text(line, "cac:OrderLineReference/cbc:LineID", "BT-132"),
        buyer_accounting_reference=reader.text(line, "cbc:AccountingCost", "BT-133"),
        period=read_period(reader, reader.find(line, "cac:InvoicePeriod", "BG-26"), "BT-134", "BT-135"),
        allowances=allowances,
        charges=charges,
        price_details=_read_price(reader, reader.find(line, "cac:Price", "BG-29")),
        vat=present(
            LineVat(
                category_code=reader.text(tax, "cbc:ID", "BT-151"),
                rate=reader.decimal(tax, "cbc:Percent", "BT-152"),
            )
        ),
        item=_read_item(reader, item),
    )


def _write_item(builder: XmlBuilder, line: etree._Element, model: InvoiceLine, origin: str) -> None:
    item = model.item or Item()
    element = builder.child(line, "cac:Item", f"{origin}.item")
    path = f"{origin}.item"
    builder.leaf(element, "cbc:Description", item.description, f"{path}.description")
    builder.leaf(element, "cbc:Name", item.name, f"{path}.name")
    builder.leaf(element, "cac:BuyersItemIdentification/cbc:ID", item.buyers_identifier, f"{path}.buyers_identifier")
    builder.leaf(element, "cac:SellersItemIdentification/cbc:ID", item.sellers_identifier, f"{path}.sellers_identifier")
    if item.standard_identifier is not None:
        holder = builder.child(element, "cac:StandardItemIdentification", f"{path}.standard_identifier")
        write_identifier(builder, holder, "cbc:ID", item.standard_identifier, f"{path}.standard_identifier")
    builder.leaf(
        element, "cac:OriginCountry/cbc:IdentificationCode", item.origin_country_code, f"{path}.origin_country_code"
    )
    for index, classification in enumerate(item.classifications):
        where = f"{path}.classifications[{index}]"
        builder.leaf(
            builder.child(element, "cac:CommodityClassification", where),
            "cbc:ItemClassificationCode",
            classification.value,
            where,
            listID=classification.scheme_id,
            listVersionID=classification.scheme_version,
        )
    tax = builder.child(element, "cac:ClassifiedTaxCategory", f"{origin}.vat")
    vat = model.vat or LineVat()
    builder.leaf(tax, "cbc:ID", vat.category_code, f"{origin}.vat.category_code")
    builder.leaf(tax, "cbc:Percent", vat.rate, f"{origin}.vat.rate")
    builder.leaf(tax, "cac:TaxScheme/cbc:ID", "VAT", f"{origin}.vat")
    for index, attribute in enumerate(item.attributes):
        where = f"{path}.attributes[{index}]"
        property_ = builder.child(element, "cac:AdditionalItemProperty", where)
        builder.leaf(property_, "cbc:Name", attribute.name, f"{where}.name")
        builder.leaf(property_, "cbc:Value", attribute.value, f"{where}.value")


def _write_price(builder: XmlBuilder, line: etree._Element, price: PriceDetails | None, origin: str) -> None:
    price = price or PriceDetails()
    element = builder.child(line, "cac:Price", origin)
    builder.leaf(element, "cbc:PriceAmount", price.net_price, f"{origin}.net_price", **builder.amount_attributes)
    builder.quantity(
        element,
        "cbc:BaseQuantity",
        price.base_quantity,
        price.base_quantity_unit_code,
        f"{origin}.base_quantity",
        f"{origin}.base_quantity_unit_code",
    )
    if price.gross_price is None and price.discount is None:
        return
    discount = price.discount
    if discount is None and (discount := implied_price_discount(price)) is not None:
        # UBL holds the gross price only beside a discount amount: write the one the prices imply.
        builder.warn(REPLACED_VALUE, f"{origin}.discount", f"UBL needs BT-147 beside BT-148: {discount} written")
    allowance = builder.child(element, "cac:AllowanceCharge", f"{origin}.discount")
    builder.leaf(allowance, "cbc:ChargeIndicator", "false", f"{origin}.discount")
    builder.leaf(allowance, "cbc:Amount", discount, f"{origin}.discount", **builder.amount_attributes)
    builder.leaf(allowance, "cbc:BaseAmount", price.gross_price, f"{origin}.gross_price", **builder.amount_attributes)


def write_line(builder: XmlBuilder, root: etree._Element, line: InvoiceLine, index: int, credit_note: bool) -> None:
    origin = f"lines[{index}]"
    element = builder.child(root, "cac:CreditNoteLine" if credit_note else "cac:InvoiceLine", origin)
    builder.leaf(element, "cbc:ID", line.identifier, f"{origin}.identifier")
    builder.leaf(element, "cbc:Note", line.note, f"{origin}.note")
    quantity_name = "cbc:CreditedQuantity" if credit_note else "cbc:InvoicedQuantity"
    builder.quantity(element, quantity_name, line.quantity, line.unit_code, f"{origin}.quantity", f"{origin}.unit_code")
    builder.leaf(
        element, "cbc:LineExtensionAmount", line.net_amount, f"{origin}.net_amount", **builder.amount_attributes
    )
    builder.leaf(element, "cbc:AccountingCost", line.buyer_accounting_reference, f"{origin}.buyer_accounting_reference")
    write_period(builder, element, line.period, f"{origin}.period")
    builder.leaf(
        element, "cac:OrderLineReference/cbc:LineID", line.order_line_reference, f"{origin}.order_line_reference"
    )
    if line.object_identifier is not None:
        reference = builder.child(element, "cac:DocumentReference", f"{origin}.object_identifier")
        write_identifier(builder, reference, "cbc:ID", line.object_identifier, f"{origin}.object_identifier")
        builder.leaf(reference, "cbc:DocumentTypeCode", INVOICED_OBJECT, f"{origin}.object_identifier")
    ALLOWANCES_CHARGES.write(builder, element, line.allowances, line.charges, f"{origin}.")
    _write_item(builder, element, line, origin)
    _write_price(builder, element, line.price_details, f"{origin}.price_details")
