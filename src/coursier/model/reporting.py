"""E-reporting (flow 10): what a declarant reports, on which calendar, and the content of a report.

Sources, in the DGFiP texts of `shared/reference/dgfip/`: the dossier général v3.2 §3.7 (DG), its
table 13 for the calendar (§3.7.7), annex 6 v1.10 for the meaning of each TT-/TG- term (A6), annex 7
v1.9 for the rules (A7, G-/S-/P- ids), and the e-reporting XSDs v3.2 for the structure. Pure types
and functions: the F10 XML is `coursier.formats.ppf.f10`, its checks `coursier.validation.f10`.

Two kinds of data, sent in separate reports (A7 G6.29): transactions (10.1 international B2B
invoices, 10.3 daily B2C totals) and payments (10.2 per invoice, 10.4 per day). Each report is for
one declarant (a SIREN) in one role, seller or buyer (DG §3.7.7 and its note 123), and one period
of its VAT regime's calendar.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from coursier.model.values import Amount, Percentage


class Category(StrEnum):
    """Transaction categories (TT-81), A7 G1.68."""

    GOODS = "TLB1"  # deliveries of goods subject to VAT
    SERVICES = "TPS1"  # services subject to VAT
    NOT_SUBJECT = "TNT1"  # not subject to VAT in France (incl. intra-EU distance sales, art. 258 A, 259 B CGI)
    MARGIN = "TMA1"  # margin schemes: amounts are the margin excluding VAT (A7 G1.57)


class VatRegime(StrEnum):
    """The declarant's VAT regime: it decides its periods and deadlines (DG §3.7.7, table 13)."""

    NORMAL_MONTHLY = "normal_monthly"  # réel normal mensuel
    NORMAL_QUARTERLY = "normal_quarterly"  # réel normal trimestriel
    SIMPLIFIED = "simplified"  # réel simplifié d'imposition
    FRANCHISE = "franchise"  # franchise en base de TVA


class DataKind(StrEnum):
    TRANSACTIONS = "transactions"  # TB-2: blocks 10.1 and 10.3
    PAYMENTS = "payments"  # TB-3: blocks 10.2 and 10.4


class DeclarantRole(StrEnum):
    """TT-15, A7 G7.52 (UNCL 3035): the declarant is the party subject to French VAT (DG note 123)."""

    SELLER = "SE"  # B2Bi, Bi2Bi, B2C
    BUYER = "BY"  # Bi2B


class ReportType(StrEnum):
    """TT-4, A7 G8.01."""

    INITIAL = "IN"
    # Cancels and replaces all the data previously sent for the period, per data type and
    # declarant role (DG §3.7.7 and its note 127).
    CORRECTIVE = "RE"


# VAT rates accepted in F10 (A7 G1.24), compared by value (20 = 20.0 = 20.00).
ACCEPTED_VAT_RATES: frozenset[Decimal] = frozenset(
    Decimal(rate) for rate in "0 0.9 1.05 1.75 2.1 5.5 7 8.5 9.2 9.6 10 13 19.6 20 20.6".split()
)

# Profile identifier of an e-reported invoice (TT-29), A7 S1.12.
EREPORTING_PROFILE = "urn.cpro.gouv.fr:1p0:ereporting"

# TT-24 / TT-80 where the declarant opted for VAT on debits: code 5 (A7 G1.44, G1.67; list P1.11).
VAT_ON_DEBITS_CODE = "5"

# The EU member states (ISO 3166 alpha-2): a counterparty there is identified by its VAT number
# (scheme 0223), elsewhere by its country and name (scheme 0227), A7 G2.19.
EU_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())

# Party identifier schemes of F10 (TT-33-1, TT-37), A7 G2.19.
SCHEME_SIREN = "0002"
SCHEME_EU_VAT = "0223"  # UE_HORS_FRANCE: the intra-EU VAT number, 18 characters at most
SCHEME_OUTSIDE_EU = "0227"  # HORS_UE: the country code and the first 16 characters of the name
PARTY_ID_MAX = 18


