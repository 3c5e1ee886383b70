"""Invoices, sent and received: the filtered list, an upload for a client, one invoice with its
statuses (both sides'), the lifecycle statuses its side may set now, validation report and
downloads in every format.

A status set here goes through `party_statuses.set_status`, as through the API: the rules' refusal
(409, naming the rule) or details that do not fit (422) show beside the actions, nothing kept.
"""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError

from coursier.db.invoices import INBOUND, OUTBOUND, Invoice
from coursier.kit.errors import CoursierError, InvalidInput, Unprocessable
from coursier.kit.texts import Language, text
from coursier.model.lifecycle import ALLOWED_REASONS, COMMENT_REQUIRED, REASON_REQUIRED, REASONS, InvoiceStatus
from coursier.services import clients as client_service
from coursier.services.invoicing import deposit, reading, statuses
from coursier.services.invoicing.checks import MAX_INVOICE_BYTES
from coursier.services.invoicing.downloads import download
from coursier.services.invoicing.party_statuses import (
    StatusRequest,
    list_statuses,
    set_status,
    statuses_allowed_now,
)
from coursier.services.settings import get_client_settings
from coursier.web.dashboard.common import (
    PREFIX,
    DashboardRoute,
    Db,
    Looking,
    Posting,
    TextField,
    Viewer,
    attachment,
    day_param,
    listing,
    narrowed_to_client,
    page,
    refusal,
    to,
    wants_fragment,
)

router = APIRouter(prefix=PREFIX + "/invoices", route_class=DashboardRoute)

DIRECTIONS = (OUTBOUND, INBOUND)
STATUS_GROUPS = ("validated", "processed", "rejected")
DOWNLOAD_FORMATS = ("original", "pdf", "facturx", "cii", "ubl")
# As the API: a file up to twice the limit is refused as an invoice, a bigger request not read.
MAX_REQUEST_BYTES = 2 * MAX_INVOICE_BYTES


@router.get("")
def list_invoices(
    request: Request,
    session: Db,
    viewer: Looking,
    direction: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    counterparty: str = "",
    number: str = "",
    client: str = "",
    cursor: str | None = None,
) -> Response:
    ctx, chosen_client = narrowed_to_client(session, viewer.ctx, client)
    filters = reading.InvoiceFilters(
        direction=direction if direction in DIRECTIONS else None,
        status=status if status in STATUS_GROUPS or status.isdigit() else None,
        date_from=day_param(date_from),
        date_to=day_param(date_to),
        counterparty=counterparty[:300] or None,
        number=number[:200] or None,
    )
    invoices = listing(session, reading.list_invoices_query(session, ctx, filters), Invoice, cursor)
    filtered = any((direction, status, date_from, date_to, counterparty, number, client))
    return page(
        request,
        viewer,
        "invoices/rows.html.j2" if wants_fragment(request) else "invoices/list.html.j2",
        section="invoices",
        invoices=invoices,
        filtered=filtered,
        form={
            "direction": direction,
            "status": status,
            "date_from": date_from,
            "date_to": date_to,
            "counterparty": counterparty,
            "number": number,
            "client": client,
        },
        chosen_client=chosen_client,
        directions=DIRECTIONS,
        status_groups=STATUS_GROUPS,
        status_codes=list(InvoiceStatus),
        seqino_status=statuses.seqino_status,
    )


@router.post("", max_body_size=MAX_REQUEST_BYTES)
def upload_invoice(
    request: Request,
    session: Db,
    viewer: Posting,
    file: Annotated[UploadFile, File()],
    client_id: TextField = "",
) -> Response:
    """The client, as the seller, sends an invoice file: checked and kept as the API does it."""
    client = client_service.get_client(session, viewer.ctx, client_id)
    content = file.file.read(MAX_INVOICE_BYTES + 1)
    if not content and not file.filename:
        raise InvalidInput("Choose the invoice file to send", code="file_missing")
    invoice = deposit.deposit(
        session,
        viewer.ctx.for_client(client.id),
        content=content,
        filename=file.filename or "invoice",
        ppf=request.app.state.runtime.ppf(),
        settings=request.app.state.settings,
        file_size=file.size if file.size and file.size > len(content) else None,
    )
    return to(f"/invoices/{invoice.id}")


