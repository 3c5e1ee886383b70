"""CII invoice lines (BG-25..BG-32): `ram:IncludedSupplyChainTradeLineItem`."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import INVALID_VALUE, REPLACED_VALUE, XmlBuilder, XmlReader, present
from coursier.formats.mapping import read_classifications, read_item_attributes
from coursier.model import InvoiceLine, Item, LineVat, Period, PriceDetails
from coursier.model.calc import implied_gross_price

from .allowances import ALLOWANCES_CHARGES
from .header import INVOICED_OBJECT, read_line_object_identifier, write_typed_reference
from .parties import read_identifier, write_identifier
from .syntax import read_date, read_indicator, write_date, write_indicator


def read_period(reader: XmlReader, parent: etree._Element | None, start_term: str, end_term: str) -> Period | None:
    period = reader.find(parent, "ram:BillingSpecifiedPeriod")
    return present(
        Period(
            start_date=read_date(reader, period, "ram:StartDateTime", start_term),
            end_date=read_date(reader, period, "ram:EndDateTime", end_term),
        )
    )


def write_period(builder: XmlBuilder, parent: etree._Element, period: Period | None, origin: str) -> None:
    if present(period):
        element = builder.child(parent, "ram:BillingSpecifiedPeriod", origin)
        write_date(builder, element, "ram:StartDateTime", period.start_date, f"{origin}.start_date")
        write_date(builder, element, "ram:EndDateTime", period.end_date, f"{origin}.end_date")


def _read_item(reader: XmlReader, product: etree._Element | None) -> Item | None:
    codes = reader.findall(product, "ram:DesignatedProductClassification/ram:ClassCode")
    characteristics = reader.findall(product, "ram:ApplicableProductCharacteristic")
    return present(
        Item(
            name=reader.text(product, "ram:Name", "BT-153"),
            description=reader.text(product, "ram:Description", "BT-154"),
            sellers_identifier=reader.text(product, "ram:SellerAssignedID", "BT-155"),
            buyers_identifier=reader.text(product, "ram:BuyerAssignedID", "BT-156"),
            standard_identifier=read_identifier(reader, reader.find(product, "ram:GlobalID", "BT-157")),
            classifications=read_classifications(reader, codes),
            origin_country_code=reader.text(product, "ram:OriginTradeCountry/ram:ID", "BT-159"),
            attributes=read_item_attributes(reader, characteristics, "ram:Description", "ram:Value"),
        )
    )


def _read_price(reader: XmlReader, agreement: etree._Element | None) -> PriceDetails | None:
    gross = reader.find(agreement, "ram:GrossPriceProductTradePrice")
    net = reader.find(agreement, "ram:NetPriceProductTradePrice")
    discount = reader.find(gross, "ram:AppliedTradeAllowanceCharge", "BT-147")
    if discount is not None and read_indicator(reader, discount, "ram:ChargeIndicator"):
        reader.warn(
            INVALID_VALUE, "BT-147", discount, "a charge on the gross price is not an EN 16931 price discount; left out"
        )
        discount = None
    basis = reader.find(net, "ram:BasisQuantity", "BT-149")
    gross_basis = reader.find(gross, "ram:BasisQuantity", "BT-149")
    basis = basis if basis is not None else gross_basis
    return present(
        PriceDetails(
            net_price=reader.decimal(net, "ram:ChargeAmount", "BT-146"),
            discount=reader.decimal(discount, "ram:ActualAmount", "BT-147"),
            gross_price=reader.decimal(gross, "ram:ChargeAmount", "BT-148"),
            base_quantity=reader.decimal(basis, None, "BT-149"),
            base_quantity_unit_code=basis.get("unitCode") if basis is not None else None,
        )
    )


def read_line(reader: XmlReader, line: etree._Element) -> InvoiceLine:
    document = reader.find(line, "ram:AssociatedDocumentLineDocument")
    agreement = reader.find(line, "ram:SpecifiedLineTradeAgreement")
    # Read even when empty: the XSD requires it, so the writer writes it without a quantity.
    delivery = reader.find(line, "ram:SpecifiedLineTradeDelivery")
    quantity = reader.find(delivery, "ram:BilledQuantity", "BT-129")
    settlement = reader.find(line, "ram:SpecifiedLineTradeSettlement")
    tax = reader.find(settlement, "ram:ApplicableTradeTax", "BG-30")
    reader.text(tax, "ram:TypeCode")  # always VAT in EN 16931
    allowances, charges = ALLOWANCES_CHARGES.read(reader, settlement, "lines[].", document_level=False)
    return InvoiceLine(
        identifier=reader.text(document, "ram:LineID", "BT-126"),
        note=reader.text(document, "ram:IncludedNote/ram:Content", "BT-127"),
        object_identifier=read_line_object_identifier(reader, settlement),
        quantity=reader.decimal(quantity, None, "BT-129"),
        unit_code=quantity.get("unitCode") if quantity is not None else None,
        net_amount=reader.decimal(
            settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "BT-131"
        ),
        order_line_reference=reader.text(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID", "BT-132"),
        buyer_accounting_reference=reader.text(
            settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", "BT-133"
        ),
        period=read_period(reader, settlement, "BT-134", "BT-135"),
        allowances=allowances,
        charges=charges,
        price_details=_read_price(reader, agreement),
        vat=present(
            LineVat(
                category_code=reader.text(tax, "ram:CategoryCode", "BT-151"),
                rate=reader.decimal(tax, "ram:RateApplicablePercent", "BT-152"),
            )
        ),
        item=_read_item(reader, reader.find(line, "ram:SpecifiedTradeProduct")),
    )


def _write_item(builder: XmlBuilder, line: etree._Element, item: Item | None, origin: str) -> None:
    product = builder.child(line, "ram:SpecifiedTradeProduct", origin)
    if item is None:
        return
    write_identifier(builder, product, "ram:GlobalID", item.standard_identifier, f"{origin}.standard_identifier")
    builder.leaf(product, "ram:SellerAssignedID", item.sellers_identifier, f"{origin}.sellers_identifier")
    builder.leaf(product, "ram:BuyerAssignedID", item.buyers_identifier, f"{origin}.buyers_identifier")
    builder.leaf(product, "ram:Name", item.name, f"{origin}.name")
    builder.leaf(product, "ram:Description", item.description, f"{origin}.description")
    for index, attribute in enumerate(item.attributes):
        path = f"{origin}.attributes[{index}]"
        characteristic = builder.child(product, "ram:ApplicableProductCharacteristic", path)
        builder.leaf(characteristic, "ram:Description", attribute.name, f"{path}.name")
        builder.leaf(characteristic, "ram:Value", attribute.value, f"{path}.value")
    for index, classification in enumerate(item.classifications):
        path = f"{origin}.classifications[{index}]"
        holder = builder.child(product, "ram:DesignatedProductClassification", path)
        builder.leaf(
            holder,
            "ram:ClassCode",
            classification.value,
            path,
            listID=classification.scheme_id,
            listVersionID=classification.scheme_version,
        )
    builder.leaf(product, "ram:OriginTradeCountry/ram:ID", item.origin_country_code, f"{origin}.origin_country_code")


def _write_price(builder: XmlBuilder, agreement: etree._Element, price: PriceDetails | None, origin: str) -> None:
    price = price or PriceDetails()
    if price.gross_price is not None or price.discount is not None:
        gross_price = price.gross_price
        if gross_price is None and (gross_price := implied_gross_price(price)) is not None:
            # CII holds a price discount only on a gross price: write the one the prices imply.
            builder.warn(
                REPLACED_VALUE, f"{origin}.gross_price", f"CII needs BT-148 beside BT-147: {gross_price} written"
            )
        gross = builder.child(agreement, "ram:GrossPriceProductTradePrice", f"{origin}.gross_price")
        builder.leaf(gross, "ram:ChargeAmount", gross_price, f"{origin}.gross_price")
        builder.leaf(
            gross,
            "ram:BasisQuantity",
            price.base_quantity,
            f"{origin}.base_quantity",
            unitCode=price.base_quantity_unit_code,
        )
        if price.discount is not None:
            discount = builder.child(gross, "ram:AppliedTradeAllowanceCharge", f"{origin}.discount")
            write_indicator(builder, discount, "ram:ChargeIndicator", False)
            builder.leaf(discount, "ram:ActualAmount", price.discount, f"{origin}.discount")
    net = builder.child(agreement, "ram:NetPriceProductTradePrice", f"{origin}.net_price")
    builder.leaf(net, "ram:ChargeAmount", price.net_price, f"{origin}.net_price")
    builder.quantity(
        net,
        "ram:BasisQuantity",
        price.base_quantity,
        price.base_quantity_unit_code,
        f"{origin}.base_quantity",
        f"{origin}.base_quantity_unit_code",
    )


def write_line(builder: XmlBuilder, transaction: etree._Element, line: InvoiceLine, index: int) -> None:
    origin = f"lines[{index}]"
    element = builder.child(transaction, "ram:IncludedSupplyChainTradeLineItem", origin)
    document = builder.child(element, "ram:AssociatedDocumentLineDocument", origin)
    builder.leaf(document, "ram:LineID", line.identifier, f"{origin}.identifier")
    builder.leaf(document, "ram:IncludedNote/ram:Content", line.note, f"{origin}.note")
    _write_item(builder, element, line.item, f"{origin}.item")
    agreement = builder.child(element, "ram:SpecifiedLineTradeAgreement", origin)
    builder.leaf(
        agreement,
        "ram:BuyerOrderReferencedDocument/ram:LineID",
        line.order_line_reference,
        f"{origin}.order_line_reference",
    )
    _write_price(builder, agreement, line.price_details, f"{origin}.price_details")
    delivery = builder.child(element, "ram:SpecifiedLineTradeDelivery", origin)
    builder.quantity(
        delivery, "ram:BilledQuantity", line.quantity, line.unit_code, f"{origin}.quantity", f"{origin}.unit_code"
    )
    settlement = builder.child(element, "ram:SpecifiedLineTradeSettlement", origin)
    tax = builder.child(settlement, "ram:ApplicableTradeTax", f"{origin}.vat")
    builder.leaf(tax, "ram:TypeCode", "VAT", f"{origin}.vat")
    if line.vat is not None:
        builder.leaf(tax, "ram:CategoryCode", line.vat.category_code, f"{origin}.vat.category_code")
        builder.leaf(tax, "ram:RateApplicablePercent", line.vat.rate, f"{origin}.vat.rate")
    write_period(builder, settlement, line.period, f"{origin}.period")
    ALLOWANCES_CHARGES.write(builder, settlement, line.allowances, line.charges, f"{origin}.")
    builder.leaf(
        settlement,
        "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        line.net_amount,
        f"{origin}.net_amount",
    )
    write_typed_reference(builder, settlement, line.object_identifier, INVOICED_OBJECT, f"{origin}.object_identifier")
    builder.leaf(
        settlement,
        "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
        line.buyer_accounting_reference,
        f"{origin}.buyer_accounting_reference",
    )
