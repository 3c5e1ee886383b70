"""CII document header: context (BG-2), exchanged document (BT-1..3, BG-1) and the references
held in the trade agreement (BT-10..BT-18, BG-24) and settlement (BT-19, BG-3)."""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import INVALID_VALUE, UNMAPPED_ELEMENT, Leaf, XmlBuilder, XmlReader
from coursier.model import AttachedDocument, Identifier, Invoice, Note, PrecedingInvoice, SupportingDocument

from .syntax import read_date, write_date

# UNTDID 1001 codes that tell what an AdditionalReferencedDocument is, in the EN 16931 binding.
SUPPORTING_DOCUMENT = "916"
TENDER_OR_LOT = "50"
INVOICED_OBJECT = "130"

SUPPORTING_DOCUMENT_FIELDS = (
    Leaf("ram:IssuerAssignedID", "reference"),
    Leaf("ram:URIID", "external_location"),
    Leaf("ram:Name", "description"),
)


def read_context(reader: XmlReader, context: etree._Element | None) -> dict[str, object]:
    return {
        "business_process_type": reader.text(
            context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", "BT-23"
        ),
        "specification_identifier": reader.text(
            context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", "BT-24"
        ),
    }


def write_context(builder: XmlBuilder, root: etree._Element, invoice: Invoice, guideline: str | None) -> None:
    context = builder.child(root, "rsm:ExchangedDocumentContext")
    builder.leaf(
        context,
        "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
        invoice.business_process_type,
        "business_process_type",
    )
    builder.leaf(
        context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", guideline, "specification_identifier"
    )


def read_document(reader: XmlReader, document: etree._Element | None) -> dict[str, object]:
    notes = []
    for note in reader.findall(document, "ram:IncludedNote"):
        content = reader.text(note, "ram:Content", "BT-22")
        if content is not None:
            notes.append(Note(content=content, subject_code=reader.text(note, "ram:SubjectCode", "BT-21")))
    return {
        "number": reader.text(document, "ram:ID", "BT-1"),
        "type_code": reader.text(document, "ram:TypeCode", "BT-3"),
        "issue_date": read_date(reader, document, "ram:IssueDateTime", "BT-2"),
        "notes": notes,
    }


