"""CII payment: instructions (BG-16..BG-19), remittance (BT-83), due date (BT-9) and terms (BT-20).

CII repeats `ram:SpecifiedTradeSettlementPaymentMeans` once per account while EN 16931 has one
BG-16 holding several credit transfers (BG-17): the writer puts one account in each means and
repeats the type code; the reader gathers the accounts back.
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import REPEATED_VALUE, XmlBuilder, XmlReader, present
from coursier.model import CreditTransfer, DirectDebit, Invoice, PaymentCard, PaymentInstructions
from coursier.model.identifiers import valid_iban

from .syntax import read_date, write_date


def _read_credit_transfer(reader: XmlReader, means: etree._Element) -> CreditTransfer | None:
    account = reader.find(means, "ram:PayeePartyCreditorFinancialAccount")
    identifiers = reader.findall(account, "ram:IBANID") + reader.findall(account, "ram:ProprietaryID")
    for extra in identifiers[1:]:
        reader.warn(REPEATED_VALUE, "BT-84", extra, "an account has one identifier; this one was left out")
    return present(
        CreditTransfer(
            account_identifier=reader.text(identifiers[0]) if identifiers else None,
            account_name=reader.text(account, "ram:AccountName", "BT-85"),
            service_provider_identifier=reader.text(means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", "BT-86"),
        )
    )


def read_payment(reader: XmlReader, settlement: etree._Element | None) -> dict[str, object]:
    """Payment instructions, BT-9 and BT-20 (BT-89 and BT-9 sit in the payment terms)."""
    all_means = reader.findall(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    first = all_means[0] if all_means else None
    type_code = reader.text(first, "ram:TypeCode", "BT-81")
    text = reader.text(first, "ram:Information", "BT-82")
    for other in all_means[1:]:
        if (reader.text(other, "ram:TypeCode"), reader.text(other, "ram:Information")) != (type_code, text):
            reader.warn(REPEATED_VALUE, "BT-81", other, "EN 16931 has one payment means; only the first one's code and text were kept")
    card = reader.find(first, "ram:ApplicableTradeSettlementFinancialCard", "BG-18")
    terms = reader.find(settlement, "ram:SpecifiedTradePaymentTerms", "BT-20")
    instructions = PaymentInstructions(
        type_code=type_code,
        text=text,
        remittance_information=reader.text(settlement, "ram:PaymentReference", "BT-83"),
        credit_transfers=[transfer for means in all_means if (transfer := _read_credit_transfer(reader, means))],
        payment_card=present(
            PaymentCard(
                primary_account_number=reader.text(card, "ram:ID", "BT-87"),
                holder_name=reader.text(card, "ram:CardholderName", "BT-88"),
            )
        ),
        direct_debit=present(
            DirectDebit(
                mandate_reference=reader.text(terms, "ram:DirectDebitMandateID", "BT-89"),
                creditor_identifier=reader.text(settlement, "ram:CreditorReferenceID", "BT-90"),
                debited_account_identifier=reader.text(first, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID", "BT-91"),
            )
        ),
    )
    return {
        "payment_instructions": present(instructions),
        "payment_terms": reader.text(terms, "ram:Description", "BT-20"),
        "due_date": read_date(reader, terms, "ram:DueDateDateTime", "BT-9"),
    }


def _write_means(builder: XmlBuilder, settlement: etree._Element, instructions: PaymentInstructions, index: int) -> etree._Element:
    means = builder.child(settlement, "ram:SpecifiedTradeSettlementPaymentMeans", "payment_instructions")
    builder.leaf(means, "ram:TypeCode", instructions.type_code, "payment_instructions.type_code")
    builder.leaf(means, "ram:Information", instructions.text, "payment_instructions.text")
    if index < len(instructions.credit_transfers):
        transfer = instructions.credit_transfers[index]
        origin = f"payment_instructions.credit_transfers[{index}]"
        account_tag = "ram:IBANID" if valid_iban(transfer.account_identifier or "") else "ram:ProprietaryID"
        builder.leaf(means, f"ram:PayeePartyCreditorFinancialAccount/{account_tag}", transfer.account_identifier, f"{origin}.account_identifier")
        builder.leaf(means, "ram:PayeePartyCreditorFinancialAccount/ram:AccountName", transfer.account_name, f"{origin}.account_name")
        builder.leaf(
            means,
            "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID",
            transfer.service_provider_identifier,
            f"{origin}.service_provider_identifier",
        )
    return means


def write_payment_means(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    """BT-90 and BT-83 (settlement level) and one payment means per credit transfer."""
    instructions = present(invoice.payment_instructions)
    if instructions is None:
        return
    debit = instructions.direct_debit
    builder.leaf(settlement, "ram:CreditorReferenceID", debit and debit.creditor_identifier, "payment_instructions.direct_debit.creditor_identifier")
    builder.leaf(settlement, "ram:PaymentReference", instructions.remittance_information, "payment_instructions.remittance_information")
    if not (instructions.type_code or instructions.text or instructions.credit_transfers or instructions.payment_card or debit):
        return  # only a remittance reference
    first = _write_means(builder, settlement, instructions, 0)
    card = instructions.payment_card
    if card is not None:
        holder = builder.child(first, "ram:ApplicableTradeSettlementFinancialCard", "payment_instructions.payment_card")
        builder.leaf(holder, "ram:ID", card.primary_account_number, "payment_instructions.payment_card.primary_account_number")
        builder.leaf(holder, "ram:CardholderName", card.holder_name, "payment_instructions.payment_card.holder_name")
    builder.leaf(
        first,
        "ram:PayerPartyDebtorFinancialAccount/ram:IBANID",
        debit and debit.debited_account_identifier,
        "payment_instructions.direct_debit.debited_account_identifier",
    )
    for index in range(1, len(instructions.credit_transfers)):
        _write_means(builder, settlement, instructions, index)


def write_payment_terms(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    debit = invoice.payment_instructions.direct_debit if invoice.payment_instructions else None
    mandate = debit.mandate_reference if debit else None
    if invoice.payment_terms is None and invoice.due_date is None and mandate is None:
        return
    terms = builder.child(settlement, "ram:SpecifiedTradePaymentTerms", "payment_terms")
    builder.leaf(terms, "ram:Description", invoice.payment_terms, "payment_terms")
    write_date(builder, terms, "ram:DueDateDateTime", invoice.due_date, "due_date")
    builder.leaf(terms, "ram:DirectDebitMandateID", mandate, "payment_instructions.direct_debit.mandate_reference")
