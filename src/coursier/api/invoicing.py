"""Sending and receiving invoices (`/api/invoicing`)."""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile as FormFile
from starlette.formparsers import MultiPartException, MultiPartParser

from coursier.api.deps import PPF, ClientCtx, DbSession, Settings
from coursier.api.pagination import PageParams, paginate
from coursier.api.routing import Router
from coursier.db.invoice_statuses import InvoiceStatusRecord
from coursier.db.invoices import INBOUND, Invoice, summary_facts
from coursier.kit import cpu, zips
from coursier.kit.errors import CoursierError, InvalidInput, NotFound, PayloadTooLarge, TooManyRequests
from coursier.kit.texts import has_text, text
from coursier.model.lifecycle import InvoiceStatus, event_code
from coursier.services.invoicing import reading
from coursier.services.invoicing.checks import MAX_INVOICE_BYTES
from coursier.services.invoicing.deposit import Submission, deposit, deposit_many
from coursier.services.invoicing.downloads import download
from coursier.services.invoicing.party_statuses import StatusRequest, list_statuses, set_status
from coursier.services.invoicing.statuses import seqino_status, status_label
from coursier.services.settings import get_client_settings
from coursier.services.usage_limits import take_more_heavy_slots

router = Router(prefix="/invoicing", tags=["Invoicing"])

SeqinoStatus = Literal["validated", "processed", "rejected"]
Direction = Literal["inbound", "outbound"]
DownloadFormat = Literal["original", "cii", "ubl", "facturx", "pdf"]
RAW_MEDIA_TYPES = ("application/pdf", "application/xml", "text/xml")
_READ_CHUNK_BYTES = 1024 * 1024
# A file up to twice the limit is refused as an invoice (501 IRR_TAILLE_F, on record for the
# sender); a bigger request is not read at all (413), so no upload can fill the disk.
MAX_REQUEST_BYTES = 2 * MAX_INVOICE_BYTES
# Conversion warnings named in the response header; the header stays a reasonable size.
_HEADER_WARNINGS = 20
# The bulk deposit: its path (its body has its own budget, api/middleware/budgets.py), what it
# takes, and how much more a zip's file may decompress than it weighs (invoices: 10 to 20 times).
BATCH_PATH = re.compile(r"^/api/invoicing/files/submit-batch/?$")
ZIP_MEDIA_TYPES = ("application/zip", "application/x-zip-compressed")
BATCH_MEDIA_TYPES = ("multipart/form-data", *ZIP_MEDIA_TYPES)
MAX_ZIP_RATIO = 200