def write_document(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    document = builder.child(root, "rsm:ExchangedDocument")
    builder.leaf(document, "ram:ID", invoice.number, "number")
    builder.leaf(document, "ram:TypeCode", invoice.type_code, "type_code")
    write_date(builder, document, "ram:IssueDateTime", invoice.issue_date, "issue_date")
    for index, note in enumerate(invoice.notes):
        element = builder.child(document, "ram:IncludedNote", f"notes[{index}]")
        builder.leaf(element, "ram:Content", note.content, f"notes[{index}].content")
        builder.leaf(element, "ram:SubjectCode", note.subject_code, f"notes[{index}].subject_code")


def _read_supporting_document(reader: XmlReader, element: etree._Element) -> SupportingDocument | None:
    fields = {row.field: reader.text(element, row.path) for row in SUPPORTING_DOCUMENT_FIELDS}
    binary = reader.find(element, "ram:AttachmentBinaryObject")
    content = reader.text(binary)
    if fields["reference"] is None:
        reader.warn(INVALID_VALUE, "BT-122", element, "a supporting document without its reference was left out")
        return None
    attachment = None
    if content is not None:
        attachment = AttachedDocument(
            content=content, mime_code=binary.get("mimeCode"), filename=binary.get("filename")
        )
    return SupportingDocument(**fields, attachment=attachment)


def read_agreement_references(reader: XmlReader, agreement: etree._Element | None) -> dict[str, object]:
    """BT-10..BT-14, BT-17, BT-18 and BG-24, held in ram:ApplicableHeaderTradeAgreement."""
    found: dict[str, object] = {
        "buyer_reference": reader.text(agreement, "ram:BuyerReference", "BT-10"),
        "sales_order_reference": reader.text(
            agreement, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID", "BT-14"
        ),
        "purchase_order_reference": reader.text(
            agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", "BT-13"
        ),
        "contract_reference": reader.text(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID", "BT-12"),
        "project_reference": reader.text(agreement, "ram:SpecifiedProcuringProject/ram:ID", "BT-11"),
        "supporting_documents": [],
    }
    # The project name is mandatory in CII but has no EN 16931 term: read, not kept.
    reader.text(agreement, "ram:SpecifiedProcuringProject/ram:Name")
    for element in reader.findall(agreement, "ram:AdditionalReferencedDocument"):
        type_code = reader.text(element, "ram:TypeCode")
        if type_code == SUPPORTING_DOCUMENT:
            document = _read_supporting_document(reader, element)
            if document is not None:
                found["supporting_documents"].append(document)
        elif type_code == TENDER_OR_LOT:
            found["tender_or_lot_reference"] = reader.text(element, "ram:IssuerAssignedID", "BT-17")
        elif type_code == INVOICED_OBJECT:
            value = reader.text(element, "ram:IssuerAssignedID", "BT-18")
            scheme = reader.text(element, "ram:ReferenceTypeCode", "BT-18-1")
            found["invoice_object_identifier"] = Identifier(value=value, scheme_id=scheme) if value else None
        else:
            reader.warn(
                UNMAPPED_ELEMENT, None, element, f"a referenced document of type {type_code!r} is not mapped; ignored"
            )
            reader.skip(element)
    return found


def _write_supporting_document(
    builder: XmlBuilder, agreement: etree._Element, document: SupportingDocument, origin: str
) -> None:
    element = builder.child(agreement, "ram:AdditionalReferencedDocument", origin)
    builder.leaves(element, document, SUPPORTING_DOCUMENT_FIELDS, origin)
    builder.leaf(element, "ram:TypeCode", SUPPORTING_DOCUMENT, origin)
    attachment = document.attachment
    if attachment is not None:
        builder.leaf(
            element,
            "ram:AttachmentBinaryObject",
            attachment.content,
            f"{origin}.attachment",
            mimeCode=attachment.mime_code,
            filename=attachment.filename,
        )


def write_typed_reference(
    builder: XmlBuilder, parent: etree._Element, identifier: Identifier | None, type_code: str, origin: str
) -> None:
    """An AdditionalReferencedDocument that only carries an identifier (BT-17, BT-18, BT-128)."""
    if identifier is None:
        return
    element = builder.child(parent, "ram:AdditionalReferencedDocument", origin)
    builder.leaf(element, "ram:IssuerAssignedID", identifier.value, origin)
    builder.leaf(element, "ram:TypeCode", type_code, origin)
    builder.leaf(element, "ram:ReferenceTypeCode", identifier.scheme_id, f"{origin}.scheme_id")


def read_line_object_identifier(reader: XmlReader, settlement: etree._Element | None) -> Identifier | None:
    """BT-128: the only document a line refers to; older files leave out its type code."""
    for element in reader.findall(settlement, "ram:AdditionalReferencedDocument"):
        if reader.text(element, "ram:TypeCode") in (INVOICED_OBJECT, None):
            value = reader.text(element, "ram:IssuerAssignedID", "BT-128")
            if value:
                return Identifier(value=value, scheme_id=reader.text(element, "ram:ReferenceTypeCode", "BT-128-1"))
    return None


def write_agreement_references(builder: XmlBuilder, agreement: etree._Element, invoice: Invoice) -> None:
    builder.leaf(agreement, "ram:BuyerReference", invoice.buyer_reference, "buyer_reference")
    builder.leaf(
        agreement,
        "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID",
        invoice.sales_order_reference,
        "sales_order_reference",
    )
    builder.leaf(
        agreement,
        "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
        invoice.purchase_order_reference,
        "purchase_order_reference",
    )
    builder.leaf(
        agreement,
        "ram:ContractReferencedDocument/ram:IssuerAssignedID",
        invoice.contract_reference,
        "contract_reference",
    )
    for index, document in enumerate(invoice.supporting_documents):
        _write_supporting_document(builder, agreement, document, f"supporting_documents[{index}]")
    tender = Identifier(value=invoice.tender_or_lot_reference) if invoice.tender_or_lot_reference else None
    write_typed_reference(builder, agreement, tender, TENDER_OR_LOT, "tender_or_lot_reference")
    write_typed_reference(
        builder, agreement, invoice.invoice_object_identifier, INVOICED_OBJECT, "invoice_object_identifier"
    )
    if invoice.project_reference is not None:
        project = builder.child(agreement, "ram:SpecifiedProcuringProject", "project_reference")
        builder.leaf(project, "ram:ID", invoice.project_reference, "project_reference")
        builder.leaf(project, "ram:Name", "Project reference", "project_reference")  # mandatory, no EN term


def read_preceding_invoices(reader: XmlReader, settlement: etree._Element | None) -> list[PrecedingInvoice]:
    preceding = []
    for element in reader.findall(settlement, "ram:InvoiceReferencedDocument"):
        number = reader.text(element, "ram:IssuerAssignedID", "BT-25")
        if number is not None:
            issue_date = read_date(reader, element, "ram:FormattedIssueDateTime", "BT-26")
            preceding.append(PrecedingInvoice(number=number, issue_date=issue_date))
    return preceding


def write_preceding_invoices(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    for index, preceding in enumerate(invoice.preceding_invoices):
        origin = f"preceding_invoices[{index}]"
        element = builder.child(settlement, "ram:InvoiceReferencedDocument", origin)
        builder.leaf(element, "ram:IssuerAssignedID", preceding.number, f"{origin}.number")
        write_date(
            builder,
            element,
            "ram:FormattedIssueDateTime",
            preceding.issue_date,
            f"{origin}.issue_date",
            "qdt:DateTimeString",
        )
