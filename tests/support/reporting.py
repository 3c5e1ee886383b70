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


# ---- international invoices in the draft model, for the API ---------------------------------------

FOREIGN = {
    "DE": {
        "name": "Kunde Handels GmbH",
        "vat_identifier": "DE123456789",
        "city_name": "Berlin",
        "postal_zone": "10115",
    },
    "US": {"name": "Client Trading Inc", "vat_identifier": None, "city_name": "Boston", "postal_zone": "02108"},
}


def _french_party(siren: str, name: str = "Atelier Martin SAS") -> dict:
    from support.factories import vat_number

    return {
        "name": name,
        "legal_registration_identifier": {"value": siren, "scheme_id": "0002"},
        "vat_identifier": vat_number(siren),
        "electronic_address": {"value": siren, "scheme_id": "0225"},
        "postal_address": {
            "street_name": "12 rue de la République",
            "city_name": "Lyon",
            "postal_zone": "69002",
            "country_code": "FR",
        },
    }


def _foreign_party(country: str) -> dict:
    known = FOREIGN[country]
    party = {
        "name": known["name"],
        "postal_address": {
            "street_name": "1 Main Street",
            "city_name": known["city_name"],
            "postal_zone": known["postal_zone"],
            "country_code": country,
        },
    }
    if known["vat_identifier"]:
        party["vat_identifier"] = known["vat_identifier"]
        party["electronic_address"] = {"value": known["vat_identifier"], "scheme_id": "9930"}
    else:  # no VAT number: its registration (BT-30) and tax registration (BT-32) identify it
        party["electronic_address"] = {"value": "billing@client.example", "scheme_id": "EM"}
        party["legal_registration_identifier"] = {"value": "US1234567"}
        party["tax_registration_identifier"] = "EIN 12-3456789"
    return party


def invoice_data(
    siren: str,
    number: str,
    issued: date,
    *,
    country: str = "DE",
    incoming: bool = False,
    frame: str = "S1",
    lines: tuple[tuple[str, str], ...] = (("1000.00", "20"),),
    vat_category: str = "S",
) -> dict:
    """An invoice between the client (`siren`, in France) and a company of `country`, in the draft
    model: sold by the client, or bought by it (`incoming`); one line per (net amount, VAT rate);
    `vat_category` AE: reverse charge, the buyer accounts for the VAT."""
    from coursier.model import Invoice, calc

    ours, theirs = _french_party(siren), _foreign_party(country)
    data = {
        "number": number,
        "issue_date": issued.isoformat(),
        "type_code": "380",
        "currency_code": "EUR",
        "business_process_type": frame,
        "specification_identifier": "urn:cen.eu:en16931:2017",
        "buyer_reference": "PO-1",
        "seller": theirs if incoming else ours,
        "buyer": ours if incoming else theirs,
        "payment_instructions": {
            "type_code": "58",
            "credit_transfers": [{"account_identifier": "FR7630006000011234567890189"}],
        },
        "lines": [
            {
                "identifier": str(index),
                "quantity": "1",
                "unit_code": "C62",
                "price_details": {"net_price": amount},
                "vat": {"category_code": vat_category, "rate": rate},
                "item": {"name": f"Service {index}"},
            }
            for index, (amount, rate) in enumerate(lines, start=1)
        ],
    }
    invoice = calc.complete(Invoice.model_validate(data))
    for entry in invoice.vat_breakdown:
        if entry.category_code == "AE":  # BR-AE-10: the reason of a reverse charge
            entry.exemption_reason, entry.exemption_reason_code = "Autoliquidation", "VATEX-EU-AE"
    return invoice.model_dump(mode="json", exclude_none=True)