class UnsupportedMediaType(CoursierError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


# ---- schemas -------------------------------------------------------------------------------------


class ValidationFinding(BaseModel):
    rule: str | None = Field(description="Official rule id (BR-16, BR-FR-12…), XSD constraint, or reason code")
    stage: str = Field(
        description="xml, xsd, schematron, or the platform's check: seller, duplicate, directory, identifiers "
        "(a VAT identifier's check key, a warning), content (active content in a PDF)"
    )
    severity: Literal["fatal", "warning"]
    message: str
    bt: list[str] = Field(description="Business terms concerned (BT-n, BG-n)")
    location: str | None = Field(description="XPath, or line and column")


class ExtractedData(BaseModel):
    invoice_number: str | None = Field(description="BT-1")
    type_code: str | None = Field(description="BT-3: 380 invoice, 381 credit note…")
    issue_date: date | None = Field(description="BT-2")
    due_date: date | None = Field(description="BT-9")
    currency: str | None = Field(description="BT-5")
    seller_name: str | None = Field(description="BT-27")
    seller_siren: str | None = Field(description="BT-30")
    seller_vat_identifier: str | None = Field(description="BT-31")
    buyer_name: str | None = Field(description="BT-44")
    buyer_siren: str | None = Field(description="BT-47")
    buyer_vat_identifier: str | None = Field(description="BT-48")
    total_without_vat: Decimal | None = Field(description="BT-109")
    total_vat: Decimal | None = Field(description="BT-110")
    total_with_vat: Decimal | None = Field(description="BT-112")
    amount_due: Decimal | None = Field(description="BT-115")


class InvoiceSummary(BaseModel):
    invoice_id: str
    direction: Direction = Field(description="outbound: sent by the client; inbound: received")
    status: SeqinoStatus = Field(
        description="validated once accepted, processed once routed, rejected if refused or not routable (221)"
    )
    status_code: int = Field(description="Lifecycle status: 200 Déposée, 201, 202, 203, 213 Rejetée, 221, 501…")
    status_label: str
    rejection_reason: str | None = Field(
        description="Reason code of a refusal (BR-FR-CDV-CL-09): REJ_SEMAN, DOUBLON, DEST_INC, IRR_SYNTAX…"
    )
    rejection_message: str | None
    file_name: str | None
    file_size: int | None
    extracted_data: ExtractedData | None
    processed_at: datetime | None = Field(description="When the invoice was routed (sent) or made available (received)")
    created_at: datetime


class SubmitOut(InvoiceSummary):
    en16931_invoice: dict | None = Field(description="The invoice as the EN 16931 JSON model; null if unreadable")
    errors: list[ValidationFinding] = Field(description="The blocking findings of the check that refused it")
    warnings: list[ValidationFinding]


class BatchItem(InvoiceSummary):
    position: int = Field(description="Where the file was in the request (or in the zip), from 0")
    errors: list[ValidationFinding] = Field(description="The blocking findings of the check that refused it")
    warnings: list[ValidationFinding]


class BatchOut(BaseModel):
    count: int = Field(description="Files judged")
    accepted: int = Field(description="Files accepted (status validated)")
    rejected: int = Field(description="Files refused, each with its reason")
    invoices: list[BatchItem] = Field(
        description="One outcome per file, in the order sent: what a single upload of the file answers, "
        "without the EN 16931 JSON (GET /api/invoicing/invoice_data/{id})"
    )


class StatusEvent(BaseModel):
    status_code: int | None
    event: str = Field(description="Lifecycle event code, e.g. InvoiceLifecycleStatus.DEPOSITED")
    emitter: str = Field(description="PDPE issuer's platform, PDPR receiver's platform, PPF")
    reason: str | None
    rejection_reason: str | None
    details: dict
    timestamp: datetime


class InvoiceOut(InvoiceSummary):
    container: Literal["xml", "pdf"] | None
    syntax: Literal["cii", "ubl"] | None
    profile: str | None
    recipient_platform_id: str | None = Field(description="Matricule of the PA the invoice goes to")
    errors: list[ValidationFinding]
    warnings: list[ValidationFinding]
    history: list[StatusEvent] = Field(description="Every status of the invoice, oldest first")
    updated_at: datetime | None


def _extracted(invoice: Invoice) -> ExtractedData | None:
    facts = summary_facts(invoice)
    if not facts["has_model"]:
        return None
    return ExtractedData(
        invoice_number=invoice.number,
        type_code=invoice.type_code,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        seller_name=invoice.seller_name,
        seller_siren=invoice.seller_siren,
        seller_vat_identifier=facts["seller_vat_identifier"],
        buyer_name=invoice.buyer_name,
        buyer_siren=invoice.buyer_siren,
        buyer_vat_identifier=facts["buyer_vat_identifier"],
        total_without_vat=invoice.total_without_vat,
        total_vat=invoice.total_vat,
        total_with_vat=invoice.total_with_vat,
        amount_due=invoice.amount_due,
    )


def _summary_fields(invoice: Invoice) -> dict:
    return {
        "invoice_id": invoice.id,
        "direction": invoice.direction,
        "status": seqino_status(invoice.status_code),
        "status_code": invoice.status_code,
        "status_label": status_label(invoice.status_code),
        "rejection_reason": invoice.rejection_reason,
        "rejection_message": invoice.rejection_message,
        "file_name": invoice.file_name,
        "file_size": summary_facts(invoice)["file_size"],
        "extracted_data": _extracted(invoice),
        "processed_at": invoice.processed_at,
        "created_at": invoice.created_at,
    }


def _findings(invoice: Invoice) -> dict:
    validation = invoice.validation or {}
    return {"errors": validation.get("errors", []), "warnings": validation.get("warnings", [])}


def _invoice_out(session, ctx, invoice: Invoice) -> InvoiceOut:
    history = [
        StatusEvent(
            status_code=event.details.get("status_code"),
            event=event.status_code,
            emitter=event.emitter,
            reason=event.reason,
            rejection_reason=event.rejection_reason,
            details=event.details,
            timestamp=event.created_at,
        )
        for event in reading.history(session, ctx, invoice)
    ]
    return InvoiceOut(
        **_summary_fields(invoice),
        **_findings(invoice),
        container=invoice.container,
        syntax=invoice.syntax,
        profile=invoice.profile,
        recipient_platform_id=invoice.recipient_platform_id,
        history=history,
        updated_at=invoice.updated_at,
    )


# ---- the upload ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    content: bytes  # at most one byte over the size limit: enough to know it is over
    size: int
    filename: str


async def _kept(chunks: AsyncIterator[bytes]) -> tuple[bytes, int]:
    """The bytes up to one past the limit, and the whole size: an oversized file is counted, not held."""
    kept = bytearray()
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        room = MAX_INVOICE_BYTES + 1 - len(kept)
        if room > 0:
            kept += chunk[:room]
    return bytes(kept), size


async def _file_chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(_READ_CHUNK_BYTES):
        yield chunk


async def read_upload(
    request: Request,
    file: Annotated[UploadFile | None, File(description="The invoice: Factur-X PDF, CII or UBL XML")] = None,
    filename: Annotated[str | None, Query(max_length=255, description="Name of a file sent as the raw body")] = None,
) -> Upload:
    """The multipart field `file`, or the raw body with Content-Type application/pdf or XML."""
    if file is not None:
        content, size = await _kept(_file_chunks(file))
        return Upload(content, size, file.filename or filename or "invoice")
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        raise InvalidInput("Send the invoice in the multipart field `file`", code="file_missing")
    if media_type not in RAW_MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Send the invoice as multipart/form-data (field `file`) or as a raw body of "
            f"type {', '.join(RAW_MEDIA_TYPES)}"
        )
    content, size = await _kept(request.stream())
    default_name = "invoice.pdf" if media_type == "application/pdf" else "invoice.xml"
    return Upload(content, size, filename or default_name)


