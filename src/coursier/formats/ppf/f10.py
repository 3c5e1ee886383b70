"""Flow 10 (F10): an e-reporting report as the XML the PPF reads, and back.

    build_f10(report) -> F10Document     parse_f10(xml) -> Report

Structure from the official e-reporting XSDs v3.2 (`ereporting.xsd`, `report.xsd`,
`transaction.xsd`, `payment.xsd`, shipped in pyfrctc and in `shared/reference/dgfip/`): the root
`Report` is in no namespace and so are all its elements (the schemas leave them unqualified).
Elements are written in the order of the XSD sequences. The `References` block was removed in XSD
v3.1 (Changelog_XSD.md) and is never written. Formats, from annex 7: dates AAAAMMJJ (G1.09),
timestamps AAAAMMJJHHMMSS (G7.53), amounts with two decimals at most (G1.14), payment amounts six
(G1.16). `parse_f10` reads a file the XSD accepted (the sandbox judges it first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from coursier.kit.clock import PARIS
from coursier.model.reporting import (
    EREPORTING_PROFILE,
    DailyPayments,
    DailyTransactions,
    InvoicePayment,
    InvoiceTaxSubtotal,
    PaymentsReport,
    RateAmount,
    RateTotals,
    ReferencedInvoice,
    Report,
    ReportDocument,
    ReportedInvoice,
    ReportParty,
    TransactionsReport,
)
from coursier.model.values import decimal_text

SENDER_SCHEME = "0238"  # a PA's matricule (A7 G6.22)
SENDER_ROLE = "WK"  # A7 G7.51
DECLARANT_SCHEME = "0002"  # SIREN (A7 G6.26)
VAT_QUALIFIER = "VAT"  # TT-34-0 / TT-38-0 (A7 G2.33)
EUR = "EUR"
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class F10Document:
    filename: str
    xml: bytes


def filename_of(report: Report) -> str:
    return f"F10_{report.document.id.replace('/', '-').replace(' ', '_')}.xml"


def build_f10(report: Report) -> F10Document:
    root = etree.Element("Report")
    _document(root, report.document)
    if report.transactions is not None:
        _transactions(root, report.transactions)
    if report.payments is not None:
        _payments(root, report.payments)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return F10Document(filename_of(report), xml)


# ---- writing ---------------------------------------------------------------------------------------


def _leaf(parent: etree._Element, name: str, value: object, **attributes: str) -> etree._Element | None:
    if value is None:
        return None
    element = etree.SubElement(parent, name, attributes)
    element.text = _text(value)
    return element


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(PARIS).strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def _amount(value: Decimal | None) -> Decimal | None:
    """Two decimals at most (A7 G1.14)."""
    return None if value is None else value.quantize(_CENT)


def _rate(value: Decimal) -> Decimal:
    """A rate as written in the list of G1.24 (20, 5.5): compared by value, written plainly."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _document(root: etree._Element, document: ReportDocument) -> None:
    element = etree.SubElement(root, "ReportDocument")
    _leaf(element, "Id", document.id)
    _leaf(etree.SubElement(element, "IssueDateTime"), "DateTimeString", document.issued_at)
    _leaf(element, "TypeCode", document.type_code.value)
    sender = etree.SubElement(element, "Sender")
    _leaf(sender, "Id", document.sender_id, schemeId=SENDER_SCHEME)
    _leaf(sender, "Name", document.sender_name)
    _leaf(sender, "RoleCode", SENDER_ROLE)
    issuer = etree.SubElement(element, "Issuer")
    _leaf(issuer, "Id", document.declarant_siren, schemeId=DECLARANT_SCHEME)
    _leaf(issuer, "Name", document.declarant_name)
    _leaf(issuer, "RoleCode", document.role.value)


def _period(parent: etree._Element, start: date, end: date) -> None:
    period = etree.SubElement(parent, "ReportPeriod")
    _leaf(period, "StartDate", start)
    _leaf(period, "EndDate", end)


def _transactions(root: etree._Element, body: TransactionsReport) -> None:
    element = etree.SubElement(root, "TransactionsReport")
    _period(element, body.start, body.end)
    for invoice in body.invoices:
        _invoice(element, invoice)
    for day in body.transactions:
        _day(element, day)


def _party(parent: etree._Element, name: str, party: ReportParty) -> None:
    element = etree.SubElement(parent, name)
    _leaf(element, "CompanyId", party.company_id, schemeId=party.scheme)
    _leaf(element, "TaxRegistrationId", party.vat_id, qualifyingId=VAT_QUALIFIER)
    if party.country:
        _leaf(etree.SubElement(element, "PostalAddress"), "CountryId", party.country)


