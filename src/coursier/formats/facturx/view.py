"""What the readable invoice shows, decided here so that the template only lays it out.

`build_view` turns an EN 16931 `Invoice` into labelled, formatted rows in one language, and adds
the mentions French law asks of a B2B invoice (CGI annex II art. 242 nonies A; Code de commerce
art. L441-9) from the terms that carry them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from coursier.formats.facturx.formatting import Formatter
from coursier.kit.texts import Language, has_text, text
from coursier.model.codes import (
    NOTE_SUBJECT_PAYMENT_TERMS,
    NOTE_SUBJECT_PENALTIES,
    NOTE_SUBJECT_RECOVERY_FEE,
    VatCategory,
    VatPointDateCode,
)
from coursier.model.identifiers import SCHEME_SIREN, SCHEME_SIRET
from coursier.model.invoice import (
    Address,
    AllowanceCharge,
    Buyer,
    Contact,
    Identifier,
    Invoice,
    InvoiceLine,
    Period,
    Seller,
)

# A labelled value: ("Date d'échéance", "16/03/2025").
Fact = tuple[str, str]


@dataclass(frozen=True)
class PartyView:
    heading: str
    name: str
    lines: list[str] = field(default_factory=list)  # trading name, address, contact
    facts: list[Fact] = field(default_factory=list)  # legal identifiers


@dataclass(frozen=True)
class LineView:
    number: str
    name: str
    details: list[str]
    quantity: str
    unit: str
    unit_price: str
    vat: str
    net_amount: str


@dataclass(frozen=True)
class VatRowView:
    category: str
    rate: str
    taxable_amount: str
    tax_amount: str
    exemption: str


@dataclass(frozen=True)
class TotalView:
    label: str
    value: str
    emphasis: bool = False


@dataclass(frozen=True)
class InvoiceView:
    language: Language
    title: str
    number: str
    dates: list[Fact]
    seller: PartyView
    buyer: PartyView
    other_parties: list[PartyView]
    references: list[Fact]
    lines: list[LineView]
    vat_rows: list[VatRowView]
    totals: list[TotalView]
    payment: list[Fact]
    conditions: list[Fact]
    mentions: list[str]
    notes: list[str]
    seller_legal_line: str


@dataclass(frozen=True)
class _Words:
    """Everything language-dependent the builders need: labels, code names, number formats."""

    language: Language
    fmt: Formatter

    def label(self, key: str, **values: object) -> str:
        return text(self.language, f"invoice_pdf.{key}", **values)

    def code(self, code_list: str, code: str | None, *, unknown: str | None = None) -> str:
        """The name of `code` in `code_list`; for a code the list does not know, `unknown`, else the code."""
        key = f"code.{code_list}.{code}"
        if code and has_text(f"invoice_pdf.{key}"):
            return self.label(key)
        return (code or "") if unknown is None else unknown

    def period(self, period: Period | None) -> str:
        if period is None or not (period.start_date or period.end_date):
            return ""
        if period.start_date and period.end_date:
            start, end = self.fmt.date(period.start_date), self.fmt.date(period.end_date)
            return self.label("period_range", start=start, end=end)
        return self.fmt.date(period.start_date or period.end_date)

    def identifier(self, identifier: Identifier | None, default_label_key: str) -> Fact | None:
        """SIREN and SIRET by name; any other scheme under `default_label_key`."""
        if identifier is None:
            return None
        by_scheme = {SCHEME_SIREN: "siren", SCHEME_SIRET: "siret"}
        return (self.label(by_scheme.get(identifier.scheme_id or "", default_label_key)), identifier.value)

    def address_lines(self, address: Address | None) -> list[str]:
        if address is None:
            return []
        city = " ".join(part for part in (address.postal_zone, address.city_name) if part)
        country = self.code("country", address.country_code)
        region = ", ".join(part for part in (city, address.country_subdivision, country) if part)
        lines = [address.street_name, address.additional_street_name, address.address_line_3, region]
        return [line for line in lines if line]

    def allowance_charge(self, label_key: str, entry: AllowanceCharge) -> str:
        """The kind, its percentage and its reason: "Remise (10 %) – Remise quantité"."""
        shown = self.label(label_key)
        if entry.percentage is not None:
            shown += f" ({self.fmt.percent(entry.percentage)})"
        reason = entry.reason or entry.reason_code
        return f"{shown} – {reason}" if reason else shown


def build_view(invoice: Invoice, language: Language | str = Language.FR) -> InvoiceView:
    language = Language(language)
    words = _Words(language, Formatter(language, invoice.currency_code or "EUR"))
    return InvoiceView(
        language=language,
        title=_title(invoice, words),
        number=invoice.number or "",
        dates=_dates(invoice, words),
        seller=_trading_party("seller", invoice.seller, words),
        buyer=_trading_party("buyer", invoice.buyer, words),
        other_parties=_other_parties(invoice, words),
        references=_references(invoice, words),
        lines=[_line(line, words) for line in invoice.lines],
        vat_rows=_vat_rows(invoice, words),
        totals=_totals(invoice, words),
        payment=_payment(invoice, words),
        conditions=_conditions(invoice, words),
        mentions=_mentions(invoice, words),
        notes=[note.content for note in invoice.notes if note.subject_code not in _CONDITION_SUBJECTS],
        seller_legal_line=_seller_legal_line(invoice, words),
    )


def _known(candidates: list[Fact | None]) -> list[Fact]:
    """The facts that have a value, each once, in order."""
    facts: list[Fact] = []
    for fact in candidates:
        if fact and fact[1] and fact not in facts:
            facts.append(fact)
    return facts


def _title(invoice: Invoice, words: _Words) -> str:
    """The name of the invoice's type; an unknown type is called an invoice, or a credit note."""
    default = words.code("document_type", "381" if invoice.is_credit_note else "380")
    return words.code("document_type", invoice.type_code, unknown=default)