_RAW_BODY = {"schema": {"type": "string", "format": "binary"}}


@router.post(
    "/files/submit",
    status_code=201,
    response_model=SubmitOut,
    summary="Send an invoice file",
    max_body_size=MAX_REQUEST_BYTES,
    openapi_extra={"requestBody": {"content": {media_type: _RAW_BODY for media_type in RAW_MEDIA_TYPES}}},
    responses={
        400: {"description": "No file in the request"},
        413: {"description": "A request over twice the file size limit"},
        415: {"description": "A raw body that is neither PDF nor XML"},
    },
)
def submit_file(
    ctx: ClientCtx, session: DbSession, ppf: PPF, settings: Settings, upload: Annotated[Upload, Depends(read_upload)]
) -> SubmitOut:
    """The client, as the seller, sends one invoice; the format is detected.

    Checked at once, in order: a readable file (501 IRR_VIDE_F, IRR_TYPE_F, IRR_TAILLE_F,
    IRR_SYNTAX), a profile the reform accepts, its XML schema (501 IRR_SYNTAX), EN 16931 and BR-FR
    (213 REJ_SEMAN), the seller is the client (213 REJ_COH), not a duplicate of the same seller,
    number and year (213 DOUBLON), the buyer in the directory (213 DEST_INC). A refused file is
    answered 201 too, `status` rejected with its reason: it is kept for inspection. An accepted one
    is `validated` and is routed in the background (`processed` then).
    """
    invoice = deposit(
        session,
        ctx,
        content=upload.content,
        filename=upload.filename,
        ppf=ppf,
        settings=settings,
        file_size=upload.size if upload.size > len(upload.content) else None,
    )
    return SubmitOut(**_summary_fields(invoice), **_findings(invoice), en16931_invoice=invoice.model)


