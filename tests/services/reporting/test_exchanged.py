"""Invoices exchanged through this platform feed 10.1 by themselves when their counterparty is abroad;
one that cannot be described in F10 is said so on its timeline rather than lost silently."""

from datetime import timedelta

from coursier.db.base import new_id
from coursier.db.invoice_statuses import ISSUER_PLATFORM
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.services.reporting.invoices import report_exchanged_invoice
from coursier.validation.f10 import check_f10
from support.reporting import invoice_data

from .conftest import SIREN_A


def exchanged(session, tenant, model: dict, direction: str = OUTBOUND) -> Invoice:
    invoice = Invoice(
        id=new_id("inv"),
        sponsor_id=tenant.sponsor_id,
        client_id=tenant.client_id,
        direction=direction,
        status_code=InvoiceStatus.TRANSMITTED_BY_PLATFORM if direction == OUTBOUND else InvoiceStatus.MADE_AVAILABLE,
        model=model,
        seller_siren=SIREN_A if direction == OUTBOUND else None,
        buyer_siren=SIREN_A if direction == INBOUND else None,
    )
    session.add(invoice)
    session.flush()
    report_exchanged_invoice(session, TenantContext(tenant.sponsor_id, client_id=tenant.client_id), invoice)
    session.commit()
    return invoice


def timeline(api, tenant, invoice):
    params = {"object_type": "invoice", "object_id": invoice.id}
    return [
        (e["status_code"], e["rejection_reason"])
        for e in api.get("/api/lifecycle-events", headers=tenant.headers, params=params).json()
    ]


def test_only_invoices_with_a_counterparty_abroad_are_reported(api, session, declarant_a, month):
    sale = exchanged(session, declarant_a, invoice_data(SIREN_A, "X-DE", month))
    assert timeline(api, declarant_a, sale) == [("TransactionDataStatus.RECORDED", None)]
    bought = exchanged(session, declarant_a, invoice_data(SIREN_A, "X-US", month, country="US", incoming=True), INBOUND)
    assert timeline(api, declarant_a, bought) == [("TransactionDataStatus.RECORDED", None)]
    domestic = invoice_data(SIREN_A, "X-FR", month)
    domestic["buyer"]["postal_address"]["country_code"] = "FR"
    assert timeline(api, declarant_a, exchanged(session, declarant_a, domestic)) == []
    roles = {
        (p["declarant_role"], p["start"]) for p in api.get("/api/reporting/periods", headers=declarant_a.headers).json()
    }
    assert roles == {("seller", month.isoformat()), ("buyer", month.isoformat())}


def test_an_invoice_abroad_that_f10_cannot_carry_is_said_so(api, session, declarant_a, month):
    model = invoice_data(SIREN_A, "X-NOFRAME", month + timedelta(days=1))
    del model["business_process_type"]
    invoice = exchanged(session, declarant_a, model)
    [(status, reason)] = timeline(api, declarant_a, invoice)
    assert (status, reason) == ("TransactionDataStatus.NOT_REPORTED", "invoice_incomplete")
    assert api.get("/api/reporting/periods", headers=declarant_a.headers).json() == []


def payments_of(api, tenant) -> list[dict]:
    """The payment entries the seller's next reports will carry (10.2), every payments period."""
    entries = []
    for period in api.get("/api/reporting/periods", headers=tenant.headers).json():
        if period["kind"] == "payments":
            preview = api.get(f"/api/reporting/periods/{period['id']}/preview", headers=tenant.headers).json()
            entries += preview["report"]["payments"]["invoices"]
    return entries


def accepted(session, tenant, invoice: Invoice) -> Invoice:
    """`invoice` with the platform's 200 and 201 in its history, as the deposit and routing leave it."""
    from coursier.services.invoicing.statuses import Author, change_status

    ctx = TenantContext(tenant.sponsor_id, client_id=tenant.client_id)
    for status in (InvoiceStatus.DEPOSITED, InvoiceStatus.TRANSMITTED_BY_PLATFORM):
        change_status(session, ctx, invoice, status, by=Author(ISSUER_PLATFORM, "0042"))
    session.commit()
    return invoice


def collector(api, tenant, invoice: Invoice):
    """Records a 212 on `invoice` from a payment (negative: a refund) through the API."""

    def collect(amount: str, day, payment_id: str) -> None:
        payment = {"amount": amount, "date": day.isoformat(), "payment_id": payment_id}
        r = api.post(
            f"/api/invoicing/invoices/{invoice.id}/statuses",
            headers=tenant.headers,
            json={"status": 212, "payment": payment},
        )
        assert r.status_code in (200, 201), r.text  # 200: the same payment_id again

    return collect


def test_the_212s_of_an_invoice_abroad_are_its_payment_data(api, session, declarant_a, month):
    # Services, 1000 + 20 %.
    sale = accepted(session, declarant_a, exchanged(session, declarant_a, invoice_data(SIREN_A, "X-PAID", month)))
    collect = collector(api, declarant_a, sale)

    first, second = month + timedelta(days=3), month + timedelta(days=9)
    collect("500.00", first, "p-1")
    collect("100.00", first, "p-2")  # the same day: one entry, the day's sum
    collect("600.00", second, "p-3")
    collect("600.00", second, "p-3")  # repeated: counted once
    paid = {
        (entry["date"], tuple((s["rate"], s["amount"]) for s in entry["subtotals"]))
        for entry in payments_of(api, declarant_a)
    }
    assert paid == {(first.isoformat(), (("20", "600.00"),)), (second.isoformat(), (("20", "600.00"),))}


def test_a_domestic_invoices_212_is_no_payment_data(api, session, declarant_a, month):
    domestic = invoice_data(SIREN_A, "X-FR-PAID", month)
    domestic["buyer"]["postal_address"]["country_code"] = "FR"
    sale = accepted(session, declarant_a, exchanged(session, declarant_a, domestic))
    r = api.post(
        f"/api/invoicing/invoices/{sale.id}/statuses",
        headers=declarant_a.headers,
        json={"status": 212, "payment": {"amount": "1200.00", "date": month.isoformat()}},
    )
    assert r.status_code == 201, r.text
    assert payments_of(api, declarant_a) == []


def test_a_refund_replaces_its_days_payment_data_and_a_later_ones_is_not_sent_negative(
    api, session, declarant_a, month
):
    sale = accepted(session, declarant_a, exchanged(session, declarant_a, invoice_data(SIREN_A, "X-REFUND", month)))
    collect = collector(api, declarant_a, sale)

    def paid():
        return {
            entry["date"]: tuple((s["rate"], s["amount"]) for s in entry["subtotals"])
            for entry in payments_of(api, declarant_a)
        }

    first, second, third = (month + timedelta(days=days) for days in (2, 5, 8))
    collect("300.00", first, "p-1")
    collect("-300.00", first, "r-1")  # paid back the same day: the day collected nothing in the end
    assert paid() == {first.isoformat(): (("20", "0.00"),)}
    collect("600.00", second, "p-2")
    collect("-120.00", third, "r-2")  # paid back on a later day: no negative payment data (G1.16)
    assert paid() == {first.isoformat(): (("20", "0.00"),), second.isoformat(): (("20", "600.00"),)}
    [period] = [
        p for p in api.get("/api/reporting/periods", headers=declarant_a.headers).json() if p["kind"] == "payments"
    ]
    xml = api.get(
        f"/api/reporting/periods/{period['id']}/preview", headers=declarant_a.headers, params={"format": "xml"}
    )
    assert check_f10(xml.content).valid, xml.text  # the official XSD and Flux10 schematron take the 0.00
