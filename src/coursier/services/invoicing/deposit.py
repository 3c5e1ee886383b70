"""Depositing an invoice file: the checks, the file and its row kept, routing deferred.

A deposited file always leaves a row: accepted (200 "Déposée", then routed by a job) or refused
(213 "Rejetée" / 501 "Irrecevable" with its reason), the file kept for the sender to inspect.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from coursier.config import Settings
from coursier.db.base import new_id
from coursier.db.documents import DocumentRepository, new_document
from coursier.db.invoices import OUTBOUND, Invoice, InvoiceRepository
from coursier.kit import cpu, defer
from coursier.kit.tenancy import TenantContext
from coursier.model.lifecycle import InvoiceStatus
from coursier.network.ppf import PPF
from coursier.services import usage
from coursier.services.invoicing import shadow
from coursier.services.invoicing.checks import (
    MAX_INVOICE_BYTES,
    Reading,
    Refusal,
    check_deposits,
    read_invoice_file,
    read_invoice_files,
    refusal,
)
from coursier.services.invoicing.parties import buyer_siren, seller_siren
from coursier.services.invoicing.statuses import (
    StatusDetails,
    change_status,
    clip,
    issuer_platform,
    statuses_recorded_together,
)
from coursier.services.lifecycle import recorded_together

MEDIA_TYPES = {"pdf": "application/pdf", "xml": "application/xml"}
# Files of a bulk deposit read in one worker task at most, and their bytes (see `_read_all`): a
# chunk of small invoices reads in tens of milliseconds, far within the task's time limit.
_FILES_PER_TASK = 8
_BYTES_PER_TASK = 256 * 1024
# Money columns are NUMERIC(19, 2): an amount beyond them is no real invoice's, and is not kept.
_LARGEST_AMOUNT = Decimal(10) ** 17


@dataclass(frozen=True)
class Submission:
    """One file as sent: its bytes (cut one byte past the size limit), its name, its whole size."""

    content: bytes
    filename: str
    size: int


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
    submission = Submission(content, filename, file_size or len(content))
    return deposit_many(session, ctx, [submission], ppf=ppf, settings=settings, draft_id=draft_id)[0]


def deposit_many(
    session: Session,
    ctx: TenantContext,
    submissions: list[Submission],
    *,
    ppf: PPF,
    settings: Settings,
    draft_id: str | None = None,
    parallel: int = 1,
) -> list[Invoice]:
    """Check and keep files as `deposit` does each alone, in order; their documents are read
    `parallel` at a time, and the database work is done for all of them together."""
    readings = _read_all([submission.content for submission in submissions], parallel)
    invoices = [
        Invoice(
            id=new_id("inv"),
            sponsor_id=ctx.sponsor_id,
            client_id=ctx.client_id,
            direction=OUTBOUND,
            status_code=InvoiceStatus.DEPOSITED,
            draft_id=draft_id,
            **describe(reading, file_name=submission.filename, file_size=submission.size),
        )
        for submission, reading in zip(submissions, readings, strict=True)
    ]
    _keep_files(session, ctx, invoices, submissions)
    with defer.together(session), recorded_together(session), statuses_recorded_together(session):
        verdicts = check_deposits(session, ctx, invoices, readings, ppf=ppf, settings=settings)
        for invoice, reading, verdict in zip(invoices, readings, verdicts, strict=True):
            # The official artefacts again, for a share of the files judged on their content alone (a
            # duplicate or an unknown buyer stays refused whatever they say).
            if verdict.refusal is None or verdict.refusal is reading.refusal:
                shadow.consider(session, invoice, reading, settings)
        refused = [(invoice, v.refusal) for invoice, v in zip(invoices, verdicts, strict=True) if v.refusal]
        _add_refused(session, refused)
        for invoice, verdict in zip(invoices, verdicts, strict=True):
            if verdict.refusal is not None:
                _record_refusal(session, ctx, invoice, verdict.refusal, settings)
                continue
            change_status(
                session,
                ctx,
                invoice,
                InvoiceStatus.DEPOSITED,
                by=issuer_platform(settings),
                transmission_id=invoice.id,
                details=StatusDetails(event_details={"recipient_platform_id": verdict.recipient["platform_id"]}),
                first=True,
            )
            defer.defer(session, "invoicing.route", invoice_id=invoice.id)
        if len(refused) < len(invoices):
            usage.count(session, ctx, "invoices_sent", by=len(invoices) - len(refused))
    return invoices


def _read_all(contents: list[bytes], parallel: int) -> list[Reading]:
    """The document checks of each file in the process pool, in order: several small files a task
    (the hand-off to a worker and back costs about a millisecond a task, a fifth of reading a file),
    `parallel` tasks at a time."""
    if len(contents) <= 1:
        return [_read(content) for content in contents]
    chunks = _chunks(contents, files=min(_FILES_PER_TASK, -(-len(contents) // max(parallel, 1))))
    if parallel <= 1:
        return [reading for chunk in chunks for reading in _read_chunk(chunk)]
    with ThreadPoolExecutor(max_workers=parallel) as threads:
        return [reading for readings in threads.map(_read_chunk, chunks) for reading in readings]


def _chunks(contents: list[bytes], *, files: int) -> list[list[bytes]]:
    """`contents` in order, cut into chunks of at most `files` files and `_BYTES_PER_TASK` bytes (a
    larger file alone): a chunk must not come near the task's time limit."""
    chunks: list[list[bytes]] = []
    size = 0
    for content in contents:
        if not chunks or len(chunks[-1]) == files or size + len(content) > _BYTES_PER_TASK:
            chunks.append([])
            size = 0
        chunks[-1].append(content)
        size += len(content)
    return chunks