async def read_batch(request: Request) -> list[Submission]:
    """Files of a multipart request (every file part, in order), or of one zip: the whole body, or
    the one part of a multipart request. Each file is cut one byte past the invoice size limit."""
    settings = request.app.state.settings
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in ZIP_MEDIA_TYPES:
        return _unzipped(await request.body(), settings)
    if media_type != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the invoices as multipart/form-data (one part `files` per file) or as one zip "
            f"(type {' or '.join(ZIP_MEDIA_TYPES)})"
        )
    parser = MultiPartParser(request.headers, request.stream(), max_files=settings.batch_max_files + 1)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        if str(exc).startswith("Too many files"):
            raise _too_many_files(settings.batch_max_files) from exc
        raise InvalidInput(f"The multipart body cannot be read: {exc}", code="invalid_multipart") from exc
    try:
        files = [value for _, value in form.multi_items() if isinstance(value, FormFile)]
        if len(files) > settings.batch_max_files:
            raise _too_many_files(settings.batch_max_files)
        submissions = []
        for file in files:
            content, size = await _kept(_file_chunks(file))
            submissions.append(Submission(content, file.filename or "invoice", size))
    finally:
        await form.close()
    if len(submissions) == 1 and zips.is_zip(submissions[0].content):
        return _unzipped(submissions[0].content, settings)
    if not submissions:
        raise InvalidInput("Send the invoices as multipart parts `files`, or one zip", code="file_missing")
    return submissions


def _unzipped(content: bytes, settings) -> list[Submission]:
    budget = zips.Budget(
        max_files=settings.batch_max_files,
        max_total_bytes=settings.batch_max_bytes,
        max_file_bytes=MAX_INVOICE_BYTES,
        max_ratio=MAX_ZIP_RATIO,
    )
    members = zips.read_zip(content, budget)
    if not members:
        raise InvalidInput("The zip archive holds no file", code="file_missing")
    return [Submission(member.content, member.name, member.size) for member in members]


def _too_many_files(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"At most {limit} files are taken at once: send the others next", code="too_many_files")


_BATCH_BODY = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            "required": ["files"],
        }
    },
    **{media_type: _RAW_BODY for media_type in ZIP_MEDIA_TYPES},
}


@router.post(
    "/files/submit-batch",
    status_code=201,
    response_model=BatchOut,
    summary="Send several invoice files at once",
    openapi_extra={"requestBody": {"required": True, "content": _BATCH_BODY}},
    responses={
        400: {"description": "No file, an unreadable multipart body or zip, or a zip naming files outside itself"},
        413: {"description": "More files than COURSIER_BATCH_MAX_FILES, or bytes than COURSIER_BATCH_MAX_BYTES"},
        415: {"description": "Neither multipart nor a zip"},
        422: {"description": f"A zip's file compressed more than {MAX_ZIP_RATIO} times (a zip bomb)"},
        429: {"description": "The files, one call each, would pass a rate limit"},
    },
)
def submit_batch(
    request: Request,
    ctx: ClientCtx,
    session: DbSession,
    ppf: PPF,
    settings: Settings,
    files: Annotated[list[Submission], Depends(read_batch)],
) -> BatchOut:
    """The client, as the seller, sends several invoices: a month-end run. Multipart parts `files`
    (one per file), or one zip (folders inside are ignored).

    Each file is judged exactly as `POST /files/submit` judges it alone, with the same outcomes,
    statuses, events and routing; the answer lists every outcome in the order sent. Each file
    counts as one call against the rate limits, and the files are checked several at once, each
    taking one of the sponsor's heavy-request slots (COURSIER_HEAVY_REQUESTS_PER_SPONSOR).
    """
    refused = request.app.state.rate_limits.admit(ctx.sponsor_id, calls=len(files) - 1)  # this call is counted
    if refused is not None:
        raise TooManyRequests(
            f"{len(files)} files would pass the limit of {refused.limit} calls per {refused.period}; "
            f"send fewer, or retry in {refused.retry_after} s",
            retry_after=refused.retry_after,
            extra={"limit": refused.limit, "period": refused.period},
        )
    wanted = min(cpu.workers(), len(files)) - 1
    parallel = 1 + take_more_heavy_slots(session, ctx.sponsor_id, settings.heavy_requests_per_sponsor, wanted)
    invoices = deposit_many(session, ctx, files, ppf=ppf, settings=settings, parallel=parallel)
    items = [
        BatchItem(position=position, **_summary_fields(invoice), **_findings(invoice))
        for position, invoice in enumerate(invoices)
    ]
    rejected = sum(item.status == "rejected" for item in items)
    return BatchOut(count=len(items), accepted=len(items) - rejected, rejected=rejected, invoices=items)