def _dates(invoice: Invoice, words: _Words) -> list[Fact]:
    label, fmt = words.label, words.fmt
    delivery_date = invoice.delivery.actual_delivery_date if invoice.delivery else None
    return _known(
        [
            (label("issue_date"), fmt.date(invoice.issue_date)),
            (label("due_date"), fmt.date(invoice.due_date)),
            (label("delivery_date"), fmt.date(delivery_date)),
            (label("invoicing_period"), words.period(invoice.invoicing_period)),
            (label("tax_point_date"), fmt.date(invoice.tax_point_date)),
        ]
    )


def _contact_line(contact: Contact | None) -> str:
    if contact is None:
        return ""
    return " · ".join(part for part in (contact.name, contact.telephone, contact.email) if part)


def _electronic_address(identifier: Identifier | None) -> str:
    if identifier is None:
        return ""
    return f"{identifier.scheme_id}:{identifier.value}" if identifier.scheme_id else identifier.value


def _trading_party(heading_key: str, party: Seller | Buyer | None, words: _Words) -> PartyView:
    """Seller or buyer: name, address and contact, then the identifiers French law asks for."""
    label = words.label
    if party is None:
        return PartyView(label(heading_key), "")
    if isinstance(party, Seller):
        other_identifiers = party.identifiers
        tax_registration, legal_information = party.tax_registration_identifier, party.additional_legal_information
    else:
        other_identifiers = [party.identifier] if party.identifier else []
        tax_registration = legal_information = None
    facts = _known(
        [
            words.identifier(party.legal_registration_identifier, "legal_registration"),
            *(words.identifier(identifier, "identifier") for identifier in other_identifiers),
            (label("vat_identifier"), party.vat_identifier or ""),
            (label("tax_registration"), tax_registration or ""),
            (label("electronic_address"), _electronic_address(party.electronic_address)),
        ]
    )
    lines = [party.trading_name, legal_information, *words.address_lines(party.postal_address)]
    lines.append(_contact_line(party.contact))
    return PartyView(label(heading_key), party.name or "", [line for line in lines if line], facts)


def _other_parties(invoice: Invoice, words: _Words) -> list[PartyView]:
    """Delivery place, payee (factoring) and tax representative, when the invoice names them."""
    label = words.label
    parties = []
    delivery = invoice.delivery
    if delivery and (delivery.party_name or delivery.address):
        facts = _known([words.identifier(delivery.location_identifier, "identifier")])
        lines = words.address_lines(delivery.address)
        parties.append(PartyView(label("deliver_to"), delivery.party_name or "", lines, facts))
    if payee := invoice.payee:
        facts = _known(
            [
                words.identifier(payee.legal_registration_identifier, "legal_registration"),
                words.identifier(payee.identifier, "identifier"),
            ]
        )
        parties.append(PartyView(label("payee"), payee.name or "", [], facts))
    if representative := invoice.tax_representative:
        facts = _known([(label("vat_identifier"), representative.vat_identifier or "")])
        lines = words.address_lines(representative.postal_address)
        parties.append(PartyView(label("tax_representative"), representative.name or "", lines, facts))
    return parties


