"""Invoices exchanged through this platform feed 10.1 by themselves when their counterparty is abroad;
one that cannot be described in F10 is said so on its timeline rather than lost silently."""

from datetime import timedelta

from coursier.db.base import new_id
from coursier.db.invoices import INBOUND, OUTBOUND, Invoice
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.services.reporting.invoices import report_exchanged_invoice
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