# ---- reading -------------------------------------------------------------------------------------


@router.get("/invoices", response_model=list[InvoiceSummary], summary="List sent and received invoices")
def list_invoices(
    ctx: ClientCtx,
    session: DbSession,
    request: Request,
    response: Response,
    page: Annotated[PageParams, Depends()],
    direction: Direction | None = None,
    status: Annotated[
        str | None, Query(max_length=16, description="validated, processed, rejected, or a status code such as 203")
    ] = None,
    date_from: Annotated[date | None, Query(description="Issue date (BT-2) from")] = None,
    date_to: Annotated[date | None, Query(description="Issue date (BT-2) until, included")] = None,
    counterparty: Annotated[
        str | None,
        Query(
            max_length=300,
            description="The buyer of a sent invoice, the seller of a received one: a SIREN or part of the name",
        ),
    ] = None,
    amount_min: Annotated[Decimal | None, Query(description="Total with VAT (BT-112) at least")] = None,
    amount_max: Annotated[Decimal | None, Query(description="Total with VAT (BT-112) at most")] = None,
) -> list[InvoiceSummary]:
    filters = reading.InvoiceFilters(
        direction=direction,
        status=status,
        date_from=date_from,
        date_to=date_to,
        counterparty=counterparty,
        amount_min=amount_min,
        amount_max=amount_max,
    )
    rows = paginate(session, reading.list_invoices_query(session, ctx, filters), Invoice, page, request, response)
    return [InvoiceSummary(**_summary_fields(invoice)) for invoice in rows]


@router.get("/invoices/{invoice_id}", response_model=InvoiceOut, summary="One invoice, its checks and statuses")
def get_invoice(invoice_id: str, ctx: ClientCtx, session: DbSession) -> InvoiceOut:
    return _invoice_out(session, ctx, reading.get_invoice(session, ctx, invoice_id))


@router.get(
    "/invoice_data/{invoice_id}",
    summary="The invoice as the EN 16931 JSON model",
    responses={200: {"description": "The fields of the invoice model, plus `invoice_id` and `processed_at`"}},
)
def get_invoice_data(invoice_id: str, ctx: ClientCtx, session: DbSession) -> dict:
    invoice = reading.get_invoice(session, ctx, invoice_id)
    if invoice.model is None:
        raise NotFound(f"Invoice {invoice_id} could not be read: it has no invoice data", code="invoice_data_not_found")
    return {
        **invoice.model,
        "invoice_id": invoice.id,
        "processed_at": invoice.processed_at.isoformat() if invoice.processed_at else None,
    }