def accepted_rate(rate: Decimal) -> bool:
    return rate in ACCEPTED_VAT_RATES


def payment_data_due(category: Category, *, reverse_charge: bool, vat_on_debits: bool) -> bool:
    """Payment data is due for services only, not under reverse charge nor with the option for VAT
    on debits (DG §3.7.4 note 119, §3.7.6)."""
    return category is Category.SERVICES and not reverse_charge and not vat_on_debits


# ---- the calendar (DG §3.7.7, table 13) --------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month(day: date) -> Period:
    return Period(day.replace(day=1), _month_end(day.year, day.month))


def period_of(regime: VatRegime, kind: DataKind, day: date) -> Period:
    """The transmission period `day` belongs to: the operation date for transactions, the
    collection date for payments (DG §3.7.7 note 125)."""
    if regime is VatRegime.NORMAL_MONTHLY and kind is DataKind.TRANSACTIONS:
        # Décades: 1st–10th, 11th–20th, 21st–end of month.
        if day.day <= 10:
            return Period(day.replace(day=1), day.replace(day=10))
        if day.day <= 20:
            return Period(day.replace(day=11), day.replace(day=20))
        return Period(day.replace(day=21), _month_end(day.year, day.month))
    if regime is VatRegime.FRANCHISE:
        # Calendar two-month periods from 1 January, March, May, July, September, November (note 126).
        first = day.replace(month=day.month - (day.month - 1) % 2, day=1)
        second = _add_months(first, 1)
        return Period(first, _month_end(second.year, second.month))
    return _month(day)


def deadline(regime: VatRegime, kind: DataKind, period: Period) -> date:
    """The last day the period's data must reach the platform (table 13, "date limite de
    transmission des données de la période à la plateforme agréée")."""
    following = _add_months(period.end, 1)
    if regime in (VatRegime.SIMPLIFIED, VatRegime.FRANCHISE):
        return _month_end(following.year, following.month)  # the last day of the following month
    if regime is VatRegime.NORMAL_MONTHLY and kind is DataKind.TRANSACTIONS:
        if period.end.day == 10:
            return period.end.replace(day=20)
        if period.end.day == 20:
            return _month_end(period.end.year, period.end.month)
    return following.replace(day=10)  # the 10th of the following month


def transmission_window(regime: VatRegime, kind: DataKind, period: Period, zone) -> tuple[datetime, datetime]:
    """When the platform sends the period's report to the PPF: from the end of the deadline day to
    08:00 the next day, French time (table 13, and "dans un délai de 8h à l'issue du dernier jour
    du délai de dépôt", DG §3.7.7)."""
    opens = datetime.combine(deadline(regime, kind, period) + timedelta(days=1), time(0), tzinfo=zone)
    return opens, opens.replace(hour=8)


# ---- the content of a report (XSD e-reporting v3.2; A6 for each term) -----------------------------


class ReportParty(BaseModel):
    """Seller (TG-12) or buyer (TG-14) of an international invoice."""

    company_id: str  # TT-33 / TT-36
    scheme: str  # TT-33-1 / TT-37, A7 G2.19
    vat_id: str | None = None  # TT-34 / TT-38 (qualified VAT, G2.33)
    country: str | None = None  # TT-35 / TT-39


class InvoiceTaxSubtotal(BaseModel):
    """TG-23: one VAT category and rate of an invoice."""

    taxable_amount: Amount  # TT-54
    tax_amount: Amount  # TT-55
    category_code: str  # TT-56 (UNTDID 5305, A7 G2.31)
    rate: Percentage  # TT-57
    exemption_reason: str | None = None  # TT-58
    exemption_reason_code: str | None = None  # TT-59


class ReferencedInvoice(BaseModel):
    """TG-11: the invoice a credit note or a corrective invoice refers to (A7 G1.32)."""

    id: str  # TT-30
    issue_date: date | None = None  # TT-31


