"""What the dashboard's tests share: reading a page as a person does, and an invoice to show."""

import html

from coursier.kit import clock
from coursier.kit.tenancy import TenantContext


def says(page, phrase: str) -> bool:
    return phrase in html.unescape(page.text)


def an_invoice(session, tenant, *, number: str, buyer: str, status=None, direction: str = "outbound"):
    """An invoice row of the tenant's client with its original file and its first status, committed."""
    from coursier.db.base import new_id
    from coursier.db.documents import DocumentRepository
    from coursier.db.invoice_statuses import ISSUER_PLATFORM, RECEIVER_PLATFORM
    from coursier.db.invoices import Invoice
    from coursier.model.lifecycle import InvoiceStatus
    from coursier.services.invoicing.statuses import Author, change_status

    ctx = TenantContext(sponsor_id=tenant.sponsor_id, client_id=tenant.client_id)
    document = DocumentRepository(session).store(
        ctx, kind="invoice_original", media_type="application/xml", filename=f"{number}.xml", content=b"<Invoice/>"
    )
    invoice = Invoice(
        id=new_id("inv"),
        sponsor_id=tenant.sponsor_id,
        client_id=tenant.client_id,
        direction=direction,
        status_code=InvoiceStatus.DEPOSITED,
        number=number,
        issue_date=clock.today(),
        currency="EUR",
        total_with_vat=1234.5,
        seller_name="Vendeur SA",
        buyer_name=buyer,
        buyer_siren="123456782",
        container="xml",
        syntax="cii",
        file_name=f"{number}.xml",
        document_id=document.id,
        validation={
            "file_size": 10,
            "errors": [],
            "warnings": [
                {
                    "rule": "BR-FR-05",
                    "stage": "schematron",
                    "severity": "warning",
                    "message": "Mention absente",
                    "bt": ["BT-22"],
                    "location": "/Invoice",
                }
            ],
        },
    )
    session.add(invoice)
    session.flush()
    role = ISSUER_PLATFORM if direction == "outbound" else RECEIVER_PLATFORM
    change_status(session, ctx, invoice, status or InvoiceStatus.DEPOSITED, by=Author(role, "0042"))
    session.commit()
    return invoice