@router.get(
    "/invoices/{invoice_id}/download",
    summary="Download the invoice, as sent or converted",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "application/xml": {}},
            "headers": {
                "X-Conversion-Warnings": {
                    "description": "What the format could not carry: `code term` pairs, `; ` apart"
                }
            },
        }
    },
)
def download_invoice(
    invoice_id: str,
    ctx: ClientCtx,
    session: DbSession,
    fmt: Annotated[
        DownloadFormat | None,
        Query(
            alias="format",
            description=(
                "original, cii, ubl, facturx (PDF/A-3 with its CII) or pdf (readable). Default: the client's "
                "received_invoice_format setting for a received invoice, the original for a sent one"
            ),
        ),
    ] = None,
) -> Response:
    invoice = reading.get_invoice(session, ctx, invoice_id)
    client_settings = get_client_settings(session, ctx)
    if fmt is None:
        fmt = client_settings.received_invoice_format if invoice.direction == INBOUND else "original"
    result = download(session, ctx, invoice, fmt, language=client_settings.language)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(result.filename)}"}
    if result.warnings:
        headers["X-Conversion-Warnings"] = "; ".join(
            f"{w.code} {w.term or w.path}" for w in result.warnings[:_HEADER_WARNINGS]
        )
    return Response(result.content, media_type=result.media_type, headers=headers)


# ---- lifecycle statuses --------------------------------------------------------------------------

EmitterRole = Literal["issuer_platform", "receiver_platform", "seller", "buyer"]
PpfState = Literal["pending", "sent", "accepted", "rejected", "other_platform", "unreportable"]


class StatusEmitter(BaseModel):
    role: EmitterRole = Field(
        description="issuer_platform (the seller's PA, PDPE), receiver_platform (the buyer's PA, PDPR), or a party"
    )
    platform: str = Field(description="Matricule (ICD 0238) of the platform that carried the status")


class StatusAmount(BaseModel):
    vat_rate: Decimal = Field(description="VAT rate, percent (MDT-224)")
    amount: Decimal = Field(description="VAT included (MDT-215); negative: paid back")


class StatusPayment(BaseModel):
    amount: Decimal
    date: date
    currency: str


class PpfReporting(BaseModel):
    state: PpfState = Field(
        description="pending (waits for its F6 flow), sent, accepted (in a receivable flow, no 601), rejected "
        "(601 or an unacceptable flow, `reason` says why), other_platform (the counterpart's platform reports "
        "it), unreportable (the invoice lacks what a status message needs)"
    )
    reason: str | None = Field(description="601: REJ_INC, REJ_INEX, REJ_RG, REJ_HAB, REJ_ENCAISSEMENT")
    detail: str | None
    flow_id: str | None


class StatusOut(BaseModel):
    status_id: str
    status: int = Field(description="The status code: " + ", ".join(f"{s.value} {s.name}" for s in InvoiceStatus))
    label: str = Field(description="In the client's language (settings)")
    event: str = Field(description="The lifecycle event's code, e.g. InvoiceLifecycleStatus.APPROVED")
    emitter: StatusEmitter
    at: datetime = Field(description="When the status was set")
    reason_code: str | None
    reason_label: str | None
    comment: str | None
    requested_action: str | None = Field(description="MDT-121: NOA, PIN, NIN, CNF, CNP, CNA, OTH")
    currency: str | None
    amounts: list[StatusAmount] = Field(description="212: the amount collected per VAT rate")
    payment: StatusPayment | None = Field(description="212 from a payment: the payment the amounts split")
    payment_id: str | None
    transmission_id: str | None = Field(
        description="The deposit or delivery the status concerns (none: the invoice itself)"
    )
    repeat_delivery: bool = Field(
        description="A 213 DOUBLON refusing a repeated delivery: it does not change the invoice already held"
    )
    message_id: str = Field(description="Id of the lifecycle message (CDAR MDT-4) that carries the status")
    ppf: PpfReporting | None = Field(description="For the mandatory statuses (200, 210, 212, 213): the PPF's side")


