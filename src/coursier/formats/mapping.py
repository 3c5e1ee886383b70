"""Model-side mapping rules both syntaxes follow where their structure differs from EN 16931.

CII and UBL both repeat the payment means once per account and both hold BT-110/BT-111 as two
tax totals told apart by currency; the rules to fold these back into the model live here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from coursier.model import (
    AllowanceCharge,
    Classification,
    CreditTransfer,
    DirectDebit,
    DocumentAllowanceCharge,
    ItemAttribute,
    PaymentCard,
    PaymentInstructions,
)

from .base import INVALID_VALUE, REPEATED_VALUE, Leaf, XmlBuilder, XmlReader, present


@dataclass(frozen=True)
class AllowanceChargeBinding:
    """Where a syntax puts the parts of an allowance or charge (BG-20/21 and BG-27/28).

    Both syntaxes use one element type for allowances and charges, told apart by an indicator;
    the model keeps them in two lists.
    """

    element: str
    indicator: str  # path of the "true"/"false" charge indicator text
    amounts: tuple[Leaf, ...]  # amount, base, percentage, reason, reason code
    document_vat: tuple[Leaf, ...]  # VAT category and rate, on document level only
    vat_scheme: str  # path of the tax scheme / type code, always "VAT" in EN 16931

    def read(
        self, reader: XmlReader, parent: etree._Element | None, origin: str, document_level: bool
    ) -> tuple[list, list]:
        """(allowances, charges) below `parent`; `origin` is the model path of their owner ("" or "lines[].")."""
        found: dict[bool, list] = {False: [], True: []}
        model = DocumentAllowanceCharge if document_level else AllowanceCharge
        table = self.amounts + self.document_vat if document_level else self.amounts
        for element in reader.findall(parent, self.element):
            is_charge = (reader.text(element, self.indicator) or "").lower() == "true"
            if document_level:
                reader.text(element, self.vat_scheme)
            entry = reader.group(element, model, table, f"{origin}{'charges' if is_charge else 'allowances'}[]")
            if entry is not None:
                found[is_charge].append(entry)
        return found[False], found[True]

    def write(
        self,
        builder: XmlBuilder,
        parent: etree._Element,
        allowances: list[AllowanceCharge],
        charges: list[AllowanceCharge],
        origin: str,
    ) -> None:
        for is_charge, entries in ((False, allowances), (True, charges)):
            for index, entry in enumerate(entries):
                path = f"{origin}{'charges' if is_charge else 'allowances'}[{index}]"
                element = builder.child(parent, self.element, path)
                builder.leaf(element, self.indicator, "true" if is_charge else "false", path)
                builder.leaves(element, entry, self.amounts, path)
                if isinstance(entry, DocumentAllowanceCharge):
                    builder.leaves(element, entry, self.document_vat, path)
                    builder.leaf(element, self.vat_scheme, "VAT", path)


def read_classifications(reader: XmlReader, codes: list[etree._Element]) -> list[Classification]:
    """BT-158 from classification code elements; both syntaxes name the scheme listID/listVersionID."""
    return [
        Classification(value=value, scheme_id=code.get("listID"), scheme_version=code.get("listVersionID"))
        for code in codes
        if (value := reader.text(code)) is not None
    ]


def read_item_attributes(
    reader: XmlReader, elements: list[etree._Element], name_path: str, value_path: str
) -> list[ItemAttribute]:
    """BG-32 entries; one without its name or value is reported and left out."""
    attributes = []
    for element in elements:
        name = reader.text(element, name_path, "BT-160")
        value = reader.text(element, value_path, "BT-161")
        if name is None or value is None:
            reader.warn(INVALID_VALUE, "BG-32", element, "an item attribute needs a name and a value; left out")
            continue
        attributes.append(ItemAttribute(name=name, value=value))
    return attributes


@dataclass(frozen=True)
class PaymentMeansEntry:
    """What one syntax-level payment means element held."""

    element: etree._Element
    type_code: str | None
    text: str | None
    transfer: CreditTransfer | None
    card: PaymentCard | None
    debited_account: str | None


def merge_payment_means(
    reader: XmlReader,
    entries: list[PaymentMeansEntry],
    remittance_information: str | None,
    mandate_reference: str | None,
    creditor_identifier: str | None,
) -> PaymentInstructions | None:
    """One BG-16 from several payment means: the first gives the code and text (BT-81/82), a card
    or a debited account is taken once, and every account becomes a credit transfer (BG-17)."""
    first = entries[0] if entries else None
    cards = [entry for entry in entries if entry.card]
    debited = [entry for entry in entries if entry.debited_account]
    for entry in entries[1:]:
        if entry.type_code != first.type_code or entry.text not in (None, first.text):
            reader.warn(
                REPEATED_VALUE, "BT-81", entry.element, "EN 16931 has one payment means code; the first was kept"
            )
    for term, extra in [("BG-18", entry) for entry in cards[1:]] + [("BT-91", entry) for entry in debited[1:]]:
        reader.warn(REPEATED_VALUE, term, extra.element, f"{term} is given once in EN 16931; the first was kept")
    return present(
        PaymentInstructions(
            type_code=first.type_code if first else None,
            text=first.text if first else None,
            remittance_information=remittance_information,
            credit_transfers=[entry.transfer for entry in entries if entry.transfer],
            payment_card=cards[0].card if cards else None,
            direct_debit=present(
                DirectDebit(
                    mandate_reference=mandate_reference,
                    creditor_identifier=creditor_identifier,
                    debited_account_identifier=debited[0].debited_account if debited else None,
                )
            ),
        )
    )


def has_payment_means(instructions: PaymentInstructions) -> bool:
    """Whether BG-16 holds what a payment means element carries in both syntaxes: BT-81, BT-82, an
    account (BG-17), a card (BG-18) or a debited account (BT-91).

    A remittance reference (BT-83) alone is no payment means: CII holds it beside the means, UBL
    only inside one, which cannot be written without its code (BT-81).
    """
    debit = instructions.direct_debit
    return bool(
        instructions.type_code
        or instructions.text
        or instructions.credit_transfers
        or instructions.payment_card
        or (debit and debit.debited_account_identifier)
    )


def payment_means_layout(instructions: PaymentInstructions) -> Iterator[tuple[int, CreditTransfer | None]]:
    """The payment means to write: one per credit transfer (at least one), as (index, transfer).

    The first one also carries the card and the debited account.
    """
    transfers = instructions.credit_transfers or [None]
    yield from enumerate(transfers)


def split_tax_totals(
    reader: XmlReader,
    totals: list[tuple[etree._Element, Decimal | None]],
    currency: str | None,
    tax_currency: str | None,
) -> dict[str, Decimal | None]:
    """BT-110 (invoice currency) and BT-111 (VAT accounting currency) from the tax totals given.

    A total is BT-111 only when its currencyID is the VAT currency and that differs from the
    invoice currency; anything else is BT-110.
    """
    values: dict[str, Decimal | None] = {}
    for element, amount in totals:
        in_tax_currency = tax_currency not in (None, currency) and element.get("currencyID") == tax_currency
        field = "total_vat_accounting_currency" if in_tax_currency else "total_vat"
        if field in values:
            term = "BT-111" if in_tax_currency else "BT-110"
            reader.warn(REPEATED_VALUE, term, element, f"{term} given twice; the first was kept")
            continue
        values[field] = amount
    return values