def _invoice(parent: etree._Element, invoice: ReportedInvoice) -> None:
    element = etree.SubElement(parent, "Invoice")
    _leaf(element, "ID", invoice.id)
    _leaf(element, "IssueDate", invoice.issue_date)
    _leaf(element, "TypeCode", invoice.type_code)
    _leaf(element, "CurrencyCode", invoice.currency)
    _leaf(element, "DueDate", invoice.due_date)
    _leaf(element, "TaxDueDateTypeCode", invoice.tax_due_date_type_code)
    process = etree.SubElement(element, "BusinessProcess")
    _leaf(process, "ID", invoice.business_process)
    _leaf(process, "TypeID", EREPORTING_PROFILE)
    for referenced in invoice.referenced:
        reference = etree.SubElement(element, "ReferencedDocument")
        _leaf(reference, "ID", referenced.id)
        _leaf(reference, "IssueDate", referenced.issue_date)
    _party(element, "Seller", invoice.seller)
    _party(element, "Buyer", invoice.buyer)
    if invoice.delivery_date:
        _leaf(etree.SubElement(element, "Delivery"), "Date", invoice.delivery_date)
    if invoice.period_start or invoice.period_end:
        period = etree.SubElement(element, "InvoicePeriod")
        _leaf(period, "StartDate", invoice.period_start)
        _leaf(period, "EndDate", invoice.period_end)
    totals = etree.SubElement(element, "MonetaryTotal")
    _leaf(totals, "TaxExclusiveAmount", _amount(invoice.tax_exclusive_amount))
    _leaf(totals, "TaxAmount", _amount(invoice.tax_amount_eur), CurrencyCode=EUR)
    for subtotal in invoice.subtotals:
        entry = etree.SubElement(element, "TaxSubTotal")
        _leaf(entry, "TaxableAmount", _amount(subtotal.taxable_amount))
        _leaf(entry, "TaxAmount", _amount(subtotal.tax_amount))
        category = etree.SubElement(entry, "TaxCategory")
        _leaf(category, "Code", subtotal.category_code)
        _leaf(category, "Percent", _rate(subtotal.rate))
        _leaf(category, "TaxExemptionReason", subtotal.exemption_reason)
        _leaf(category, "TaxExemptionReasonCode", subtotal.exemption_reason_code)


def _day(parent: etree._Element, day: DailyTransactions) -> None:
    element = etree.SubElement(parent, "Transactions")
    _leaf(element, "Date", day.date)
    _leaf(element, "TransactionsCurrency", day.currency)
    _leaf(element, "TaxDueDateTypeCode", day.tax_due_date_type_code)
    _leaf(element, "CategoryCode", day.category.value)
    _leaf(element, "TaxExclusiveAmount", _amount(day.tax_exclusive_amount))
    _leaf(element, "TaxTotal", _amount(day.tax_total))
    _leaf(element, "TransactionsCount", day.count)
    for subtotal in day.subtotals:
        entry = etree.SubElement(element, "TaxSubtotal")
        _leaf(entry, "TaxPercent", _rate(subtotal.rate))
        _leaf(entry, "TaxableAmount", _amount(subtotal.taxable_amount))
        _leaf(entry, "TaxTotal", _amount(subtotal.tax_amount))


def _payment(parent: etree._Element, day: date, subtotals: list[RateAmount]) -> None:
    payment = etree.SubElement(parent, "Payment")
    _leaf(payment, "Date", day)
    for subtotal in subtotals:
        entry = etree.SubElement(payment, "SubTotals")
        _leaf(entry, "TaxPercent", _rate(subtotal.rate))
        _leaf(entry, "CurrencyCode", EUR)  # collected amounts are in euros (A7 G6.27)
        _leaf(entry, "Amount", subtotal.amount)


def _payments(root: etree._Element, body: PaymentsReport) -> None:
    element = etree.SubElement(root, "PaymentsReport")
    _period(element, body.start, body.end)
    for invoice in body.invoices:
        entry = etree.SubElement(element, "Invoice")
        _leaf(entry, "InvoiceID", invoice.invoice_id)
        _leaf(entry, "IssueDate", invoice.issue_date)
        _payment(entry, invoice.date, invoice.subtotals)
    for day in body.transactions:
        _payment(etree.SubElement(element, "Transactions"), day.date, day.subtotals)


# ---- reading ---------------------------------------------------------------------------------------


def _get(parent: etree._Element, path: str) -> str | None:
    found = parent.find(path)
    return found.text.strip() if found is not None and found.text is not None else None


def _date(value: str | None) -> date | None:
    return None if value is None else datetime.strptime(value, "%Y%m%d").date()


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _read_party(element: etree._Element | None) -> ReportParty:
    company = element.find("CompanyId") if element is not None else None
    return ReportParty(
        company_id=company.text.strip() if company is not None and company.text else "",
        scheme=company.get("schemeId", "") if company is not None else "",
        vat_id=_get(element, "TaxRegistrationId") if element is not None else None,
        country=_get(element, "PostalAddress/CountryId") if element is not None else None,
    )