class ReportedInvoice(BaseModel):
    """10.1 (TG-8): one international B2B invoice (DG §3.7.3)."""

    id: str  # TT-19
    issue_date: date  # TT-20
    type_code: str  # TT-21 (A7 G1.01)
    currency: str  # TT-22
    due_date: date | None = None  # TT-201
    tax_due_date_type_code: str | None = None  # TT-24
    business_process: str  # TT-28: the billing frame B1, S1, M1… (A7 G1.02)
    referenced: list[ReferencedInvoice] = Field(default_factory=list)
    seller: ReportParty
    buyer: ReportParty  # mandatory in F10 (A7 G6.28)
    delivery_date: date | None = None  # TT-41
    period_start: date | None = None  # TT-42
    period_end: date | None = None  # TT-43
    tax_exclusive_amount: Amount | None = None  # TT-51, in the invoice's currency
    tax_amount_eur: Amount  # TT-52, in euros (A7 G6.23)
    subtotals: list[InvoiceTaxSubtotal]  # TG-23, 1..n


class RateTotals(BaseModel):
    """TG-32: one VAT rate of a day's transactions."""

    rate: Percentage  # TT-86
    taxable_amount: Amount  # TT-87
    tax_amount: Amount  # TT-88


class DailyTransactions(BaseModel):
    """10.3 (TG-31): one day × currency × category of B2C transactions (DG §3.7.5)."""

    date: date  # TT-77
    currency: str  # TT-78
    tax_due_date_type_code: str | None = None  # TT-80
    category: Category  # TT-81
    tax_exclusive_amount: Amount  # TT-82
    tax_total: Amount  # TT-83
    count: int | None = None  # TT-85, optional since XSD v3.1
    subtotals: list[RateTotals]  # TG-32, 1..n


class RateAmount(BaseModel):
    """TG-36 / TG-39: the amount collected at one VAT rate, in euros (A7 G6.27)."""

    rate: Percentage  # TT-93 / TT-97
    amount: Amount  # TT-95 / TT-99


class InvoicePayment(BaseModel):
    """10.2 (TG-34): one collection on an international invoice (DG §3.7.4)."""

    invoice_id: str  # TT-91
    issue_date: date  # TT-102
    date: date  # TT-92
    subtotals: list[RateAmount]


class DailyPayments(BaseModel):
    """10.4 (TG-37): what was collected in one day on B2C transactions (DG §3.7.6)."""

    date: date  # TT-96
    subtotals: list[RateAmount]


class TransactionsReport(BaseModel):
    """TB-2."""

    start: date  # TT-17
    end: date  # TT-18
    invoices: list[ReportedInvoice] = Field(default_factory=list)
    transactions: list[DailyTransactions] = Field(default_factory=list)


class PaymentsReport(BaseModel):
    """TB-3."""

    start: date  # TT-89
    end: date  # TT-90
    invoices: list[InvoicePayment] = Field(default_factory=list)
    transactions: list[DailyPayments] = Field(default_factory=list)


class ReportDocument(BaseModel):
    """TB-1 / TG-1..TG-6: the transmission, who sends it (the platform) and who declares."""

    id: str  # TT-1: unique per period and declarant (A7 G8.05); 50 characters (G1.104)
    issued_at: datetime  # TT-3
    type_code: ReportType  # TT-4
    sender_id: str  # TT-8: the platform's matricule, scheme 0238 (A7 G6.22), role WK (G7.51)
    sender_name: str  # TT-9
    declarant_siren: str  # TT-13, scheme 0002 (A7 G6.26)
    declarant_name: str  # TT-14
    role: DeclarantRole  # TT-15


class Report(BaseModel):
    """TB-0: a transmission carries transactions or payments, never both (A7 G6.29)."""

    document: ReportDocument
    transactions: TransactionsReport | None = None
    payments: PaymentsReport | None = None

    @property
    def kind(self) -> DataKind:
        return DataKind.TRANSACTIONS if self.transactions is not None else DataKind.PAYMENTS

    @property
    def period(self) -> Period:
        body = self.transactions or self.payments
        return Period(body.start, body.end)