def _references(invoice: Invoice, words: _Words) -> list[Fact]:
    label, fmt = words.label, words.fmt
    # A credit note or a corrected invoice names the invoice it corrects (CGI art. 242 nonies A).
    preceding = [
        (
            label("preceding_invoice"),
            label("preceding_invoice_dated", number=reference.number, date=fmt.date(reference.issue_date))
            if reference.issue_date
            else reference.number,
        )
        for reference in invoice.preceding_invoices
    ]
    category = words.code("operation", (invoice.business_process_type or " ")[0], unknown="")
    invoiced_object = invoice.invoice_object_identifier
    return _known(
        [
            *preceding,
            (label("operation_category"), category),
            (label("buyer_reference"), invoice.buyer_reference or ""),
            (label("purchase_order"), invoice.purchase_order_reference or ""),
            (label("sales_order"), invoice.sales_order_reference or ""),
            (label("contract"), invoice.contract_reference or ""),
            (label("project"), invoice.project_reference or ""),
            (label("tender"), invoice.tender_or_lot_reference or ""),
            (label("despatch_advice"), invoice.despatch_advice_reference or ""),
            (label("receiving_advice"), invoice.receiving_advice_reference or ""),
            (label("invoiced_object"), invoiced_object.value if invoiced_object else ""),
            (label("buyer_accounting"), invoice.buyer_accounting_reference or ""),
        ]
    )


def _vat_label(category_code: str | None, rate: Decimal | None, words: _Words) -> str:
    """The rate for taxed lines; for the others the category code, explained in the VAT table."""
    if category_code in (None, VatCategory.STANDARD_RATE):
        return words.fmt.percent(rate)
    return category_code


def _line_details(line: InvoiceLine, words: _Words) -> list[str]:
    label, fmt, item, price = words.label, words.fmt, line.item, line.price_details
    details = []
    if item:
        details += [
            item.description,
            f"{label('seller_item_id')} {item.sellers_identifier}" if item.sellers_identifier else "",
            f"{label('buyer_item_id')} {item.buyers_identifier}" if item.buyers_identifier else "",
            f"{label('standard_item_id')} {item.standard_identifier.value}" if item.standard_identifier else "",
            *(f"{attribute.name}{label('colon')}{attribute.value}" for attribute in item.attributes),
        ]
    details += [
        words.period(line.period),
        f"{label('order_line')} {line.order_line_reference}" if line.order_line_reference else "",
        line.note,
    ]
    if price and price.gross_price is not None and price.discount:
        gross, discount = fmt.amount(price.gross_price), fmt.amount(price.discount)
        details.append(label("gross_price", gross=gross, discount=discount))
    details += [
        f"{words.allowance_charge(label_key, entry)}{label('colon')}{fmt.amount(amount)}"
        for label_key, entry, amount in _signed_adjustments(line.allowances, line.charges)
    ]
    return [detail for detail in details if detail]


def _signed_adjustments(
    allowances: Sequence[AllowanceCharge], charges: Sequence[AllowanceCharge]
) -> list[tuple[str, AllowanceCharge, Decimal]]:
    """(label key, entry, amount) for allowances, shown negative, then charges."""
    signed = [("allowance", entry, -entry.amount) for entry in allowances if entry.amount is not None]
    return signed + [("charge", entry, entry.amount) for entry in charges if entry.amount is not None]


def _unit_price(line: InvoiceLine, words: _Words) -> str:
    price = line.price_details
    if price is None:
        return ""
    shown = words.fmt.amount(price.net_price)
    if price.base_quantity is not None and price.base_quantity != 1:
        unit = words.code("unit", price.base_quantity_unit_code or line.unit_code)
        shown += " " + words.label("price_per", quantity=words.fmt.quantity(price.base_quantity), unit=unit)
    return shown


def _line(line: InvoiceLine, words: _Words) -> LineView:
    return LineView(
        number=line.identifier or "",
        name=(line.item.name if line.item else None) or "",
        details=_line_details(line, words),
        quantity=words.fmt.quantity(line.quantity),
        unit=words.code("unit", line.unit_code),
        unit_price=_unit_price(line, words),
        vat=_vat_label(line.vat.category_code, line.vat.rate, words) if line.vat else "",
        net_amount=words.fmt.amount(line.net_amount),
    )


def _vat_rows(invoice: Invoice, words: _Words) -> list[VatRowView]:
    # The exemption reason is itself a mandatory mention (CGI annex II art. 242 nonies A).
    return [
        VatRowView(
            category=words.code("vat_category", row.category_code),
            rate=words.fmt.percent(row.rate),
            taxable_amount=words.fmt.amount(row.taxable_amount),
            tax_amount=words.fmt.amount(row.tax_amount),
            exemption=" ".join(part for part in (row.exemption_reason, row.exemption_reason_code) if part),
        )
        for row in invoice.vat_breakdown
    ]


