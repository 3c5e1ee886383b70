"""UBL 2.1 Invoice and CreditNote reading and writing, aggregate by aggregate."""

from __future__ import annotations

from lxml import etree

from coursier.formats._schema import schema_layout
from coursier.formats.base import FormatError, ParseResult, WriteResult, XmlBuilder, XmlReader, serialize
from coursier.kit.xml import parse_xml
from coursier.model import Invoice

from .allowances import ALLOWANCES_CHARGES
from .delivery import read_delivery, write_delivery
from .header import read_header, read_references, write_header, write_references
from .lines import read_line, write_line
from .parties import (
    read_buyer,
    read_creditor_identifier,
    read_payee,
    read_seller,
    read_tax_representative,
    write_buyer,
    write_payee,
    write_seller,
    write_tax_representative,
)
from .payment import read_payment, write_payment
from .syntax import CAC, CBC, CREDIT_NOTE, INVOICE, NAMESPACES, xsd_path
from .totals import read_totals, write_totals

ROOTS = {f"{{{INVOICE}}}Invoice": "cac:InvoiceLine", f"{{{CREDIT_NOTE}}}CreditNote": "cac:CreditNoteLine"}


def parse(xml: bytes) -> ParseResult:
    """The EN 16931 content of a UBL Invoice or CreditNote, with a warning for everything not mapped."""
    root = parse_xml(xml).getroot()
    if root.tag not in ROOTS:
        raise FormatError(f"not a UBL invoice or credit note: the root element is {root.tag}")
    return parse_element(root)


def parse_element(root: etree._Element) -> ParseResult:
    reader = XmlReader(root, NAMESPACES)
    # The party roles are read even when empty: UBL requires them, with or without a party inside.
    seller = reader.find(reader.find(root, "cac:AccountingSupplierParty"), "cac:Party", "BG-4")
    payee = reader.find(root, "cac:PayeeParty", "BG-10")
    fields: dict[str, object] = read_header(reader, root)
    fields |= read_references(reader, root)
    fields["seller"] = read_seller(reader, seller)
    buyer = reader.find(reader.find(root, "cac:AccountingCustomerParty"), "cac:Party", "BG-7")
    fields["buyer"] = read_buyer(reader, buyer)
    fields["payee"] = read_payee(reader, payee)
    fields["tax_representative"] = read_tax_representative(reader, reader.find(root, "cac:TaxRepresentativeParty"))
    fields["delivery"] = read_delivery(reader, root)
    fields |= read_payment(reader, root, read_creditor_identifier(reader, [seller, payee]))
    fields["allowances"], fields["charges"] = ALLOWANCES_CHARGES.read(reader, root, "", document_level=True)
    fields |= read_totals(reader, root, fields["currency_code"], fields["tax_currency_code"])
    fields["lines"] = [read_line(reader, line) for line in reader.findall(root, ROOTS[root.tag])]
    return ParseResult(Invoice(**fields), reader.warnings + reader.unread_warnings())


def write(invoice: Invoice) -> WriteResult:
    """UBL 2.1 XML for `invoice`: a CreditNote when its type code (BT-3) is a credit note's, else an Invoice."""
    credit_note = invoice.is_credit_note
    builder = XmlBuilder(NAMESPACES, amount_attributes={"currencyID": invoice.currency_code})
    namespace, name = (CREDIT_NOTE, "cn:CreditNote") if credit_note else (INVOICE, "inv:Invoice")
    root = builder.root(name, nsmap={None: namespace, "cac": CAC, "cbc": CBC})
    write_header(builder, root, invoice)
    write_references(builder, root, invoice)
    debit = invoice.payment_instructions.direct_debit if invoice.payment_instructions else None
    write_seller(builder, root, invoice.seller, debit.creditor_identifier if debit else None)
    write_buyer(builder, root, invoice.buyer)
    write_payee(builder, root, invoice.payee)
    write_tax_representative(builder, root, invoice.tax_representative)
    write_delivery(builder, root, invoice)
    write_payment(builder, root, invoice)
    ALLOWANCES_CHARGES.write(builder, root, invoice.allowances, invoice.charges, "")
    write_totals(builder, root, invoice)
    for index, line in enumerate(invoice.lines):
        write_line(builder, root, line, index, credit_note)
    conform_warnings = builder.conform(root, schema_layout(xsd_path(credit_note)), "UBL 2.1")
    return WriteResult(serialize(root), builder.warnings + conform_warnings)
