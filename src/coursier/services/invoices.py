"""Invoices: depositing one (every check, storage, routing deferred), reading and downloading them.

A deposited file always leaves a row: accepted (200 "Déposée", then routed by a job) or refused
(213 "Rejetée" / 501 "Irrecevable" with its reason), the file kept for the sender to inspect.
Every status change is a lifecycle event, written with the change.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coursier.db.base import new_id
from coursier.db.directory import DirectoryCacheEntry
from coursier.db.documents import DocumentRepository
from coursier.db.invoices import Invoice, InvoiceRepository
from coursier.db.lifecycle import LifecycleEvent
from coursier.db.mandates import Mandate, MandateRepository
from coursier.kit.defer import defer
from coursier.kit.errors import InvalidInput, NotFound
from coursier.kit.tenancy import TenantContext
from coursier.model import Invoice as InvoiceModel
from coursier.model import lifecycle
from coursier.model.lifecycle import MANDATORY, REFUSAL_STATUSES, InvoiceStatus, event_code
from coursier.services import directory, usage
from coursier.services.invoice_checks import (
    MAX_INVOICE_BYTES,
    UNKNOWN_RECIPIENT,
    Finding,
    Reading,
    Refusal,
    buyer_siren,
    duplicate_refusal,
    read_invoice_file,
    recipient_query,
    refusal,
    seller_siren,
)
from coursier.services.lifecycle import EMITTER_PLATFORM, record_event

OUTBOUND, INBOUND = "outbound", "inbound"
MEDIA_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
_DUPLICATE_INDEX = "uq_invoices_accepted_duplicate_key"
_LONGEST_LOOKUP_KEY = DirectoryCacheEntry.key.type.length
# Money columns are NUMERIC(19, 2): an amount beyond them is no real invoice's, and is not kept.
_LARGEST_AMOUNT = Decimal(10) ** 17
_NOT_DELIVERED = REFUSAL_STATUSES | {InvoiceStatus.ROUTING_ERROR}
# What describes an invoice, whoever's copy it is: copied as such onto the recipient's row.
DESCRIPTION_COLUMNS = (
    "number",
    "type_code",
    "issue_date",
    "due_date",
    "currency",
    "total_without_vat",
    "total_vat",
    "total_with_vat",
    "amount_due",
    "seller_siren",
    "seller_name",
    "buyer_siren",
    "buyer_name",
    "container",
    "syntax",
    "profile",
    "file_name",
    "model",
    "validation",
)


# ---- status changes ------------------------------------------------------------------------------


def change_status(
    session: Session,
    ctx: TenantContext,
    invoice: Invoice,
    status: InvoiceStatus,
    *,
    emitter: str = EMITTER_PLATFORM,
    reason_code: str | None = None,
    message: str | None = None,
    details: dict | None = None,
) -> None:
    """Set the invoice's status and write its lifecycle event (the numeric code in its details)."""
    invoice.status_code = status
    if reason_code is not None:
        invoice.rejection_reason = reason_code
        invoice.rejection_message = _clip(message, 2000)
    session.flush()
    record_event(
        session,
        ctx,
        object_type="invoice",
        object_id=invoice.id,
        status_code=event_code(status),
        emitter=emitter,
        reason=_clip(message, 1000),
        rejection_reason=reason_code,
        is_mandatory=status in MANDATORY,
        details={"status_code": int(status), **(details or {})},
    )


def seqino_status(status_code: int) -> str:
    """The Seqino API's status: `validated` once accepted, `processed` once routed, `rejected` if
    refused or if it could not be routed."""
    if status_code in _NOT_DELIVERED:
        return "rejected"
    return "validated" if status_code == InvoiceStatus.DEPOSITED else "processed"


def status_label(status_code: int) -> str:
    return lifecycle.status_label(InvoiceStatus(status_code))


# ---- deposit -------------------------------------------------------------------------------------


