"""The EN 16931-1 semantic model of an invoice or credit note, syntax-free.

Every business term BT-1..BT-165 and group BG-1..BG-32 has a field, annotated with its `Term`.
Field names follow the Seqino draft model where it names them, otherwise the EN term in
snake_case. Cardinalities are recorded, not enforced: a draft may be partial and a received
invoice may be wrong, and validation must be able to report every missing term by its id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from coursier.model.codes import CREDIT_NOTE_TYPE_CODES
from coursier.model.terms import Term, identifier_term
from coursier.model.values import Amount, Percentage, Quantity


class ModelBase(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Identifier(ModelBase):
    """An identifier with its optional scheme (ISO 6523 ICD, EAS, UNTDID 1153...)."""

    value: Annotated[str, Term("", "Identifier")]
    scheme_id: Annotated[str | None, Term("", "Scheme identifier")] = None


class Address(ModelBase):
    """A postal address; its term numbers depend on the party (BG-5, BG-8, BG-12, BG-15)."""

    street_name: Annotated[str | None, Term("", "Address line 1")] = None
    additional_street_name: Annotated[str | None, Term("", "Address line 2")] = None
    address_line_3: Annotated[str | None, Term("", "Address line 3")] = None
    city_name: Annotated[str | None, Term("", "City", "1..1")] = None
    postal_zone: Annotated[str | None, Term("", "Post code")] = None
    country_subdivision: Annotated[str | None, Term("", "Country subdivision")] = None
    country_code: Annotated[str | None, Term("", "Country code", "1..1")] = None


def _address_term(group: str, name: str, line1: int, line3: int, cardinality: str = "1..1") -> Term:
    """Address terms are numbered line 1, line 2, city, post code, subdivision, country; line 3 came later."""
    return Term(
        group,
        name,
        cardinality,
        members={
            "street_name": f"BT-{line1}",
            "additional_street_name": f"BT-{line1 + 1}",
            "address_line_3": f"BT-{line3}",
            "city_name": f"BT-{line1 + 2}",
            "postal_zone": f"BT-{line1 + 3}",
            "country_subdivision": f"BT-{line1 + 4}",
            "country_code": f"BT-{line1 + 5}",
        },
    )


class Contact(ModelBase):
    """A contact point (BG-6 seller, BG-9 buyer)."""

    name: Annotated[str | None, Term("", "Contact point")] = None
    telephone: Annotated[str | None, Term("", "Contact telephone number")] = None
    email: Annotated[str | None, Term("", "Contact email address")] = None


def _contact_term(group: str, name: str, first: int) -> Term:
    return Term(
        group, name, members={"name": f"BT-{first}", "telephone": f"BT-{first + 1}", "email": f"BT-{first + 2}"}
    )


class Period(ModelBase):
    """A start and end date (BG-14 invoicing period, BG-26 line period)."""

    start_date: Annotated[date | None, Term("", "Period start date")] = None
    end_date: Annotated[date | None, Term("", "Period end date")] = None


class Note(ModelBase):
    """BG-1 INVOICE NOTE."""

    subject_code: Annotated[str | None, Term("BT-21", "Invoice note subject code")] = None
    content: Annotated[str, Term("BT-22", "Invoice note", "1..1")]


class PrecedingInvoice(ModelBase):
    """BG-3 PRECEDING INVOICE REFERENCE."""

    number: Annotated[str, Term("BT-25", "Preceding Invoice reference", "1..1")]
    issue_date: Annotated[date | None, Term("BT-26", "Preceding Invoice issue date")] = None


class Seller(ModelBase):
    """BG-4 SELLER."""

    name: Annotated[str | None, Term("BT-27", "Seller name", "1..1")] = None
    trading_name: Annotated[str | None, Term("BT-28", "Seller trading name")] = None
    identifiers: Annotated[list[Identifier], identifier_term("BT-29", "Seller identifier", "0..n")] = Field(
        default_factory=list
    )
    legal_registration_identifier: Annotated[
        Identifier | None, identifier_term("BT-30", "Seller legal registration identifier")
    ] = None
    vat_identifier: Annotated[str | None, Term("BT-31", "Seller VAT identifier")] = None
    tax_registration_identifier: Annotated[str | None, Term("BT-32", "Seller tax registration identifier")] = None
    additional_legal_information: Annotated[str | None, Term("BT-33", "Seller additional legal information")] = None
    electronic_address: Annotated[Identifier | None, identifier_term("BT-34", "Seller electronic address")] = None
    postal_address: Annotated[Address | None, _address_term("BG-5", "SELLER POSTAL ADDRESS", 35, 162)] = None
    contact: Annotated[Contact | None, _contact_term("BG-6", "SELLER CONTACT", 41)] = None


class Buyer(ModelBase):
    """BG-7 BUYER."""

    name: Annotated[str | None, Term("BT-44", "Buyer name", "1..1")] = None
    trading_name: Annotated[str | None, Term("BT-45", "Buyer trading name")] = None
    identifier: Annotated[Identifier | None, identifier_term("BT-46", "Buyer identifier")] = None
    legal_registration_identifier: Annotated[
        Identifier | None, identifier_term("BT-47", "Buyer legal registration identifier")
    ] = None
    vat_identifier: Annotated[str | None, Term("BT-48", "Buyer VAT identifier")] = None
    electronic_address: Annotated[Identifier | None, identifier_term("BT-49", "Buyer electronic address")] = None
    postal_address: Annotated[Address | None, _address_term("BG-8", "BUYER POSTAL ADDRESS", 50, 163)] = None
    contact: Annotated[Contact | None, _contact_term("BG-9", "BUYER CONTACT", 56)] = None


class Payee(ModelBase):
    """BG-10 PAYEE: who receives the payment when it is not the seller (factoring)."""

    name: Annotated[str | None, Term("BT-59", "Payee name", "1..1")] = None
    identifier: Annotated[Identifier | None, identifier_term("BT-60", "Payee identifier")] = None
    legal_registration_identifier: Annotated[
        Identifier | None, identifier_term("BT-61", "Payee legal registration identifier")
    ] = None


class TaxRepresentative(ModelBase):
    """BG-11 SELLER TAX REPRESENTATIVE PARTY."""

    name: Annotated[str | None, Term("BT-62", "Seller tax representative name", "1..1")] = None
    vat_identifier: Annotated[str | None, Term("BT-63", "Seller tax representative VAT identifier", "1..1")] = None
    postal_address: Annotated[
        Address | None, _address_term("BG-12", "SELLER TAX REPRESENTATIVE POSTAL ADDRESS", 64, 164)
    ] = None


class Delivery(ModelBase):
    """BG-13 DELIVERY INFORMATION."""

    party_name: Annotated[str | None, Term("BT-70", "Deliver to party name")] = None
    location_identifier: Annotated[Identifier | None, identifier_term("BT-71", "Deliver to location identifier")] = None
    actual_delivery_date: Annotated[date | None, Term("BT-72", "Actual delivery date")] = None
    address: Annotated[Address | None, _address_term("BG-15", "DELIVER TO ADDRESS", 75, 165, "0..1")] = None


class CreditTransfer(ModelBase):
    """BG-17 CREDIT TRANSFER."""

    account_identifier: Annotated[str | None, Term("BT-84", "Payment account identifier", "1..1")] = None
    account_name: Annotated[str | None, Term("BT-85", "Payment account name")] = None
    service_provider_identifier: Annotated[str | None, Term("BT-86", "Payment service provider identifier")] = None


class PaymentCard(ModelBase):
    """BG-18 PAYMENT CARD INFORMATION."""

    primary_account_number: Annotated[str | None, Term("BT-87", "Payment card primary account number", "1..1")] = None
    holder_name: Annotated[str | None, Term("BT-88", "Payment card holder name")] = None


class DirectDebit(ModelBase):
    """BG-19 DIRECT DEBIT."""

    mandate_reference: Annotated[str | None, Term("BT-89", "Mandate reference identifier")] = None
    creditor_identifier: Annotated[str | None, Term("BT-90", "Bank assigned creditor identifier")] = None
    debited_account_identifier: Annotated[str | None, Term("BT-91", "Debited account identifier")] = None


class PaymentInstructions(ModelBase):
    """BG-16 PAYMENT INSTRUCTIONS."""

    type_code: Annotated[str | None, Term("BT-81", "Payment means type code", "1..1")] = None
    text: Annotated[str | None, Term("BT-82", "Payment means text")] = None
    remittance_information: Annotated[str | None, Term("BT-83", "Remittance information")] = None
    credit_transfers: Annotated[list[CreditTransfer], Term("BG-17", "CREDIT TRANSFER", "0..n")] = Field(
        default_factory=list
    )
    payment_card: Annotated[PaymentCard | None, Term("BG-18", "PAYMENT CARD INFORMATION")] = None
    direct_debit: Annotated[DirectDebit | None, Term("BG-19", "DIRECT DEBIT")] = None


class AllowanceCharge(ModelBase):
    """An allowance or a charge on a line (BG-27, BG-28); amounts in the invoice currency."""

    amount: Annotated[Amount | None, Term("", "Amount", "1..1")] = None
    base_amount: Annotated[Amount | None, Term("", "Base amount")] = None
    percentage: Annotated[Percentage | None, Term("", "Percentage")] = None
    reason: Annotated[str | None, Term("", "Reason")] = None
    reason_code: Annotated[str | None, Term("", "Reason code")] = None


class DocumentAllowanceCharge(AllowanceCharge):
    """An allowance or a charge on the document (BG-20, BG-21): it also carries its VAT."""

    vat_category_code: Annotated[str | None, Term("", "VAT category code", "1..1")] = None
    vat_rate: Annotated[Percentage | None, Term("", "VAT rate")] = None


def _allowance_charge_term(group: str, name: str, first: int, with_vat: bool) -> Term:
    """Allowance/charge terms run amount, base, percentage, [VAT category, VAT rate,] reason, reason code."""
    names = ["amount", "base_amount", "percentage"]
    names += ["vat_category_code", "vat_rate"] if with_vat else []
    names += ["reason", "reason_code"]
    return Term(group, name, "0..n", members={field: f"BT-{first + offset}" for offset, field in enumerate(names)})


class DocumentTotals(ModelBase):
    """BG-22 DOCUMENT TOTALS."""

    sum_of_line_net_amounts: Annotated[Amount | None, Term("BT-106", "Sum of Invoice line net amount", "1..1")] = None
    sum_of_allowances: Annotated[Amount | None, Term("BT-107", "Sum of allowances on document level")] = None
    sum_of_charges: Annotated[Amount | None, Term("BT-108", "Sum of charges on document level")] = None
    total_without_vat: Annotated[Amount | None, Term("BT-109", "Invoice total amount without VAT", "1..1")] = None
    total_vat: Annotated[Amount | None, Term("BT-110", "Invoice total VAT amount")] = None
    total_vat_accounting_currency: Annotated[
        Amount | None, Term("BT-111", "Invoice total VAT amount in accounting currency")
    ] = None
    total_with_vat: Annotated[Amount | None, Term("BT-112", "Invoice total amount with VAT", "1..1")] = None
    paid_amount: Annotated[Amount | None, Term("BT-113", "Paid amount")] = None
    rounding_amount: Annotated[Amount | None, Term("BT-114", "Rounding amount")] = None
    amount_due: Annotated[Amount | None, Term("BT-115", "Amount due for payment", "1..1")] = None


class VatBreakdown(ModelBase):
    """BG-23 VAT BREAKDOWN: one per VAT category and rate."""

    taxable_amount: Annotated[Amount | None, Term("BT-116", "VAT category taxable amount", "1..1")] = None
    tax_amount: Annotated[Amount | None, Term("BT-117", "VAT category tax amount", "1..1")] = None
    category_code: Annotated[str | None, Term("BT-118", "VAT category code", "1..1")] = None
    rate: Annotated[Percentage | None, Term("BT-119", "VAT category rate")] = None
    exemption_reason: Annotated[str | None, Term("BT-120", "VAT exemption reason text")] = None
    exemption_reason_code: Annotated[str | None, Term("BT-121", "VAT exemption reason code")] = None


class AttachedDocument(ModelBase):
    """BT-125 Attached document, base64 text as carried by both syntaxes."""

    content: Annotated[str, Term("BT-125", "Attached document", "1..1")]
    mime_code: Annotated[str | None, Term("BT-125-1", "Attached document Mime code", "1..1")] = None
    filename: Annotated[str | None, Term("BT-125-2", "Attached document Filename", "1..1")] = None


class SupportingDocument(ModelBase):
    """BG-24 ADDITIONAL SUPPORTING DOCUMENTS."""

    reference: Annotated[str, Term("BT-122", "Supporting document reference", "1..1")]
    description: Annotated[str | None, Term("BT-123", "Supporting document description")] = None
    external_location: Annotated[str | None, Term("BT-124", "External document location")] = None
    attachment: Annotated[AttachedDocument | None, Term("BT-125", "Attached document")] = None


class ItemAttribute(ModelBase):
    """BG-32 ITEM ATTRIBUTES."""

    name: Annotated[str, Term("BT-160", "Item attribute name", "1..1")]
    value: Annotated[str, Term("BT-161", "Item attribute value", "1..1")]


class Classification(ModelBase):
    """BT-158 Item classification identifier with its UNTDID 7143 scheme and version."""

    value: Annotated[str, Term("BT-158", "Item classification identifier", "1..1")]
    scheme_id: Annotated[str | None, Term("BT-158-1", "Scheme identifier", "1..1")] = None
    scheme_version: Annotated[str | None, Term("BT-158-2", "Scheme version identifier")] = None


class Item(ModelBase):
    """BG-31 ITEM INFORMATION."""

    name: Annotated[str | None, Term("BT-153", "Item name", "1..1")] = None
    description: Annotated[str | None, Term("BT-154", "Item description")] = None
    sellers_identifier: Annotated[str | None, Term("BT-155", "Item Seller's identifier")] = None
    buyers_identifier: Annotated[str | None, Term("BT-156", "Item Buyer's identifier")] = None
    standard_identifier: Annotated[Identifier | None, identifier_term("BT-157", "Item standard identifier")] = None
    classifications: Annotated[list[Classification], Term("BT-158", "Item classification identifier", "0..n")] = Field(
        default_factory=list
    )
    origin_country_code: Annotated[str | None, Term("BT-159", "Item country of origin")] = None
    attributes: Annotated[list[ItemAttribute], Term("BG-32", "ITEM ATTRIBUTES", "0..n")] = Field(default_factory=list)


class PriceDetails(ModelBase):
    """BG-29 PRICE DETAILS."""

    net_price: Annotated[Amount | None, Term("BT-146", "Item net price", "1..1")] = None
    discount: Annotated[Amount | None, Term("BT-147", "Item price discount")] = None
    gross_price: Annotated[Amount | None, Term("BT-148", "Item gross price")] = None
    base_quantity: Annotated[Quantity | None, Term("BT-149", "Item price base quantity")] = None
    base_quantity_unit_code: Annotated[str | None, Term("BT-150", "Item price base quantity unit of measure code")] = (
        None
    )


class LineVat(ModelBase):
    """BG-30 LINE VAT INFORMATION."""

    category_code: Annotated[str | None, Term("BT-151", "Invoiced item VAT category code", "1..1")] = None
    rate: Annotated[Percentage | None, Term("BT-152", "Invoiced item VAT rate")] = None


class InvoiceLine(ModelBase):
    """BG-25 INVOICE LINE."""

    identifier: Annotated[str | None, Term("BT-126", "Invoice line identifier", "1..1")] = None
    note: Annotated[str | None, Term("BT-127", "Invoice line note")] = None
    object_identifier: Annotated[Identifier | None, identifier_term("BT-128", "Invoice line object identifier")] = None
    quantity: Annotated[Quantity | None, Term("BT-129", "Invoiced quantity", "1..1")] = None
    unit_code: Annotated[str | None, Term("BT-130", "Invoiced quantity unit of measure code", "1..1")] = None
    net_amount: Annotated[Amount | None, Term("BT-131", "Invoice line net amount", "1..1")] = None
    order_line_reference: Annotated[str | None, Term("BT-132", "Referenced purchase order line reference")] = None
    buyer_accounting_reference: Annotated[str | None, Term("BT-133", "Invoice line Buyer accounting reference")] = None
    period: Annotated[
        Period | None,
        Term("BG-26", "INVOICE LINE PERIOD", members={"start_date": "BT-134", "end_date": "BT-135"}),
    ] = None
    allowances: Annotated[
        list[AllowanceCharge], _allowance_charge_term("BG-27", "INVOICE LINE ALLOWANCES", 136, with_vat=False)
    ] = Field(default_factory=list)
    charges: Annotated[
        list[AllowanceCharge], _allowance_charge_term("BG-28", "INVOICE LINE CHARGES", 141, with_vat=False)
    ] = Field(default_factory=list)
    price_details: Annotated[PriceDetails | None, Term("BG-29", "PRICE DETAILS", "1..1")] = None
    vat: Annotated[LineVat | None, Term("BG-30", "LINE VAT INFORMATION", "1..1")] = None
    item: Annotated[Item | None, Term("BG-31", "ITEM INFORMATION", "1..1")] = None


class Invoice(ModelBase):
    """An EN 16931 invoice or credit note (the type code BT-3 tells which)."""

    number: Annotated[str | None, Term("BT-1", "Invoice number", "1..1")] = None
    issue_date: Annotated[date | None, Term("BT-2", "Invoice issue date", "1..1")] = None
    type_code: Annotated[str | None, Term("BT-3", "Invoice type code", "1..1")] = None
    currency_code: Annotated[str | None, Term("BT-5", "Invoice currency code", "1..1")] = None
    tax_currency_code: Annotated[str | None, Term("BT-6", "VAT accounting currency code")] = None
    tax_point_date: Annotated[date | None, Term("BT-7", "Value added tax point date")] = None
    # Named as in the Seqino draft model, but it is BT-8, a UNTDID 2005 code (see VatPointDateCode).
    value_added_tax_point_date: Annotated[str | None, Term("BT-8", "Value added tax point date code")] = None
    due_date: Annotated[date | None, Term("BT-9", "Payment due date")] = None
    buyer_reference: Annotated[str | None, Term("BT-10", "Buyer reference")] = None
    project_reference: Annotated[str | None, Term("BT-11", "Project reference")] = None
    contract_reference: Annotated[str | None, Term("BT-12", "Contract reference")] = None
    purchase_order_reference: Annotated[str | None, Term("BT-13", "Purchase order reference")] = None
    sales_order_reference: Annotated[str | None, Term("BT-14", "Sales order reference")] = None
    receiving_advice_reference: Annotated[str | None, Term("BT-15", "Receiving advice reference")] = None
    despatch_advice_reference: Annotated[str | None, Term("BT-16", "Despatch advice reference")] = None
    tender_or_lot_reference: Annotated[str | None, Term("BT-17", "Tender or lot reference")] = None
    invoice_object_identifier: Annotated[Identifier | None, identifier_term("BT-18", "Invoiced object identifier")] = (
        None
    )
    buyer_accounting_reference: Annotated[str | None, Term("BT-19", "Buyer accounting reference")] = None
    payment_terms: Annotated[str | None, Term("BT-20", "Payment terms")] = None
    notes: Annotated[list[Note], Term("BG-1", "INVOICE NOTE", "0..n")] = Field(default_factory=list)
    # BG-2 PROCESS CONTROL is flattened into these two fields, as in the Seqino draft model.
    business_process_type: Annotated[str | None, Term("BT-23", "Business process type")] = None
    specification_identifier: Annotated[str | None, Term("BT-24", "Specification identifier", "1..1")] = None
    preceding_invoices: Annotated[list[PrecedingInvoice], Term("BG-3", "PRECEDING INVOICE REFERENCE", "0..n")] = Field(
        default_factory=list
    )
    seller: Annotated[Seller | None, Term("BG-4", "SELLER", "1..1")] = None
    buyer: Annotated[Buyer | None, Term("BG-7", "BUYER", "1..1")] = None
    payee: Annotated[Payee | None, Term("BG-10", "PAYEE")] = None
    tax_representative: Annotated[TaxRepresentative | None, Term("BG-11", "SELLER TAX REPRESENTATIVE PARTY")] = None
    delivery: Annotated[Delivery | None, Term("BG-13", "DELIVERY INFORMATION")] = None
    invoicing_period: Annotated[
        Period | None, Term("BG-14", "INVOICING PERIOD", members={"start_date": "BT-73", "end_date": "BT-74"})
    ] = None
    payment_instructions: Annotated[PaymentInstructions | None, Term("BG-16", "PAYMENT INSTRUCTIONS")] = None
    allowances: Annotated[
        list[DocumentAllowanceCharge],
        _allowance_charge_term("BG-20", "DOCUMENT LEVEL ALLOWANCES", 92, with_vat=True),
    ] = Field(default_factory=list)
    charges: Annotated[
        list[DocumentAllowanceCharge], _allowance_charge_term("BG-21", "DOCUMENT LEVEL CHARGES", 99, with_vat=True)
    ] = Field(default_factory=list)
    totals: Annotated[DocumentTotals | None, Term("BG-22", "DOCUMENT TOTALS", "1..1")] = None
    vat_breakdown: Annotated[list[VatBreakdown], Term("BG-23", "VAT BREAKDOWN", "1..n")] = Field(default_factory=list)
    supporting_documents: Annotated[
        list[SupportingDocument], Term("BG-24", "ADDITIONAL SUPPORTING DOCUMENTS", "0..n")
    ] = Field(default_factory=list)
    lines: Annotated[list[InvoiceLine], Term("BG-25", "INVOICE LINE", "1..n")] = Field(default_factory=list)

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_TYPE_CODES
