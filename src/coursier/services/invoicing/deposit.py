"""Depositing an invoice file: the checks, the file and its row kept, routing deferred.

A deposited file always leaves a row: accepted (200 "Déposée", then routed by a job) or refused
(213 "Rejetée" / 501 "Irrecevable" with its reason), the file kept for the sender to inspect.
"""

from decimal import Decimal

from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.documents import DocumentRepository
from coursier.db.invoices import OUTBOUND, Invoice
from coursier.kit import cpu
from coursier.kit.defer import defer
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.network.ppf import PPF
from coursier.services import usage
from coursier.services.invoicing.checks import (
    MAX_INVOICE_BYTES,
    Reading,
    Refusal,
    check_deposit,
    read_invoice_file,
    refusal,
)
from coursier.services.invoicing.parties import buyer_siren, seller_siren
from coursier.services.invoicing.statuses import change_status, clip

MEDIA_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
# Money columns are NUMERIC(19, 2): an amount beyond them is no real invoice's, and is not kept.
_LARGEST_AMOUNT = Decimal(10) ** 17


def deposit(
    session: Session,
    ctx: TenantContext,
    *,
    content: bytes,
    filename: str,
    ppf: PPF,
    settings: Settings,
    draft_id: str | None = None,
    file_size: int | None = None,
) -> Invoice:
    """Check and keep one invoice file the calling client sends as the seller.

    `file_size` is the upload's whole size when `content` was cut short at the size limit. The
    refusals are answers, not errors: the returned invoice says which check failed and why.
    """
    try:
        reading = cpu.run(read_invoice_file, content)
    except cpu.CpuTimeExceeded as exc:
        reading = Reading(refusal=refusal("IRR_SYNTAX", f"The invoice could not be checked within {exc.seconds:g} s"))
    invoice = Invoice(
        id=new_id("inv"),
        sponsor_id=ctx.sponsor_id,
        client_id=ctx.client_id,
        direction=OUTBOUND,
        status_code=InvoiceStatus.DEPOSITED,
        draft_id=draft_id,
        **describe(reading, file_name=filename, file_size=file_size or len(content)),
    )
    if len(content) <= MAX_INVOICE_BYTES:  # an oversized upload is exactly what is not kept
        invoice.document_id = (
            DocumentRepository(session)
            .store(
                ctx,
                kind="invoice_original",
                media_type=MEDIA_TYPES.get(invoice.container, "application/octet-stream"),
                filename=invoice.file_name,
                content=content,
            )
            .id
        )
    verdict = check_deposit(session, ctx, invoice, reading, ppf=ppf, settings=settings)
    if verdict.refusal is not None:
        return _refuse(session, ctx, invoice, verdict.refusal)
    change_status(
        session,
        ctx,
        invoice,
        InvoiceStatus.DEPOSITED,
        details={"recipient_platform_id": verdict.recipient["platform_id"]},
    )
    usage.count(session, ctx, "invoices_sent")

    defer(session, "invoicing.route", invoice_id=invoice.id)
    return invoice


def describe(reading: Reading, *, file_name: str, file_size: int) -> dict:
    """The row's columns from what the checks read: the model's key terms, the file, the report."""
    columns: dict = {
        "file_name": clip(_plain_name(file_name) or "invoice", 255),
        "container": str(reading.container) if reading.container else None,
        "validation": {
            "file_size": file_size,
            "report": reading.report.to_dict() if reading.report else None,
            "errors": [finding.to_dict() for finding in reading.refusal.findings] if reading.refusal else [],
            "warnings": [finding.to_dict() for finding in reading.warnings],
        },
    }
    if reading.report is not None and reading.report.syntax is not None:
        columns["syntax"] = reading.report.syntax.family
        columns["profile"] = clip(str(reading.report.profile) if reading.report.profile else None, 32)
    model = reading.invoice
    if model is None:
        return columns
    totals = model.totals
    columns |= {
        "model": model.model_dump(mode="json"),
        "number": clip(model.number, 200),
        "type_code": clip(model.type_code, 3),
        "issue_date": model.issue_date,
        "due_date": model.due_date,
        "currency": clip(model.currency_code, 3),
        "total_without_vat": _amount(totals.total_without_vat if totals else None),
        "total_vat": _amount(totals.total_vat if totals else None),
        "total_with_vat": _amount(totals.total_with_vat if totals else None),
        "amount_due": _amount(totals.amount_due if totals else None),
        "seller_siren": seller_siren(model),
        "seller_name": clip(model.seller.name if model.seller else None, 300),
        "buyer_name": clip(model.buyer.name if model.buyer else None, 300),
        "buyer_siren": buyer_siren(model),
    }
    if columns["seller_siren"] and columns["number"] and model.issue_date:
        columns["duplicate_key"] = f"{columns['seller_siren']}|{columns['number']}|{model.issue_date.year}"
    return columns


def _refuse(session: Session, ctx: TenantContext, invoice: Invoice, refused: Refusal) -> Invoice:
    invoice.validation = {**invoice.validation, "errors": [f.to_dict() for f in refused.findings]}
    session.add(invoice)  # new, or inserted by the duplicate check when the recipient is unknown
    change_status(
        session, ctx, invoice, refused.reason.status, reason_code=refused.reason.code, message=refused.message
    )
    return invoice


def _plain_name(file_name: str) -> str:
    """The name without the path a client may send along, nor control characters."""
    return "".join(c for c in file_name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())


def _amount(value: Decimal | None) -> Decimal | None:
    return value if value is not None and abs(value) < _LARGEST_AMOUNT else None
