"""CII payment: instructions (BG-16..BG-19), remittance (BT-83), due date (BT-9) and terms (BT-20).

CII repeats `ram:SpecifiedTradeSettlementPaymentMeans` once per account while EN 16931 has one
BG-16 holding several credit transfers (BG-17): the writer puts one account in each means and
repeats the type code; the reader gathers the accounts back.
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import REPEATED_VALUE, XmlBuilder, XmlReader, present
from coursier.formats.mapping import (
    PaymentMeansEntry,
    has_payment_means,
    merge_payment_means,
    payment_means_layout,
)
from coursier.model import CreditTransfer, Invoice, PaymentCard
from coursier.model.identifiers import valid_iban

from .syntax import read_date, write_date


def _read_means(reader: XmlReader, means: etree._Element) -> PaymentMeansEntry:
    account = reader.find(means, "ram:PayeePartyCreditorFinancialAccount")
    identifiers = reader.findall(account, "ram:IBANID") + reader.findall(account, "ram:ProprietaryID")
    for extra in identifiers[1:]:
        reader.warn(REPEATED_VALUE, "BT-84", extra, "an account has one identifier; this one was left out")
    card = reader.find(means, "ram:ApplicableTradeSettlementFinancialCard")
    return PaymentMeansEntry(
        element=means,
        type_code=reader.text(means, "ram:TypeCode", "BT-81"),
        text=reader.text(means, "ram:Information", "BT-82"),
        transfer=present(
            CreditTransfer(
                account_identifier=reader.text(identifiers[0]) if identifiers else None,
                account_name=reader.text(account, "ram:AccountName", "BT-85"),
                service_provider_identifier=reader.text(
                    means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", "BT-86"
                ),
            )
        ),
        card=present(
            PaymentCard(
                primary_account_number=reader.text(card, "ram:ID", "BT-87"),
                holder_name=reader.text(card, "ram:CardholderName", "BT-88"),
            )
        ),
        debited_account=reader.text(means, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID", "BT-91"),
    )


def read_payment(reader: XmlReader, settlement: etree._Element | None) -> dict[str, object]:
    """Payment instructions, BT-9 and BT-20 (BT-89 and BT-9 sit in the payment terms)."""
    terms = reader.find(settlement, "ram:SpecifiedTradePaymentTerms", "BT-20")
    return {
        "payment_instructions": merge_payment_means(
            reader,
            [
                _read_means(reader, means)
                for means in reader.findall(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
            ],
            remittance_information=reader.text(settlement, "ram:PaymentReference", "BT-83"),
            mandate_reference=reader.text(terms, "ram:DirectDebitMandateID", "BT-89"),
            creditor_identifier=reader.text(settlement, "ram:CreditorReferenceID", "BT-90"),
        ),
        "payment_terms": reader.text(terms, "ram:Description", "BT-20"),
        "due_date": read_date(reader, terms, "ram:DueDateDateTime", "BT-9"),
    }


def write_payment_means(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    """BT-90 and BT-83 (settlement level) and one payment means per credit transfer."""
    instructions = present(invoice.payment_instructions)
    if instructions is None:
        return
    origin = "payment_instructions"
    debit = instructions.direct_debit
    builder.leaf(
        settlement,
        "ram:CreditorReferenceID",
        debit and debit.creditor_identifier,
        f"{origin}.direct_debit.creditor_identifier",
    )
    builder.leaf(
        settlement, "ram:PaymentReference", instructions.remittance_information, f"{origin}.remittance_information"
    )
    if not has_payment_means(instructions):
        return  # BT-83 and BT-90 sit beside the payment means; BT-89 in the payment terms
    for index, transfer in payment_means_layout(instructions):
        means = builder.child(settlement, "ram:SpecifiedTradeSettlementPaymentMeans", origin)
        builder.leaf(means, "ram:TypeCode", instructions.type_code, f"{origin}.type_code")
        if index == 0:  # BT-82 once, as UBL requires; the reader takes it from the first means
            builder.leaf(means, "ram:Information", instructions.text, f"{origin}.text")
            card = instructions.payment_card
            if card is not None:
                holder = builder.child(means, "ram:ApplicableTradeSettlementFinancialCard", f"{origin}.payment_card")
                builder.leaf(
                    holder, "ram:ID", card.primary_account_number, f"{origin}.payment_card.primary_account_number"
                )
                builder.leaf(holder, "ram:CardholderName", card.holder_name, f"{origin}.payment_card.holder_name")
            builder.leaf(
                means,
                "ram:PayerPartyDebtorFinancialAccount/ram:IBANID",
                debit and debit.debited_account_identifier,
                f"{origin}.direct_debit.debited_account_identifier",
            )
        if transfer is not None:
            path = f"{origin}.credit_transfers[{index}]"
            account = "ram:IBANID" if valid_iban(transfer.account_identifier or "") else "ram:ProprietaryID"
            builder.leaf(
                means,
                f"ram:PayeePartyCreditorFinancialAccount/{account}",
                transfer.account_identifier,
                f"{path}.account_identifier",
            )
            builder.leaf(
                means,
                "ram:PayeePartyCreditorFinancialAccount/ram:AccountName",
                transfer.account_name,
                f"{path}.account_name",
            )
            builder.leaf(
                means,
                "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID",
                transfer.service_provider_identifier,
                f"{path}.service_provider_identifier",
            )


def write_payment_terms(builder: XmlBuilder, settlement: etree._Element, invoice: Invoice) -> None:
    debit = invoice.payment_instructions.direct_debit if invoice.payment_instructions else None
    mandate = debit.mandate_reference if debit else None
    if invoice.payment_terms is None and invoice.due_date is None and mandate is None:
        return
    terms = builder.child(settlement, "ram:SpecifiedTradePaymentTerms", "payment_terms")
    builder.leaf(terms, "ram:Description", invoice.payment_terms, "payment_terms")
    write_date(builder, terms, "ram:DueDateDateTime", invoice.due_date, "due_date")
    builder.leaf(terms, "ram:DirectDebitMandateID", mandate, "payment_instructions.direct_debit.mandate_reference")
