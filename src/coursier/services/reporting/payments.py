"""Payments received (10.2 per international invoice, 10.4 per day of B2C operations), per VAT
rate, in euros (A7 G6.27). Payment data is due only for services, not under reverse charge nor
with the option for VAT on debits (DG §3.7.4 note 119, §3.7.6); the rest is refused, saying why.
The collection date decides the period (DG §3.7.7 note 125). Sending the same invoice and date, or
the same day, again replaces it.

`record_payment` is the one way in: the API's `POST /api/reporting/payments`, and the status 212
"Encaissée" of an invoice reported in 10.1 (the lifecycle work calls it with the amounts per rate
its 212 carries).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coursier.db.invoices import InvoiceRepository
from coursier.db.reporting import ReportingItemRepository, ReportingPeriodRepository
from coursier.kit.errors import Unprocessable
from coursier.kit.tenancy import TenantContext
from coursier.model.reporting import (
    Category,
    DailyPayments,
    DataKind,
    DeclarantRole,
    InvoicePayment,
    RateAmount,
    ReportedInvoice,
    payment_data_due,
)
from coursier.services.reporting.aggregation import DAY_PAYMENT, INVOICE, INVOICE_PAYMENT
from coursier.services.reporting.checks import cents, check_amounts, check_date, check_rates
from coursier.services.reporting.declarants import declarant
from coursier.services.reporting.invoices import category_of_frame
from coursier.services.reporting.items import Recorded, record_item

REVERSE_CHARGE = "AE"


@dataclass(frozen=True)
class Collected:
    rate: Decimal
    amount: Decimal  # in euros, VAT included


def _not_due(reason: str) -> Unprocessable:
    return Unprocessable(f"No payment data is due: {reason} (DG §3.7.6)", code="payment_data_not_due")


def record_payment(
    session: Session,
    ctx: TenantContext,
    *,
    day: date,
    amounts: list[Collected],
    invoice_id: str | None = None,
    category: Category | None = None,
    siren: str | None = None,
) -> Recorded:
    """What the client collected on `day`: on one of its e-reported invoices (`invoice_id`, 10.2),
    or on its B2C operations of `category` (10.4)."""
    check_date(day, "payment")
    check_rates(entry.rate for entry in amounts)
    check_amounts([entry.amount for entry in amounts], negative_allowed=False)
    subtotals = [RateAmount(rate=entry.rate, amount=cents(entry.amount)) for entry in amounts]
    if invoice_id is not None:
        return _invoice_payment(session, ctx, invoice_id, day, subtotals)
    if category is None:
        raise Unprocessable(
            "Say what was paid: the invoice_id of an e-reported invoice, or the category of the B2C operations",
            code="payment_subject_missing",
        )
    if category is not Category.SERVICES:
        raise _not_due(f"the operations of category {category.value} are not services subject to VAT")
    reporter = declarant(session, ctx, siren)
    if not payment_data_due(category, reverse_charge=False, vat_on_debits=reporter.vat_on_debits):
        raise _not_due("the client opted for VAT on debits")
    return record_item(
        session,
        ctx,
        reporter,
        role=DeclarantRole.SELLER,
        kind=DataKind.PAYMENTS,
        item_type=DAY_PAYMENT,
        key=f"daypay|{day.isoformat()}",
        day=day,
        content=DailyPayments(date=day, subtotals=subtotals).model_dump(mode="json"),
    )


def _invoice_payment(
    session: Session, ctx: TenantContext, invoice_id: str, day: date, subtotals: list[RateAmount]
) -> Recorded:
    invoice = InvoiceRepository(session).get_or_404(ctx, invoice_id)
    entries = [item for item in ReportingItemRepository(session).of_invoice(invoice.id) if item.item_type == INVOICE]
    if not entries:
        raise Unprocessable(
            f"Invoice {invoice_id} is not e-reported: the payment of a domestic invoice is its status 212 "
            "(Encaissée), and a B2C invoice's goes with the day's payments",
            code="invoice_not_reported",
        )
    period = ReportingPeriodRepository(session).get(ctx, entries[0].period_id)
    if period.role != DeclarantRole.SELLER.value:
        raise _not_due("payment data is the seller's, and the client bought this invoice")
    reported = ReportedInvoice.model_validate(entries[0].content)
    category = category_of_frame(reported.business_process)
    if category is not Category.SERVICES:
        raise _not_due(f"invoice {reported.id} is for goods (billing frame {reported.business_process})")
    reporter = declarant(session, ctx, period.siren)
    reverse_charge = all(subtotal.category_code == REVERSE_CHARGE for subtotal in reported.subtotals)
    if not payment_data_due(category, reverse_charge=reverse_charge, vat_on_debits=reporter.vat_on_debits):
        raise _not_due(
            "the buyer accounts for the VAT (reverse charge)"
            if reverse_charge
            else "the client opted for VAT on debits"
        )
    return record_item(
        session,
        ctx,
        reporter,
        role=DeclarantRole.SELLER,
        kind=DataKind.PAYMENTS,
        item_type=INVOICE_PAYMENT,
        key=f"pay|{invoice.id}|{day.isoformat()}",
        day=day,
        content=InvoicePayment(
            invoice_id=reported.id, issue_date=reported.issue_date, date=day, subtotals=subtotals
        ).model_dump(mode="json"),
        invoice_id=invoice.id,
    )