def _invoice_page(
    request: Request,
    session,
    viewer: Viewer,
    invoice_id: str,
    *,
    status: int = 200,
    action_error: str | None = None,
    failed_status: int | None = None,
) -> Response:
    invoice = reading.get_invoice(session, viewer.ctx, invoice_id)
    validation = invoice.validation or {}
    return page(
        request,
        viewer,
        "invoices/detail.html.j2",
        status=status,
        section="invoices",
        invoice=invoice,
        client=client_service.get_client(session, viewer.ctx, invoice.client_id),
        statuses=list_statuses(session, viewer.ctx, invoice.id),
        actions=statuses_allowed_now(session, viewer.ctx, invoice.id),
        allowed_reasons={status: sorted(codes) for status, codes in ALLOWED_REASONS.items()},
        reason_required=REASON_REQUIRED,
        comment_required=COMMENT_REQUIRED,
        collected=InvoiceStatus.COLLECTED,
        action_error=action_error,
        failed_status=failed_status,
        errors=validation.get("errors", []),
        warnings=validation.get("warnings", []),
        report=validation.get("report"),
        formats=DOWNLOAD_FORMATS,
        seqino_status=statuses.seqino_status,
        reasons=REASONS,
    )


@router.get("/{invoice_id}")
def invoice_page(request: Request, session: Db, viewer: Looking, invoice_id: str) -> Response:
    return _invoice_page(request, session, viewer, invoice_id)


@router.post("/{invoice_id}/statuses")
def add_status(
    request: Request,
    session: Db,
    viewer: Posting,
    invoice_id: str,
    status: Annotated[int, Form()],
    reason_code: TextField = "",
    comment: Annotated[str, Form(max_length=1000)] = "",
    payment_amount: TextField = "",
    payment_date: TextField = "",
    payment_id: TextField = "",
) -> Response:
    """The client, as its side of the invoice, sets a lifecycle status: the API's `set_status`."""
    invoice = reading.get_invoice(session, viewer.ctx, invoice_id)
    try:
        status_request = _status_request(status, reason_code, comment, payment_amount, payment_date, payment_id)
        set_status(
            session,
            viewer.ctx.for_client(invoice.client_id),
            invoice.id,
            status_request,
            settings=request.app.state.settings,
        )
    except CoursierError as exc:
        error = refusal(session, viewer, exc)
        return _invoice_page(
            request,
            session,
            viewer,
            invoice.id,
            status=exc.status,
            action_error=_with_allowed_reasons(viewer.language, error, exc),
            failed_status=status,
        )
    return to(f"/invoices/{invoice.id}")


def _status_request(
    status: int, reason_code: str, comment: str, payment_amount: str, payment_date: str, payment_id: str
) -> StatusRequest:
    """The form as the API's request; only a 212 carries its payment (a form shows those fields for it alone)."""
    payment = None
    if status == InvoiceStatus.COLLECTED and (payment_amount or payment_date):
        payment = {
            # The French write a decimal comma.
            "amount": payment_amount.replace(" ", "").replace(",", "."),
            "date": payment_date,
            "payment_id": payment_id or None,
        }
    try:
        return StatusRequest(
            status=status,
            reason_code=reason_code or None,
            comment=comment or None,
            payment=payment,
        )
    except ValidationError as exc:
        fields = sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()})
        raise Unprocessable(f"Check these fields: {', '.join(fields)}", code="status_form_invalid") from None


def _with_allowed_reasons(language: Language, error: str, exc: CoursierError) -> str:
    """A reason refused: the reasons the status allows, by their labels."""
    allowed = exc.extra.get("allowed_reasons")
    if not allowed:
        return error
    return f"{error} {', '.join(text(language, f'reason.{code}') for code in allowed)}"


@router.get("/{invoice_id}/download")
def download_invoice(session: Db, viewer: Looking, invoice_id: str, format: str = "original") -> Response:
    if format not in DOWNLOAD_FORMATS:
        raise InvalidInput(f"format is one of {', '.join(DOWNLOAD_FORMATS)}", code="invalid_format")
    invoice = reading.get_invoice(session, viewer.ctx, invoice_id)
    ctx = viewer.ctx.for_client(invoice.client_id)
    result = download(session, ctx, invoice, format, language=get_client_settings(session, ctx).language)
    return attachment(result.content, result.media_type, result.filename)
