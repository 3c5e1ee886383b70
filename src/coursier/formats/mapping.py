"""Model-side mapping rules both syntaxes follow where their structure differs from EN 16931.

CII and UBL both repeat the payment means once per account and both hold BT-110/BT-111 as two
tax totals told apart by currency; the rules to fold these back into the model live here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from coursier.model import CreditTransfer, DirectDebit, PaymentCard, PaymentInstructions

from .base import REPEATED_VALUE, XmlReader, present


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
        if (entry.type_code, entry.text) != (first.type_code, first.text):
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