def deposit(
    session: Session,
    ctx: TenantContext,
    *,
    content: bytes,
    filename: str,
    ppf,
    settings,
    draft_id: str | None = None,
    file_size: int | None = None,
) -> Invoice:
    """Check and keep one invoice file the calling client sends as the seller.

    `file_size` is the upload's whole size when `content` was cut short at the size limit. The
    refusals are answers, not errors: the returned invoice says which check failed and why.
    """
    reading = read_invoice_file(content)
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
    refused = reading.refusal or _seller_refusal(session, ctx, reading.invoice)
    if refused is None and not _claim_number(session, invoice):
        refused = duplicate_refusal(invoice.number, invoice.issue_date.year, invoice.seller_siren)
    entry = find_recipient(session, ppf, reading.invoice, settings) if refused is None else None
    if refused is None and entry is None:
        refused = UNKNOWN_RECIPIENT
    if refused is not None:
        return _refuse(session, ctx, invoice, refused)
    invoice.recipient_platform_id = entry["platform_id"]
    change_status(
        session, ctx, invoice, InvoiceStatus.DEPOSITED, details={"recipient_platform_id": entry["platform_id"]}
    )
    usage.count(session, ctx, "invoices_sent")

    defer(session, "invoices.route", invoice_id=invoice.id)
    return invoice


def describe(reading: Reading, *, file_name: str, file_size: int) -> dict:
    """The row's columns from what the checks read: the model's key terms, the file, the report."""
    columns: dict = {
        "file_name": _clip(_plain_name(file_name) or "invoice", 255),
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
        columns["profile"] = _clip(str(reading.report.profile) if reading.report.profile else None, 32)
    model = reading.invoice
    if model is None:
        return columns
    totals = model.totals
    columns |= {
        "model": model.model_dump(mode="json"),
        "number": _clip(model.number, 200),
        "type_code": _clip(model.type_code, 3),
        "issue_date": model.issue_date,
        "due_date": model.due_date,
        "currency": _clip(model.currency_code, 3),
        "total_without_vat": _amount(totals.total_without_vat if totals else None),
        "total_vat": _amount(totals.total_vat if totals else None),
        "total_with_vat": _amount(totals.total_with_vat if totals else None),
        "amount_due": _amount(totals.amount_due if totals else None),
        "seller_siren": seller_siren(model),
        "seller_name": _clip(model.seller.name if model.seller else None, 300),
        "buyer_name": _clip(model.buyer.name if model.buyer else None, 300),
        "buyer_siren": buyer_siren(model),
    }
    if columns["seller_siren"] and columns["number"] and model.issue_date:
        columns["duplicate_key"] = f"{columns['seller_siren']}|{columns['number']}|{model.issue_date.year}"
    return columns


def find_recipient(session: Session, ppf, model: InvoiceModel, settings) -> dict | None:
    """The directory entry of the buyer; None when no line covers it, or no line could.

    Raises `coursier.kit.errors.Unavailable` when the directory cannot be reached.
    """
    from coursier.network.ppf import PPFRejected

    query = recipient_query(model)
    if query is None or len(query.cache_key()) > _LONGEST_LOOKUP_KEY:
        return None
    try:
        return directory.lookup(session, ppf, query, ttl=timedelta(seconds=settings.directory_cache_seconds))
    except PPFRejected:  # an address the directory cannot read: a bad scheme, a SIREN of no company
        return None


def _seller_refusal(session: Session, ctx: TenantContext, model: InvoiceModel) -> Refusal | None:
    siren = seller_siren(model)
    if siren is None:
        return refusal(
            "REJ_COH",
            "The seller has no SIREN: give BT-30 with scheme 0002",
            [Finding("REJ_COH", "seller", "No valid SIREN in BT-30, BT-29 or BT-34", bt=("BT-30",))],
        )
    mandate = session.scalar(MandateRepository.readable(ctx).where(Mandate.siren == siren, Mandate.status == "active"))
    if mandate is None:
        return refusal(
            "REJ_COH",
            f"The seller {siren} is not the calling client",
            [
                Finding(
                    "REJ_COH",
                    "seller",
                    f"The client has no active mandate for SIREN {siren}: it can send only its own invoices",
                    bt=("BT-30",),
                )
            ],
        )
    return None


def _claim_number(session: Session, invoice: Invoice) -> bool:
    """Insert the accepted invoice; False when the same seller, number and year is taken.

    The partial unique index decides, so two concurrent deposits of one invoice cannot both
    pass: the second waits for the first to commit, then fails here.
    """
    try:
        with session.begin_nested():
            session.add(invoice)
            session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig.diag, "constraint_name", None) != _DUPLICATE_INDEX:
            raise
        return False
    return True


