"""UBL document header: BT-1..BT-24, notes (BG-1), invoicing period (BG-14) and the document
references (BT-11..BT-18, BG-3, BG-24).

UBL has no note subject code (BT-21): as the French CIUS, XRechnung and Peppol do, it is written
at the start of the note as `#CODE#text`. A UBL credit note has no ProjectReference: BT-11 is then
an AdditionalDocumentReference of type 50.
"""

from __future__ import annotations

import re

from lxml import etree

from coursier.formats.base import INVALID_VALUE, XmlBuilder, XmlReader, present
from coursier.model import AttachedDocument, Identifier, Invoice, Note, Period, PrecedingInvoice, SupportingDocument

from .parties import read_identifier, write_identifier
from .syntax import read_date

INVOICED_OBJECT = "130"  # UNTDID 1001 type of an AdditionalDocumentReference holding BT-18
PROJECT = "50"  # ... holding BT-11, in a credit note
NOT_APPLICABLE = "NA"  # OrderReference/ID is mandatory: Peppol's filler when only BT-14 is known
NOTE_WITH_SUBJECT = re.compile(r"#([A-Z]{3})#(.*)", re.DOTALL)


def read_notes(reader: XmlReader, root: etree._Element) -> list[Note]:
    notes = []
    for element in reader.findall(root, "cbc:Note"):
        text = reader.text(element)
        if text is None:
            continue
        match = NOTE_WITH_SUBJECT.fullmatch(text)
        notes.append(Note(subject_code=match[1], content=match[2]) if match else Note(content=text))
    return notes


def write_notes(builder: XmlBuilder, root: etree._Element, notes: list[Note]) -> None:
    for index, note in enumerate(notes):
        text = f"#{note.subject_code}#{note.content}" if note.subject_code else note.content
        builder.leaf(root, "cbc:Note", text, f"notes[{index}]")


def read_period(reader: XmlReader, parent: etree._Element | None, start_term: str, end_term: str) -> Period | None:
    return present(
        Period(
            start_date=read_date(reader, parent, "cbc:StartDate", start_term),
            end_date=read_date(reader, parent, "cbc:EndDate", end_term),
        )
    )


def write_period(
    builder: XmlBuilder, parent: etree._Element, period: Period | None, origin: str
) -> etree._Element | None:
    if not present(period):
        return None
    element = builder.child(parent, "cac:InvoicePeriod", origin)
    builder.leaf(element, "cbc:StartDate", period.start_date, f"{origin}.start_date")
    builder.leaf(element, "cbc:EndDate", period.end_date, f"{origin}.end_date")
    return element


def read_header(reader: XmlReader, root: etree._Element) -> dict[str, object]:
    period = reader.find(root, "cac:InvoicePeriod", "BG-14")
    order = reader.find(root, "cac:OrderReference", "BT-13")
    sales_order = reader.text(order, "cbc:SalesOrderID", "BT-14")
    purchase_order = reader.text(order, "cbc:ID", "BT-13")
    return {
        "specification_identifier": reader.text(root, "cbc:CustomizationID", "BT-24"),
        "business_process_type": reader.text(root, "cbc:ProfileID", "BT-23"),
        "number": reader.text(root, "cbc:ID", "BT-1"),
        "issue_date": read_date(reader, root, "cbc:IssueDate", "BT-2"),
        "type_code": reader.text(root, "cbc:InvoiceTypeCode", "BT-3")
        or reader.text(root, "cbc:CreditNoteTypeCode", "BT-3"),
        "notes": read_notes(reader, root),
        "tax_point_date": read_date(reader, root, "cbc:TaxPointDate", "BT-7"),
        "currency_code": reader.text(root, "cbc:DocumentCurrencyCode", "BT-5"),
        "tax_currency_code": reader.text(root, "cbc:TaxCurrencyCode", "BT-6"),
        "buyer_accounting_reference": reader.text(root, "cbc:AccountingCost", "BT-19"),
        "buyer_reference": reader.text(root, "cbc:BuyerReference", "BT-10"),
        "invoicing_period": read_period(reader, period, "BT-73", "BT-74"),
        "value_added_tax_point_date": reader.text(period, "cbc:DescriptionCode", "BT-8"),
        "purchase_order_reference": None if purchase_order == NOT_APPLICABLE and sales_order else purchase_order,
        "sales_order_reference": sales_order,
    }


