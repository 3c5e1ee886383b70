"""UBL payment: instructions (BG-16..BG-19), terms (BT-20) and, for credit notes, the due date.

Like CII, UBL repeats cac:PaymentMeans once per account; `formats.mapping` folds them back.
A UBL 2.1 CreditNote has no cbc:DueDate: BT-9 goes to cac:PaymentMeans/cbc:PaymentDueDate.
"""

from __future__ import annotations

from lxml import etree

from coursier.formats.base import NOT_IN_SYNTAX, REPEATED_VALUE, XmlBuilder, XmlReader, present
from coursier.formats.mapping import (
    PaymentMeansEntry,
    has_payment_means,
    merge_payment_means,
    payment_means_layout,
)
from coursier.model import CreditTransfer, Invoice, PaymentCard

from .syntax import read_date

# cbc:NetworkID is mandatory in a UBL card account and has no EN 16931 term.
UNKNOWN_CARD_NETWORK = "NA"


def _read_means(reader: XmlReader, means: etree._Element) -> PaymentMeansEntry:
    code = reader.find(means, "cbc:PaymentMeansCode", "BT-81")
    account = reader.find(means, "cac:PayeeFinancialAccount", "BG-17")
    card = reader.find(means, "cac:CardAccount", "BG-18")
    reader.text(card, "cbc:NetworkID")
    return PaymentMeansEntry(
        element=means,
        type_code=reader.text(code),
        text=code.get("name") if code is not None else None,
        transfer=present(
            CreditTransfer(
                account_identifier=reader.text(account, "cbc:ID", "BT-84"),
                account_name=reader.text(account, "cbc:Name", "BT-85"),
                service_provider_identifier=reader.text(account, "cac:FinancialInstitutionBranch/cbc:ID", "BT-86"),
            )
        ),
        card=present(
            PaymentCard(
                primary_account_number=reader.text(card, "cbc:PrimaryAccountNumberID", "BT-87"),
                holder_name=reader.text(card, "cbc:HolderName", "BT-88"),
            )
        ),
        debited_account=reader.text(means, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID", "BT-91"),
    )


def _remittance_information(reader: XmlReader, all_means: list[etree._Element]) -> str | None:
    """BT-83, which UBL repeats in each payment means."""
    found = [(means, text) for means in all_means if (text := reader.text(means, "cbc:PaymentID", "BT-83"))]
    for means, text in found[1:]:
        if text != found[0][1]:
            reader.warn(REPEATED_VALUE, "BT-83", means, f"a second remittance information {text!r} was left out")
    return found[0][1] if found else None


def read_payment(reader: XmlReader, root: etree._Element, creditor_identifier: str | None) -> dict[str, object]:
    all_means = reader.findall(root, "cac:PaymentMeans")
    first = all_means[0] if all_means else None
    fields: dict[str, object] = {
        "payment_instructions": merge_payment_means(
            reader,
            [_read_means(reader, means) for means in all_means],
            remittance_information=_remittance_information(reader, all_means),
            mandate_reference=reader.text(first, "cac:PaymentMandate/cbc:ID", "BT-89"),
            creditor_identifier=creditor_identifier,
        ),
        "payment_terms": reader.text(root, "cac:PaymentTerms/cbc:Note", "BT-20"),
        "due_date": read_date(reader, root, "cbc:DueDate", "BT-9"),
    }
    if fields["due_date"] is None:
        fields["due_date"] = read_date(reader, first, "cbc:PaymentDueDate", "BT-9")
    return fields


def write_payment(builder: XmlBuilder, root: etree._Element, invoice: Invoice) -> None:
    if not invoice.is_credit_note:
        builder.leaf(root, "cbc:DueDate", invoice.due_date, "due_date")
    builder.leaf(root, "cac:PaymentTerms/cbc:Note", invoice.payment_terms, "payment_terms")
    instructions = present(invoice.payment_instructions)
    debit = instructions.direct_debit if instructions else None
    # The seller party holds BT-90; everything else of BG-16 needs a payment means.
    if instructions is None or not (has_payment_means(instructions) or (debit and debit.mandate_reference)):
        if instructions is not None and instructions.remittance_information is not None:
            builder.warn(
                NOT_IN_SYNTAX,
                "payment_instructions.remittance_information",
                "UBL holds BT-83 in a payment means, which needs a payment means code (BT-81), and there is none",
            )
        if invoice.is_credit_note and invoice.due_date is not None:
            builder.warn(
                NOT_IN_SYNTAX, "due_date", "a UBL credit note holds BT-9 in a payment means, and there is none"
            )
        return
    origin = "payment_instructions"
    for index, transfer in payment_means_layout(instructions):
        means = builder.child(root, "cac:PaymentMeans", origin)
        # BT-82 once (UBL-SR-46): on the first payment means only.
        text = instructions.text if index == 0 else None
        builder.leaf(means, "cbc:PaymentMeansCode", instructions.type_code, f"{origin}.type_code", name=text)
        builder.leaf(means, "cbc:PaymentID", instructions.remittance_information, f"{origin}.remittance_information")
        if index == 0:
            if invoice.is_credit_note:
                builder.leaf(means, "cbc:PaymentDueDate", invoice.due_date, "due_date")
            card = instructions.payment_card
            if card is not None:
                account = builder.child(means, "cac:CardAccount", f"{origin}.payment_card")
                builder.leaf(
                    account,
                    "cbc:PrimaryAccountNumberID",
                    card.primary_account_number,
                    f"{origin}.payment_card.primary_account_number",
                )
                builder.leaf(account, "cbc:NetworkID", UNKNOWN_CARD_NETWORK, f"{origin}.payment_card")
                builder.leaf(account, "cbc:HolderName", card.holder_name, f"{origin}.payment_card.holder_name")
            if debit is not None and (debit.mandate_reference or debit.debited_account_identifier):
                mandate = builder.child(means, "cac:PaymentMandate", f"{origin}.direct_debit")
                builder.leaf(mandate, "cbc:ID", debit.mandate_reference, f"{origin}.direct_debit.mandate_reference")
                builder.leaf(
                    mandate,
                    "cac:PayerFinancialAccount/cbc:ID",
                    debit.debited_account_identifier,
                    f"{origin}.direct_debit.debited_account_identifier",
                )
        if transfer is not None:
            path = f"{origin}.credit_transfers[{index}]"
            account = builder.child(means, "cac:PayeeFinancialAccount", path)
            builder.leaf(account, "cbc:ID", transfer.account_identifier, f"{path}.account_identifier")
            builder.leaf(account, "cbc:Name", transfer.account_name, f"{path}.account_name")
            builder.leaf(
                account,
                "cac:FinancialInstitutionBranch/cbc:ID",
                transfer.service_provider_identifier,
                f"{path}.service_provider_identifier",
            )