def _refuse(session: Session, ctx: TenantContext, invoice: Invoice, refused: Refusal) -> Invoice:
    invoice.validation = {**invoice.validation, "errors": [f.to_dict() for f in refused.findings]}
    session.add(invoice)
    change_status(
        session, ctx, invoice, refused.reason.status, reason_code=refused.reason.code, message=refused.message
    )
    return invoice


def _plain_name(file_name: str) -> str:
    """The name without the path a client may send along, nor control characters."""
    return "".join(c for c in file_name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())


def _clip(text: str | None, length: int) -> str | None:
    return text[:length] if text else text


def _amount(value: Decimal | None) -> Decimal | None:
    return value if value is not None and abs(value) < _LARGEST_AMOUNT else None


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceFilters:
    direction: str | None = None
    status: str | None = None  # a Seqino status (validated, processed, rejected) or a numeric code
    date_from: date | None = None
    date_to: date | None = None
    counterparty: str | None = None  # a SIREN, or part of a name
    number: str | None = None  # part of the invoice number (BT-1)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None


def list_invoices_query(ctx: TenantContext, filters: InvoiceFilters) -> Select[tuple[Invoice]]:
    stmt = InvoiceRepository.readable(ctx)
    if filters.direction:
        stmt = stmt.where(Invoice.direction == filters.direction)
    if filters.status:
        stmt = stmt.where(_status_condition(filters.status))
    if filters.date_from:
        stmt = stmt.where(Invoice.issue_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Invoice.issue_date <= filters.date_to)
    if filters.amount_min is not None:
        stmt = stmt.where(Invoice.total_with_vat >= filters.amount_min)
    if filters.amount_max is not None:
        stmt = stmt.where(Invoice.total_with_vat <= filters.amount_max)
    if filters.counterparty:
        stmt = stmt.where(_counterparty_condition(filters.counterparty.strip(), filters.direction))
    if filters.number:
        stmt = stmt.where(func.lower(Invoice.number).contains(filters.number.strip().lower(), autoescape=True))
    return stmt


def _status_condition(status: str):
    if status.isdigit():
        return Invoice.status_code == int(status)
    refused = Invoice.status_code.in_([int(s) for s in _NOT_DELIVERED])
    conditions = {
        "rejected": refused,
        "validated": Invoice.status_code == InvoiceStatus.DEPOSITED,
        "processed": ~refused & (Invoice.status_code != InvoiceStatus.DEPOSITED),
    }
    if status not in conditions:
        raise InvalidInput(
            "status is validated, processed, rejected or a status code such as 213", code="invalid_status_filter"
        )
    return conditions[status]


def _counterparty_condition(counterparty: str, direction: str | None):
    """The other party: the buyer of what the client sent, the seller of what it received."""

    def party(siren_column, name_column):
        if counterparty.isdigit():
            return siren_column == counterparty
        return func.lower(name_column).contains(counterparty.lower(), autoescape=True)

    buyer = party(Invoice.buyer_siren, Invoice.buyer_name)
    seller = party(Invoice.seller_siren, Invoice.seller_name)
    if direction == OUTBOUND:
        return buyer
    if direction == INBOUND:
        return seller
    return or_((Invoice.direction == OUTBOUND) & buyer, (Invoice.direction == INBOUND) & seller)


def get_invoice(session: Session, ctx: TenantContext, invoice_id: str) -> Invoice:
    invoice = InvoiceRepository(session).get(ctx, invoice_id)
    if invoice is None:
        raise NotFound(f"No invoice {invoice_id}", code="invoice_not_found")
    return invoice


def history(session: Session, ctx: TenantContext, invoice: Invoice) -> list[LifecycleEvent]:
    """The invoice's lifecycle events, oldest first.

    Events of one transaction share its timestamp; among them, statuses advance in code order
    (202 then 203), which is the order they were written in.
    """
    events = session.scalars(
        select(LifecycleEvent).where(
            LifecycleEvent.sponsor_id == ctx.sponsor_id,
            LifecycleEvent.client_id == invoice.client_id,
            LifecycleEvent.object_type == "invoice",
            LifecycleEvent.object_id == invoice.id,
        )
    )
    return sorted(events, key=lambda e: (e.created_at, e.details.get("status_code", 0), e.id))
