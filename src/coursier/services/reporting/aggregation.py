"""The items of a period as the body of its report: pure functions, no database.

Transactions (TB-2): each international invoice as it is (10.1), and the B2C data summed per day,
currency, category and VAT-payment option (10.3: "un jour d'activité, une devise et un type de
transaction", DG §3.7.5), a day's totals sent by the client and its B2C invoices of that day
together, each rate summed. Payments (TB-3): each collection on an invoice (10.2), and each day's
collections on B2C operations (10.4), summed per rate.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from coursier.model.reporting import (
    DailyPayments,
    DailyTransactions,
    InvoicePayment,
    PaymentsReport,
    RateAmount,
    RateTotals,
    ReportedInvoice,
    TransactionsReport,
)
from coursier.model.values import to_decimal

# ReportingItem.item_type: which block an item feeds.
INVOICE = "invoice"  # 10.1
B2C_DAY = "b2c_day"  # 10.3, totals the client sends
B2C_INVOICE = "b2c_invoice"  # 10.3, an invoice to a private person
INVOICE_PAYMENT = "invoice_payment"  # 10.2
DAY_PAYMENT = "day_payment"  # 10.4
TRANSACTION_TYPES = (INVOICE, B2C_DAY, B2C_INVOICE)
PAYMENT_TYPES = (INVOICE_PAYMENT, DAY_PAYMENT)

Item = tuple[str, dict]  # (item type, content as stored)


def transactions_body(start: date, end: date, items: Iterable[Item]) -> TransactionsReport:
    invoices, days = [], []
    for item_type, content in items:
        if item_type == INVOICE:
            invoices.append(ReportedInvoice.model_validate(content))
        elif item_type in (B2C_DAY, B2C_INVOICE):
            days.append(DailyTransactions.model_validate(content))
    invoices.sort(key=lambda invoice: (invoice.issue_date, invoice.id))
    return TransactionsReport(start=start, end=end, invoices=invoices, transactions=sum_days(days))


def sum_days(days: Iterable[DailyTransactions]) -> list[DailyTransactions]:
    """One entry per day × currency × category × VAT-payment option, each rate summed."""
    groups: dict[tuple, list[DailyTransactions]] = defaultdict(list)
    for day in days:
        groups[(day.date, day.currency, day.category, day.tax_due_date_type_code or "")].append(day)
    summed = []
    for (day, currency, category, due_code), entries in sorted(groups.items()):
        rates: dict[Decimal, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for entry in entries:
            for subtotal in entry.subtotals:
                rates[subtotal.rate.normalize()][0] += subtotal.taxable_amount
                rates[subtotal.rate.normalize()][1] += subtotal.tax_amount
        counts = [entry.count for entry in entries]
        summed.append(
            DailyTransactions(
                date=day,
                currency=currency,
                tax_due_date_type_code=due_code or None,
                category=category,
                tax_exclusive_amount=sum(entry.tax_exclusive_amount for entry in entries),
                tax_total=sum(entry.tax_total for entry in entries),
                count=None if None in counts else sum(counts),
                subtotals=[
                    RateTotals(rate=rate, taxable_amount=taxable, tax_amount=tax)
                    for rate, (taxable, tax) in sorted(rates.items())
                ],
            )
        )
    return summed


def payments_body(start: date, end: date, items: Iterable[Item]) -> PaymentsReport:
    invoices, days = [], []
    for item_type, content in items:
        if item_type == INVOICE_PAYMENT:
            invoices.append(InvoicePayment.model_validate(content))
        elif item_type == DAY_PAYMENT:
            days.append(DailyPayments.model_validate(content))
    invoices.sort(key=lambda payment: (payment.date, payment.invoice_id))
    by_day: dict[date, dict[Decimal, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for day in days:
        for subtotal in day.subtotals:
            by_day[day.date][subtotal.rate.normalize()] += subtotal.amount
    return PaymentsReport(
        start=start,
        end=end,
        invoices=invoices,
        transactions=[
            DailyPayments(
                date=day, subtotals=[RateAmount(rate=rate, amount=amount) for rate, amount in sorted(rates.items())]
            )
            for day, rates in sorted(by_day.items())
        ],
    )


def is_empty(body: TransactionsReport | PaymentsReport) -> bool:
    return not body.invoices and not body.transactions


def digest(body: TransactionsReport | PaymentsReport) -> str:
    """What the body says, whatever the spelling of its numbers (20 and 20.00 are one rate)."""

    def canonical(value):
        if isinstance(value, dict):
            return {key: canonical(item) for key, item in value.items()}
        if isinstance(value, list):
            return [canonical(item) for item in value]
        if isinstance(value, Decimal):
            return format(to_decimal(value).normalize(), "f")
        return value

    plain = canonical(body.model_dump(mode="python"))
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()