def _read_chunk(contents: list[bytes]) -> list[Reading]:
    if len(contents) == 1:
        return [_read(contents[0])]
    try:
        return cpu.run(read_invoice_files, contents)
    except cpu.CpuTimeExceeded:
        return [_read(content) for content in contents]  # each alone: only a slow one is refused


def _read(content: bytes) -> Reading:
    try:
        return cpu.run(read_invoice_file, content)
    except cpu.CpuTimeExceeded as exc:
        return Reading(refusal=refusal("IRR_SYNTAX", f"The invoice could not be checked within {exc.seconds:g} s"))


def _keep_files(session: Session, ctx: TenantContext, invoices: list[Invoice], submissions: list[Submission]) -> None:
    """Every file is kept, for the sender to inspect, but an oversized one: that is what is not kept."""
    kept = [
        (invoice, submission.content)
        for invoice, submission in zip(invoices, submissions, strict=True)
        if len(submission.content) <= MAX_INVOICE_BYTES
    ]
    documents = [
        new_document(
            ctx,
            kind="invoice_original",
            media_type=MEDIA_TYPES.get(invoice.container, "application/octet-stream"),
            filename=invoice.file_name,
            content=content,
        )
        for invoice, content in kept
    ]
    DocumentRepository(session).add_all(documents)
    for (invoice, _), document in zip(kept, documents, strict=True):
        invoice.document_id = document.id


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


def _add_refused(session: Session, refused: list[tuple[Invoice, Refusal]]) -> None:
    """The refusals' findings on their rows; the rows the duplicate check did not insert are
    inserted together, with their status as `change_status` sets it, so that their status changes
    find nothing to write on them."""
    for invoice, refused_by in refused:
        invoice.validation = {**invoice.validation, "errors": [f.to_dict() for f in refused_by.findings]}
    new = [(invoice, refused_by) for invoice, refused_by in refused if inspect(invoice).transient]
    for invoice, refused_by in new:
        invoice.status_code = refused_by.reason.status
        invoice.rejection_reason = refused_by.reason.code
        invoice.rejection_message = clip(refused_by.message, 2000)
    InvoiceRepository(session).add_all([invoice for invoice, _ in new])


def _record_refusal(
    session: Session, ctx: TenantContext, invoice: Invoice, refused: Refusal, settings: Settings
) -> None:
    change_status(
        session,
        ctx,
        invoice,
        refused.reason.status,
        by=issuer_platform(settings),
        reason_code=refused.reason.code,
        message=refused.message,
        transmission_id=invoice.id,
        first=True,
    )


def _plain_name(file_name: str) -> str:
    """The name without the path a client may send along, nor control characters."""
    return "".join(c for c in file_name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())


def _amount(value: Decimal | None) -> Decimal | None:
    return value if value is not None and abs(value) < _LARGEST_AMOUNT else None
