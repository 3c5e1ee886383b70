"""Sample e-reporting reports (flow 10), for the format, validation and sandbox tests."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

from coursier.model.reporting import (
    DailyPayments,
    DailyTransactions,
    InvoicePayment,
    InvoiceTaxSubtotal,
    PaymentsReport,
    RateAmount,
    RateTotals,
    Report,
    ReportDocument,
    ReportedInvoice,
    ReportParty,
    TransactionsReport,
)

DECLARANT = "732829320"


def document(*, id: str = "0042-732829320-TSE20261001-1", type_code: str = "IN", role: str = "SE", **changes):
    values = {
        "id": id,
        "issued_at": datetime(2026, 11, 11, 1, 0, tzinfo=UTC),
        "type_code": type_code,
        "sender_id": "0042",
        "sender_name": "Coursier",
        "declarant_siren": DECLARANT,
        "declarant_name": "Atelier Martin",
        "role": role,
    }
    return ReportDocument(**values | changes)


def international_invoice(number: str = "F2026-0001", issued: date = date(2026, 10, 3)) -> ReportedInvoice:
    return ReportedInvoice(
        id=number,
        issue_date=issued,
        type_code="380",
        currency="EUR",
        business_process="S1",
        seller=ReportParty(company_id=DECLARANT, scheme="0002", vat_id="FR44732829320", country="FR"),
        buyer=ReportParty(company_id="DE123456789", scheme="0223", vat_id="DE123456789", country="DE"),
        tax_exclusive_amount=D("1000"),
        tax_amount_eur=D("0"),
        subtotals=[InvoiceTaxSubtotal(taxable_amount=D("1000"), tax_amount=D("0"), category_code="AE", rate=D("0"))],
    )


def b2c_day(day: date = date(2026, 10, 4), category: str = "TLB1") -> DailyTransactions:
    return DailyTransactions(
        date=day,
        currency="EUR",
        category=category,
        tax_exclusive_amount=D("150.50"),
        tax_total=D("25.10"),
        count=3,
        subtotals=[
            RateTotals(rate=D("20"), taxable_amount=D("100"), tax_amount=D("20")),
            RateTotals(rate=D("5.5"), taxable_amount=D("50.50"), tax_amount=D("5.10")),
        ],
    )


def transactions_report(start=date(2026, 10, 1), end=date(2026, 10, 10), *, invoices=None, days=None, **header):
    return Report(
        document=document(**header),
        transactions=TransactionsReport(
            start=start,
            end=end,
            invoices=[international_invoice()] if invoices is None else invoices,
            transactions=[b2c_day()] if days is None else days,
        ),
    )


def payments_report(start=date(2026, 10, 1), end=date(2026, 10, 31), **header):
    return Report(
        document=document(**({"id": "0042-732829320-PSE20261001-1"} | header)),
        payments=PaymentsReport(
            start=start,
            end=end,
            invoices=[
                InvoicePayment(
                    invoice_id="F2026-0001",
                    issue_date=date(2026, 10, 3),
                    date=date(2026, 10, 20),
                    subtotals=[RateAmount(rate=D("20"), amount=D("120.00"))],
                )
            ],
            transactions=[
                DailyPayments(date=date(2026, 10, 5), subtotals=[RateAmount(rate=D("20"), amount=D("12.5"))])
            ],
        ),
    )