def _status_out(record: InvoiceStatusRecord, language: str) -> StatusOut:
    status = InvoiceStatus(record.status_code)
    reason_key = f"reason.{record.reason_code}"
    return StatusOut(
        status_id=record.id,
        status=record.status_code,
        label=status_label(record.status_code, language),
        event=event_code(status),
        emitter=StatusEmitter(role=record.emitter_role, platform=record.emitter_platform),
        at=record.at,
        reason_code=record.reason_code,
        reason_label=text(language, reason_key) if record.reason_code and has_text(reason_key) else None,
        comment=record.comment,
        requested_action=record.requested_action,
        currency=record.currency,
        amounts=[StatusAmount(**part) for part in record.amounts],
        payment=StatusPayment(**record.payment) if record.payment else None,
        payment_id=record.payment_id,
        transmission_id=record.transmission_id,
        repeat_delivery=record.repeat_delivery,
        message_id=record.message_id,
        ppf=(
            PpfReporting(
                state=record.ppf_state, reason=record.ppf_reason, detail=record.ppf_detail, flow_id=record.ppf_flow_id
            )
            if record.ppf_state
            else None
        ),
    )


_STATUS_PROBLEMS = {
    404: {"description": "`invoice_not_found`: no such invoice for the client (another sponsor's included)"},
    409: {
        "description": "`status_not_allowed`: the lifecycle's rules refuse the move, `rule` names the rule "
        "(LC-BUYER-SEQUENCE, LC-SIDE, LC-PLATFORM-STATUS, LC-NOT-AVAILABLE, LC-NOT-DEPOSITED, LC-209-ANSWERS-208, "
        "LC-REFUSED-FINAL, LC-REJECTED-FINAL, LC-CANCELLED-FINAL, LC-REFUND-NEEDS-COLLECTION); "
        "`collection_above_total` or `refund_above_collected` (212); `payment_id_reused` with other values"
    },
    422: {
        "description": "`reason_not_allowed` or `reason_required` (`allowed_reasons` lists the status's reasons), "
        "`comment_required`, `amounts_required`, `amounts_not_allowed`, `payment_and_amounts`, "
        "`currency_mismatch`, `vat_rate_not_on_invoice`, `vat_rate_repeated`, `collection_zero`, or the body's "
        "`validation_error`"
    },
}


@router.post(
    "/invoices/{invoice_id}/statuses",
    status_code=201,
    response_model=StatusOut,
    summary="Set a lifecycle status on an invoice",
    responses={200: {"description": "A payment (`payment_id`) already recorded: its status, unchanged"}}
    | _STATUS_PROBLEMS,
)
def post_status(
    invoice_id: str, body: StatusRequest, ctx: ClientCtx, session: DbSession, settings: Settings, response: Response
) -> StatusOut:
    """The client sets a status as the buyer of an invoice it received or the seller of one it sent.
    The other party sees it: at once when it is a client of this platform, through its platform
    otherwise; the mandatory ones (210, 212) are reported to the PPF.

    212 "Encaissée": give `payment` (the amount VAT included and its date): it is spread over the
    invoice's VAT rates pro rata of what remains at each rate, rounded to the cent with the last
    rate taking the remainder (`amounts` in the answer); or give `amounts` per rate yourself.
    Payments accumulate up to the invoice's total; a negative amount is a refund.
    """
    record, repeated = set_status(session, ctx, invoice_id, body, settings=settings)
    if repeated:
        response.status_code = 200
    return _status_out(record, get_client_settings(session, ctx).language)


@router.get(
    "/invoices/{invoice_id}/statuses",
    response_model=list[StatusOut],
    summary="An invoice's lifecycle, both parties' and platforms' statuses, oldest first",
    responses={404: _STATUS_PROBLEMS[404]},
)
def get_statuses(invoice_id: str, ctx: ClientCtx, session: DbSession) -> list[StatusOut]:
    language = get_client_settings(session, ctx).language
    return [_status_out(record, language) for record in list_statuses(session, ctx, invoice_id)]