def _totals(invoice: Invoice, words: _Words) -> list[TotalView]:
    label, fmt, totals = words.label, words.fmt, invoice.totals
    if totals is None:
        return []
    rows = []
    if invoice.allowances or invoice.charges:
        rows.append(TotalView(label("sum_of_lines"), fmt.money(totals.sum_of_line_net_amounts)))
        rows += [
            TotalView(words.allowance_charge(label_key, entry), fmt.money(amount))
            for label_key, entry, amount in _signed_adjustments(invoice.allowances, invoice.charges)
        ]
    settled = bool(totals.paid_amount or totals.rounding_amount)
    rows += [
        TotalView(label("total_without_vat"), fmt.money(totals.total_without_vat)),
        TotalView(label("total_vat"), fmt.money(totals.total_vat)),
        TotalView(label("total_with_vat"), fmt.money(totals.total_with_vat), emphasis=not settled),
    ]
    if totals.paid_amount:
        rows.append(TotalView(label("paid_amount"), fmt.money(-totals.paid_amount)))
    if totals.rounding_amount:
        rows.append(TotalView(label("rounding_amount"), fmt.money(totals.rounding_amount)))
    if settled:
        rows.append(TotalView(label("amount_due"), fmt.money(totals.amount_due), emphasis=True))
    return rows


def _grouped_iban(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[start : start + 4] for start in range(0, len(compact), 4))


def _payment(invoice: Invoice, words: _Words) -> list[Fact]:
    label = words.label
    facts: list[Fact | None] = [(label("due_date"), words.fmt.date(invoice.due_date))]
    if instructions := invoice.payment_instructions:
        means = words.code("payment_means", instructions.type_code)
        if instructions.text and instructions.text != means:
            means = f"{means} ({instructions.text})" if means else instructions.text
        facts.append((label("payment_means"), means))
        for transfer in instructions.credit_transfers:
            facts += [
                (label("iban"), _grouped_iban(transfer.account_identifier or "")),
                (label("bic"), transfer.service_provider_identifier or ""),
                (label("account_name"), transfer.account_name or ""),
            ]
        if card := instructions.payment_card:
            card_text = " ".join(part for part in (card.primary_account_number, card.holder_name) if part)
            facts.append((label("card"), card_text))
        if debit := instructions.direct_debit:
            facts += [
                (label("mandate"), debit.mandate_reference or ""),
                (label("creditor_identifier"), debit.creditor_identifier or ""),
                (label("debited_account"), debit.debited_account_identifier or ""),
            ]
        facts.append((label("remittance"), instructions.remittance_information or ""))
    return _known(facts)


# French invoices carry the payment conditions of C. com. art. L441-9 as notes with these
# UNTDID 4451 subject codes; they are shown with the payment, not among the other notes.
_CONDITION_SUBJECTS = {
    NOTE_SUBJECT_PENALTIES: ("late_penalties", "default_late_penalties"),
    NOTE_SUBJECT_RECOVERY_FEE: ("recovery_fee", "default_recovery_fee"),
    NOTE_SUBJECT_PAYMENT_TERMS: ("early_payment", "default_early_payment"),
}


def _conditions(invoice: Invoice, words: _Words) -> list[Fact]:
    """Payment terms, then penalties, recovery fee and discount terms: the invoice's own notes,
    else the legal default. A credit note asks for no payment, so it gets only what it states.
    """
    label = words.label
    conditions = [(label("payment_terms"), invoice.payment_terms)] if invoice.payment_terms else []
    for subject, (label_key, default_key) in _CONDITION_SUBJECTS.items():
        stated = [note.content for note in invoice.notes if note.subject_code == subject]
        if stated:
            conditions += [(label(label_key), content) for content in stated]
        elif not invoice.is_credit_note:
            conditions.append((label(label_key), label(default_key)))
    return conditions


def _mentions(invoice: Invoice, words: _Words) -> list[str]:
    if invoice.value_added_tax_point_date == VatPointDateCode.INVOICE_DOCUMENT_ISSUE_DATE:
        return [words.label("vat_on_debits")]
    return []


def _seller_legal_line(invoice: Invoice, words: _Words) -> str:
    """Name, legal form and capital, SIREN and VAT number, repeated at the foot of every page."""
    seller = invoice.seller
    if seller is None:
        return ""
    registration = words.identifier(seller.legal_registration_identifier, "legal_registration")
    vat = f"{words.label('vat_identifier')} {seller.vat_identifier}" if seller.vat_identifier else None
    parts = [seller.name, seller.additional_legal_information, " ".join(registration) if registration else None, vat]
    return " · ".join(part for part in parts if part)