def _read_invoice(element: etree._Element) -> ReportedInvoice:
    return ReportedInvoice(
        id=_get(element, "ID"),
        issue_date=_date(_get(element, "IssueDate")),
        type_code=_get(element, "TypeCode"),
        currency=_get(element, "CurrencyCode"),
        due_date=_date(_get(element, "DueDate")),
        tax_due_date_type_code=_get(element, "TaxDueDateTypeCode"),
        business_process=_get(element, "BusinessProcess/ID"),
        referenced=[
            ReferencedInvoice(id=_get(entry, "ID"), issue_date=_date(_get(entry, "IssueDate")))
            for entry in element.findall("ReferencedDocument")
        ],
        seller=_read_party(element.find("Seller")),
        buyer=_read_party(element.find("Buyer")),
        delivery_date=_date(_get(element, "Delivery/Date")),
        period_start=_date(_get(element, "InvoicePeriod/StartDate")),
        period_end=_date(_get(element, "InvoicePeriod/EndDate")),
        tax_exclusive_amount=_decimal(_get(element, "MonetaryTotal/TaxExclusiveAmount")),
        tax_amount_eur=_decimal(_get(element, "MonetaryTotal/TaxAmount")),
        subtotals=[
            InvoiceTaxSubtotal(
                taxable_amount=_decimal(_get(entry, "TaxableAmount")),
                tax_amount=_decimal(_get(entry, "TaxAmount")),
                category_code=_get(entry, "TaxCategory/Code") or "",
                rate=_decimal(_get(entry, "TaxCategory/Percent")),
                exemption_reason=_get(entry, "TaxCategory/TaxExemptionReason"),
                exemption_reason_code=_get(entry, "TaxCategory/TaxExemptionReasonCode"),
            )
            for entry in element.findall("TaxSubTotal")
        ],
    )


def _read_day(element: etree._Element) -> DailyTransactions:
    count = _get(element, "TransactionsCount")
    return DailyTransactions(
        date=_date(_get(element, "Date")),
        currency=_get(element, "TransactionsCurrency"),
        tax_due_date_type_code=_get(element, "TaxDueDateTypeCode"),
        category=_get(element, "CategoryCode"),
        tax_exclusive_amount=_decimal(_get(element, "TaxExclusiveAmount")),
        tax_total=_decimal(_get(element, "TaxTotal")),
        count=None if count is None else int(count),
        subtotals=[
            RateTotals(
                rate=_decimal(_get(entry, "TaxPercent")),
                taxable_amount=_decimal(_get(entry, "TaxableAmount")),
                tax_amount=_decimal(_get(entry, "TaxTotal")),
            )
            for entry in element.findall("TaxSubtotal")
        ],
    )


def _read_subtotals(payment: etree._Element) -> list[RateAmount]:
    return [
        RateAmount(rate=_decimal(_get(entry, "TaxPercent")), amount=_decimal(_get(entry, "Amount")))
        for entry in payment.findall("SubTotals")
    ]


def parse_f10(tree: etree._ElementTree) -> Report:
    """The report of an F10 tree that its XSD accepts (the hardened reader parsed it)."""
    root = tree.getroot()
    document = root.find("ReportDocument")
    issued = datetime.strptime(_get(document, "IssueDateTime/DateTimeString"), "%Y%m%d%H%M%S")
    header = ReportDocument(
        id=_get(document, "Id"),
        issued_at=issued.replace(tzinfo=PARIS),
        type_code=_get(document, "TypeCode"),
        sender_id=_get(document, "Sender/Id"),
        sender_name=_get(document, "Sender/Name"),
        declarant_siren=_get(document, "Issuer/Id"),
        declarant_name=_get(document, "Issuer/Name"),
        role=_get(document, "Issuer/RoleCode"),
    )
    transactions = root.find("TransactionsReport")
    payments = root.find("PaymentsReport")
    return Report(
        document=header,
        transactions=None
        if transactions is None
        else TransactionsReport(
            start=_date(_get(transactions, "ReportPeriod/StartDate")),
            end=_date(_get(transactions, "ReportPeriod/EndDate")),
            invoices=[_read_invoice(entry) for entry in transactions.findall("Invoice")],
            transactions=[_read_day(entry) for entry in transactions.findall("Transactions")],
        ),
        payments=None
        if payments is None
        else PaymentsReport(
            start=_date(_get(payments, "ReportPeriod/StartDate")),
            end=_date(_get(payments, "ReportPeriod/EndDate")),
            invoices=[
                InvoicePayment(
                    invoice_id=_get(entry, "InvoiceID"),
                    issue_date=_date(_get(entry, "IssueDate")),
                    date=_date(_get(entry, "Payment/Date")),
                    subtotals=_read_subtotals(entry.find("Payment")),
                )
                for entry in payments.findall("Invoice")
            ],
            transactions=[
                DailyPayments(date=_date(_get(entry, "Payment/Date")), subtotals=_read_subtotals(entry.find("Payment")))
                for entry in payments.findall("Transactions")
            ],
        ),
    )