def write_header(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    builder.leaf(root, "cbc:CustomizationID", invoice.specification_identifier, "specification_identifier")
    builder.leaf(root, "cbc:ProfileID", invoice.business_process_type, "business_process_type")
    builder.leaf(root, "cbc:ID", invoice.number, "number")
    builder.leaf(root, "cbc:IssueDate", invoice.issue_date, "issue_date")
    type_element = "cbc:CreditNoteTypeCode" if invoice.is_credit_note else "cbc:InvoiceTypeCode"
    builder.leaf(root, type_element, invoice.type_code, "type_code")
    write_notes(builder, root, invoice.notes)
    builder.leaf(root, "cbc:TaxPointDate", invoice.tax_point_date, "tax_point_date")
    builder.leaf(root, "cbc:DocumentCurrencyCode", invoice.currency_code, "currency_code")
    builder.leaf(root, "cbc:TaxCurrencyCode", invoice.tax_currency_code, "tax_currency_code")
    builder.leaf(root, "cbc:AccountingCost", invoice.buyer_accounting_reference, "buyer_accounting_reference")
    builder.leaf(root, "cbc:BuyerReference", invoice.buyer_reference, "buyer_reference")
    period = write_period(builder, root, invoice.invoicing_period, "invoicing_period")
    if invoice.value_added_tax_point_date is not None:
        period = period if period is not None else builder.child(root, "cac:InvoicePeriod", "invoicing_period")
        builder.leaf(period, "cbc:DescriptionCode", invoice.value_added_tax_point_date, "value_added_tax_point_date")
    if invoice.purchase_order_reference or invoice.sales_order_reference:
        order = builder.child(root, "cac:OrderReference", "purchase_order_reference")
        builder.leaf(order, "cbc:ID", invoice.purchase_order_reference or NOT_APPLICABLE, "purchase_order_reference")
        builder.leaf(order, "cbc:SalesOrderID", invoice.sales_order_reference, "sales_order_reference")


# Single-identifier references: model field, UBL element, term.
SIMPLE_REFERENCES = (
    ("despatch_advice_reference", "cac:DespatchDocumentReference", "BT-16"),
    ("receiving_advice_reference", "cac:ReceiptDocumentReference", "BT-15"),
    ("tender_or_lot_reference", "cac:OriginatorDocumentReference", "BT-17"),
    ("contract_reference", "cac:ContractDocumentReference", "BT-12"),
)


def _read_supporting_document(reader: XmlReader, element: etree._Element) -> SupportingDocument | None:
    reference = reader.text(element, "cbc:ID", "BT-122")
    binary = reader.find(element, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject", "BT-125")
    content = reader.text(binary)
    if reference is None:
        reader.warn(INVALID_VALUE, "BT-122", element, "a supporting document without its reference was left out")
        return None
    return SupportingDocument(
        reference=reference,
        description=reader.text(element, "cbc:DocumentDescription", "BT-123"),
        external_location=reader.text(element, "cac:Attachment/cac:ExternalReference/cbc:URI", "BT-124"),
        attachment=AttachedDocument(content=content, mime_code=binary.get("mimeCode"), filename=binary.get("filename"))
        if content is not None
        else None,
    )


def read_references(reader: XmlReader, root: etree._Element) -> dict[str, object]:
    fields: dict[str, object] = {
        field: reader.text(root, f"{element}/cbc:ID", term) for field, element, term in SIMPLE_REFERENCES
    }
    fields["project_reference"] = reader.text(root, "cac:ProjectReference/cbc:ID", "BT-11")
    fields["preceding_invoices"] = [
        PrecedingInvoice(number=number, issue_date=read_date(reader, reference, "cbc:IssueDate", "BT-26"))
        for reference in reader.findall(root, "cac:BillingReference/cac:InvoiceDocumentReference")
        if (number := reader.text(reference, "cbc:ID", "BT-25")) is not None
    ]
    documents = []
    for element in reader.findall(root, "cac:AdditionalDocumentReference"):
        type_code = reader.text(element, "cbc:DocumentTypeCode")
        if type_code == INVOICED_OBJECT:
            fields["invoice_object_identifier"] = read_identifier(reader, reader.find(element, "cbc:ID", "BT-18"))
        elif type_code == PROJECT:
            fields["project_reference"] = reader.text(element, "cbc:ID", "BT-11")
        elif (document := _read_supporting_document(reader, element)) is not None:
            documents.append(document)
    fields["supporting_documents"] = documents
    return fields


def write_references(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    for index, preceding in enumerate(invoice.preceding_invoices):
        origin = f"preceding_invoices[{index}]"
        reference = builder.child(builder.child(root, "cac:BillingReference", origin), "cac:InvoiceDocumentReference")
        builder.leaf(reference, "cbc:ID", preceding.number, f"{origin}.number")
        builder.leaf(reference, "cbc:IssueDate", preceding.issue_date, f"{origin}.issue_date")
    for field, element, _ in SIMPLE_REFERENCES:
        builder.leaf(root, f"{element}/cbc:ID", getattr(invoice, field), field)
    for index, document in enumerate(invoice.supporting_documents):
        origin = f"supporting_documents[{index}]"
        element = builder.child(root, "cac:AdditionalDocumentReference", origin)
        builder.leaf(element, "cbc:ID", document.reference, f"{origin}.reference")
        builder.leaf(element, "cbc:DocumentDescription", document.description, f"{origin}.description")
        attachment = document.attachment
        if attachment is not None:
            builder.leaf(
                element,
                "cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
                attachment.content,
                f"{origin}.attachment",
                mimeCode=attachment.mime_code,
                filename=attachment.filename,
            )
        builder.leaf(
            element,
            "cac:Attachment/cac:ExternalReference/cbc:URI",
            document.external_location,
            f"{origin}.external_location",
        )
    _write_typed_reference(
        builder, root, invoice.invoice_object_identifier, INVOICED_OBJECT, "invoice_object_identifier"
    )
    if invoice.is_credit_note:
        project = Identifier(value=invoice.project_reference) if invoice.project_reference else None
        _write_typed_reference(builder, root, project, PROJECT, "project_reference")
    else:
        builder.leaf(root, "cac:ProjectReference/cbc:ID", invoice.project_reference, "project_reference")


def _write_typed_reference(
    builder: XmlBuilder, root: etree._Element, identifier: Identifier | None, type_code: str, origin: str
) -> None:
    if identifier is not None:
        element = builder.child(root, "cac:AdditionalDocumentReference", origin)
        write_identifier(builder, element, "cbc:ID", identifier, origin)
        builder.leaf(element, "cbc:DocumentTypeCode", type_code, origin)
