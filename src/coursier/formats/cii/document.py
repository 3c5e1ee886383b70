"""CII reading and writing of a whole invoice, aggregate by aggregate."""

from __future__ import annotations

from lxml import etree

from coursier.formats._schema import schema_layout
from coursier.formats.base import (
    REPLACED_VALUE,
    FormatError,
    ParseResult,
    WriteResult,
    XmlBuilder,
    XmlReader,
    serialize,
)
from coursier.kit.xml import parse_xml
from coursier.model import Invoice

from .allowances import ALLOWANCES_CHARGES
from .delivery import read_delivery, write_delivery
from .header import (
    read_agreement_references,
    read_context,
    read_document,
    read_preceding_invoices,
    write_agreement_references,
    write_context,
    write_document,
    write_preceding_invoices,
)
from .lines import read_line, read_period, write_line, write_period
from .parties import (
    read_buyer,
    read_payee,
    read_seller,
    read_tax_representative,
    write_buyer,
    write_payee,
    write_seller,
    write_tax_representative,
)
from .payment import read_payment, write_payment_means, write_payment_terms
from .profiles import EN16931, PROFILES, Profile, profile_for_guideline
from .syntax import NAMESPACES, RSM
from .totals import read_totals, read_vat_breakdown, write_totals, write_vat_breakdown

ROOT = f"{{{RSM}}}CrossIndustryInvoice"


def parse(xml: bytes) -> ParseResult:
    """The EN 16931 content of a CII invoice, with a warning for everything not mapped."""
    root = parse_xml(xml).getroot()
    if root.tag != ROOT:
        raise FormatError(f"not a CII invoice: the root element is {root.tag}")
    return parse_element(root)


def parse_element(root: etree._Element) -> ParseResult:
    reader = XmlReader(root, NAMESPACES)
    transaction = reader.find(root, "rsm:SupplyChainTradeTransaction")
    agreement = reader.find(transaction, "ram:ApplicableHeaderTradeAgreement")
    settlement = reader.find(transaction, "ram:ApplicableHeaderTradeSettlement")
    fields: dict[str, object] = {}
    fields |= read_context(reader, reader.find(root, "rsm:ExchangedDocumentContext"))
    fields |= read_document(reader, reader.find(root, "rsm:ExchangedDocument"))
    fields |= read_agreement_references(reader, agreement)
    fields["seller"] = read_seller(reader, reader.find(agreement, "ram:SellerTradeParty"))
    fields["buyer"] = read_buyer(reader, reader.find(agreement, "ram:BuyerTradeParty"))
    fields["tax_representative"] = read_tax_representative(
        reader, reader.find(agreement, "ram:SellerTaxRepresentativeTradeParty")
    )
    fields |= read_delivery(reader, reader.find(transaction, "ram:ApplicableHeaderTradeDelivery"))
    fields["currency_code"] = reader.text(settlement, "ram:InvoiceCurrencyCode", "BT-5")
    fields["tax_currency_code"] = reader.text(settlement, "ram:TaxCurrencyCode", "BT-6")
    fields["payee"] = read_payee(reader, reader.find(settlement, "ram:PayeeTradeParty"))
    fields |= read_payment(reader, settlement)
    fields |= read_vat_breakdown(reader, settlement)
    fields["invoicing_period"] = read_period(reader, settlement, "BT-73", "BT-74")
    fields["allowances"], fields["charges"] = ALLOWANCES_CHARGES.read(reader, settlement, "", document_level=True)
    fields["totals"] = read_totals(reader, settlement, fields["currency_code"], fields["tax_currency_code"])
    fields["preceding_invoices"] = read_preceding_invoices(reader, settlement)
    fields["buyer_accounting_reference"] = reader.text(
        settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", "BT-19"
    )
    fields["lines"] = [
        read_line(reader, line) for line in reader.findall(transaction, "ram:IncludedSupplyChainTradeLineItem")
    ]
    invoice = Invoice(**fields)
    return ParseResult(invoice, reader.warnings + reader.unread_warnings())


def _choose_profile(invoice: Invoice, profile: str | None, builder: XmlBuilder) -> tuple[Profile, str | None]:
    """The profile to conform to and the BT-24 to write.

    Without an explicit profile, BT-24 is kept and picks the profile when it names one (else
    EN 16931). With one, Factur-X wants the profile's own guideline id in BT-24.
    """
    if profile is None:
        return profile_for_guideline(invoice.specification_identifier) or EN16931, invoice.specification_identifier
    if profile not in PROFILES:
        raise ValueError(f"unknown CII profile {profile!r}; choose one of {', '.join(PROFILES)}")
    chosen = PROFILES[profile]
    if invoice.specification_identifier not in (None, chosen.guideline):
        builder.warn(
            REPLACED_VALUE,
            "specification_identifier",
            f"{invoice.specification_identifier!r} replaced by the {chosen.name} guideline id {chosen.guideline!r}",
        )
    return chosen, chosen.guideline


def write(invoice: Invoice, profile: str | None = None) -> WriteResult:
    """CII XML for `invoice`, valid against the profile's XSD as far as the data allows.

    `profile` is one of `PROFILES` (minimum, basicwl, basic, en16931, extended, extended-ctc-fr).
    What the profile cannot carry is left out and reported.
    """
    builder = XmlBuilder(NAMESPACES)
    chosen, guideline = _choose_profile(invoice, profile, builder)
    root = builder.root("rsm:CrossIndustryInvoice")
    write_context(builder, root, invoice, guideline)
    write_document(builder, root, invoice)
    transaction = builder.child(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(invoice.lines):
        write_line(builder, transaction, line, index)
    agreement = builder.child(transaction, "ram:ApplicableHeaderTradeAgreement")
    write_agreement_references(builder, agreement, invoice)
    write_seller(builder, agreement, invoice.seller)
    write_buyer(builder, agreement, invoice.buyer)
    write_tax_representative(builder, agreement, invoice.tax_representative)
    write_delivery(builder, transaction, invoice)
    settlement = builder.child(transaction, "ram:ApplicableHeaderTradeSettlement")
    builder.leaf(settlement, "ram:TaxCurrencyCode", invoice.tax_currency_code, "tax_currency_code")
    builder.leaf(settlement, "ram:InvoiceCurrencyCode", invoice.currency_code, "currency_code")
    write_payee(builder, settlement, invoice.payee)
    write_payment_means(builder, settlement, invoice)
    write_vat_breakdown(builder, settlement, invoice)
    write_period(builder, settlement, invoice.invoicing_period, "invoicing_period")
    ALLOWANCES_CHARGES.write(builder, settlement, invoice.allowances, invoice.charges, "")
    write_payment_terms(builder, settlement, invoice)
    write_totals(builder, settlement, invoice)
    write_preceding_invoices(builder, settlement, invoice)
    builder.leaf(
        settlement,
        "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID",
        invoice.buyer_accounting_reference,
        "buyer_accounting_reference",
    )
    layout = schema_layout(chosen.xsd_path)
    warnings = builder.warnings + builder.conform(root, layout, f"CII {chosen.name}", chosen.not_used)
    return WriteResult(serialize(root), warnings)
